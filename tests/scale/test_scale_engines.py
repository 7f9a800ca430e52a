"""The record-level measures give identical results on DuckDB, PostgreSQL and Spark.

These need optional extras and are skipped without them; CI runs them in their own step:
``uv run --with 'ibis-framework[postgres]' pytest tests/scale/test_scale_engines.py`` and
``uv run --with pyspark --with 'ibis-framework[pyspark]' pytest tests/scale/test_scale_engines.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from policeperf.ingest.load import ingest_paths
from policeperf.reference.peer_groups import load_peer_groups
from policeperf.scale import engines
from policeperf.scale import record_level as rl
from policeperf.synthetic import generate
from policeperf.warehouse import Warehouse

KEYS = ["month", "area_code", "crime_type"]


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory: pytest.TempPathFactory, bundled_warehouse_path: Path) -> Path:
    root = tmp_path_factory.mktemp("engines")
    generate(root, 3000, 11, months=13, offence_codes=False)
    db = root / "w.duckdb"
    shutil.copy(bundled_warehouse_path, db)
    with Warehouse(db) as wh:
        ingest_paths(wh, [root / "synthetic"])
    return db


def _measures(backend: object) -> pl.DataFrame:
    con = backend
    expr = rl.force_measures(con.table("street_crime_current"),  # type: ignore[attr-defined]
                             con.table("denominators_current"),  # type: ignore[attr-defined]
                             con.table("mid_year_estimates_current"),  # type: ignore[attr-defined]
                             rl.peer_table(load_peer_groups()))
    frame: pl.DataFrame = expr.to_polars()
    return frame.sort(KEYS)


def test_postgres_gives_the_same_measures_as_duckdb(warehouse_file: Path) -> None:
    pytest.importorskip("psycopg", reason="needs ibis-framework[postgres] (psycopg 3)")
    if shutil.which("pg_ctl") is None:
        pytest.skip("needs a PostgreSQL server binary (pg_ctl, initdb) on PATH")
    expected = _measures(engines.connect("duckdb", warehouse_file))
    with engines.LocalPostgres() as pg:
        got = _measures(engines.connect("postgres", warehouse_file, postgres_url=pg.url))
    assert got.equals(expected)


def test_spark_gives_the_same_measures_as_duckdb(warehouse_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="needs the [spark] extra (pyspark) and Java 17")
    if shutil.which("java") is None:
        pytest.skip("needs Java for Spark")
    expected = _measures(engines.connect("duckdb", warehouse_file))
    got = _measures(engines.connect("spark", warehouse_file, work_dir=tmp_path))
    assert got.equals(expected)


# Hadoop takes [x], {a,b}, * and ? in a path for a glob pattern; ' ends a DuckDB string.
GLOB_NAME = "[x] {a,b} * ?'s"


@pytest.mark.parametrize("given", ["work_dir", "temp_dir"])
def test_spark_reads_its_parquet_from_folders_whose_names_look_like_patterns(
    warehouse_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    pytest.importorskip("pyspark", reason="needs the [spark] extra (pyspark) and Java 17")
    if shutil.which("java") is None:
        pytest.skip("needs Java for Spark")
    folder = tmp_path / GLOB_NAME
    folder.mkdir()
    db = folder / "w.duckdb"
    shutil.copy(warehouse_file, db)
    (tmp_path / "x a b 1's").mkdir()  # a neighbour that the name, as a pattern, matches
    work = folder / GLOB_NAME
    if given == "temp_dir":  # the --engine spark command passes no work_dir: a temporary folder
        monkeypatch.setattr("tempfile.tempdir", str(folder))
        work = None
    expected = _measures(engines.connect("duckdb", warehouse_file))
    got = _measures(engines.connect("spark", db, work_dir=work))
    assert got.equals(expected)
    written = list(folder.rglob("street_crime_current.parquet"))
    assert len(written) == 1 and GLOB_NAME in str(written[0].parent)
