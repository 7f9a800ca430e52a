"""The store's tables in the warehouse, and writing a pass into them.

``results_meta``: one row per measure: the fingerprint its stored rows were computed under,
when, and how many periods and forces they cover. ``results_measures``, ``results_series`` and
``results_values`` (compute/batch_rows.py) carry a ``fingerprint`` column: a measure's rows are
replaced, all at once, when it is recomputed, and the rows of measures whose inputs did not
change are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl

from policeperf.compute.batch_rows import MEASURE_SCHEMA, SERIES_SCHEMA, VALUES_SCHEMA

__all__ = ["DATA_TABLES", "create_tables", "stored_fingerprints", "write_measures"]

_DUCK: dict[Any, str] = {pl.Utf8: "VARCHAR", pl.Float64: "DOUBLE", pl.Int64: "BIGINT",
                         pl.Boolean: "BOOLEAN", pl.Date: "DATE"}

#: Table name -> column types (each also has ``fingerprint``).
DATA_TABLES: dict[str, dict[str, Any]] = {
    "results_measures": MEASURE_SCHEMA,
    "results_series": SERIES_SCHEMA,
    "results_values": VALUES_SCHEMA,
}

#: The order rows are written in: a reader looks up one force and period (one period, for
#: every area's figures), and DuckDB skips what it need not read in rows stored together (one
#: force's 37 results in 111,370: 9 ms sorted, 46 ms in the pass's order, 0.2 s cold). Every
#: reader says its own ORDER BY; this is only where rows lie.
_WRITE_ORDER = {"results_measures": ("force_code", "period_end"),
                "results_series": ("force_code", "period_end"),
                "results_values": ("period_end", "area_code")}

META_DDL = """CREATE TABLE IF NOT EXISTS results_meta (
    measure_id VARCHAR PRIMARY KEY, fingerprint VARCHAR NOT NULL, built_at TIMESTAMP NOT NULL,
    periods BIGINT NOT NULL, rows BIGINT NOT NULL, inputs VARCHAR NOT NULL)"""


def _ddl(name: str, schema: dict[str, Any]) -> str:
    columns = ", ".join(f"{c} {_DUCK[t]}" for c, t in schema.items())
    return f"CREATE TABLE IF NOT EXISTS {name} (fingerprint VARCHAR NOT NULL, {columns})"


def create_tables(con: Any) -> None:
    """Create the store's tables if the warehouse lacks them."""
    con.execute(META_DDL)
    for name, schema in DATA_TABLES.items():
        con.execute(_ddl(name, schema))


def stored_fingerprints(con: Any) -> dict[str, str]:
    """measure_id -> fingerprint of what is stored (empty when nothing is)."""
    try:
        rows = con.execute("SELECT measure_id, fingerprint FROM results_meta").fetchall()
    except Exception:  # noqa: BLE001 - a warehouse without a store (read-only: cannot create)
        return {}
    return {str(r[0]): str(r[1]) for r in rows}


def write_measures(
    con: Any,
    fingerprints: dict[str, str],
    frames: dict[str, pl.DataFrame],
    *,
    periods: int,
    inputs: str,
) -> None:
    """Replace the stored rows of the measures in ``fingerprints`` by ``frames`` (one
    transaction). ``frames`` maps each data table to its rows; ``results_measures`` rows name
    their measure in ``id``, the others in ``measure_id``."""
    create_tables(con)
    ids = list(fingerprints)
    keyed = {}
    for name, frame in frames.items():
        column = "id" if name == "results_measures" else "measure_id"
        fp = pl.col(column).replace_strict(fingerprints, default=None)
        keyed[name] = frame.with_columns(fingerprint=fp).select(
            "fingerprint", *DATA_TABLES[name]).sort(_WRITE_ORDER[name], maintain_order=True)
    counts = (frames["results_measures"].group_by("id").len() if ids else pl.DataFrame())
    rows = {str(r[0]): int(r[1]) for r in counts.iter_rows()} if counts.height else {}
    now = datetime.now().replace(microsecond=0)
    con.execute("BEGIN TRANSACTION")
    try:
        for name in DATA_TABLES:
            column = "id" if name == "results_measures" else "measure_id"
            _delete(con, name, column, ids)
            con.register("_results_part", keyed[name].to_arrow())
            try:
                con.execute(f"INSERT INTO {name} SELECT * FROM _results_part")
            finally:
                con.unregister("_results_part")
        _delete(con, "results_meta", "measure_id", ids)
        con.executemany("INSERT INTO results_meta VALUES (?, ?, ?, ?, ?, ?)",
                        [[m, f, now, periods, rows.get(m, 0), inputs]
                         for m, f in fingerprints.items()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _delete(con: Any, table: str, column: str, ids: Iterable[str]) -> None:
    wanted = list(ids)
    if wanted:
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [wanted])
