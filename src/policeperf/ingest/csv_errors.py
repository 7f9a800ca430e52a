"""One-line errors for CSV files Polars cannot parse: the row, and what is wrong with it.

Polars' own messages run to many lines of advice about its options ("You might want to try
increasing infer_schema_length..."); a user needs the row and the fault: a row with more or fewer
fields than the header, or a quote that never closes. These helpers run only on the error path,
except the field counts (:func:`ragged_records`, :func:`short_row`), which find the rows Polars
reads without complaint: a short row's missing fields read as blanks.
"""

from __future__ import annotations

import csv
import gzip
import io
import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl

from policeperf.errors import InputError

__all__ = ["csv_read_error", "plain_text", "ragged_error", "ragged_records", "raise_ragged",
           "short_row"]


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


def plain_text(source: Path | bytes) -> str:
    """The text of a CSV file or its bytes, gzip unpacked (undecodable bytes replaced)."""
    raw = source if isinstance(source, bytes) else _read_plain(source)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


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


def short_row(source: Path | bytes, width: int, records: int) -> tuple[int, int] | None:
    """(row, fields) of the first record with fewer than ``width`` fields, or None; blank lines
    are not records. Rows are numbered as Polars numbers them (header = row 1, blank lines
    counted). For a file Polars has parsed without error, so that no record has *more* fields.

    ``records`` is how many rows Polars read that are not wholly blank. When that is every line
    after the header and the file has no quote, every record has ``width`` fields exactly when the
    file holds ``width - 1`` commas per line: two byte counts decide the common case (about
    0.1 s per 200 MB). Otherwise the records are counted one by one.
    """
    if isinstance(source, bytes):
        raw = gzip.decompress(source) if source[:2] == b"\x1f\x8b" else source
        return _short_row(memoryview(raw), raw, width, records)
    with source.open("rb") as handle:
        if handle.read(2) == b"\x1f\x8b" or source.stat().st_size == 0:
            raw = _read_plain(source)
            return _short_row(memoryview(raw), raw, width, records)
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return _short_row(memoryview(mapped), mapped, width, records)


def _short_row(view: memoryview, raw: bytes | mmap.mmap, width: int,
               records: int) -> tuple[int, int] | None:
    if raw.find(b'"') >= 0:
        return _first_short(_field_counts(bytes(raw)), width)
    data = np.frombuffer(view, np.uint8)
    lines = int(np.count_nonzero(data == 10)) + (0 if raw[-1:] == b"\n" else 1)
    if records == lines - 1 and int(np.count_nonzero(data == 44)) == (width - 1) * lines:
        return None
    counts = ((row, line.count(b",") + 1, width)
              for row, line in enumerate(bytes(raw).split(b"\n"), start=1)
              if row > 1 and line.rstrip(b"\r"))
    return _first_short(counts, width)


def _first_short(counts: Iterator[tuple[int, int, int]], width: int) -> tuple[int, int] | None:
    return next(((row, fields) for row, fields, _ in counts if fields < width), None)


def ragged_records(text: str, width: int) -> pl.DataFrame:
    """``row`` and ``fields`` of each record with fewer fields than ``width``, or with more
    that are not all empty (a trailing ``,`` as spreadsheets sometimes write is let through).
    Rows are numbered as Polars reads them (header = row 1, blank lines counted); blank lines
    are not reported. A file without quotes is counted line by line in Polars (a few ms per
    10,000 lines); one with quotes goes through Python's csv module, which knows quoting."""
    if '"' not in text:
        lines = pl.Series("line", text.split("\n")[1:], pl.Utf8).str.strip_suffix("\r")
        frame = pl.DataFrame({
            "row": pl.int_range(2, lines.len() + 2, eager=True, dtype=pl.Int64),
            "fields": lines.str.count_matches(",", literal=True).cast(pl.Int64) + 1,
            "filled": lines.str.strip_chars_end(",").str.count_matches(",", literal=True)
            .cast(pl.Int64) + 1,
            "blank": lines == "",
        })
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        counts = [(row, len(record), _filled(record))
                  for row, record in enumerate(reader, start=2)]
        frame = pl.DataFrame(counts, schema={"row": pl.Int64, "fields": pl.Int64,
                                             "filled": pl.Int64}, orient="row")
        frame = frame.with_columns(blank=pl.col("fields") == 0)
    bad = (pl.col("fields") < width) | (pl.col("filled") > width)
    return frame.filter(bad & ~pl.col("blank")).select("row", "fields").sort("row")


def _filled(record: list[str]) -> int:
    """Fields up to the last non-empty one."""
    n = len(record)
    while n and not record[n - 1]:
        n -= 1
    return n


def raise_ragged(text: str, header: list[str], file: str) -> None:
    """Raise an InputError for the first record whose number of fields is not the header's,
    naming the first column a short row has no value for."""
    ragged = ragged_records(text, len(header))
    if ragged.height == 0:
        return
    row, fields = ragged.row(0)
    raise ragged_error(row, fields, header, file)


def ragged_error(row: int, fields: int, header: list[str], file: str) -> InputError:
    """The error for record ``row`` holding ``fields`` fields where ``header`` has another
    number: a short row names the first column it has no value for."""
    if fields < len(header):
        missing = header[fields:]
        return InputError(
            f"row has {fields} field{'s' if fields != 1 else ''}, the header {len(header)}: "
            f"no value for {', '.join(repr(m) for m in missing)}",
            file=file, row=row, column=missing[0],
            expected="one field per header column (an empty field for a blank)")
    return InputError(f"row has {fields} fields, the header {len(header)}", file=file, row=row,
                      expected="one field per header column")
