"""Read a measure's figures from the warehouse as Ibis expressions.

Every function takes an Ibis backend and uses only portable Ibis operations (filters, joins,
group-bys and window functions), so the same code runs on DuckDB, PostgreSQL or Spark holding the
canonical tables. Results come back as Polars frames, already narrowed to one measure.

On a DuckDB warehouse, :func:`backend` gives a :class:`~policeperf.compute.sources_sql.DuckDBSQL`
and each read runs its plain-SQL twin in compute/sources_sql.py instead (the same frame, without
importing Ibis or compiling an expression: seconds per report).

Revisions: ONS revises figures in later editions (Table P4 restates the previous year). By default
each period's figure is the one its own edition published (its headline figure, which that
edition's rates were computed from), as in the warehouse's ``recorded_crime_current`` view;
``revisions="latest"`` takes the newest restatement instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import polars as pl

from policeperf.compute import sources_sql as sql
from policeperf.compute.sources_sql import DuckDBSQL

__all__ = [
    "TABLES_READ",
    "Revisions",
    "backend",
    "crime_counts",
    "estimates",
    "offence_code_counts",
    "police_uk_counts",
    "published_denominators",
    "rate_anchors",
    "rolling_sum",
    "series_rows",
    "to_polars",
]

Revisions = Literal["first_published", "latest"]

# Every warehouse table or view the measures read: another backend must hold all of them.
TABLES_READ = (
    "sources",
    "recorded_crime",
    "recorded_crime_current",
    "published_rates_current",
    "denominators_current",
    "mid_year_estimates_current",
    "offence_code_crime_current",
    "street_crime_current",
    "force_series_current",
)


def backend(warehouse: Any) -> Any:
    """What the reads run on: for a :class:`~policeperf.warehouse.Warehouse` (a DuckDB
    connection), a :class:`~policeperf.compute.sources_sql.DuckDBSQL` (plain SQL; an Ibis
    backend on the same connection for anything else); an Ibis backend (any engine, DuckDB
    included) as is."""
    if isinstance(warehouse, DuckDBSQL) or type(warehouse).__module__.startswith("ibis."):
        return warehouse
    con = getattr(warehouse, "con", None)
    if con is not None and "duckdb" in type(con).__module__:
        return DuckDBSQL(con)
    return warehouse


def to_polars(con: Any, expr: Any) -> pl.DataFrame:
    """``expr.to_polars()``: the same frame (same types and values: the same SQL, and Ibis's own
    conversion of the Arrow result to the expression's schema). On DuckDB it skips
    ``ibis.backends.duckdb.converter``, which imports pandas only to define a pandas converter
    no measure uses (seconds of CPU at the first read of every report)."""
    if not hasattr(con, "_to_duckdb_relation"):
        result: pl.DataFrame = expr.to_polars()
        return result
    from policeperf.compute.ibis_arrow import DuckDBArrow

    table = expr.as_table()
    arrow = con._to_duckdb_relation(table).to_arrow_table()
    frame = pl.from_arrow(table.__pyarrow_result__(arrow, data_mapper=DuckDBArrow))
    converted: pl.DataFrame = expr.__polars_result__(frame)
    return converted


def _choose_revision(
    con: Any, table: str, key: Sequence[str], revisions: Revisions, where: Any = None
) -> Any:
    """Rows of ``table`` (``where`` filters first) with one revision per key, with their file."""
    import ibis

    t = con.table(table)
    if where is not None:
        t = t.filter(where(t))
    s = con.table("sources").select("source_id", "file_name", "edition")
    j = t.join(s, "source_id")
    latest = [ibis.desc("edition"), ibis.desc("source_id")]
    # The same rule as the warehouse's recorded_crime_current view (warehouse/ddl.py): a
    # period's headline figure first, then the latest restatement.
    order = (
        [ibis.desc((j.publication == "headline").ifelse(1, 0)), *latest]
        if revisions == "first_published"
        else latest
    )
    w = ibis.window(group_by=list(key), order_by=order)
    ranked = j.mutate(_rev=ibis.row_number().over(w))
    return ranked.filter(ranked._rev == 0).drop("_rev")


def crime_counts(con: Any, offence: str, revisions: Revisions = "first_published") -> pl.DataFrame:
    """12-month rolling counts of an ONS offence group for every area and period end.

    Columns: period_end, area_code, count, marker, file, edition, sheet, row.
    """
    if isinstance(con, DuckDBSQL):
        return sql.crime_counts(con, offence, revisions)
    key = ("period_end", "area_code", "offence")
    t = _choose_revision(con, "recorded_crime", key, revisions, lambda r: r.offence == offence)
    out = t.select(
        "period_end",
        "area_code",
        count=t.offences.cast("float64"),
        marker=t.marker,
        file=t.file_name,
        edition=t.edition,
        sheet=t.sheet,
        row=t.row,
    )
    result: pl.DataFrame = to_polars(con, out)
    return result


def _month_number(col: Any) -> Any:
    return col.year() * 12 + col.month()


def rolling_sum(table: Any, value: str, date_col: str, step_months: int, window: int) -> Any:
    """Rolling sum over ``window`` consecutive periods of ``step_months`` months, by area.

    Only complete windows are kept: ``window`` rows whose first period lies exactly
    ``(window - 1) x step_months`` months before the last (a gap breaks the window).
    """
    import ibis

    t = table.mutate(_m=_month_number(table[date_col]))
    w = ibis.window(group_by="area_code", order_by="_m", preceding=window - 1, following=0)
    t = t.mutate(
        _total=t[value].sum().over(w),
        _n=t[value].count().over(w),
        _first=t._m.min().over(w),
    )
    t = t.filter((t._n == window) & (t._first == t._m - (window - 1) * step_months))
    return t.select(date_col, "area_code", count=t._total.cast("float64"))


def offence_code_counts(con: Any, codes: Sequence[str]) -> pl.DataFrame:
    """12-month rolling counts (4 consecutive quarters) of a set of Home Office offence codes.

    Force-level rows (no CSP) are used; a force with only CSP rows is the sum of its CSPs.
    Columns: period_end, area_code, count, file.
    """
    if isinstance(con, DuckDBSQL):
        return sql.offence_code_counts(con, codes)
    t = con.table("offence_code_crime_current")
    t = t.filter(t.offence_code.isin(list(codes)))
    t = t.mutate(_force_level=t.csp_name.isnull())
    q = t.group_by(["period_end", "area_code", "_force_level"]).agg(
        offences=t.offences.sum(), source_id=t.source_id.max()
    )
    best = q.group_by(["period_end", "area_code"]).agg(_best=q._force_level.max())
    q = q.join(best, ["period_end", "area_code"])
    q = q.filter(q._force_level == q._best).select("period_end", "area_code", "offences")
    rolled = rolling_sum(q, "offences", "period_end", 3, 4)
    result: pl.DataFrame = to_polars(con, rolled)
    return result


def police_uk_counts(con: Any, crime_types: Sequence[str]) -> pl.DataFrame:
    """12-month rolling counts of data.police.uk crime types (12 consecutive months).

    Columns: period_end (month end), area_code, count. ``month`` is the first day of a month,
    so period_end is the last day of the same month.
    """
    if isinstance(con, DuckDBSQL):
        return sql.police_uk_counts(con, crime_types)
    t = con.table("street_crime_current")
    t = t.filter(t.crime_type.isin(list(crime_types)))
    q = t.group_by(["month", "area_code"]).agg(offences=t.count())
    rolled = rolling_sum(q, "offences", "month", 1, 12)
    frame: pl.DataFrame = to_polars(con, rolled)
    return frame.with_columns(pl.col("month").dt.month_end().alias("period_end")).drop("month")


def series_rows(con: Any) -> pl.DataFrame:
    """Every row of every force series (all forces and comparators), with its file."""
    if isinstance(con, DuckDBSQL):
        return sql.series_rows(con)
    t = con.table("force_series_current")
    s = con.table("sources").select("source_id", "file_name", "edition")
    result: pl.DataFrame = to_polars(con, t.join(s, "source_id").drop("source_id"))
    return result


def published_denominators(con: Any) -> pl.DataFrame:
    """Denominators ONS published with each period (Table P3), with their file and row."""
    if isinstance(con, DuckDBSQL):
        return sql.published_denominators(con)
    t = con.table("denominators_current")
    s = con.table("sources").select("source_id", "file_name", "edition")
    t = t.join(s, "source_id")
    out = t.select(
        "period_end", "area_code", "base", value=t.value.cast("float64"), mid_year=t.mid_year,
        file=t.file_name, edition=t.edition, sheet=t.sheet, row=t.row,
    )  # fmt: skip
    result: pl.DataFrame = to_polars(con, out)
    return result


def estimates(con: Any) -> pl.DataFrame:
    """Every known mid-year estimate: the mid_year_estimates table, then those P3 states.

    Columns: area_code, base, mid_year, value, file, sheet, row. When both hold a year, the
    mid_year_estimates row comes first.
    """
    if isinstance(con, DuckDBSQL):
        return sql.estimates(con)
    import ibis

    m = con.table("mid_year_estimates_current")
    s = con.table("sources").select("source_id", "file_name")
    a = m.join(s, "source_id").select(
        "area_code", "base", "mid_year", value=m.value.cast("float64"),
        file=ibis._.file_name, sheet=m.sheet, row=m.row, _pref=ibis.literal(0),
    )  # fmt: skip
    d = con.table("denominators_current")
    d = d.filter(d.mid_year.notnull() & d.value.notnull())
    b = d.join(s, "source_id").select(
        "area_code", "base", "mid_year", value=d.value.cast("float64"),
        file=ibis._.file_name, sheet=d.sheet, row=d.row, _pref=ibis.literal(1),
    )  # fmt: skip
    frame: pl.DataFrame = to_polars(con, a.union(b))
    return (
        frame.sort(["area_code", "base", "mid_year", "_pref", "file"])
        .unique(["area_code", "base", "mid_year"], keep="first", maintain_order=True)
        .drop("_pref")
    )


# The published rate each base's unrounded denominator is recovered from: the largest count of
# the table for residents (most significant digits), the only households rate for households.
ANCHORS = (("total_excluding_fraud", "population"), ("residential_burglary", "households"))


def rate_anchors(con: Any) -> pl.DataFrame:
    """Counts and the rates ONS published for them, to recover ONS's unrounded denominators.

    Columns: period_end, area_code, base, offence, count, rate, file, sheet, row (of the rate).
    Only headline counts (the edition's own Table P1) pair with that edition's Table P3.
    """
    if isinstance(con, DuckDBSQL):
        return sql.rate_anchors(con, ANCHORS)
    r = con.table("published_rates_current")
    c = con.table("recorded_crime_current")
    c = c.filter(c.publication == "headline").select(
        "period_end", "area_code", "offence", count=c.offences.cast("float64")
    )
    s = con.table("sources").select("source_id", "file_name")
    wanted = None
    for offence, base in ANCHORS:
        cond = (r.offence == offence) & (r.base == base)
        wanted = cond if wanted is None else wanted | cond
    r = r.filter(wanted & r.rate.notnull() & (r.rate > 0)).join(s, "source_id")
    joined = r.join(c, ["period_end", "area_code", "offence"])
    out = joined.filter(joined["count"] > 0).select(
        "period_end", "area_code", "base", "offence", "count", "rate",
        file=joined.file_name, sheet=joined.sheet, row=joined.row,
    )  # fmt: skip
    result: pl.DataFrame = to_polars(con, out)
    return result
