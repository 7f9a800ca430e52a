"""Data-quality checks: gaps, blanks as published and anomalies, on real and hand-made data."""

from datetime import date
from pathlib import Path

import polars as pl

from policeperf.ingest.schema import RECORDED_CRIME, Batch
from policeperf.quality import QualitySettings, check
from policeperf.warehouse import Warehouse


def test_the_avon_and_somerset_action_fraud_dip_of_march_2022_is_flagged(
    bundled_warehouse: Warehouse,
) -> None:
    warnings = check(bundled_warehouse, area_codes=["E23000036"])
    anomalies = [w for w in warnings if w.kind == "anomaly"]
    assert [(w.period_end, w.offence, w.value) for w in anomalies] == [
        (date(2022, 3, 31), "action_fraud_referrals", 2048)
    ]
    assert "2,048 against 10,565 before and 8,631 after" in anomalies[0].message


def test_greater_manchesters_missing_data_in_late_2019_are_reported_as_blanks(
    bundled_warehouse: Warehouse,
) -> None:
    warnings = check(bundled_warehouse, area_codes=["E23000005"])
    blank_periods = {w.period_end for w in warnings if w.kind == "blank"}
    assert {date(2019, 9, 30), date(2019, 12, 31)} <= blank_periods


def test_quarters_no_bundled_edition_covers_are_reported_as_missing_periods(
    bundled_warehouse: Warehouse,
) -> None:
    missing = {w.period_end for w in check(bundled_warehouse) if w.kind == "missing_period"}
    assert missing == {date(2020, 6, 30), date(2020, 9, 30), date(2020, 12, 31)}


def _series(tmp_path: Path, values: list[int | None]) -> Warehouse:
    """A warehouse with one quarterly series for Kent, from March 2021."""
    periods = [date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31),
               date(2022, 3, 31)]
    rows = [(p, "E23000032", "robbery", v, None if v is not None else "[x]", "headline", None,
             i + 2, "n") for i, (p, v) in enumerate(zip(periods, values, strict=True))]
    frame = pl.DataFrame(rows, schema=RECORDED_CRIME.schema, orient="row")
    warehouse = Warehouse(tmp_path / "w.duckdb")
    warehouse.load([(Batch("kent.csv", "test", periods[-1], {"recorded_crime": frame}), "x")])
    return warehouse


def test_a_spike_beyond_the_threshold_from_both_neighbours_is_an_anomaly(tmp_path: Path) -> None:
    # 100 -> 160 -> 100: 160 is 60% above both neighbours (threshold 50%).
    with _series(tmp_path, [100, 100, 160, 100, 100]) as warehouse:
        found = [w for w in check(warehouse) if w.kind == "anomaly"]
        assert [(w.period_end, w.value) for w in found] == [(date(2021, 9, 30), 160)]
        # With a 70% threshold the same spike passes.
        assert not [w for w in check(warehouse, QualitySettings(change_threshold=0.7))
                    if w.kind == "anomaly"]


def test_a_step_change_shared_by_a_neighbour_is_not_an_anomaly(tmp_path: Path) -> None:
    # 100, 100, 200, 200, 200: a real level shift, not a one-period dip or spike.
    with _series(tmp_path, [100, 100, 200, 200, 200]) as warehouse:
        assert not [w for w in check(warehouse) if w.kind == "anomaly"]


def test_small_series_are_not_judged(tmp_path: Path) -> None:
    # 10 -> 30 -> 10 triples, but neighbours below 50 offences are too noisy to judge.
    with _series(tmp_path, [10, 10, 30, 10, 10]) as warehouse:
        assert not [w for w in check(warehouse) if w.kind == "anomaly"]


def test_a_blank_is_reported_with_its_marker(tmp_path: Path) -> None:
    with _series(tmp_path, [100, None, 100, 100, 100]) as warehouse:
        blanks = [w for w in check(warehouse) if w.kind == "blank"]
        assert len(blanks) == 1 and "'[x]'" in blanks[0].message


def test_a_force_missing_a_row_others_have_is_a_gap(tmp_path: Path) -> None:
    # Kent has robbery for March and June 2021; Essex only for March: Essex's June is a gap.
    march, june = date(2021, 3, 31), date(2021, 6, 30)
    rows = [(march, "E23000032", "robbery", 100), (june, "E23000032", "robbery", 110),
            (march, "E23000028", "robbery", 90)]
    frame = pl.DataFrame([(p, a, o, n, None, "headline", None, i + 2, "n")
                          for i, (p, a, o, n) in enumerate(rows)],
                         schema=RECORDED_CRIME.schema, orient="row")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        warehouse.load([(Batch("x.csv", "test", june, {"recorded_crime": frame}), "x")])
        gaps = [w for w in check(warehouse) if w.kind == "gap"]
    # Every other force has no robbery row either: 41 of them for both periods, Essex for June.
    essex = [(w.period_end, w.offence) for w in gaps if w.area_code == "E23000028"]
    assert essex == [(june, "robbery")]
    assert len(gaps) == 41 * 2 + 1
