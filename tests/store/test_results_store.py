"""The results store: built once, read back as the engine computes, stale when inputs change."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from policeperf.compute.engine import compute_measures
from policeperf.compute.groups import store_groups
from policeperf.definitions import load_catalogue
from policeperf.errors import PolicePerfError
from policeperf.store import build_results, measures_report, results_frame, store_status
from policeperf.store.frame import FRAME_COLUMNS
from policeperf.warehouse import Warehouse

PERIOD = date(2022, 6, 30)

BIKES = """\
priorities:
  - id: reduce_theft
    title: Reduce theft
    order: 20
    part: local
measures:
  - id: bicycle_theft
    title: Police recorded bicycle theft
    priority: reduce_theft
    kind: recorded_crime_rate
    sources:
      - kind: ons_offence
        id: bicycle_theft
    denominator: residents
    polarity: lower_is_better
    benchmark: msg_rank
    unit: per 1,000 residents
"""


@pytest.fixture(scope="module")
def built(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled warehouse with a store of one quarter (built once)."""
    path = tmp_path_factory.mktemp("store") / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, path)
    with Warehouse(path) as warehouse:
        summary = build_results(warehouse, periods=[PERIOD])
    assert summary.periods == 1 and summary.rows == 43 * len(summary.built)
    return path


@pytest.fixture
def stored(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, for a test that changes it."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built, path)
    return path


def test_a_built_store_is_fresh_and_reads_what_the_engine_computes(built: Path) -> None:
    with Warehouse(built, read_only=True) as warehouse:
        assert store_status(warehouse).fresh
        got = measures_report(warehouse, "Kent", "2022/23 Q1")
        assert got.to_dict() == compute_measures(warehouse, "Kent", PERIOD).to_dict()
        assert got.peer_group_kind == "computed"


def test_building_again_keeps_fresh_measures(stored: Path) -> None:
    with Warehouse(stored) as warehouse:
        summary = build_results(warehouse, periods=[PERIOD])
    assert summary.built == () and len(summary.kept) == 37


def test_an_official_group_makes_the_store_stale_and_readers_compute_it(stored: Path) -> None:
    with Warehouse(stored) as warehouse:
        kent = ("E23000032", "E23000028", "E23000029", "E23000031", "E23000033", "E23000038",
                "E23000035")  # seven other forces, set as an official group
        store_groups(warehouse, {"E23000032": kent}, source="test MSG", published=None,
                     origin="test")
    with Warehouse(stored, read_only=True) as warehouse:
        assert not store_status(warehouse).fresh
        got = measures_report(warehouse, "Kent", PERIOD)
        assert got.peer_group_kind == "official"
        assert got.to_dict() == compute_measures(warehouse, "Kent", PERIOD).to_dict()
        burglary = got.measure("residential_burglary")
        assert burglary.benchmark_text.endswith("MSG average rates)")


def test_a_new_catalogue_measure_is_the_only_one_computed(stored: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(BIKES)
    catalogue = load_catalogue([mine])
    with Warehouse(stored) as warehouse:
        summary = build_results(warehouse, catalogue=catalogue, periods=[PERIOD])
    assert summary.built == ("bicycle_theft",)
    with Warehouse(stored, read_only=True) as warehouse:
        assert store_status(warehouse, catalogue=catalogue).fresh
        got = measures_report(warehouse, "Avon and Somerset", PERIOD, catalogue=catalogue)
        want = compute_measures(warehouse, "Avon and Somerset", PERIOD, catalogue=catalogue)
    assert got.to_dict() == want.to_dict()
    assert got.measure("bicycle_theft").count == 2753


def test_readers_never_write(built: Path) -> None:
    with Warehouse(built, read_only=True) as warehouse, pytest.raises(PolicePerfError):
        build_results(warehouse)


def test_a_period_the_store_lacks_is_computed(built: Path) -> None:
    with Warehouse(built, read_only=True) as warehouse:
        got = measures_report(warehouse, "Kent", "2021-06")
        assert got.to_dict() == compute_measures(warehouse, "Kent", "2021-06").to_dict()


def test_the_results_table_has_every_force_and_measure_of_the_period(built: Path) -> None:
    with Warehouse(built, read_only=True) as warehouse:
        frame = results_frame(warehouse, force="all", period="2022-06")
        one = results_frame(warehouse, force="City of London", period="2022-06")
    assert frame.columns == list(FRAME_COLUMNS)
    assert frame.height == 43 * 37
    assert frame["force"].null_count() == 0
    city = one.filter(one["measure"] == "residential_burglary").row(0, named=True)
    assert city["value"] is None and city["count"] is not None
    assert "ONS suppresses" in city["caveats"]
    avon = frame.filter((frame["force_code"] == "E23000036")
                        & (frame["measure"] == "serious_violence")).row(0, named=True)
    assert avon["display_title"].startswith("Violence with injury (stand-in")


def test_several_periods_read_stored_ones_and_compute_the_rest_with_shared_reads(
    built: Path, bundled_warehouse_path: Path
) -> None:
    from policeperf.store import measures_reports

    before = date(2022, 3, 31)  # not in the store: computed
    with Warehouse(built, read_only=True) as warehouse:
        this, earlier = measures_reports(warehouse, "Avon and Somerset", [PERIOD, before])
        assert this == measures_report(warehouse, "Avon and Somerset", PERIOD)
    with Warehouse(bundled_warehouse_path, read_only=True) as warehouse:  # no store: both computed
        both = measures_reports(warehouse, "Avon and Somerset", [PERIOD, before])
        assert both == [compute_measures(warehouse, "Avon and Somerset", p)
                        for p in (PERIOD, before)]
    assert earlier == both[1]
