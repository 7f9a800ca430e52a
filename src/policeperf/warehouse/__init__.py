"""The DuckDB warehouse: one file holding every loaded figure, its revisions and provenance.

``Warehouse`` and ``LoadReport`` (which import DuckDB and Polars) are loaded on first use, so
that importing :mod:`policeperf.warehouse.location` stays cheap (``policeperf --help``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policeperf.warehouse.location import default_db_path

if TYPE_CHECKING:
    from policeperf.warehouse.store import LoadReport, Warehouse

__all__ = ["LoadReport", "Warehouse", "default_db_path"]


def __getattr__(name: str) -> Any:
    if name in ("LoadReport", "Warehouse"):
        from policeperf.warehouse import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
