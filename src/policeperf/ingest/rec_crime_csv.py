"""Adapter for the 2003-2018 "Recorded crime data at PFA level" CSV (format ``ons-rec-crime-csv``).

The file holds one rolling 12-month total per line::

    12 months ending,PFA,Region,Offence,Rolling year total number of offences
    31/03/2003,Avon and Somerset,South West,All other theft offences,25959

It becomes ``recorded_crime`` rows (see :mod:`policeperf.ingest.schema`). Decisions about the
published data, each recorded in :attr:`Batch.notes` when it applies:

* ``30/12/2017`` is how one period end was published; it is stored as the month end 2017-12-31.
  Any other period end that is not a month end is an error.
* Fraud totals published with the reporting body as both ``PFA`` and ``Offence`` ("Action Fraud",
  "CIFAS", "UK Finance") become offence ``fraud`` for the body's pseudo area (X0000000n).
* From year ending Dec 2014 the file carries both the old labels ("Domestic burglary",
  "Non-domestic burglary") and the new ones ("Residential burglary", "Non-residential burglary")
  for every area and period: the old label holds crimes recorded under the pre-April-2017
  classification, the new label those recorded under the new one (0 before April 2017, a handful
  of expired-code crimes after). ONS Table P1 publishes their sum (Humberside, year ending Dec 2018:
  4 + 5,980 = 5,984), so the two rows are summed into one; provenance points at the new-label row.
  Two rows with the same key and the same label, or any other key clash, is an error.
* A negative published total (24 lines in the 2003-2018 file, adjustments exceeding recordings) is
  not a count: it is stored as null with the published text as ``marker``.

Rows are numbered as in a spreadsheet: the header is row 1, the first data line row 2.
"""

from __future__ import annotations

import difflib
import gzip
import re
from datetime import date
from pathlib import Path

import polars as pl

from policeperf.errors import InputError, UnknownNameError
from policeperf.ingest._tabular import csv_as_text, csv_header
from policeperf.ingest.csv_errors import csv_read_error, plain_text, raise_ragged
from policeperf.ingest.schema import RECORDED_CRIME, Batch
from policeperf.limits import MAX_COUNT, MIN_PERIOD, max_period
from policeperf.reference.areas import resolve_area
from policeperf.reference.offences import group, groups, offence_for_label

FORMAT = "ons-rec-crime-csv"

PERIOD = "12 months ending"
PFA = "PFA"
REGION = "Region"
OFFENCE = "Offence"
COUNT = "Rolling year total number of offences"
COLUMNS = (PERIOD, PFA, REGION, OFFENCE, COUNT)

# Period ends published on a day that is not the month end, and the month end they stand for.
PUBLISHED_AS: dict[date, date] = {date(2017, 12, 30): date(2017, 12, 31)}
# Offence labels that are fraud totals of a reporting body, not an offence group.
FRAUD_BODY_LABELS = frozenset({"action fraud", "cifas", "uk finance"})
# Offences whose old-classification and new-classification rows are summed (see module docstring).
SUMMED_ACROSS_LABELS = frozenset({"residential_burglary", "non_residential_burglary"})
# Published markers for a blank or suppressed total.
MARKERS = frozenset({"", "..", "[x]", "[u]", "[c]", "[z]"})

# A period end as dd/mm/yyyy (or dd-mm-yyyy as some mirrors have it), e.g. "31/03/2003".
_DATE = r"^\d{1,2}[/-]\d{1,2}[/-]\d{4}$"
# A whole number, possibly negative, e.g. "25959" or "-52".
_INTEGER = r"^-?\d+$"
# Runs of whitespace in a header or label, e.g. "Rolling  year\ttotal" -> "rolling year total".
_SPACES = re.compile(r"\s+")
# The header line sniffed by looks_like: the first line of the (decompressed) text.


def _fold(text: str) -> str:
    """Fold a header or label for matching: case, surrounding and repeated whitespace, BOM."""
    return _SPACES.sub(" ", text.replace("\ufeff", "")).strip().lower()


def looks_like(path: Path, *, data: bytes | None = None) -> bool:
    """Whether the file's header is that of the rolling-year PFA CSV (reads the first line only).

    Args:
        path: The file (plain or gzip-compressed).
        data: The file's bytes when it is not on disk (a zip member); ``path`` then only names it.
    """
    try:
        names = {_fold(n) for n in csv_header(path, data)}
    except (OSError, EOFError, gzip.BadGzipFile):
        return False
    return {_fold(c) for c in COLUMNS} <= names


def _load(path: Path, data: bytes | None, name: str) -> tuple[dict[str, str], pl.DataFrame]:
    """The checked header (expected -> published name) and every line as text under the
    published names, with ``row`` (spreadsheet row number); blank lines dropped."""
    try:
        header = csv_header(path, data)
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot be read: {exc}", file=name) from exc
    if not header:
        raise InputError("the file is empty", file=name, row=1, expected=_expected())
    cols = _columns(header, name)
    source: Path | bytes = data if data is not None else path
    try:
        frame = csv_as_text(source)
    except pl.exceptions.NoDataError as exc:
        raise InputError("the file is empty", file=name, row=1, expected=_expected()) from exc
    except (pl.exceptions.ComputeError, OSError) as exc:
        raise csv_read_error(exc, source, name) from None
    # Name columns as the header line has them (Polars drops a BOM and renames repeats).
    frame.columns = ["row", *(h.replace("\ufeff", "") for h in header)]
    blank = pl.all_horizontal(pl.exclude("row").is_null())
    frame = frame.filter(~blank)
    # A row with fewer fields than the header reads as blanks at its end, which would store a
    # published blank count: rows whose last field is empty are checked for their field count.
    if frame.select(pl.last().is_null().any()).item():
        raise_ragged(plain_text(source), frame.columns[1:], name)
    return cols, frame.with_columns(pl.col("row").cast(pl.Int64))


def _expected() -> str:
    return "columns " + ", ".join(repr(c) for c in COLUMNS)


def _columns(header: list[str], name: str) -> dict[str, str]:
    """Map each expected column to the header text used in the file; error if any is off."""
    actual = {_fold(h): h for h in header}
    missing = [c for c in COLUMNS if _fold(c) not in actual]
    if missing:
        raise InputError(
            "missing column", file=name, row=1, column=missing[0], expected=_expected()
        )
    known = {_fold(c) for c in COLUMNS}
    extra = [h for h in header if _fold(h) not in known]
    if extra:
        raise InputError("unknown column", file=name, row=1, column=extra[0], expected=_expected())
    folded = [_fold(h) for h in header]
    repeated = [h for h, f in zip(header, folded, strict=True) if folded.count(f) > 1]
    if repeated:
        raise InputError("repeated column", file=name, row=1, column=repeated[0],
                         expected=_expected())
    return {c: actual[_fold(c)].replace("\ufeff", "") for c in COLUMNS}


def _raise_at(frame: pl.DataFrame, bad: pl.Expr, source: str, column: str, what: str,
              expected: str, name: str) -> None:
    """Raise for the first row where ``bad`` holds (one vectorised pass); do nothing if none."""
    hit = frame.filter(bad).select("row", source).head(1)
    if hit.height:
        row, value = hit.row(0)
        raise InputError(f"{what} {value!r}", file=name, row=row, column=column, expected=expected)


def _first_rows(frame: pl.DataFrame, source: str) -> list[tuple[str | None, int]]:
    """Each distinct value of ``source`` with the first row it appears on, in file order."""
    firsts = frame.group_by(source).agg(pl.col("row").min()).sort("row")
    return [(value, row) for value, row in firsts.iter_rows()]


def _areas(frame: pl.DataFrame, column: str, name: str) -> dict[str, str]:
    """PFA text -> area code, resolving each distinct name once; errors at its first row."""
    lookup: dict[str, str] = {}
    for value, row in _first_rows(frame, "pfa"):
        try:
            lookup[value or ""] = resolve_area(value or "").code
        except UnknownNameError as exc:
            raise InputError(
                str(exc), file=name, row=row, column=column, expected="a police force area name"
            ) from exc
    return lookup


def _offences(frame: pl.DataFrame, column: str, name: str) -> dict[str, str]:
    """Offence label -> offence id, mapping each distinct label once; errors at its first row."""
    lookup: dict[str, str] = {}
    for value, row in _first_rows(frame, "label"):
        label = value or ""
        offence = "fraud" if _fold(label) in FRAUD_BODY_LABELS else offence_for_label(label)
        if offence is None:
            known = [lab for g in groups() for lab in (g.label, *g.labels)]
            close = difflib.get_close_matches(label, known, n=3, cutoff=0.6)
            raise InputError(
                str(UnknownNameError("offence label", label, close)), file=name, row=row,
                column=column, expected="an ONS offence group label",
            )
        lookup[label] = offence
    return lookup


def read(path: Path, *, data: bytes | None = None, display_name: str | None = None) -> Batch:
    """Read the rolling-year PFA CSV into ``recorded_crime`` rows.

    Args:
        path: The CSV file, plain or gzip-compressed.
        data: The file's bytes when it is not on disk (a zip member); ``path`` then only names it.
        display_name: What errors and ``Batch.path`` call the file, e.g.
            ``"archive.zip!rec-crime-pfa.csv"``; defaults to ``str(path)``.

    Returns:
        A batch with one table, ``recorded_crime``; edition is the latest period end.

    Raises:
        InputError: A missing or unknown column, unknown PFA or offence label, a count that is not
            a whole number, an impossible or non-month-end date, or a duplicate row.
    """
    name = display_name or str(path)
    cols, raw = _load(path, data, name)
    frame = raw.select(
        "row",
        period_text=pl.col(cols[PERIOD]).str.strip_chars(),
        pfa=pl.col(cols[PFA]).str.strip_chars(),
        label=pl.col(cols[OFFENCE]).str.strip_chars(),
        count_text=pl.col(cols[COUNT]).str.strip_chars().fill_null(""),
    )
    if frame.height == 0:
        raise InputError("no data rows", file=name, row=2, expected="at least one data row")

    text = pl.col("period_text").fill_null("")
    published = text.str.replace_all("-", "/").str.to_date("%d/%m/%Y", strict=False)
    frame = frame.with_columns(published=published)
    bad_date = ~text.str.contains(_DATE) | pl.col("published").is_null()
    _raise_at(frame, bad_date, "period_text", cols[PERIOD], "not a valid date:",
              "a date dd/mm/yyyy", name)
    quirk = pl.col("published").is_in(list(PUBLISHED_AS))
    frame = frame.with_columns(
        period_end=pl.col("published").replace(PUBLISHED_AS), quirk=quirk
    )
    not_month_end = pl.col("period_end") != pl.col("period_end").dt.month_end()
    _raise_at(frame, not_month_end, "period_text", cols[PERIOD],
              "not the last day of a month:", "the last day of a month", name)
    outside = ~pl.col("period_end").is_between(MIN_PERIOD, max_period())
    _raise_at(frame, outside, "period_text", cols[PERIOD], "not a period the data can cover:",
              f"a date from {MIN_PERIOD:%d/%m/%Y} to a year from today", name)

    areas = _areas(frame, cols[PFA], name)
    offences = _offences(frame, cols[OFFENCE], name)
    frame = frame.with_columns(
        area_code=pl.col("pfa").fill_null("").replace_strict(areas, return_dtype=pl.Utf8()),
        offence=pl.col("label").fill_null("").replace_strict(offences, return_dtype=pl.Utf8()),
    )

    is_int = pl.col("count_text").str.contains(_INTEGER)
    bad_count = ~is_int & ~pl.col("count_text").is_in(list(MARKERS))
    _raise_at(frame, bad_count, "count_text", cols[COUNT], "not a whole number:",
              "a whole number of offences", name)
    number = pl.col("count_text").cast(pl.Int64, strict=False)
    too_large = is_int & (number.is_null() | (number.abs() > MAX_COUNT))
    _raise_at(frame, too_large, "count_text", cols[COUNT], "too large for a count:",
              f"a whole number of offences up to {MAX_COUNT:,}", name)
    usable = is_int & (number >= 0)
    frame = frame.with_columns(
        offences=pl.when(usable).then(number),
        marker=pl.when(~usable).then(pl.col("count_text")),
        negative=is_int & (number < 0),
    )
    as_published = frame.filter(pl.col("quirk")).group_by("published").len()
    frame, summed = _merge_reclassified(frame, cols, name)

    notes = _notes(frame, summed, dict(as_published.iter_rows()))
    table = frame.sort("row").select(
        "period_end", "area_code", "offence", "offences", "marker",
        # Only the file's latest period is its own; earlier periods are restated figures, which
        # an ONS edition of the period itself (if loaded) takes precedence over.
        publication=pl.when(pl.col("period_end") == pl.col("period_end").max())
        .then(pl.lit("headline")).otherwise(pl.lit("restated")),
        sheet=pl.lit(None, pl.Utf8()), row="row",
        column=pl.lit(cols[COUNT], pl.Utf8()),
    )
    edition = table["period_end"].max()
    assert isinstance(edition, date)
    return Batch(path=name, format=FORMAT, edition=edition,
                 tables={RECORDED_CRIME.name: table}, notes=notes)


def _merge_reclassified(
    frame: pl.DataFrame, cols: dict[str, str], name: str
) -> tuple[pl.DataFrame, int]:
    """Sum old- and new-label rows of a reclassified offence; error on any other duplicate key.

    Returns the frame with one row per key and the number of keys that were summed.
    """
    key = ["period_end", "area_code", "offence"]
    clash = pl.len().over(key) > 1
    mergeable = pl.col("offence").is_in(list(SUMMED_ACROSS_LABELS)) & (
        pl.col("label").n_unique().over(key) == pl.len().over(key)
    )
    repeat = clash & ~mergeable & (pl.int_range(pl.len()).over(key, order_by="row") > 0)
    hit = frame.filter(repeat).head(1)
    if hit.height:
        first = frame.join(hit.select(key), on=key).select(pl.col("row").min()).item()
        raise InputError(
            f"duplicate of row {first}: same period, PFA and offence "
            f"({hit['period_text'][0]}, {hit['pfa'][0]}, {hit['label'][0]})",
            file=name, row=hit["row"][0], column=cols[OFFENCE],
            expected="one row per period, PFA and offence",
        )
    plain = frame.filter(~clash)
    groups = frame.filter(clash)
    if groups.height == 0:
        return plain, 0
    current = {g: group(g).label.lower() for g in SUMMED_ACROSS_LABELS}
    is_current = pl.col("label").str.to_lowercase() == pl.col("offence").replace_strict(
        current, default=None, return_dtype=pl.Utf8()
    )
    merged = groups.group_by(key).agg(
        row=pl.col("row").filter(is_current).first().fill_null(pl.col("row").min()),
        offences=pl.when(pl.col("offences").null_count() == 0).then(pl.col("offences").sum()),
        marker=pl.when(pl.col("offences").null_count() > 0).then(pl.col("marker").drop_nulls()
                                                                  .first()),
        negative=pl.col("negative").any(),
    )
    out = pl.concat([plain.select(merged.columns), merged], how="vertical")
    return out, merged.height


def _notes(frame: pl.DataFrame, summed: int, as_published: dict[date, int]) -> tuple[str, ...]:
    """Facts about the file worth keeping with the batch."""
    notes: list[str] = []
    for published, n in sorted(as_published.items()):
        notes.append(f"12 months ending {published:%d/%m/%Y} as published, stored as "
                     f"{PUBLISHED_AS[published].isoformat()} ({n} rows)")
    if summed:
        notes.append(f"old and new burglary labels ('Domestic burglary' + 'Residential burglary', "
                     f"'Non-domestic burglary' + 'Non-residential burglary') summed for {summed} "
                     "period/area/offence keys, as ONS Table P1 does")
    negative = frame.filter(pl.col("negative"))
    if negative.height:
        rows = ", ".join(str(r) for r in negative["row"].sort().head(3))
        notes.append(f"{negative.height} negative published totals stored as null with the "
                     f"published value as marker (rows {rows}...)")
    return tuple(notes)
