"""Adapter for data.police.uk monthly CSVs: street crime, outcomes and stop and search.

The header says which kind a file is (column order does not matter; names are matched after folding
case, spaces and punctuation, so the snake_case variant ``crime_id,month,...`` is accepted)::

    street       Crime ID,Month,Reported by,...,Crime type,Last outcome category,Context
    outcomes     Crime ID,Month,Reported by,Falls within,...,LSOA name,Outcome type
    stop search  Type,Date,Part of a policing operation,...,Removal of more than just outer clothing

Formats and tables: ``police-uk-street`` -> ``street_crime``, ``police-uk-outcomes`` ->
``street_outcomes``, ``police-uk-stop-search`` -> ``stop_search`` (see
:mod:`policeperf.ingest.schema`). Provenance: ``sheet`` and ``column`` are always null (a record is
a whole line, not one cell); ``row`` is the line number with the header as row 1.

Stop-and-search files do not name the force: it comes from the file name
(``2023-01-avon-and-somerset-stop-and-search.csv``). Their ``Date`` (e.g.
``2023-07-01T00:15:00+01:00``) is stored as UK local time without the offset, and ``month`` is the
first day of that local month. Blank fields are null; blank coordinates are null.
"""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TypeVar

import polars as pl

from policeperf.errors import InputError, UnknownNameError
from policeperf.ingest._tabular import csv_as_text, csv_header
from policeperf.ingest.csv_errors import csv_read_error, ragged_error, short_row
from policeperf.ingest.schema import STOP_SEARCH, STREET_CRIME, STREET_OUTCOMES, Batch, TableSpec
from policeperf.limits import LATITUDE_RANGE, LONGITUDE_RANGE, MIN_PERIOD, max_period
from policeperf.reference.areas import Area, resolve_area
from policeperf.reference.offences import police_uk_crime_types

STREET = "police-uk-street"
OUTCOMES = "police-uk-outcomes"
STOP_AND_SEARCH = "police-uk-stop-search"

# Eager or lazy: the bulk reader builds the same columns in one lazy query.
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

_LOCATED = ("longitude", "latitude", "location", "lsoa_code", "lsoa_name")
_RECORD = ("crime_id", "month", "reported_by", "falls_within", *_LOCATED)
# Folded header names of each format, in the order data.police.uk publishes them.
HEADERS: dict[str, tuple[str, ...]] = {
    STREET: (*_RECORD, "crime_type", "last_outcome_category", "context"),
    OUTCOMES: (*_RECORD, "outcome_type"),
    STOP_AND_SEARCH: tuple(c for c in STOP_SEARCH.columns if c not in ("area_code", "month")),
}
SPECS: dict[str, TableSpec] = {STREET: STREET_CRIME, OUTCOMES: STREET_OUTCOMES,
                               STOP_AND_SEARCH: STOP_SEARCH}

# Non-alphanumeric runs in a header, to fold: "Self-defined ethnicity" -> "self_defined_ethnicity".
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# A month as data.police.uk writes it, e.g. "2023-01".
_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
# A stop-and-search file name: month, force id; "2023-01-avon-and-somerset-stop-and-search.csv".
_STOP_SEARCH_NAME = re.compile(r"^(\d{4})-(\d{2})-(.+)-stop-and-search\.csv(\.gz)?$", re.IGNORECASE)
# How much of the file looks_like reads to find the header line.
# Time zone of the wall-clock times in stop-and-search dates.
_LOCAL_TIME = "Europe/London"
# Stop-and-search True/False columns.
_FLAGS = ("part_of_a_policing_operation", "outcome_linked_to_object_of_search",
          "removal_of_more_than_just_outer_clothing")


def fold(header: str) -> str:
    """Fold a header name: ``"Crime ID"`` and ``"crime_id"`` -> ``"crime_id"``."""
    return _NON_ALNUM.sub("_", header.replace("\ufeff", "").lower()).strip("_")


def format_of(header: list[str]) -> str | None:
    """The format whose columns the header has exactly (any order), or None."""
    names = {fold(h) for h in header}
    for fmt, columns in HEADERS.items():
        if names == set(columns) and len(header) == len(columns):
            return fmt
    return None


def file_format(path: Path) -> str | None:
    """The format of a file on disk from its header line, or None."""
    return format_of(csv_header(path, None))


def looks_like(path: Path, *, data: bytes | None = None) -> bool:
    """Whether the file is a data.police.uk street, outcomes or stop-and-search CSV.

    Args:
        path: The file (plain or gzip-compressed); only its first line is read.
        data: The file's bytes when it is not on disk (a zip member); ``path`` then only names it.
    """
    try:
        return format_of(csv_header(path, data)) is not None
    except (OSError, EOFError, gzip.BadGzipFile):
        return False


def _published(folded: str) -> str:
    """A folded column name as data.police.uk prints it: ``"lsoa_code"`` -> ``"LSOA code"``."""
    text = folded.replace("_", " ").capitalize()
    return text.replace("Crime id", "Crime ID").replace("Lsoa", "LSOA")


def _header_error(header: list[str], name: str) -> InputError:
    """Explain how the header differs from the format it is closest to."""
    names = [fold(h) for h in header]
    # The format sharing most columns with the header; on a tie, the one missing fewest.
    fmt = max(HEADERS, key=lambda f: (len(set(HEADERS[f]) & set(names)), -len(HEADERS[f])))
    missing = [c for c in HEADERS[fmt] if c not in names]
    extra = [h for h, n in zip(header, names, strict=True) if n not in HEADERS[fmt]]
    repeated = [h for h, n in zip(header, names, strict=True) if names.count(n) > 1]
    shown = _published(missing[0]) if missing else None
    problem = (f"unknown column {extra[0]!r}" if extra else f"missing column {shown!r}"
               if missing else f"repeated column {repeated[0]!r}")
    return InputError(
        f"not a data.police.uk header: {problem} (closest format {fmt})", file=name, row=1,
        column=next(iter(extra or repeated), shown),
        expected="a data.police.uk street, outcomes or stop-and-search header",
    )


def _load(path: Path, data: bytes | None, name: str) -> tuple[str, dict[str, str], pl.DataFrame]:
    """The format, folded -> published header names, and every line as text under folded names,
    with ``row``; blank lines dropped."""
    try:
        header = csv_header(path, data)
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot be read: {exc}", file=name) from exc
    fmt = format_of(header)
    if fmt is None:
        raise _header_error(header, name)
    source: Path | bytes = data if data is not None else path
    try:
        frame = csv_as_text(source)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as exc:
        raise csv_read_error(exc, source, name) from None
    # Name columns by folded header, by position (Polars drops a BOM and renames repeats).
    frame.columns = ["row", *(fold(h) for h in header)]
    blank = pl.all_horizontal(pl.exclude("row").is_null())
    frame = frame.filter(~blank).with_columns(pl.col("row").cast(pl.Int64))
    # Polars reads the fields a short row lacks as blanks, like the empty fields of a whole row
    # ("Anti-social behaviour,,"): count the fields (a longer row Polars has refused already).
    short = short_row(source, len(header), frame.height)
    if short is not None:
        raise ragged_error(*short, [h.replace("\ufeff", "") for h in header], name)
    return fmt, {fold(h): h for h in header}, frame


# One check: where ``bad`` holds, the row is wrong; (bad, folded column, what, expected).
Check = tuple[pl.Expr, str, str, str]


def _first_bad(frame: pl.DataFrame, checks: list[Check], header: dict[str, str],
               name: str) -> None:
    """Raise for the earliest row that fails any check (ties: the first check listed)."""
    if not checks:
        return
    firsts = frame.select(
        pl.col("row").filter(bad.fill_null(False)).min().alias(str(i))
        for i, (bad, *_) in enumerate(checks)
    ).row(0)
    hits = [(row, i) for i, row in enumerate(firsts) if row is not None]
    if not hits:
        return
    row, i = min(hits)
    _, column, what, expected = checks[i]
    value = frame.filter(pl.col("row") == row)[column][0]
    if value is None:
        raise InputError(f"{what.removesuffix(':')} (blank)", file=name, row=row,
                         column=header[column], expected=expected)
    raise InputError(f"{what} {value!r}", file=name, row=row, column=header[column],
                     expected=expected)


def _coordinate(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False)


def _bad_coordinate(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars()
    return (text != "") & _coordinate(column).is_null()


def _out_of_range(column: str) -> pl.Expr:
    """A number that is not a finite degree within range (:mod:`policeperf.limits`)."""
    low, high = LATITUDE_RANGE if column == "latitude" else LONGITUDE_RANGE
    value = _coordinate(column)
    return value.is_not_null() & (value.is_nan() | ~value.is_between(low, high))


def _range(column: str) -> str:
    low, high = LATITUDE_RANGE if column == "latitude" else LONGITUDE_RANGE
    return f"from {low:g} to {high:g}"


def _forces(frame: pl.DataFrame, header: dict[str, str], name: str) -> dict[str, str]:
    """"Falls within" text -> area code, resolving each distinct value once."""
    firsts = frame.group_by("falls_within").agg(pl.col("row").min()).sort("row")
    lookup: dict[str, str] = {}
    for value, row in firsts.iter_rows():
        try:
            lookup[value or ""] = _force(value or "").code
        except UnknownNameError as exc:
            raise InputError(str(exc), file=name, row=row, column=header["falls_within"],
                             expected="a police force name, e.g. 'Kent Police'") from exc
    return lookup


def _force(text: str) -> Area:
    area = resolve_area(text)
    if area.kind in ("region", "nation"):
        raise UnknownNameError("police force", text, [])
    return area


def _street_checks(fmt: str) -> list[Check]:
    month = (pl.col("month") + "-01").str.to_date("%Y-%m-%d", strict=False)
    checks: list[Check] = [(~pl.col("month").fill_null("").str.contains(_MONTH), "month",
                            "not a month:", "a month yyyy-mm"),
                           (~month.is_between(MIN_PERIOD, max_period()), "month",
                            "not a month the data can cover:",
                            f"a month from {MIN_PERIOD:%Y-%m} to next year")]
    for column in ("longitude", "latitude"):
        checks.append((_bad_coordinate(column), column, "not a number:",
                       "a decimal degree or blank"))
        checks.append((_out_of_range(column), column, f"not a {column}:",
                       f"a decimal degree {_range(column)} or blank"))
    if fmt == STREET:
        known = list(police_uk_crime_types())
        checks.append((~pl.col("crime_type").is_in(known).fill_null(False), "crime_type",
                       "unknown crime type", "one of " + ", ".join(known)))
    return checks


def _street_columns(forces: dict[str, str]) -> dict[str, pl.Expr]:
    return {
        "month": (pl.col("month") + "-01").str.to_date("%Y-%m-%d"),
        "area_code": pl.col("falls_within").fill_null("").replace_strict(
            forces, return_dtype=pl.Utf8()),
        "longitude": _coordinate("longitude"),
        "latitude": _coordinate("latitude"),
    }


def _street(fmt: str, frame: pl.DataFrame, header: dict[str, str], name: str) -> pl.DataFrame:
    """Street crime or outcomes rows, validated, in the canonical schema."""
    _first_bad(frame, _street_checks(fmt), header, name)
    return frame.with_columns(**_street_columns(_forces(frame, header, name)))


def _boolean(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars().str.to_lowercase()
    return pl.when(text == "true").then(True).when(text == "false").then(False)


def _bad_boolean(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars().str.to_lowercase()
    return ~text.is_in(["true", "false", ""])


def _local_time() -> pl.Expr:
    """Stop-and-search ``Date`` as UK wall-clock time; with or without a UTC offset."""
    text = pl.col("date").str.strip_chars()
    offset = (
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%z", time_unit="us", strict=False)
        .dt.convert_time_zone(_LOCAL_TIME)
        .dt.replace_time_zone(None)
    )
    naive = text.str.replace("T", " ").str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us",
                                                       strict=False)
    return pl.coalesce(offset, naive)


def stop_search_force(file_name: str) -> Area | None:
    """The force a stop-and-search file is about, from its name, or None if the name says none.

    ``"2023-01-avon-and-somerset-stop-and-search.csv"`` -> Avon and Somerset. Folders and an archive
    in the name (``"archive.zip!2023-01/2023-01-kent-stop-and-search.csv"``) are ignored.
    """
    base = PurePosixPath(file_name.replace("\\", "/").split("!")[-1]).name
    match = _STOP_SEARCH_NAME.match(base)
    if match is None:
        return None
    try:
        return _force(match.group(3))
    except UnknownNameError:
        return None


def _stop_search_checks() -> list[Check]:
    day = _local_time().dt.date()
    checks: list[Check] = [(_local_time().is_null(), "date", "not a date and time:",
                            "an ISO date-time like 2023-01-01T12:30:00+00:00"),
                           (~day.is_between(MIN_PERIOD, max_period()), "date",
                            "not a date the data can cover:",
                            f"a date from {MIN_PERIOD.isoformat()} to next year")]
    for column in ("latitude", "longitude"):
        checks.append((_bad_coordinate(column), column, "not a number:",
                       "a decimal degree or blank"))
        checks.append((_out_of_range(column), column, f"not a {column}:",
                       f"a decimal degree {_range(column)} or blank"))
        checks.append((_out_of_range(column), column, f"not a {column}:",
                       f"a decimal degree {_range(column)} or blank"))
    for column in _FLAGS:
        checks.append((_bad_boolean(column), column, "not True or False:",
                       "True, False or blank"))
    return checks


def _stop_search_columns(area_code: pl.Expr) -> dict[str, pl.Expr]:
    """The canonical columns; ``date`` must already be parsed."""
    return {
        "area_code": area_code,
        "month": pl.col("date").dt.date().dt.month_start(),
        "latitude": _coordinate("latitude"),
        "longitude": _coordinate("longitude"),
        **{column: _boolean(column) for column in _FLAGS},
    }


def _stop_search(frame: pl.DataFrame, header: dict[str, str], name: str) -> pl.DataFrame:
    """Stop-and-search rows, validated, in the canonical schema."""
    force = stop_search_force(name)
    if force is None:
        raise InputError(
            "cannot tell which force this stop-and-search file is about", file=name,
            expected="a file name like 2023-01-avon-and-somerset-stop-and-search.csv "
            "naming a data.police.uk force id",
        )
    _first_bad(frame, _stop_search_checks(), header, name)
    frame = frame.with_columns(date=_local_time())
    return frame.with_columns(**_stop_search_columns(pl.lit(force.code)))


def _canonical(fmt: str, frame: Frame, *extra: str) -> Frame:
    """The frame in ``fmt``'s table schema (plus ``extra`` columns), provenance included."""
    spec = SPECS[fmt]
    return frame.select(
        *(pl.col(c).cast(t) for c, t in spec.columns.items()),
        pl.lit(None, pl.Utf8()).alias("sheet"), pl.col("row"),
        pl.lit(None, pl.Utf8()).alias("column"), *extra,
    )


def read(path: Path, *, data: bytes | None = None, display_name: str | None = None) -> Batch:
    """Read one data.police.uk street, outcomes or stop-and-search CSV.

    Args:
        path: The CSV file, plain or gzip-compressed.
        data: The file's bytes when it is not on disk (a zip member); ``path`` then only names it.
        display_name: What errors and ``Batch.path`` call the file, e.g.
            ``"archive.zip!2023-01/2023-01-avon-and-somerset-street.csv"``; defaults to
            ``str(path)``. Stop-and-search files take their force from this name.

    Returns:
        A batch with one table (``street_crime``, ``street_outcomes`` or ``stop_search``); edition
        is the latest month in the file.

    Raises:
        InputError: An unknown header, a row with fewer or more fields than the header, unknown
            force, bad month, date, coordinate or flag, unknown crime type, or a stop-and-search
            file name that names no force.
    """
    name = display_name or str(path)
    fmt, header, frame = _load(path, data, name)
    if frame.height == 0:
        raise InputError("no data rows", file=name, row=2, expected="at least one data row")
    if fmt == STOP_AND_SEARCH:
        frame = _stop_search(frame, header, name)
    else:
        frame = _street(fmt, frame, header, name)
    spec = SPECS[fmt]
    table = _canonical(fmt, frame)
    edition = table["month"].max()
    assert isinstance(edition, date)
    return Batch(path=name, format=fmt, edition=edition, tables={spec.name: table})
