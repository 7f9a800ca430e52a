"""Home Office police recorded crime by offence code (the "prc-pfa" / "prc-csp" open data tables).

One row per financial quarter, force (and optionally Community Safety Partnership) and Home Office
offence code::

    Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,
    Offence Subgroup,Offence Code,Number of Offences

``CSP Name`` is optional (force-level tables leave it out). The file may be CSV, XLSX or ODS; in a
workbook the first sheet whose header row (within its first 20 rows) holds the required columns is
read. Every cell is read as text so that an offence code keeps its characters.

Offence codes are normalised (:func:`normalise_offence_codes`): surrounding space is dropped,
letters are upper-cased, leading zeros of the number go ("034B" -> "34B") and an all-zero decimal
part goes ("34.0" -> "34", which is how a spreadsheet number 34 reads). Any other decimal part is
kept as written, so the text "4.10" stays distinct from "4.1". A cell stored as a *number* cannot
make that distinction: the workbook itself holds 4.10 as the float 4.1, which reads as "4.1".
The published tables store codes as text; a workbook re-typed with numeric codes needs fixing at
source.

Rows for non-territorial reporting bodies that the published tables carry (British Transport Police,
Action Fraud, CIFAS, UK Finance) keep their pseudo area codes (X...); regions, nations and unknown
names are errors, since a force-level table must not mix in totals.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from policeperf.errors import InputError
from policeperf.ingest._tabular import (
    ROW,
    RawTable,
    check,
    duplicate,
    load_tables,
    resolve_names,
    sniff_header,
)
from policeperf.ingest.schema import OFFENCE_CODE_CRIME, Batch
from policeperf.limits import MAX_COUNT, MIN_PERIOD, max_period

FORMAT = "ho-offence-codes"

# Canonical column -> accepted header texts (compared after folding case and spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "financial_year": ("Financial Year",),
    "financial_quarter": ("Financial Quarter",),
    "force_name": ("Force Name", "Police Force Area", "Force"),
    "csp_name": ("CSP Name", "Community Safety Partnership", "CSP"),
    "offence_description": ("Offence Description",),
    "offence_group": ("Offence Group",),
    "offence_subgroup": ("Offence Subgroup",),
    "offence_code": ("Offence Code",),
    "offences": ("Number of Offences",),
}
OPTIONAL = frozenset({"csp_name"})

# Financial year "2022/23": four-digit start year, slash, two-digit end year.
_FY = r"^(\d{4})/(\d{2})$"
# Quarter as text or as an Excel number: "1", "4", "2.0".
_QUARTER = r"^([1-4])(?:\.0+)?$"
# A whole, non-negative count, perhaps with thousands separators or an Excel ".0": "1,234", "12.0".
_COUNT = r"^\d+(?:\.0+)?$"
# A negative number: "-3", "-3.0".
_NEGATIVE = r"^-\d+(?:\.\d+)?$"
# An offence code: leading zeros, number, decimal part, letter suffix: "034B", "4.10", "5A".
_CODE = r"^0*(?P<num>\d+)(?:\.0+|(?P<frac>\.\d+))?(?P<suffix>[A-Z]*)$"


def normalise_offence_codes(codes: pl.Expr) -> pl.Expr:
    """Normalise Home Office offence codes: ``"034b"`` -> ``"34B"``, ``"34.0"`` -> ``"34"``.

    A decimal part other than zeros is kept as written: ``"4.10"`` stays ``"4.10"``. Text that is
    not shaped like a code is kept as it is, trimmed.
    """
    upper = codes.str.strip_chars().str.to_uppercase()
    parts = upper.str.extract_groups(_CODE)
    normal = pl.concat_str(
        [parts.struct.field("num"), parts.struct.field("frac"), parts.struct.field("suffix")],
        ignore_nulls=True,
    )
    return (
        pl.when(parts.struct.field("num").is_not_null())
        .then(normal)
        .otherwise(codes.str.strip_chars())
    )


def looks_like(path: Path, *, data: bytes | None = None) -> bool:
    """True when the file's header row is that of a Home Office offence-code table.

    Args:
        path: The file (its name is used alone when ``data`` is given).
        data: The file's bytes, e.g. a zip member, instead of reading ``path``.
    """
    return sniff_header(path, data, COLUMNS, OPTIONAL)


def read(path: Path, *, data: bytes | None = None, display_name: str | None = None) -> Batch:
    """Read a Home Office offence-code table into the ``offence_code_crime`` table.

    In a workbook every sheet whose header row holds the required columns is read (the published
    ``prc-pfa`` tables have one sheet per financial year, after notes sheets).

    Args:
        path: The CSV, XLSX or ODS file.
        data: The file's bytes (e.g. a zip member); ``path`` is then only its name.
        display_name: What errors call the file; defaults to ``path``.

    Returns:
        A batch whose edition is the last quarter end the file holds.

    Raises:
        InputError: A required column is missing; a financial year is not "YYYY/YY" with
            consecutive years; a quarter is not 1-4; a force is unknown; an offence code is blank;
            a count is text or negative; two rows (in any sheets) share period, area, CSP and
            offence code.
    """
    file = display_name or str(path)
    tables = load_tables(data if data is not None else path, file, COLUMNS, OPTIONAL)
    frames = [_read_table(table) for table in tables]
    frame = pl.concat(frames) if len(frames) > 1 else frames[0]
    if frame.is_empty():
        raise InputError("the table has a header but no data rows", file=file,
                         sheet=tables[0].sheet)
    what = "same quarter, force, CSP and offence code"
    key = list(OFFENCE_CODE_CRIME.key)
    for table, part in zip(tables, frames, strict=True):
        duplicate(table, part, key, "offence_code", what)
    if len(tables) > 1:
        _no_quarter_in_two_sheets(tables, frames, key, what)
    notes = [f"{frame.height} rows, {frame.get_column('area_code').n_unique()} areas"]
    if len(tables) > 1:
        notes.append(f"{len(tables)} sheets")
    if any("csp_name" in t.columns for t in tables):
        notes.append("CSP-level table")
    edition = frame.get_column("period_end").max()
    assert isinstance(edition, date)
    tables_out = {OFFENCE_CODE_CRIME.name: frame}
    return Batch(path=file, format=FORMAT, edition=edition, tables=tables_out, notes=tuple(notes))


def _read_table(table: RawTable) -> pl.DataFrame:
    """One sheet (or the CSV), checked, as ``offence_code_crime`` rows."""
    col = {name: pl.col(header) for name, header in table.columns.items()}
    fy, quarter, count = col["financial_year"], col["financial_quarter"], col["offences"]
    start = fy.str.extract(_FY, 1).cast(pl.Int64)
    end = fy.str.extract(_FY, 2).cast(pl.Int64)
    bare = count.str.replace_all(",", "", literal=True)
    whole = "a whole number 0 or more"
    checks = [  # (bad, column, message, expected), in the order they are checked
        (~fy.str.contains(_FY) | fy.is_null(), "financial_year",
         "financial year is not in the form 2022/23", "YYYY/YY, e.g. 2022/23"),
        (end != (start + 1) % 100, "financial_year",
         "financial year's years do not follow one another", "consecutive years, e.g. 2022/23"),
        (~quarter.str.contains(_QUARTER) | quarter.is_null(), "financial_quarter",
         "financial quarter is not 1-4", "1, 2, 3 or 4 (Q1 = April-June)"),
        (col["force_name"].is_null(), "force_name", "force name is blank", None),
        (col["offence_code"].is_null(), "offence_code", "offence code is blank", None),
        (bare.str.contains(_NEGATIVE), "offences", "negative number of offences", whole),
        (~bare.str.contains(_COUNT) | bare.is_null(), "offences",
         "number of offences is not a whole number", whole),
        (bare.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False).is_null()
         | (bare.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False) > MAX_COUNT),
         "offences", "number of offences is too large", f"a whole number up to {MAX_COUNT:,}"),
        ((start < MIN_PERIOD.year) | (start > max_period().year), "financial_year",
         "financial year is outside the years data can cover",
         f"a year from {MIN_PERIOD.year} to next year"),
    ]  # fmt: skip
    for bad, column, message, expected in checks:
        check(table, bad, column, message, expected)
    codes = resolve_names(table, "force_name", kinds=("force", "other"))

    q = quarter.str.extract(_QUARTER, 1).cast(pl.Int64)
    month = pl.when(q == 4).then(1).otherwise(q * 3 + 1)
    period_start = pl.date(start + (q == 4).cast(pl.Int64), month, 1)
    csp = col["csp_name"] if "csp_name" in col else pl.lit(None, pl.Utf8)
    return table.frame.select(
        financial_year=fy,
        financial_quarter=q,
        period_start=period_start,
        period_end=period_start.dt.offset_by("3mo").dt.offset_by("-1d"),
        area_code=col["force_name"].replace_strict(codes, return_dtype=pl.Utf8),
        csp_name=csp,
        offence_code=normalise_offence_codes(col["offence_code"]),
        offence_description=col["offence_description"],
        offence_group=col["offence_group"],
        offence_subgroup=col["offence_subgroup"],
        offences=bare.str.replace(r"\.0+$", "").cast(pl.Int64),
        sheet=pl.lit(table.sheet, pl.Utf8),
        row=pl.col(ROW),
        column=pl.lit(table.columns["offences"], pl.Utf8),
    )


def _no_quarter_in_two_sheets(
    tables: list[RawTable], frames: list[pl.DataFrame], key: list[str], what: str
) -> None:
    """A row whose key a row of an earlier sheet has is an error, named at the later sheet."""
    seen = frames[0].select(key).unique()
    for table, part in zip(tables[1:], frames[1:], strict=True):
        again = part.join(seen, on=key, how="semi", nulls_equal=True).head(1)
        if not again.is_empty():
            row = again.get_column("row").item()
            check(table, pl.col(ROW) == row, "offence_code",
                  f"duplicate row: {what} as a row of an earlier sheet",
                  f"one row per {what.removeprefix('same ')}")
        seen = pl.concat([seen, part.select(key)]).unique()
