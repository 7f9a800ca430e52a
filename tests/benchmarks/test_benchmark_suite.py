"""The benchmark cases at small scale: they run, and the pandas baseline equals the Ibis result."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from benchmarks.cases import run
from benchmarks.suite import frames_equal, machine, render_table

from policeperf.ingest.load import ingest_paths
from policeperf.warehouse import Warehouse


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, bundled_warehouse_path: Path) -> dict[str, str]:
    root = tmp_path_factory.mktemp("bench")
    args = {"data": str(root / "data"), "db": str(root / "w.duckdb")}
    run("generate", {**args, "rows": 3000, "seed": 5, "months": 13})
    # Populations: load the street files into a copy of the bundled warehouse instead of
    # re-reading every workbook.
    merged = root / "merged.duckdb"
    shutil.copy(bundled_warehouse_path, merged)
    with Warehouse(merged) as wh:
        ingest_paths(wh, [root / "data" / "synthetic"])
    return {**args, "db": str(merged), "root": str(root)}


def test_both_ingests_load_every_row(bench: dict[str, str]) -> None:
    ours = run("ingest_policeperf", {**bench, "db": bench["root"] + "/a.duckdb"})
    bare = run("ingest_duckdb", {**bench, "db": bench["root"] + "/b.duckdb"})
    assert ours["rows"] == bare["rows"] == 3000
    assert ours["peak_rss_mib"] > 0


def test_pandas_baseline_equals_the_ibis_measures(bench: dict[str, str]) -> None:
    a, b = Path(bench["root"]) / "ibis.parquet", Path(bench["root"]) / "pandas.parquet"
    ibis_result = run("measures_ibis", {**bench, "out": str(a)})
    pandas_result = run("measures_pandas", {**bench, "out": str(b)})
    assert ibis_result["rows"] == pandas_result["rows"] > 0
    rates = pl.read_parquet(a)["rate_per_1000"]
    assert rates.drop_nulls().len() > 0  # populations were found, so rates are compared too
    equal, detail = frames_equal(a, b)
    assert equal, detail


def test_results_table_names_the_machine() -> None:
    result = {"machine": machine(), "sizes": [{"rows": 10, "reports": {"status": "n/a"},
                                               "generate": {"seconds": 0.1, "peak_rss_mib": 1.0}}]}
    table = render_table(result)
    assert str(machine()["nproc"]) in str(table.title)
