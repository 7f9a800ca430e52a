"""`policeperf results` and `measures --force all`: the results store from the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from policeperf.cli.app import app
from policeperf.store import build_results
from policeperf.warehouse import Warehouse


def test_results_status_names_the_stale_measures(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "results", "--status"])
    assert result.exit_code == 0, result.output
    assert "0 of 37 measures fresh" in result.output and "homicide" in result.output


def test_measures_for_every_force_reads_the_store_as_csv_parquet_and_json(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    with Warehouse(db) as warehouse:  # a store of one quarter, so nothing is built here
        build_results(warehouse, periods=[date(2022, 6, 30)])
    base = ["--db", str(db), "measures", "--force", "all", "--period", "2022-06"]
    csv = runner.invoke(app, [*base, "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    assert "results store: computing" not in csv.output
    lines = csv.output.strip().splitlines()
    assert lines[0].startswith("force,force_code,period_end,position,measure,display_title")
    assert len(lines) == 1 + 43 * 37
    out = tmp_path / "results.parquet"
    parquet = runner.invoke(app, [*base, "--format", "parquet", "--out", str(out)])
    assert parquet.exit_code == 0, parquet.output
    frame = pl.read_parquet(out)
    kent = frame.filter((pl.col("force") == "Kent") & (pl.col("measure") == "robbery"))
    assert kent.height == 1 and "similar forces (computed)" in kent["benchmark_text"][0]
    one = runner.invoke(app, ["--db", str(db), "measures", "--force", "Kent", "--period", "all",
                              "--format", "json", "--out", str(tmp_path / "kent.json")])
    assert one.exit_code == 0, one.output
    rows = json.loads((tmp_path / "kent.json").read_text())
    assert {r["force"] for r in rows} == {"Kent"} and len(rows) == 37


def test_a_parquet_table_needs_a_file(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "measures", "--force", "all", "--period",
                                 "2022-06", "--format", "parquet"])
    assert result.exit_code == 2 and "--out" in result.output
