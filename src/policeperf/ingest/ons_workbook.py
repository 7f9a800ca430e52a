"""Adapter for the ONS "Police Force Area data tables" workbooks (both layouts, 2018 onwards).

From one edition it reads:

* Table P1, offence counts for the edition's 12 months -> ``recorded_crime``;
* Table P4 where it holds the same counts for the previous 12 months (editions from year ending
  March 2021) -> ``recorded_crime`` for the year before, as revised in this edition;
* Table P3, population and household denominators -> ``denominators``, and every rate per 1,000 ->
  ``published_rates``;
* the Action Fraud table ("Fraud and computer misuse offences referred to ... by Action Fraud"),
  found by its title -> ``recorded_crime`` with offence ``action_fraud_referrals``;
* mid-year population and household estimate tables (year ending March 2018 edition) ->
  ``mid_year_estimates``.

The edition (``Batch.edition``) is the end of the 12 months named in Table P1's title. See
:mod:`policeperf.ingest.ons_layout` for how headers and data rows are found.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl

from policeperf.errors import InputError
from policeperf.ingest.ons_layout import (
    Column,
    Table,
    check_unlabelled,
    count_cell,
    parse_table,
    range_period,
    rate_cell,
    table_areas,
    title_period,
)
from policeperf.ingest.schema import (
    DENOMINATORS,
    MID_YEAR_ESTIMATES,
    PUBLISHED_RATES,
    RECORDED_CRIME,
    Batch,
    TableSpec,
)
from policeperf.limits import MIN_PERIOD, max_period
from policeperf.reference.offences import offence_for_label
from policeperf.xlsx_formulas import refuse_uncached

FORMAT = "ons-pfa-workbook"
ACTION_FRAUD = "action_fraud_referrals"
HEADLINE = "headline"
RESTATED = "restated"

# The Action Fraud table's title, e.g. "Table P10: Fraud and computer misuse offences referred to
# National Fraud Intelligence Bureau by Action Fraud by police force area [note 1]".
_ACTION_FRAUD_TITLE = re.compile(
    r"fraud and computer misuse offences referred to .*action fraud",
    re.I,
)
# A mid-year estimates table's title, e.g. "Table P9:  Mid-year population estimates for police
# force areas, English regions and Wales, 2002 to 20161"; the group names the base.
_MID_YEAR_TITLE = re.compile(r"mid-year (population|household) estimates", re.I)
# A table of offence counts by offence group, e.g. "Table P4:  Police recorded crime by offence
# group and police force area, England and Wales, number of offences, year ending June 2021".
_COUNTS_TITLE = re.compile(r"by offence group .*number of offences", re.I)
# The mid-year estimate a header names, e.g. "Population figures (mid-2020) ..." -> 2020.
_MID_YEAR = re.compile(r"mid-(\d{4})", re.I)
# A denominator column of Table P3, e.g. "Population figures (mid-2020) rounded to 100".
_DENOMINATOR = re.compile(r"^(population|household) figures", re.I)
# The households base of a rate column, e.g. "Residential burglary (households)" or "(household)".
_PER_HOUSEHOLD = re.compile(r"\(\s*households?\s*\)", re.I)
# What a title says the totals leave out, e.g. "England and Wales (excluding Devon and Cornwall),".
_EXCLUDED = re.compile(r"\((excluding [^)]+)\)", re.I)
# A column header that is a four-digit year, e.g. "2016" in a mid-year estimates table.
_YEAR = re.compile(r"^(19|20)\d{2}$")

Grid = list[tuple[str | None, ...]]


def looks_like(path: Path) -> bool:
    """True if the file is an xlsx workbook with sheets "Table P1" and "Table P3"."""
    try:
        with path.open("rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                return False
        names = {name.strip() for name in fastexcel.read_excel(str(path)).sheet_names}
    except (OSError, fastexcel.FastExcelError, ValueError):
        return False
    return {"Table P1", "Table P3"} <= names


def read(path: Path) -> Batch:
    """Read one edition of the ONS Police Force Area data tables.

    Args:
        path: The ``.xlsx`` workbook as ONS published it.

    Returns:
        A batch with ``recorded_crime``, ``denominators``, ``published_rates`` and
        ``mid_year_estimates``; ``edition`` is the end of the 12 months Table P1 covers.

    Raises:
        InputError: If the file is not a readable xlsx workbook, Table P1 or P3 is missing, or a
            cell, header or area row is not as expected (the error names file, sheet, row, column).
    """
    book = _Workbook(path)
    p1 = book.table(book.require("Table P1"))
    edition = _period_of(p1)
    notes = [f"Table P1 title: {p1.title}"]
    excluded = _EXCLUDED.search(p1.title)
    if excluded:
        notes.append(f"Totals for England and Wales, England and regions are {excluded.group(1)}")
    crime = _counts(p1, edition, HEADLINE)

    p4 = book.find(lambda name, title: name.startswith("Table P4") and _COUNTS_TITLE.search(title))
    if p4 is not None:
        table = book.table(p4)
        previous = _period_of(table)
        if previous == _year_before(edition):
            crime += _counts(table, previous, RESTATED)
            notes.append(f"{p4.strip()} holds counts for the 12 months to {previous:%d %b %Y}")
        else:
            notes.append(f"{p4.strip()} skipped: it covers {previous}, not the previous year")

    p3 = book.table(book.require("Table P3"))
    if _period_of(p3) != edition:
        raise p3.error(
            f"Table P3 covers {_period_of(p3)} but Table P1 covers {edition}",
            row=1, column=None, expected="both tables to name the same 12 months",
        )
    denominators, rates = _p3(p3, edition)

    fraud = book.find(lambda _, title: _ACTION_FRAUD_TITLE.search(title))
    if fraud is not None:
        crime += _action_fraud(book.table(fraud), edition, notes)
    mid_year: list[dict[str, Any]] = []
    for name in book.sheets:
        match = _MID_YEAR_TITLE.search(book.title(name))
        if match:
            mid_year += _mid_year(book.table(name), _base(match.group(1)))
    return Batch(
        path=str(path),
        format=FORMAT,
        edition=edition,
        tables={
            RECORDED_CRIME.name: _frame(RECORDED_CRIME, crime),
            DENOMINATORS.name: _frame(DENOMINATORS, denominators),
            PUBLISHED_RATES.name: _frame(PUBLISHED_RATES, rates),
            MID_YEAR_ESTIMATES.name: _frame(MID_YEAR_ESTIMATES, mid_year),
        },
        notes=tuple(notes),
    )


class _Workbook:
    """An open workbook: its sheet names, titles and tables, each sheet read once."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        try:
            self.reader = fastexcel.read_excel(self.file)
        except (fastexcel.FastExcelError, OSError, ValueError) as exc:
            raise InputError(
                f"cannot open as a workbook ({type(exc).__name__})",
                file=self.file, expected="an .xlsx workbook of ONS Police Force Area data tables",
            ) from exc
        self.sheets: list[str] = list(self.reader.sheet_names)
        self._titles: dict[str, str] = {}

    def require(self, wanted: str) -> str:
        """The sheet whose name is ``wanted`` (ignoring surrounding spaces), else InputError."""
        for name in self.sheets:
            if name.strip() == wanted:
                return name
        raise InputError(
            f"sheet {wanted!r} is missing", file=self.file, sheet=wanted,
            expected=f"a sheet named {wanted!r} among {', '.join(map(repr, self.sheets))}",
        )

    def find(self, test: Callable[[str, str], object]) -> str | None:
        """The first sheet for which ``test(stripped_name, title)`` is true, or None."""
        for name in self.sheets:
            if test(name.strip(), self.title(name)):
                return name
        return None

    def title(self, sheet: str) -> str:
        """The first text on a sheet (its title), read from the first few rows only."""
        if sheet not in self._titles:
            grid = self._grid(sheet, n_rows=5)
            self._titles[sheet] = next(
                (c.strip() for row in grid for c in row if c and c.strip()), ""
            )
        return self._titles[sheet]

    def table(self, sheet: str) -> Table:
        """The table on a sheet; a formula cell without a cached value is an error (a reader
        would take it for a published blank)."""
        refuse_uncached(Path(self.file), sheet, self.file)
        return parse_table(self.file, sheet, self._grid(sheet))

    def _grid(self, sheet: str, n_rows: int | None = None) -> Grid:
        try:
            loaded = self.reader.load_sheet(
                sheet, header_row=None, skip_rows=0, n_rows=n_rows, dtypes="string"
            )
            return list(loaded.to_polars().iter_rows())
        except fastexcel.FastExcelError as exc:
            raise InputError(
                f"cannot read the sheet ({exc})", file=self.file, sheet=sheet,
                expected="a readable worksheet",
            ) from exc


def _year_before(period: date) -> date:
    """The end of the 12 months before those ending on ``period`` (a month end)."""
    last = calendar.monthrange(period.year - 1, period.month)[1]
    return date(period.year - 1, period.month, last)


def _period_of(table: Table) -> date:
    period = title_period(table.title)
    if period is None:
        raise table.error(
            f"cannot find the period in the title {table.title!r}", row=1, column=None,
            expected="a title naming 'year ending <Month> <year>'",
        )
    if not MIN_PERIOD <= period <= max_period():
        raise table.error(
            f"the title's period {period:%B %Y} is outside the years data can cover", row=1,
            column=None, expected=f"a year from {MIN_PERIOD.year} to next year",
        )
    return period


def _base(word: str) -> str:
    return "population" if word.lower().startswith("population") else "households"


def _frame(spec: TableSpec, rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=spec.schema, orient="row") if rows else spec.schema.to_frame()


def _offence(table: Table, column: Column, label: str) -> str:
    offence = offence_for_label(label)
    if offence is None:
        raise table.error(
            f"unknown offence heading {label!r}", row=table.header_row, column=column.label,
            expected="an ONS offence group heading listed in reference/offences.yaml",
        )
    return offence


def _counts(table: Table, period: date, publication: str) -> list[dict[str, Any]]:
    """One row per area and offence column of a counts table (Table P1 or P4)."""
    areas = table_areas(table)
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for column in table.columns:
        if column.label is None:
            check_unlabelled(table, column, areas)
            continue
        offence = _offence(table, column, column.label)
        if offence in used:
            raise table.error(
                f"a second column for {offence}", row=table.header_row, column=column.label,
                expected="each offence group once",
            )
        used.add(offence)
        for row, area in areas:
            value, marker = count_cell(table, row, column)
            out.append(
                {
                    "period_end": period, "area_code": area.code, "offence": offence,
                    "offences": value, "marker": marker, "publication": publication,
                    "sheet": table.sheet, "row": row.row, "column": column.label,
                }
            )
    return out


def _p3(table: Table, period: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Denominators and published rates from Table P3."""
    areas = table_areas(table)
    denominators: list[dict[str, Any]] = []
    rates: list[dict[str, Any]] = []
    for column in table.columns:
        label = column.label
        if label is None:
            check_unlabelled(table, column, areas)
            continue
        where = {"sheet": table.sheet, "column": label}
        denominator = _DENOMINATOR.match(label)
        if denominator:
            mid = _MID_YEAR.search(label)
            for row, area in areas:
                value, marker = count_cell(table, row, column)
                denominators.append(
                    {
                        "period_end": period, "area_code": area.code,
                        "base": _base(denominator.group(1)), "value": value, "marker": marker,
                        "mid_year": int(mid.group(1)) if mid else None, **where, "row": row.row,
                    }
                )
            continue
        per_household = _PER_HOUSEHOLD.search(label)
        offence = _offence(table, column, _PER_HOUSEHOLD.sub(" ", label))
        for row, area in areas:
            rate, marker = rate_cell(table, row, column)
            rates.append(
                {
                    "period_end": period, "area_code": area.code, "offence": offence,
                    "base": "households" if per_household else "population",
                    "rate": rate, "marker": marker, **where, "row": row.row,
                }
            )
    return denominators, rates


def _action_fraud(table: Table, edition: date, notes: list[str]) -> list[dict[str, Any]]:
    """Action Fraud referral counts: one column per 12 months the table shows."""
    areas = table_areas(table)
    kept = {row.row for row, _ in areas}
    skipped = [f"{r.name} (row {r.row})" for r in table.rows if r.row not in kept]
    if skipped:
        notes.append(f"{table.sheet.strip()}: left out {', '.join(skipped)}: not an area")
    out: list[dict[str, Any]] = []
    for column in table.columns:
        label = column.label or column.units
        if label is None:
            check_unlabelled(table, column, areas)
            continue
        lower = label.lower()
        if "change" in lower or "rate" in lower or "%" in lower:
            continue
        period = range_period(label)
        if period is not None and column.units and "rate" in column.units.lower():
            continue
        if period is None and lower.startswith("number of offences"):
            period = edition
        if period is None or period > edition:
            raise table.error(
                f"unknown column {label!r}", row=table.header_row, column=label,
                expected="'Number of offences', a 12-month period up to the edition's, "
                "a rate or a percentage change",
            )
        for row, area in areas:
            value, marker = count_cell(table, row, column)
            out.append(
                {
                    "period_end": period, "area_code": area.code, "offence": ACTION_FRAUD,
                    "offences": value, "marker": marker,
                    "publication": HEADLINE if period == edition else RESTATED,
                    "sheet": table.sheet, "row": row.row, "column": label,
                }
            )
    return out


def _mid_year(table: Table, base: str) -> list[dict[str, Any]]:
    """Mid-year estimates: one row per area and year column."""
    areas = table_areas(table)
    out: list[dict[str, Any]] = []
    for column in table.columns:
        if column.label is None or not _YEAR.match(column.label):
            if column.label is None:
                check_unlabelled(table, column, areas)
                continue
            raise table.error(
                f"unknown column {column.label!r}", row=table.header_row, column=column.label,
                expected="a year such as 2016",
            )
        for row, area in areas:
            value, _ = count_cell(table, row, column)
            out.append(
                {
                    "area_code": area.code, "base": base, "mid_year": int(column.label),
                    "value": value, "sheet": table.sheet, "row": row.row, "column": column.label,
                }
            )
    return out
