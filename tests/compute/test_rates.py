"""The denominator rule and the rate arithmetic."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from policeperf.compute.rates import (
    DenominatorLookup,
    constituent_forces,
    omitted_forces,
    rate,
    rule_mid_year,
)

# Lags stated in the P3 headers of the bundled editions that follow the usual rule.
PUBLISHED_LAGS = [
    (date(2018, 3, 31), 2016), (date(2018, 6, 30), 2017), (date(2018, 9, 30), 2017),
    (date(2018, 12, 31), 2017), (date(2019, 3, 31), 2017), (date(2019, 6, 30), 2018),
    (date(2019, 9, 30), 2018), (date(2019, 12, 31), 2018), (date(2021, 3, 31), 2019),
    (date(2022, 3, 31), 2020), (date(2022, 12, 31), 2021), (date(2023, 9, 30), 2022),
]  # fmt: skip


@pytest.mark.parametrize(("period_end", "mid_year"), PUBLISHED_LAGS)
def test_the_lag_rule_reproduces_the_estimate_ons_used(period_end: date, mid_year: int) -> None:
    assert rule_mid_year(period_end) == mid_year


def test_a_rate_is_per_thousand_and_missing_parts_give_none() -> None:
    assert rate(4886, 737300) == pytest.approx(6.6269, abs=1e-4)  # 1000 x 4886 / 737300
    assert rate(None, 10) is None
    assert rate(5, 0) is None


def _lookup() -> DenominatorLookup:
    published = pl.DataFrame({
        "period_end": [date(2022, 6, 30)], "area_code": ["A"], "base": ["population"],
        "value": [1000.0], "mid_year": [2020], "file": ["p.xlsx"], "sheet": ["Table P3"],
        "row": [5],
    })  # fmt: skip
    estimates = pl.DataFrame({
        "area_code": ["A", "A"], "base": ["population", "population"], "mid_year": [2015, 2016],
        "value": [800.0, 900.0], "file": ["e.xlsx", "e.xlsx"], "sheet": ["P10", "P10"],
        "row": [7, 7],
    })  # fmt: skip
    return DenominatorLookup(published, estimates)


def test_a_published_period_uses_its_own_p3_denominator() -> None:
    d = _lookup().get(date(2022, 6, 30), "A", "population")
    assert (d.value, d.mid_year, d.how, d.caveat) == (1000.0, 2020, "published", None)
    assert "p.xlsx" in d.note


def test_an_unpublished_period_uses_the_estimate_the_lag_rule_names() -> None:
    # Dec 2017 - 3 months = Sep 2017 -> 2017 - 1 = mid-2016
    d = _lookup().get(date(2017, 12, 31), "A", "population")
    assert (d.value, d.mid_year, d.how) == (900.0, 2016, "rule")


def test_a_missing_estimate_falls_back_to_the_nearest_year_with_a_caveat() -> None:
    # Jun 2012 -> mid-2011 wanted; 2015 is the nearest known
    d = _lookup().get(date(2012, 6, 30), "A", "population")
    assert (d.value, d.mid_year, d.how) == (800.0, 2015, "nearest")
    assert d.caveat is not None and "mid-2011" in d.caveat


def test_an_area_without_any_estimate_has_no_denominator() -> None:
    d = _lookup().get(date(2012, 6, 30), "B", "population")
    assert d.value is None and d.how == "missing"


# Wales and its four forces, for totals that leave a force out (hand-worked numbers).
P = date(2022, 12, 31)
WALES, NW, GW, SW, DP = "W92000004", "W15000001", "W15000002", "W15000003", "W15000004"


def test_the_forces_of_a_total_come_from_the_area_tree() -> None:
    assert set(constituent_forces(WALES)) == {NW, GW, SW, DP}
    assert len(constituent_forces("K04000001")) == 43
    assert len(constituent_forces("E92000001")) == 39
    assert set(constituent_forces("E12000007")) == {"E23000001", "E23000034"}
    assert constituent_forces(NW) == (NW,)


def test_a_force_published_as_unavailable_is_left_out_of_its_totals() -> None:
    counts = pl.DataFrame({
        "period_end": [P] * 5 + [date(2013, 12, 31)] * 2,
        "area_code": [WALES, NW, GW, SW, DP, WALES, GW],
        "count": [60.0, 10.0, 20.0, 30.0, None, 5.0, None],
        "marker": [None, None, None, None, "[x]", None, "-15"],
    })  # fmt: skip
    # A negative count (published, stored as a marker) is part of the total: not left out.
    assert omitted_forces(counts) == {(P, WALES): (DP,)}


def _wales(total: float, anchors: pl.DataFrame | None = None) -> DenominatorLookup:
    published = pl.DataFrame({
        "period_end": [P] * 5, "area_code": [WALES, NW, GW, SW, DP],
        "base": ["households"] * 5, "value": [total, 300.0, 250.0, 350.0, None],
        "mid_year": [2020] * 5, "file": ["p.xlsx"] * 5, "sheet": ["Table P3"] * 5,
        "row": [1, 2, 3, 4, 5],
    })  # fmt: skip
    estimates = pl.DataFrame({
        "area_code": [DP], "base": ["households"], "mid_year": [2021], "value": [100.0],
        "file": ["e.xlsx"], "sheet": ["Table P3"], "row": [5],
    })  # fmt: skip
    return DenominatorLookup(published, estimates, anchors)


def test_a_total_that_still_counts_a_left_out_force_divides_by_the_others() -> None:
    # Printed Wales 1,000 = 300 + 250 + 350 + Dyfed-Powys 100; the count leaves Dyfed-Powys out.
    d = _wales(1000.0).get(P, WALES, "households", (DP,))
    assert (d.value, d.how) == (900.0, "sum_without")
    assert "leaves out Dyfed-Powys" in d.note
    assert _wales(1000.0).get(P, WALES, "households").value == 1000.0  # the usual figure


def test_ons_unrounded_total_is_used_when_its_rate_matches_the_included_forces() -> None:
    anchors = pl.DataFrame({
        "period_end": [P], "area_code": [WALES], "base": ["households"], "count": [90.0],
        "rate": [100.01], "offence": ["residential_burglary"], "file": ["p.xlsx"],
        "sheet": ["Table P3"], "row": [1],
    })  # fmt: skip
    d = _wales(1000.0, anchors).get(P, WALES, "households", (DP,))
    assert d.how == "published_without"
    assert d.value == pytest.approx(1000 * 90 / 100.01)  # 899.91, within rounding of 900


def test_a_total_printed_without_the_left_out_force_is_used_as_printed() -> None:
    # Printed Wales 900 already leaves Dyfed-Powys out (as ONS did for Greater Manchester, 2019).
    d = _wales(900.0).get(P, WALES, "households", (DP,))
    assert (d.value, d.how) == (900.0, "published")
    assert "already leaves out Dyfed-Powys" in d.note
