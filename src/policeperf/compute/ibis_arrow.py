"""Ibis's Arrow conversion for DuckDB results, without the module that imports pandas.

Only :func:`policeperf.compute.sources.to_polars` uses it (Ibis reads; a DuckDB warehouse reads
through compute/sources_sql.py instead). Importing this module imports Ibis and pyarrow.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from ibis.formats.pyarrow import PyArrowData

__all__ = ["DuckDBArrow"]


class DuckDBArrow(PyArrowData):  # type: ignore[misc]
    """Ibis's ``DuckDBPyArrowData`` (a NULL-typed column becomes nulls), defined here so that
    its module, and with it pandas, is not imported."""

    @classmethod
    def convert_scalar(cls, scalar: pa.Scalar, dtype: Any) -> pa.Scalar:
        return pa.scalar(None) if dtype.is_null() else super().convert_scalar(scalar, dtype)

    @classmethod
    def convert_column(cls, column: pa.Array, dtype: Any) -> pa.Array:
        return pa.nulls(len(column)) if dtype.is_null() else super().convert_column(column, dtype)
