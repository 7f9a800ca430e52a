"""Canonical tables that every ingest adapter returns, and the warehouse stores.

Each adapter returns a :class:`Batch`: one or more canonical tables as Polars frames with exactly
the columns and dtypes declared here (the warehouse adds ``source_id``). Keys say which columns
identify one figure: two rows with the same key from the same file are a duplicate (an error); the
same key in a newer edition supersedes the older value while both stay stored as revisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

# Provenance columns every canonical table carries: where in the source file the value came from.
# ``sheet`` is None for CSV files; ``row`` is the 1-based row number as a spreadsheet shows it (for
# CSV, the line number counting the header as line 1); ``column`` is the header text of the cell.
PROVENANCE: dict[str, pl.DataType] = {
    "sheet": pl.Utf8(),
    "row": pl.Int64(),
    "column": pl.Utf8(),
}


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: its columns (name -> dtype), its key and what it holds."""

    name: str
    columns: dict[str, pl.DataType]
    key: tuple[str, ...]
    description: str

    @property
    def schema(self) -> pl.Schema:
        """The Polars schema, provenance columns included."""
        return pl.Schema({**self.columns, **PROVENANCE})


RECORDED_CRIME = TableSpec(
    name="recorded_crime",
    columns={
        "period_end": pl.Date(),  # last day of the 12 months the total covers
        "area_code": pl.Utf8(),  # ONS code (E23, W15, E12, E92, K04...) or X pseudo area
        "offence": pl.Utf8(),  # offence id from the taxonomy, e.g. "residential_burglary"
        "offences": pl.Int64(),  # rolling 12-month count; null when blank or suppressed
        "marker": pl.Utf8(),  # the published marker for a null ("[x]", "[u]", "..", "") else null
        # "headline": the figure for the period the source is about (an ONS edition's own 12
        # months). "restated": a source's figure for an earlier period (ONS Table P4's previous
        # year, the 2003-2018 CSV's earlier quarters), kept as a revision; see warehouse/ddl.py.
        "publication": pl.Utf8(),
    },
    key=("period_end", "area_code", "offence"),
    description="Police recorded crime: 12-month rolling totals by area and offence group.",
)

DENOMINATORS = TableSpec(
    name="denominators",
    columns={
        "period_end": pl.Date(),  # the period whose rates use this denominator
        "area_code": pl.Utf8(),
        "base": pl.Utf8(),  # "population" or "households"
        "value": pl.Int64(),  # null when blank
        "marker": pl.Utf8(),
        "mid_year": pl.Int64(),  # which ONS mid-year estimate, e.g. 2020; null if not stated
    },
    key=("period_end", "area_code", "base"),
    description="Rate denominators published with each period (ONS Table P3).",
)

MID_YEAR_ESTIMATES = TableSpec(
    name="mid_year_estimates",
    columns={
        "area_code": pl.Utf8(),
        "base": pl.Utf8(),  # "population" or "households"
        "mid_year": pl.Int64(),
        "value": pl.Int64(),
    },
    key=("area_code", "base", "mid_year"),
    description="ONS mid-year population and household estimates by area and year.",
)

PUBLISHED_RATES = TableSpec(
    name="published_rates",
    columns={
        "period_end": pl.Date(),
        "area_code": pl.Utf8(),
        "offence": pl.Utf8(),
        "base": pl.Utf8(),  # "population" or "households"
        "rate": pl.Float64(),  # per 1,000; null when suppressed
        "marker": pl.Utf8(),
    },
    key=("period_end", "area_code", "offence", "base"),
    description="Rates per 1,000 as ONS published them (Table P3), kept to check our own.",
)

OFFENCE_CODE_CRIME = TableSpec(
    name="offence_code_crime",
    columns={
        "financial_year": pl.Utf8(),  # "2022/23"
        "financial_quarter": pl.Int64(),  # 1..4 (Q1 = April-June)
        "period_start": pl.Date(),  # first day of the quarter
        "period_end": pl.Date(),  # last day of the quarter
        "area_code": pl.Utf8(),
        "csp_name": pl.Utf8(),  # Community Safety Partnership, null for force-level rows
        "offence_code": pl.Utf8(),  # Home Office offence code, e.g. "34B"
        "offence_description": pl.Utf8(),
        "offence_group": pl.Utf8(),
        "offence_subgroup": pl.Utf8(),
        "offences": pl.Int64(),  # count in the quarter (not rolling)
    },
    key=("period_end", "area_code", "csp_name", "offence_code"),
    description="Home Office recorded crime by offence code, quarterly, force or CSP level.",
)

STREET_CRIME = TableSpec(
    name="street_crime",
    columns={
        "crime_id": pl.Utf8(),  # null for anti-social behaviour rows
        "month": pl.Date(),  # first day of the month
        "area_code": pl.Utf8(),  # force of "Falls within"
        "reported_by": pl.Utf8(),
        "falls_within": pl.Utf8(),
        "longitude": pl.Float64(),
        "latitude": pl.Float64(),
        "location": pl.Utf8(),
        "lsoa_code": pl.Utf8(),
        "lsoa_name": pl.Utf8(),
        "crime_type": pl.Utf8(),
        "last_outcome_category": pl.Utf8(),
        "context": pl.Utf8(),
    },
    key=("month", "area_code", "row"),
    description="data.police.uk street-level crime and ASB, one row per record, monthly.",
)

STREET_OUTCOMES = TableSpec(
    name="street_outcomes",
    columns={
        "crime_id": pl.Utf8(),
        "month": pl.Date(),
        "area_code": pl.Utf8(),
        "reported_by": pl.Utf8(),
        "falls_within": pl.Utf8(),
        "longitude": pl.Float64(),
        "latitude": pl.Float64(),
        "location": pl.Utf8(),
        "lsoa_code": pl.Utf8(),
        "lsoa_name": pl.Utf8(),
        "outcome_type": pl.Utf8(),
    },
    key=("month", "area_code", "row"),
    description="data.police.uk outcomes files, one row per outcome.",
)

STOP_SEARCH = TableSpec(
    name="stop_search",
    columns={
        "area_code": pl.Utf8(),
        "month": pl.Date(),  # first day of the month of the search
        "type": pl.Utf8(),
        "date": pl.Datetime("us"),
        "part_of_a_policing_operation": pl.Boolean(),
        "policing_operation": pl.Utf8(),
        "latitude": pl.Float64(),
        "longitude": pl.Float64(),
        "gender": pl.Utf8(),
        "age_range": pl.Utf8(),
        "self_defined_ethnicity": pl.Utf8(),
        "officer_defined_ethnicity": pl.Utf8(),
        "legislation": pl.Utf8(),
        "object_of_search": pl.Utf8(),
        "outcome": pl.Utf8(),
        "outcome_linked_to_object_of_search": pl.Boolean(),
        "removal_of_more_than_just_outer_clothing": pl.Boolean(),
    },
    key=("month", "area_code", "row"),
    description="data.police.uk stop and search records.",
)

FORCE_SERIES = TableSpec(
    name="force_series",
    columns={
        "area_code": pl.Utf8(),  # the force the series belongs to
        "series_id": pl.Utf8(),  # e.g. "victim_satisfaction_overall"
        "period_type": pl.Utf8(),  # "month", "quarter" or "year"
        "period_end": pl.Date(),  # last day of the period
        "window_months": pl.Int64(),  # months the value covers (1, 3, 12)
        "category": pl.Utf8(),  # optional breakdown, e.g. survey category; "" when none
        "comparator": pl.Utf8(),  # "force", "national", "msg", "cps_area" ...
        "value": pl.Float64(),  # counts, days, hours, proportions (0-1)
        "numerator": pl.Float64(),  # e.g. positive responses
        "denominator": pl.Float64(),  # e.g. respondents
        "unit": pl.Utf8(),  # "count", "proportion", "days", "hours", "rate"
        "statistic": pl.Utf8(),  # "total", "median", "mean", "proportion"
    },
    key=("area_code", "series_id", "period_end", "window_months", "category", "comparator"),
    description="A force's own series: surveys, counts, durations, proportions.",
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        RECORDED_CRIME,
        DENOMINATORS,
        MID_YEAR_ESTIMATES,
        PUBLISHED_RATES,
        OFFENCE_CODE_CRIME,
        STREET_CRIME,
        STREET_OUTCOMES,
        STOP_SEARCH,
        FORCE_SERIES,
    )
}


@dataclass(frozen=True)
class Batch:
    """What one adapter read from one source file.

    ``edition`` orders revisions: for the same key, the value from the batch with the latest edition
    (then the latest load) is current. For an ONS edition it is the edition's period end; for other
    files the latest period the file holds.
    """

    path: str
    format: str  # adapter name, e.g. "ons-pfa-workbook"
    edition: date
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # facts worth keeping about the file (e.g. a date as published)
