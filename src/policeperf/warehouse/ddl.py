"""Table and view definitions of the warehouse, derived from the canonical table specs."""

from __future__ import annotations

import polars as pl

from policeperf.ingest.schema import TABLES, TableSpec

SCHEMA_VERSION = 1

# Tables whose records have no natural key: a newer file for the same force-month replaces the
# older file's rows as a whole (data.police.uk re-publishes whole months).
SNAPSHOT_PARTITIONS: dict[str, tuple[str, ...]] = {
    "street_crime": ("month", "area_code"),
    "street_outcomes": ("month", "area_code"),
    "stop_search": ("month", "area_code"),
}

SOURCES_DDL = """
CREATE TABLE IF NOT EXISTS sources (
    source_id INTEGER PRIMARY KEY,
    path VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    edition DATE NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    rows BIGINT NOT NULL,
    tables VARCHAR NOT NULL,
    notes VARCHAR NOT NULL
)
"""

META_DDL = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type for a Polars dtype used in the canonical tables."""
    if dtype == pl.Utf8():
        return "VARCHAR"
    if dtype == pl.Int64():
        return "BIGINT"
    if dtype == pl.Float64():
        return "DOUBLE"
    if dtype == pl.Date():
        return "DATE"
    if dtype == pl.Boolean():
        return "BOOLEAN"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    raise TypeError(f"no DuckDB type for {dtype}")


def table_ddl(spec: TableSpec) -> str:
    """CREATE TABLE for a canonical table: its columns, provenance and ``source_id``."""
    cols = [f'"{name}" {duckdb_type(dtype)}' for name, dtype in spec.schema.items()]
    cols.append("source_id INTEGER NOT NULL")
    return f"CREATE TABLE IF NOT EXISTS {spec.name} ({', '.join(cols)})"


def current_view_ddl(spec: TableSpec) -> str:
    """A ``<table>_current`` view: the current revision of each figure.

    The current revision is the row from the source with the latest edition; among sources of
    the same edition, the one loaded last. For recorded crime, a period's headline figure (from
    its own edition) comes before restated figures (a later source's figure for it): a report
    for a quarter shows the figures published for that quarter, which the rates ONS printed
    alongside them (Table P3) were computed from. Later editions' revisions stay stored, and
    stand in where no headline figure exists (the years ending June to December 2021 have no
    bundled edition).
    """
    order = "s.edition DESC, s.source_id DESC"
    if "publication" in spec.columns:
        order = "(t.publication = 'headline') DESC, " + order
    cols = ", ".join(f't."{c}"' for c in [*spec.schema.names(), "source_id"])
    if spec.name in SNAPSHOT_PARTITIONS:
        part = ", ".join(f't."{c}"' for c in SNAPSHOT_PARTITIONS[spec.name])
        return f"""
CREATE OR REPLACE VIEW {spec.name}_current AS
SELECT {cols} FROM (
    SELECT t.*, dense_rank() OVER (PARTITION BY {part} ORDER BY {order}) AS _rev
    FROM {spec.name} t JOIN sources s USING (source_id)
) t WHERE _rev = 1"""
    part = ", ".join(f't."{c}"' for c in spec.key)
    return f"""
CREATE OR REPLACE VIEW {spec.name}_current AS
SELECT {cols} FROM (
    SELECT t.*, row_number() OVER (PARTITION BY {part} ORDER BY {order}) AS _rev
    FROM {spec.name} t JOIN sources s USING (source_id)
) t WHERE _rev = 1"""


REVISIONS_VIEW = """
CREATE OR REPLACE VIEW recorded_crime_revisions AS
SELECT r.period_end, r.area_code, r.offence, r.offences, r.marker, r.publication,
       s.edition, s.file_name, r.sheet, r.row, r."column", s.loaded_at,
       lag(r.offences) OVER w AS previous_offences,
       lag(s.edition) OVER w AS previous_edition
FROM recorded_crime r JOIN sources s USING (source_id)
WINDOW w AS (PARTITION BY r.period_end, r.area_code, r.offence ORDER BY s.edition, s.source_id)
"""

PROVENANCE_VIEW = """
CREATE OR REPLACE VIEW provenance AS
SELECT p.*, s.file_name, s.path, s.format, s.edition, s.loaded_at
FROM (
SELECT 'recorded_crime' AS "table", period_end, area_code, offence AS item,
       CAST(offences AS DOUBLE) AS value, marker, source_id, sheet, row, "column"
FROM recorded_crime
UNION ALL
SELECT 'denominators', period_end, area_code, base, CAST(value AS DOUBLE), marker, source_id,
       sheet, row, "column"
FROM denominators
UNION ALL
SELECT 'offence_code_crime', period_end, area_code, offence_code, CAST(offences AS DOUBLE), NULL,
       source_id, sheet, row, "column"
FROM offence_code_crime
UNION ALL
SELECT 'force_series', period_end, area_code, series_id, value, NULL, source_id, sheet, row,
       "column"
FROM force_series
) p JOIN sources s USING (source_id)
"""


PEER_GROUPS_DDL = """
CREATE TABLE IF NOT EXISTS peer_groups (
    force_code VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    member_code VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    published DATE,
    origin VARCHAR NOT NULL,
    stored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (force_code, position)
)
"""


def all_ddl() -> list[str]:
    """Every statement that creates the warehouse schema, in order; safe to re-run."""
    statements = [SOURCES_DDL, META_DDL, PEER_GROUPS_DDL]
    statements += [table_ddl(spec) for spec in TABLES.values()]
    statements += [current_view_ddl(spec) for spec in TABLES.values()]
    statements += [REVISIONS_VIEW, PROVENANCE_VIEW]
    return statements
