"""One-line errors for CSV files Polars cannot parse: the row, and what is wrong with it.

Polars' own messages run to many lines of advice about its options ("You might want to try
increasing infer_schema_length..."); a user needs the row and the fault: a row with more or fewer
fields than the header, or a quote that never closes. These helpers run only on the error path.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from policeperf.errors import InputError

__all__ = ["csv_read_error", "ragged_row"]


def csv_read_error(exc: Exception, source: Path | bytes, file: str) -> InputError:
    """One line saying why Polars could not read a CSV, with the row where it can be found
    (Polars' own message runs to many lines of advice about its options)."""
    message = str(exc)
    raw = source if isinstance(source, bytes) else _read_plain(source)
    if "more fields than" in message:
        for row, fields, expected in _field_counts(raw):
            if fields > expected:
                return InputError(f"row has {fields} fields, the header {expected}", file=file,
                                  row=row, expected="one field per header column")
    opened = _unclosed_quote(raw)
    if opened is not None:
        return InputError("a quoted field is never closed (an unmatched '\"')", file=file,
                          row=opened, expected='quotes in pairs: "text, with commas"')
    first = next((line.strip() for line in message.splitlines() if line.strip()), "")
    return InputError(f"cannot be read as CSV: {first}", file=file)


def _read_plain(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as stream:
        data: bytes = stream.read()
    return data


def _field_counts(raw: bytes) -> Iterator[tuple[int, int, int]]:
    """(row, fields, header fields) of each record, rows numbered as spreadsheets do."""
    reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"), newline=""))
    header = next(reader, [])
    for row, record in enumerate(reader, start=2):
        if record:
            yield row, len(record), len(header)


def _unclosed_quote(raw: bytes) -> int | None:
    """The line on which a quoted field that never closes opens (None if every quote closes)."""
    inside = False
    opened: int | None = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        for _ in range(line.count(b'"')):
            inside = not inside
        if inside and opened is None:
            opened = number
        elif not inside:
            opened = None
    return opened if inside else None


def ragged_row(source: Path | bytes, row: int) -> tuple[int, int] | None:
    """(fields, header fields) when record ``row`` has fewer fields than the header, else None."""
    raw = source if isinstance(source, bytes) else _read_plain(source)
    for number, fields, expected in _field_counts(raw):
        if number == row:
            return (fields, expected) if fields < expected else None
        if number > row:
            break
    return None
