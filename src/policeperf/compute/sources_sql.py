"""The reads of :mod:`policeperf.compute.sources` as plain DuckDB SQL, for a DuckDB warehouse.

:mod:`policeperf.compute.sources` defines every read in portable Ibis (the definition that runs
on PostgreSQL and Spark). On a DuckDB warehouse, compiling those expressions costs more than
running them: importing Ibis and compiling its expressions took about 2.5 s of the 5 s a report
spent computing its measures. Here the same queries are written once as SQL text and run
directly on the DuckDB connection; each returns the very frame the Ibis read returns (same
columns, types and rows: tests/compute/test_sources_sql.py compares them on the bundled data).

Rows come back sorted (the Ibis reads have no order; no caller depends on one).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import polars as pl

__all__ = [
    "DuckDBSQL",
    "crime_counts",
    "estimates",
    "offence_code_counts",
    "police_uk_counts",
    "published_denominators",
    "rate_anchors",
    "series_rows",
]


class DuckDBSQL:
    """A DuckDB connection the reads of compute/sources.py run on as SQL text.

    Anything else asked of it (``table(name)`` and the rest of an Ibis backend's interface) goes
    to an Ibis backend on the same connection, made (and Ibis imported) on first use.
    """

    def __init__(self, con: Any) -> None:
        self.con = con

    @cached_property
    def ibis(self) -> Any:
        """The Ibis backend on this connection."""
        import ibis

        return ibis.duckdb.from_connection(self.con)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.ibis, name)

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
        """A query's rows as a Polars frame."""
        arrow = self.con.sql(sql, params=list(params)).to_arrow_table()
        frame = pl.from_arrow(arrow)
        assert isinstance(frame, pl.DataFrame)
        return frame


# A period's headline figure first, then the latest restatement (warehouse/ddl.py's
# recorded_crime_current view and sources._choose_revision).
_FIRST_PUBLISHED = ("(CASE WHEN t.publication = 'headline' THEN 1 ELSE 0 END) DESC, "
                    "s.edition DESC, s.source_id DESC")
_LATEST = "s.edition DESC, s.source_id DESC"


def crime_counts(con: DuckDBSQL, offence: str, revisions: str) -> pl.DataFrame:
    """sources.crime_counts."""
    order = _FIRST_PUBLISHED if revisions == "first_published" else _LATEST
    return con.frame(f"""
SELECT period_end, area_code, CAST(offences AS DOUBLE) AS count, marker, file_name AS file,
       edition, sheet, "row"
FROM (
    SELECT t.*, s.file_name, s.edition, row_number() OVER (
        PARTITION BY t.period_end, t.area_code, t.offence ORDER BY {order}) AS _rev
    FROM recorded_crime t JOIN sources s USING (source_id)
    WHERE t.offence = ?
) WHERE _rev = 1
ORDER BY period_end, area_code""", [offence])


def _rolling(rows: str, date_col: str, step_months: int, window: int) -> str:
    """sources.rolling_sum over the rows of ``rows`` (columns date_col, area_code, offences)."""
    return f"""
SELECT {date_col}, area_code, CAST(_total AS DOUBLE) AS count FROM (
    SELECT {date_col}, area_code, _m,
           sum(offences) OVER w AS _total, count(offences) OVER w AS _n, min(_m) OVER w AS _first
    FROM (SELECT *, year({date_col}) * 12 + month({date_col}) AS _m FROM ({rows}))
    WINDOW w AS (PARTITION BY area_code ORDER BY _m
                 ROWS BETWEEN {window - 1} PRECEDING AND CURRENT ROW)
) WHERE _n = {window} AND _first = _m - {(window - 1) * step_months}
ORDER BY {date_col}, area_code"""


def offence_code_counts(con: DuckDBSQL, codes: Sequence[str]) -> pl.DataFrame:
    """sources.offence_code_counts."""
    marks = ", ".join("?" for _ in codes) or "NULL"
    rows = f"""
WITH q AS (
    SELECT period_end, area_code, csp_name IS NULL AS _force_level, sum(offences) AS offences
    FROM offence_code_crime_current WHERE offence_code IN ({marks})
    GROUP BY period_end, area_code, _force_level
)
SELECT q.period_end, q.area_code, q.offences FROM q JOIN (
    SELECT period_end, area_code, max(_force_level) AS _best FROM q
    GROUP BY period_end, area_code
) b ON q.period_end = b.period_end AND q.area_code = b.area_code
WHERE q._force_level = b._best"""
    return con.frame(_rolling(rows, "period_end", 3, 4), list(codes))


def police_uk_counts(con: DuckDBSQL, crime_types: Sequence[str]) -> pl.DataFrame:
    """sources.police_uk_counts."""
    marks = ", ".join("?" for _ in crime_types) or "NULL"
    rows = (f"SELECT month, area_code, count(*) AS offences FROM street_crime_current "
            f"WHERE crime_type IN ({marks}) GROUP BY month, area_code")
    frame = con.frame(_rolling(rows, "month", 1, 12), list(crime_types))
    return frame.with_columns(pl.col("month").dt.month_end().alias("period_end")).drop("month")


def series_rows(con: DuckDBSQL) -> pl.DataFrame:
    """sources.series_rows."""
    return con.frame("""
SELECT t.* EXCLUDE (source_id), s.file_name, s.edition
FROM force_series_current t JOIN sources s USING (source_id)
ORDER BY t.area_code, t.series_id, t.period_end, t.window_months, t.category, t.comparator""")


def published_denominators(con: DuckDBSQL) -> pl.DataFrame:
    """sources.published_denominators."""
    return con.frame("""
SELECT t.period_end, t.area_code, t.base, CAST(t.value AS DOUBLE) AS value, t.mid_year,
       s.file_name AS file, s.edition, t.sheet, t."row"
FROM denominators_current t JOIN sources s USING (source_id)
ORDER BY t.period_end, t.area_code, t.base""")


def estimates(con: DuckDBSQL) -> pl.DataFrame:
    """sources.estimates (the same union, sort and choice)."""
    frame = con.frame("""
SELECT m.area_code, m.base, m.mid_year, CAST(m.value AS DOUBLE) AS value, s.file_name AS file,
       m.sheet, m."row", CAST(0 AS TINYINT) AS _pref
FROM mid_year_estimates_current m JOIN sources s USING (source_id)
UNION ALL
SELECT d.area_code, d.base, d.mid_year, CAST(d.value AS DOUBLE), s.file_name, d.sheet, d."row",
       CAST(1 AS TINYINT)
FROM denominators_current d JOIN sources s USING (source_id)
WHERE d.mid_year IS NOT NULL AND d.value IS NOT NULL""")
    return (
        frame.sort(["area_code", "base", "mid_year", "_pref", "file"])
        .unique(["area_code", "base", "mid_year"], keep="first", maintain_order=True)
        .drop("_pref")
    )


def rate_anchors(con: DuckDBSQL, anchors: Sequence[tuple[str, str]]) -> pl.DataFrame:
    """sources.rate_anchors."""
    wanted = " OR ".join("(r.offence = ? AND r.base = ?)" for _ in anchors) or "FALSE"
    offences = ", ".join("?" for _ in anchors) or "NULL"
    # recorded_crime_current's rule (warehouse/ddl.py), ranked over the anchor offences only
    # (offence is part of the partition, so this is the view's rows for them): the view ranks
    # every offence of the table, most of this query's time.
    return con.frame(f"""
SELECT r.period_end, r.area_code, r.base, r.offence, c.count, r.rate, s.file_name AS file,
       r.sheet, r."row"
FROM published_rates_current r
JOIN sources s USING (source_id)
JOIN (SELECT period_end, area_code, offence, CAST(offences AS DOUBLE) AS count FROM (
          SELECT t.*, row_number() OVER (PARTITION BY t.period_end, t.area_code, t.offence
              ORDER BY (t.publication = 'headline') DESC, s.edition DESC, s.source_id DESC
          ) AS _rev
          FROM recorded_crime t JOIN sources s USING (source_id)
          WHERE t.offence IN ({offences})
      ) WHERE _rev = 1 AND publication = 'headline') c
  ON r.period_end = c.period_end AND r.area_code = c.area_code AND r.offence = c.offence
WHERE ({wanted}) AND r.rate IS NOT NULL AND r.rate > 0 AND c.count > 0
ORDER BY r.period_end, r.area_code, r.base""",
                     [*(o for o, _ in anchors), *(x for pair in anchors for x in pair)])
