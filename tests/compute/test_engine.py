"""Oracle cases on a tiny hand-made warehouse: 3 forces, numbers worked out on paper.

Forces: Avon and Somerset (the force), Derbyshire and Kent (its peers), plus England and Wales.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.compute.context import Settings
from policeperf.compute.engine import compute_measures
from policeperf.definitions import load_catalogue
from policeperf.ingest.schema import TABLES, Batch
from policeperf.reference.areas import resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import MeasuresReport
from policeperf.warehouse import Warehouse

AS = resolve_area("Avon and Somerset").code
DE = resolve_area("Derbyshire").code
KE = resolve_area("Kent").code
EW = "K04000001"
P = date(2022, 6, 30)
PREV = date(2021, 6, 30)


def frame(table: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    spec = TABLES[table]
    full = [{"sheet": "S", "row": i + 2, "column": "c", **r} for i, r in enumerate(rows)]
    return pl.DataFrame(full, schema=spec.schema)


def crime(period: date, area: str, offence: str, n: int) -> dict[str, object]:
    return {"period_end": period, "area_code": area, "offence": offence, "offences": n,
            "marker": None}


def month_ends(last: date, n: int) -> list[date]:
    from policeperf.compute.periods import add_months

    return [add_months(last, -i) for i in range(n)][::-1]


def series(sid: str, end: date, value: float | None, *, area: str = AS, window: int = 1,
           ptype: str = "month", comparator: str = "force", category: str = "",
           num: float | None = None, den: float | None = None, unit: str = "count",
           stat: str = "total") -> dict[str, object]:
    return {"area_code": area, "series_id": sid, "period_type": ptype, "period_end": end,
            "window_months": window, "category": category, "comparator": comparator,
            "value": value, "numerator": num, "denominator": den, "unit": unit,
            "statistic": stat}


def build(path: Path) -> Warehouse:
    # Robbery 2022-06: A&S 30 / 10,000 = 3.0; Derbyshire 10 / 5,000 = 2.0; Kent 20 / 20,000 = 1.0
    # Residential burglary per household: 12/4,000 = 3.0, 4/2,000 = 2.0, 8/8,000 = 1.0
    rc = [
        crime(P, AS, "robbery", 30), crime(P, DE, "robbery", 10), crime(P, KE, "robbery", 20),
        crime(P, EW, "robbery", 150),
        crime(P, AS, "residential_burglary", 12), crime(P, DE, "residential_burglary", 4),
        crime(P, KE, "residential_burglary", 8),
        crime(P, AS, "vehicle_offences", 50), crime(P, AS, "theft_from_the_person", 8),
        crime(PREV, AS, "robbery", 16),  # 2021-06 has no P3: mid-2020 estimate 8,000 -> 2.0
    ]
    den = [
        {"period_end": P, "area_code": a, "base": b, "value": v, "marker": None, "mid_year": 2020}
        for a, b, v in [(AS, "population", 10000), (DE, "population", 5000),
                        (KE, "population", 20000), (EW, "population", 100000),
                        (AS, "households", 4000), (DE, "households", 2000),
                        (KE, "households", 8000)]
    ]
    mye = [{"area_code": AS, "base": "population", "mid_year": 2020, "value": 8000}]
    fs = [series("drug_disruptions", d, 10 + i) for i, d in enumerate(month_ends(P, 12))]
    fs += [series("victim_satisfaction_whole_experience", d, None, category="overall",
                  num=80, den=100, unit="proportion", stat="proportion")
           for d in month_ends(P, 12)]
    fs += [series("reoffending_proportion", P, v, window=12, ptype="year", comparator=c,
                  unit="proportion", stat="proportion")
           for c, v in [("force", 0.25), ("national", 0.265)]]
    fs += [series("cjs_days_offence_to_charge", date(2021, 12, 31), v, area=a, window=12,
                  ptype="year", unit="days", stat="median")
           for a, v in [(AS, 30.0), (DE, 20.0), (KE, 40.0)]]
    # CJS rows: yearly (calendar years), CPS-area and national only, as the CPS publishes them.
    y19, y21 = date(2019, 12, 31), date(2021, 12, 31)
    fs += [series("cjs_trial_or_guilty_plea", d, v, window=12, ptype="year", comparator=c,
                  unit="proportion", stat="proportion")
           for d, c, v in [(y19, "cps_area", 0.77), (y19, "national", 0.79),
                           (y21, "cps_area", 0.74), (y21, "national", 0.755)]]
    fs += [series("cjs_days_at_crown_court", d, v, window=12, ptype="year", comparator=c,
                  unit="days", stat="mean")
           for d, c, v in [(y19, "cps_area", 198.0), (y19, "national", 182.0),
                           (y21, "cps_area", 301.0), (y21, "national", 274.0)]]
    # Rape charge rate (msg_rank): the force's own monthly rows only, no peer's.
    fs += [series("rape_charge_rate", d, None, num=6, den=100, unit="proportion",
                  stat="proportion") for d in month_ends(P, 12)]
    batch = Batch(
        path="synthetic.xlsx", format="test", edition=P,
        tables={"recorded_crime": frame("recorded_crime", rc),
                "denominators": frame("denominators", den),
                "mid_year_estimates": frame("mid_year_estimates", mye),
                "force_series": frame("force_series", fs)},
    )  # fmt: skip
    w = Warehouse(path)
    w.load([(batch, "sha-synthetic")])
    return w


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeasuresReport]:
    w = build(tmp_path_factory.mktemp("tiny") / "w.duckdb")
    groups = {AS: PeerGroup(AS, (AS, DE, KE), "test", "test")}
    yield compute_measures(w, "avon & somerset", "2022/23 Q1", peer_groups=groups)
    w.close()


def test_a_crime_rate_is_count_per_thousand_residents_with_rank_and_simple_mean(
    report: MeasuresReport,
) -> None:
    r = report.measure("robbery")
    assert (r.count, r.denominator, r.mid_year) == (30, 10000, 2020)
    assert r.value == pytest.approx(3.0)
    assert r.peer_average == pytest.approx(2.0)  # (3 + 2 + 1) / 3
    assert (r.peer_rank, r.peer_group_size) == (3, 3)  # highest rate, lower is better
    assert r.comparison == "higher than"  # +50% is beyond the +/-15% band
    assert r.benchmark_text == "3rd/3 MSG (higher than MSG average rates)"
    assert r.national_value == pytest.approx(1.5)  # 150 / 100,000 x 1,000
    assert [p.rank for p in r.peers] == [1, 2, 3]


def test_residential_burglary_uses_households(report: MeasuresReport) -> None:
    r = report.measure("residential_burglary")
    assert (r.denominator, r.denominator_base) == (4000, "households")
    assert r.value == pytest.approx(3.0)  # 12 / 4,000 x 1,000


def test_personal_robbery_falls_back_to_robbery_with_its_caveat(report: MeasuresReport) -> None:
    r = report.measure("personal_robbery")
    assert r.value == pytest.approx(3.0)
    assert r.source_used == "ons_offence robbery"
    assert any(c.startswith("Personal robbery is not published by ONS") for c in r.caveats)


def test_neighbourhood_crime_sums_its_four_components(report: MeasuresReport) -> None:
    r = report.measure("neighbourhood_crime")
    assert r.count == 100  # vehicle 50 + burglary 12 + theft from the person 8 + robbery 30
    assert r.value == pytest.approx(10.0)  # 100 / 10,000 x 1,000
    assert any("Personal robbery" in c for c in r.caveats)
    # The peers lack components, so no MSG force but the force has a figure: no rank.
    assert r.benchmark_text == "Not available" and r.peer_rank is None
    assert any("No other MSG force has a figure" in c for c in r.caveats)


def test_a_period_without_p3_uses_the_lag_rule_estimate_in_the_series(
    report: MeasuresReport,
) -> None:
    point = next(p for p in report.measure("robbery").series if p.period_end == PREV)
    assert point.denominator == 8000 and point.value == pytest.approx(2.0)  # 16 / 8,000


def test_a_weighted_average_is_sum_of_counts_over_sum_of_denominators(tmp_path: Path) -> None:
    with build(tmp_path / "w.duckdb") as w:
        groups = {AS: PeerGroup(AS, (AS, DE, KE), "test", "test")}
        rep = compute_measures(w, AS, P, peer_groups=groups,
                               settings=Settings(average="weighted"))
    r = rep.measure("robbery")
    assert r.peer_average == pytest.approx(60 / 35000 * 1000)  # (30+10+20)/(10k+5k+20k)
    assert r.peer_average_method is not None and "weighted" in r.peer_average_method


def test_a_force_series_count_is_the_sum_of_twelve_months(report: MeasuresReport) -> None:
    r = report.measure("drug_disruptions")
    assert r.value == 186  # 10 + 11 + ... + 21 = 12 x 10 + 66
    assert r.benchmark_text == "Not available"


def test_a_survey_proportion_pools_respondents_and_has_a_wilson_interval(
    report: MeasuresReport,
) -> None:
    r = report.measure("victim_satisfaction_overall")
    assert r.value == pytest.approx(0.8)  # 960 / 1,200
    assert r.interval is not None and r.interval.respondents == 1200
    assert r.interval.lower < 0.8 < r.interval.upper
    assert r.trend == "Stable"  # 0.8 every month: no trend


def test_a_difference_from_national_is_printed_in_percentage_points(
    report: MeasuresReport,
) -> None:
    r = report.measure("reoffending_proportion")
    assert r.value == pytest.approx(0.25) and r.national_value == pytest.approx(0.265)
    assert r.benchmark_text == "-1.5% points compared to national"


def test_a_duration_takes_the_latest_year_and_ranks_peers(report: MeasuresReport) -> None:
    r = report.measure("cjs_days_offence_to_charge")
    assert r.value == 30
    assert r.benchmark_text == "2nd/3 MSG (similar to MSG average rates)"  # 20 < 30 < 40
    assert any("December 2021" in c for c in r.caveats)


def test_a_missing_series_gives_no_value_and_a_caveat(report: MeasuresReport) -> None:
    r = report.measure("county_lines_disrupted")
    assert r.value is None and "not loaded" in r.caveats[0]


def test_every_catalogue_measure_is_reported(report: MeasuresReport) -> None:
    assert [m.id for m in report.measures] == list(load_catalogue().ids())


def test_offence_codes_are_summed_over_four_consecutive_quarters(tmp_path: Path) -> None:
    quarters = [date(2021, 9, 30), date(2021, 12, 31), date(2022, 3, 31), P]
    rows = [
        {"financial_year": "2022/23", "financial_quarter": 1, "period_start": q, "period_end": q,
         "area_code": AS, "csp_name": None, "offence_code": code, "offence_description": "d",
         "offence_group": "g", "offence_subgroup": "s", "offences": n}
        for q in quarters for code, n in [("34B", 5), ("34A", 100)]
    ]
    with build(tmp_path / "w.duckdb") as w:
        w.load([(Batch("codes.csv", "codes", P,
                       {"offence_code_crime": frame("offence_code_crime", rows)}), "sha-codes")])
        rep = compute_measures(w, AS, P, peer_groups={})
    r = rep.measure("personal_robbery")
    assert r.source_used == "offence_codes robbery_of_personal_property"
    assert r.count == 20  # 34B only: 5 a quarter x 4 quarters; 34A (business) left out
    assert r.value == pytest.approx(2.0)  # 20 / 10,000 x 1,000
    assert not any("not published by ONS" in c for c in r.caveats)


def test_a_rank_needs_another_force_with_a_figure(report: MeasuresReport) -> None:
    r = report.measure("rape_charge_rate")
    assert r.value == pytest.approx(0.06)  # 72 / 1,200
    assert r.benchmark_text == "Not available"  # not "1st/1 MSG"
    assert (r.peer_rank, r.peer_group_size, r.peers) == (None, None, ())
    assert any("No other MSG force has a figure" in c for c in r.caveats)


def test_a_yearly_proportion_uses_its_latest_year_and_compares_with_national(
    report: MeasuresReport,
) -> None:
    r = report.measure("cjs_trial_or_guilty_plea")
    assert r.value == pytest.approx(0.74)  # CPS area, year to December 2021
    assert r.national_value == pytest.approx(0.755)
    assert r.benchmark_text == "-1.5% points compared to national"  # 74.0% - 75.5%
    assert any("CPS area" in c for c in r.caveats)
    assert any("December 2021" in c for c in r.caveats)


def test_force_held_series_carry_the_national_figures(report: MeasuresReport) -> None:
    r = report.measure("cjs_days_at_crown_court")
    assert [(p.period_end.year, p.value, p.national) for p in r.series] == [
        (2019, 198.0, 182.0), (2021, 301.0, 274.0)]
    trial = report.measure("cjs_trial_or_guilty_plea")
    assert [p.national for p in trial.series] == [0.79, 0.755]
    # A series without national rows has none.
    assert all(p.national is None for p in report.measure("drug_disruptions").series)
