"""Reading tabular files (CSV, XLSX, ODS) as text, shared by the offence-code and force-series
adapters: header search, row numbers for provenance, vectorised checks that report the first bad
row, name resolution and duplicate detection."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import polars as pl

from policeperf.errors import InputError, InputErrors, UnknownNameError
from policeperf.ingest.csv_errors import raise_ragged
from policeperf.reference.areas import find_area, resolve_area
from policeperf.xlsx_formulas import refuse_uncached

if TYPE_CHECKING:  # the workbook reader (a quarter of a second to import): only for workbooks
    import fastexcel

ROW = "__row"  # the provenance row number carried through validation
_HEADER_SEARCH_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"  # XLSX and ODS are zip archives
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy XLS


@dataclass(frozen=True)
class RawTable:
    """A table read as text: original headers, one Utf8 column per header plus ``__row``."""

    frame: pl.DataFrame
    file: str
    sheet: str | None
    columns: dict[str, str]  # canonical name -> header text as in the file


def fold(text: str) -> str:
    """Fold a header for matching: ``" Force  name "`` -> ``"force name"``."""
    return " ".join(text.replace("\ufeff", "").split()).lower()


def is_spreadsheet(head: bytes) -> bool:
    """True when the first bytes are those of an XLSX/ODS (zip) or XLS (OLE) file."""
    return head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _match_header(
    cells: list[str | None], wanted: dict[str, tuple[str, ...]], optional: frozenset[str]
) -> dict[str, str] | None:
    folded = {fold(c): c for c in cells if c is not None and c.strip()}
    found: dict[str, str] = {}
    for name, accepted in wanted.items():
        for text in accepted:
            if fold(text) in folded:
                found[name] = folded[fold(text)]
                break
    required = set(wanted) - optional
    return found if required <= set(found) else None


def load_table(
    source: Path | bytes,
    file: str,
    wanted: dict[str, tuple[str, ...]],
    optional: frozenset[str] = frozenset(),
) -> RawTable:
    """Read a CSV or the first matching workbook sheet as text, numbering rows as a user sees them.

    Args:
        source: The file path, or its bytes.
        file: The name errors show.
        wanted: Canonical column -> accepted header texts.
        optional: Canonical columns that may be absent.

    Returns:
        The table with every cell as text (blank cells null) and ``__row``: the spreadsheet row
        (1-based) or, for CSV, the line number counting the header as line 1. Blank rows are
        dropped.

    Raises:
        InputError: No header holds the required columns, or a header is repeated.
    """
    raw = source if isinstance(source, bytes) else source.read_bytes()
    if is_spreadsheet(raw[:8]):
        return _load_sheet(raw, file, wanted, optional)
    text = _decode(raw)
    header = next(csv.reader(text.splitlines()[:1]), [])
    columns = _match_header(list(header), wanted, optional)
    if columns is None:
        _missing(header, wanted, optional, file, None)
    repeated = sorted({h for h in header if header.count(h) > 1 and h.strip()})
    if repeated:
        raise InputError(f"header {repeated[0]!r} appears twice", file=file, row=1)
    # A row with fewer fields than the header would read as blanks at its end, and one with more
    # (truncate_ragged_lines lets through a trailing empty field) would lose its extra values.
    raise_ragged(text, list(header), file)
    frame = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        infer_schema=False,
        new_columns=[h or f"__blank{i}" for i, h in enumerate(header)],
        truncate_ragged_lines=True,
    ).with_row_index(ROW, offset=2)
    return _finish(frame, file, None, columns)


def _open_workbook(raw: bytes, file: str) -> fastexcel.ExcelReader:
    import fastexcel

    try:
        return fastexcel.read_excel(raw)
    except Exception as exc:  # calamine reports corrupt workbooks with its own exception types
        raise InputError(f"cannot open as a workbook: {exc}", file=file) from exc


_Header = tuple[str, int, list[str | None], dict[str, str]]  # sheet, row (0-based), cells, columns


def _find_headers(
    reader: fastexcel.ExcelReader, wanted: dict[str, tuple[str, ...]], optional: frozenset[str]
) -> Iterator[_Header]:
    """Each sheet whose top rows hold the wanted header, with that row (0-based), in order."""
    for name in reader.sheet_names:
        top = reader.load_sheet(
            name, header_row=None, skip_rows=0, n_rows=_HEADER_SEARCH_ROWS, dtypes="string"
        ).to_polars()
        for r in range(top.height):
            cells = list(top.row(r))
            columns = _match_header(cells, wanted, optional)
            if columns is not None:
                yield name, r, cells, columns
                break


def _find_header(
    reader: fastexcel.ExcelReader, wanted: dict[str, tuple[str, ...]], optional: frozenset[str]
) -> _Header | None:
    """The first sheet and row (0-based) within the top rows whose cells hold the wanted header."""
    return next(_find_headers(reader, wanted, optional), None)


def load_tables(
    source: Path | bytes,
    file: str,
    wanted: dict[str, tuple[str, ...]],
    optional: frozenset[str] = frozenset(),
) -> list[RawTable]:
    """Like :func:`load_table`, but every workbook sheet holding the header, in sheet order (the
    Home Office publishes one sheet per financial year); a CSV gives one table."""
    raw = source if isinstance(source, bytes) else source.read_bytes()
    if not is_spreadsheet(raw[:8]):
        return [load_table(raw, file, wanted, optional)]
    reader = _open_workbook(raw, file)
    found = _find_headers(reader, wanted, optional)
    tables = [_sheet_table(reader, raw, file, header) for header in found]
    if not tables:
        _missing([], wanted, optional, file, reader.sheet_names[0] if reader.sheet_names else None)
    return tables


def _load_sheet(
    raw: bytes, file: str, wanted: dict[str, tuple[str, ...]], optional: frozenset[str]
) -> RawTable:
    reader = _open_workbook(raw, file)
    found = _find_header(reader, wanted, optional)
    if found is None:
        _missing([], wanted, optional, file, reader.sheet_names[0] if reader.sheet_names else None)
    return _sheet_table(reader, raw, file, found)


def _sheet_table(
    reader: fastexcel.ExcelReader, raw: bytes, file: str, found: _Header
) -> RawTable:
    name, r, cells, columns = found
    refuse_uncached(raw, name, file)  # a formula without its value reads as a blank cell
    grid = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_polars()
    names = [c if c and c.strip() else f"__blank{i}" for i, c in enumerate(cells)]
    frame = grid.slice(r + 1).rename(dict(zip(grid.columns, names, strict=True)))
    return _finish(frame.with_row_index(ROW, offset=r + 2), file, name, columns)


def _finish(frame: pl.DataFrame, file: str, sheet: str | None, columns: dict[str, str]) -> RawTable:
    data = [c for c in frame.columns if c != ROW]
    frame = frame.with_columns(pl.col(data).str.strip_chars().replace("", None)).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )
    frame = frame.filter(~pl.all_horizontal(pl.col(data).is_null()))
    return RawTable(frame=frame, file=file, sheet=sheet, columns=columns)


def _missing(
    header: list[str | None] | list[str],
    wanted: dict[str, tuple[str, ...]],
    optional: frozenset[str],
    file: str,
    sheet: str | None,
) -> NoReturn:
    present = {fold(h) for h in header if h}
    lacking = [
        accepted[0]
        for name, accepted in wanted.items()
        if name not in optional and not any(fold(a) in present for a in accepted)
    ]
    raise InputError(
        f"no header row with the required columns; missing {', '.join(lacking)}",
        file=file,
        sheet=sheet,
        row=1,
        column=lacking[0] if lacking else None,
        expected="headers " + ", ".join(a[0] for n, a in wanted.items() if n not in optional),
    )


def first_bad(table: RawTable, bad: pl.Expr) -> int | None:
    """The row number (``__row``) of the first row where ``bad`` is true, or None."""
    hits = table.frame.filter(bad.fill_null(False)).select(ROW).head(1)
    return None if hits.is_empty() else int(hits.item())


@dataclass
class _Sink:
    errors: list[InputError]
    total: int = 0  # bad rows, counting those not listed


_COLLECTED: ContextVar[_Sink | None] = ContextVar("collected", default=None)


@contextmanager
def collecting() -> Iterator[None]:
    """Inside the block :func:`check` records every bad row of every check instead of raising at
    the first; at the end of the block (or at :func:`raise_collected`) all are raised at once as
    :class:`InputErrors`, in row order."""
    token = _COLLECTED.set(_Sink([]))
    try:
        yield
        raise_collected()
    finally:
        _COLLECTED.reset(token)


def raise_collected() -> None:
    """Raise what :func:`collecting` has recorded so far, if anything."""
    sink = _COLLECTED.get()
    if sink is not None and sink.errors:
        ordered = sorted(sink.errors, key=lambda e: (e.sheet or "", e.row or 0))
        raise InputErrors(ordered, sink.total)


def check(
    table: RawTable, bad: pl.Expr, column: str, message: str, expected: str | None = None
) -> None:
    """Raise :class:`InputError` at the first row where ``bad`` is true (inside
    :func:`collecting`: record every such row).

    ``column`` is a canonical name; the error shows the header as the file spells it, and the
    offending cell's text is appended to ``message``.
    """
    sink = _COLLECTED.get()
    header = table.columns.get(column, column)
    hits = table.frame.filter(bad.fill_null(False))
    if hits.is_empty():
        return
    keep = [ROW, header] if header in hits.columns else [ROW]
    rows = hits.select(keep).head(1 if sink is None else InputErrors.LISTED)
    errors = []
    for found in rows.iter_rows():
        cell = found[1] if len(found) > 1 else None
        errors.append(InputError(
            f"{message}: {cell!r}" if cell is not None else message,
            file=table.file,
            sheet=table.sheet,
            row=found[0],
            column=header,
            expected=expected,
        ))
    if sink is None:
        raise errors[0]
    sink.errors.extend(errors)
    sink.total += hits.height


def resolve_names(
    table: RawTable, column: str, kinds: tuple[str, ...] = ("force",)
) -> dict[str, str]:
    """Resolve each distinct name in a column once: name -> area code.

    Raises:
        InputError: At the first row whose name is not an area of ``kinds``; the message carries
            :func:`~policeperf.reference.areas.resolve_area`'s suggestions.
    """
    header = table.columns[column]
    codes: dict[str, str] = {}
    for name in table.frame.get_column(header).drop_nulls().unique(maintain_order=True):
        area = find_area(name)
        if area is not None and area.kind in kinds:
            codes[name] = area.code
            continue
        reason = f"{area.name} is a {area.kind}, not a police force" if area else ""
        try:
            resolve_area(name, kind="force")
        except UnknownNameError as exc:
            reason = reason or str(exc)
        check(table, pl.col(header) == name, column, reason, expected="a police force name")
    return codes


def duplicate(table: RawTable, frame: pl.DataFrame, key: list[str], column: str, what: str) -> None:
    """Raise :class:`InputError` at the first row whose key an earlier row already has.

    ``frame`` is the canonical frame (with ``row``); ``what`` says in words what the key is.
    """
    marked = frame.select(key + ["row"]).with_columns(first=pl.col("row").min().over(key))
    dup = marked.filter(pl.col("row") != pl.col("first")).head(1)
    if not dup.is_empty():
        message = f"duplicate row: {what} as row {dup.get_column('first').item()}"
        bad = pl.col(ROW) == dup.get_column("row").item()
        check(table, bad, column, message, f"one row per {what.removeprefix('same ')}")


def sniff_header(
    path: Path, data: bytes | None, wanted: dict[str, tuple[str, ...]], optional: frozenset[str]
) -> bool:
    """True when the CSV's first line, or a workbook sheet's top rows, hold the wanted header."""
    try:
        with io.BytesIO(data) if data is not None else path.open("rb") as handle:
            if not is_spreadsheet(handle.read(8)):
                handle.seek(0)
                line = _decode(handle.readline(64 * 1024))
                header = next(csv.reader([line.strip("\r\n")]), [])
                return _match_header(list(header), wanted, optional) is not None
            handle.seek(0)
            reader = _open_workbook(handle.read(), str(path))
        return _find_header(reader, wanted, optional) is not None
    except Exception:  # sniffing never fails: an unreadable file simply does not look like ours
        return False


SNIFF_BYTES = 65536  # how much of a file is read to find its header line


def csv_header(path: Path, data: bytes | None = None) -> list[str]:
    """The first line of a CSV (plain or gzip) split into fields, reading only its first 64 KiB.

    Args:
        path: The file (not opened when ``data`` is given).
        data: The file's bytes, e.g. a zip member.
    """
    if data is None:
        with path.open("rb") as fh:
            data = fh.read(SNIFF_BYTES)
        if data[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as stream:
                data = stream.read(SNIFF_BYTES)
    elif data[:2] == b"\x1f\x8b":
        with gzip.open(io.BytesIO(data), "rb") as stream:
            data = stream.read(SNIFF_BYTES)
    # Only the first line is decoded; its end is at or before the first newline byte.
    line = data[:SNIFF_BYTES].split(b"\n", 1)[0].decode("utf-8", errors="replace").splitlines()
    return next(csv.reader(line[:1]), [])


def csv_as_text(source: Path | bytes) -> pl.DataFrame:
    """Every cell of a CSV as text, with ``row``: the line number as a spreadsheet shows it
    (header = line 1). Polars errors propagate for the caller to name the file."""
    return (
        # glob=False: a file name may hold "[x]", "*" or "?" (ONS markers do), which Polars would
        # otherwise expand as a pattern, reading other files or none.
        pl.scan_csv(source, infer_schema=False, encoding="utf8-lossy", glob=False)
        .with_row_index("row", offset=2)
        .collect()
    )
