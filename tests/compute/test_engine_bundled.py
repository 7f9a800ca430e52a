"""Acceptance on the real bundled ONS data: Avon and Somerset, 12 months to June 2022."""

from __future__ import annotations

import polars as pl
import pytest

from policeperf.compute import sources
from policeperf.compute.engine import compute_measures
from policeperf.compute.rates import DenominatorLookup, rate
from policeperf.definitions import load_catalogue
from policeperf.reference.areas import forces
from policeperf.results import MeasuresReport
from policeperf.warehouse import Warehouse


@pytest.fixture(scope="module")
def june_2022(bundled_warehouse: Warehouse) -> MeasuresReport:
    return compute_measures(bundled_warehouse, "Avon and Somerset", "2022/23 Q1")


def test_residential_burglary_is_7th_of_8_and_higher(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("residential_burglary")
    # ONS's unrounded households figure, printed in P3 as 737,300 (rounded to 100).
    assert r.count == 4886 and r.mid_year == 2020
    assert r.denominator is not None and abs(r.denominator - 737300) <= 50
    assert round(r.value or 0, 3) == 6.627  # 1,000 x 4,886 / 737,300
    assert r.peer_average is not None and round(r.peer_average, 3) == 5.758
    assert r.benchmark_text == "7th/8 MSG (higher than MSG average rates)"


def test_robbery_is_8th_of_8_and_higher(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("robbery")
    assert round(r.value or 0, 3) == 0.923  # 1,597 / 1,729,500
    assert r.benchmark_text == "8th/8 MSG (higher than MSG average rates)"


def test_personal_robbery_falls_back_to_robbery_and_ranks_8th(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("personal_robbery")
    assert r.peer_rank == 8 and r.comparison == "higher than"
    assert r.stand_in_reason in r.caveats
    assert r.stand_in_reason is not None and r.stand_in_reason.startswith(
        "Personal robbery is not published by ONS: total robbery (personal and business) is "
        "shown")
    assert r.display_title == "All robbery (stand-in for personal robbery)"


def test_stand_in_sources_say_so_in_the_result_title(june_2022: MeasuresReport) -> None:
    titles = {r.id: r.display_title for r in june_2022.measures if r.stand_in}
    assert titles == {
        "serious_violence": "Violence with injury (stand-in for serious violence)",
        "drug_trafficking": "All drug offences (stand-in for drug trafficking)",
        "personal_robbery": "All robbery (stand-in for personal robbery)",
        "neighbourhood_crime": "Neighbourhood crime (counting all robbery for personal robbery)",
    }
    assert june_2022.measure("homicide").display_title == "Police recorded homicide offences"


def test_homicide_ranks_6th(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("homicide")
    assert r.count == 21 and r.peer_rank == 6


def test_vehicle_offences_rank_4th_and_similar(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("vehicle_offences")
    assert r.benchmark_text == "4th/8 MSG (similar to MSG average rates)"


def test_theft_from_the_person_is_similar_and_3rd_on_ons_data(june_2022: MeasuresReport) -> None:
    r = june_2022.measure("theft_from_the_person")
    assert r.comparison == "similar to" and r.peer_rank == 3  # the report printed 2nd


def test_the_peer_group_and_json_shape(june_2022: MeasuresReport) -> None:
    data = june_2022.to_dict()
    assert data["period_end"] == "2022-06-30"
    assert data["peer_group"][0] == "Avon and Somerset" and len(data["peer_group"]) == 8
    assert len(data["measures"]) == len(load_catalogue().measures)


def test_computed_rates_equal_the_rates_ons_published_in_p3(bundled_warehouse: Warehouse) -> None:
    """All 43 forces x every bundled edition x every offence in Table P3, to 3 decimal places.

    ONS divides by the unrounded estimate while P3 prints it rounded to 100. With the default
    denominators ("ons_unrounded", recovered from the total recorded crime rate for residents)
    every residents rate agrees to 3 decimal places (|difference| < 0.0005); the households
    rate is the one the households figure was recovered from, so it agrees by construction.
    Suppressed rates (City of London) are skipped.
    """
    con = sources.backend(bundled_warehouse)
    lookup = DenominatorLookup(
        sources.published_denominators(con), sources.estimates(con), sources.rate_anchors(con)
    )
    published = bundled_warehouse.query(
        "SELECT period_end, area_code, offence, base, rate FROM published_rates_current "
        "WHERE rate IS NOT NULL"
    ).filter(pl.col("area_code").is_in([f.code for f in forces()]))
    checked, mismatches = 0, []
    for offence in published["offence"].unique().to_list():
        counts = sources.crime_counts(con, offence)
        by_key = {(r[0], r[1]): r[2] for r in counts.select(
            "period_end", "area_code", "count").iter_rows()}  # fmt: skip
        for row in published.filter(pl.col("offence") == offence).iter_rows(named=True):
            count = by_key.get((row["period_end"], row["area_code"]))
            d = lookup.get(row["period_end"], row["area_code"], row["base"])
            mine = rate(count, d.value)
            assert d.how == "published"
            assert count is not None and d.value is not None and mine is not None
            checked += 1
            if abs(mine - row["rate"]) >= 0.0005:
                mismatches.append(row)
    assert checked > 18000
    assert mismatches == []


def test_printed_denominators_agree_with_published_rates_only_within_their_rounding(
    bundled_warehouse: Warehouse,
) -> None:
    """With the printed (rounded) denominators a rate may differ by up to the rounding bound
    1,000 x count x 50 / (d x (d - 50)), and some do differ in the third decimal place."""
    con = sources.backend(bundled_warehouse)
    lookup = DenominatorLookup(sources.published_denominators(con), sources.estimates(con))
    published = bundled_warehouse.query(
        "SELECT period_end, area_code, rate FROM published_rates_current WHERE rate IS NOT NULL "
        "AND offence = 'total_excluding_fraud' AND base = 'population'"
    ).filter(pl.col("area_code").is_in([f.code for f in forces()]))
    counts = sources.crime_counts(con, "total_excluding_fraud")
    by_key = {(r[0], r[1]): r[2] for r in counts.select(
        "period_end", "area_code", "count").iter_rows()}  # fmt: skip
    off_at_third_place = 0
    for row in published.iter_rows(named=True):
        count = by_key[(row["period_end"], row["area_code"])]
        d = lookup.get(row["period_end"], row["area_code"], "population").value
        assert count is not None and d is not None
        mine = 1000 * count / d
        assert abs(mine - row["rate"]) <= 1000 * count * 50 / (d * (d - 50)) + 5e-7
        off_at_third_place += abs(mine - row["rate"]) >= 0.0005
    assert off_at_third_place > 100
