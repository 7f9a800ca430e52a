"""The one pass gives the per-force path's results, value by value (a slice of the bundled
data; benchmarks/results_store.py --equality runs every force, period and measure)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from policeperf.compute.batch import compute_all, warehouse_periods
from policeperf.compute.engine import compute_measures
from policeperf.store import build_results, measures_report
from policeperf.store.read import resolve_inputs
from policeperf.warehouse import Warehouse

# Periods with the data's oddities: Greater Manchester left out of the December 2019 totals,
# Devon and Cornwall out of December 2022's, and the report's quarter.
PERIODS = (date(2019, 12, 31), date(2022, 6, 30), date(2022, 12, 31))
FORCES = ("Avon and Somerset", "City of London", "Greater Manchester", "Devon and Cornwall",
          "Dyfed-Powys")


@pytest.fixture(scope="module")
def stored(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, path)
    with Warehouse(path) as warehouse:
        build_results(warehouse, periods=PERIODS)
    return path


@pytest.mark.parametrize("period", PERIODS)
def test_the_pass_gives_the_per_force_results_value_by_value(stored: Path, period: date) -> None:
    with Warehouse(stored, read_only=True) as warehouse:
        for force in FORCES:
            assert (measures_report(warehouse, force, period).to_dict()
                    == compute_measures(warehouse, force, period).to_dict()), force


def test_the_pass_covers_every_force_period_and_measure(bundled_warehouse: Warehouse) -> None:
    cat, groups, settings = resolve_inputs(bundled_warehouse, None, None, None)
    tables = compute_all(bundled_warehouse, catalogue=cat, groups=groups, settings=settings,
                         periods=[date(2022, 6, 30)])
    frame = tables.measures_frame()
    assert frame.height == 43 * len(cat.measures)
    assert frame.select("force_code", "id").unique().height == frame.height
    burglary = frame.filter((frame["force_code"] == "E23000036")
                            & (frame["id"] == "residential_burglary")).row(0, named=True)
    assert burglary["benchmark_text"] == "7th/8 MSG (higher than MSG average rates)"


def test_every_period_in_the_warehouse_is_a_month_end(bundled_warehouse: Warehouse) -> None:
    periods = warehouse_periods(bundled_warehouse)
    assert len(periods) == 70
    assert periods[0] == date(2003, 3, 31) and periods[-1] == date(2024, 3, 31)
