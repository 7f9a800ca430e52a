"""compute_measures gives DuckDB's results on PostgreSQL and Spark, on the real ONS data.

Needs the optional extras; CI runs this file in its own isolated environment
(`uv run --isolated --extra spark --extra postgres ...`, see .ci/run). Skipped without them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from policeperf.compute.engine import compute_measures
from policeperf.compute.sources import TABLES_READ
from policeperf.scale import engines

FORCES = ("Avon and Somerset", "City of London")  # with and without a peer group


def _dicts(backend: Any) -> list[dict[str, Any]]:
    return [compute_measures(backend, force, "2022-06").to_dict() for force in FORCES]


@pytest.fixture(scope="module")
def expected(bundled_warehouse_path: Path) -> list[dict[str, Any]]:
    return _dicts(engines.connect("duckdb", bundled_warehouse_path))


def test_postgres_gives_duckdbs_measures_on_the_ons_data(
    bundled_warehouse_path: Path, expected: list[dict[str, Any]]
) -> None:
    pytest.importorskip("psycopg", reason="needs the [postgres] extra")
    if shutil.which("pg_ctl") is None:
        pytest.skip("needs PostgreSQL server binaries (pg_ctl, initdb) on PATH")
    with engines.LocalPostgres() as server:
        backend = engines.connect("postgres", bundled_warehouse_path, postgres_url=server.url,
                                  tables=TABLES_READ)
        got = _dicts(backend)
    assert got == expected
    burglary = next(m for m in got[0]["measures"] if m["id"] == "residential_burglary")
    assert burglary["peer_rank"] == 7


def test_spark_gives_duckdbs_measures_on_the_ons_data(
    bundled_warehouse_path: Path, expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    pytest.importorskip("pyspark", reason="needs the [spark] extra")
    if shutil.which("java") is None:
        pytest.skip("needs Java 17 for Spark")
    backend = engines.connect("spark", bundled_warehouse_path, work_dir=tmp_path,
                              tables=TABLES_READ)
    assert _dicts(backend) == expected
