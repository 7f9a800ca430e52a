"""The denominator rule and the rate arithmetic."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from policeperf.compute.rates import DenominatorLookup, rate, rule_mid_year

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
