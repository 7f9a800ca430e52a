"""The change on a year earlier and its significance (compute/change.py), worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from policeperf.compute.change import poisson_counts_test, year_change
from policeperf.results import MeasureResult, SeriesPoint

END = date(2022, 6, 30)
YEAR_BEFORE = date(2021, 6, 30)


def result(kind: str, unit: str, latest: SeriesPoint, earlier: SeriesPoint | None,
           ) -> MeasureResult:
    """A result whose series holds the point a year earlier (when given) and the latest."""
    series = tuple(p for p in (earlier, SeriesPoint(date(2021, 12, 31), None), latest) if p)
    return MeasureResult(
        id="m", title="M", priority="p", priority_title="P", kind=kind, unit=unit,
        polarity="lower_is_better", period_end=END, value=latest.value, count=latest.count,
        denominator=latest.denominator, series=series)


def test_three_against_twelve_events_is_significant_by_the_exact_test() -> None:
    # n = 15, X ~ Bin(15, 1/2): P(X <= 3) = (1 + 15 + 105 + 455) / 32,768 = 576 / 32,768.
    assert poisson_counts_test(3, 12) == pytest.approx(2 * 576 / 32768)
    assert poisson_counts_test(12, 3) == pytest.approx(2 * 576 / 32768)


def test_equal_counts_give_a_p_value_of_one() -> None:
    assert poisson_counts_test(10, 10) == 1.0
    assert poisson_counts_test(0, 0) == 1.0


def test_exposures_set_the_binomial_share() -> None:
    # Exposures 3 and 1: share 3/4. 0 against 2 events: P(X <= 0) = (1/4)^2 = 1/16, doubled 1/8.
    assert poisson_counts_test(0, 2, 3.0, 1.0) == pytest.approx(0.125)


def test_a_rate_rising_from_one_to_seven_offences_is_large_but_not_significant() -> None:
    # 1 then 7 offences, both per 1,000 residents of 1,000: +600%. n = 8, X ~ Bin(8, 1/2):
    # P(X >= 7) = (8 + 1) / 256, doubled = 0.0703 > 0.05.
    change = year_change(result(
        "recorded_crime_rate", "per 1,000 residents",
        SeriesPoint(END, 7.0, count=7, denominator=1000),
        SeriesPoint(YEAR_BEFORE, 1.0, count=1, denominator=1000)))
    assert change is not None
    assert (change.unit, change.test, change.direction) == ("percent", "poisson_rates", "up")
    assert change.change == pytest.approx(600.0)
    assert change.p_value == pytest.approx(18 / 256)
    assert change.significant is False
    assert "conditional binomial" in change.method


def test_a_count_falling_from_twelve_to_three_is_a_significant_fall() -> None:
    change = year_change(result("count", "12-month rolling count",
                                SeriesPoint(END, 3.0, count=3), SeriesPoint(YEAR_BEFORE, 12.0,
                                                                            count=12)))
    assert change is not None
    assert change.change == pytest.approx(-75.0)
    assert (change.test, change.significant) == ("poisson_counts", True)


def test_a_survey_rate_from_45_to_60_percent_of_100_is_a_significant_rise_in_points() -> None:
    # Pooled p = 105/200 = 0.525; SE = sqrt(0.525 x 0.475 x 2/100) = 0.07062; z = 0.15/0.07062
    # = 2.124; p = 0.0337.
    change = year_change(result("survey_proportion", "% satisfied",
                                SeriesPoint(END, 0.60, count=60, denominator=100),
                                SeriesPoint(YEAR_BEFORE, 0.45, count=45, denominator=100)))
    assert change is not None
    assert (change.unit, change.test) == ("points", "two_proportions")
    assert change.change == pytest.approx(15.0)
    assert change.p_value == pytest.approx(0.0337, abs=5e-4)
    assert change.significant is True


def test_hours_and_durations_are_not_tested_and_say_so() -> None:
    hours = year_change(result("count", "hours, 12-month rolling total",
                               SeriesPoint(END, 62738.0, count=62738.0),
                               SeriesPoint(YEAR_BEFORE, 60000.0, count=60000.0)))
    days = year_change(result("duration", "days (mean)", SeriesPoint(END, 301.0),
                              SeriesPoint(YEAR_BEFORE, 274.0)))
    assert hours is not None and days is not None
    assert (hours.test, hours.significant) == ("none", None)
    assert days.method.startswith("Not tested")
    assert days.change == pytest.approx(100 * 27 / 274)


def test_no_figure_a_year_earlier_gives_no_change() -> None:
    assert year_change(result("count", "count", SeriesPoint(END, 3.0, count=3), None)) is None


def test_a_proportion_without_counts_is_not_tested() -> None:
    change = year_change(result("proportion", "%", SeriesPoint(END, 0.74),
                                SeriesPoint(YEAR_BEFORE, 0.74)))
    assert change is not None
    assert (change.change, change.test, change.direction) == (0.0, "none", "none")


def test_an_older_latest_figure_is_compared_with_the_year_before_it() -> None:
    # Yearly rows published to June 2021 in a report for June 2022: June 2021 against June 2020.
    stale = MeasureResult(
        id="m", title="M", priority="p", priority_title="P", kind="proportion", unit="%",
        polarity="lower_is_better", period_end=END, value=0.242, count=2251, denominator=9300,
        series=(SeriesPoint(date(2020, 6, 30), 0.25, count=2350, denominator=9400),
                SeriesPoint(YEAR_BEFORE, 0.242, count=2251, denominator=9300)))
    change = year_change(stale)
    assert change is not None
    assert change.earlier_period == date(2020, 6, 30)
    assert change.change == pytest.approx(-0.8)


def test_the_binomial_tails_agree_with_scipy_stats_binom_to_nine_digits() -> None:
    from scipy.stats import binom

    from policeperf.compute.change import binomial_cdf, binomial_sf

    shares = (0.5, 0.01, 0.3333333333333333, 0.497, 0.5003, 0.9999)
    for n in (1, 2, 15, 40, 1000, 12_345, 250_000, 1_000_000):
        middle = n // 2
        for k in sorted({-1, 0, 1, n // 3, middle - 300, middle - 10, middle, middle + 7,
                         n - 1, n, n + 1}):
            for p in shares:
                for ours, theirs in ((binomial_cdf(k, n, p), float(binom.cdf(k, n, p))),
                                     (binomial_sf(k, n, p), float(binom.sf(k, n, p)))):
                    if theirs < 1e-290:  # below what a p-value needs; both underflow there
                        assert ours < 1e-280, (k, n, p)
                        continue
                    assert abs(ours - theirs) <= 1e-9 * theirs, (k, n, p, ours, theirs)


def test_every_five_percent_decision_on_real_sized_counts_matches_scipy() -> None:
    from scipy.stats import binom

    # Counts like a force's 12-month offence totals, a year apart, around the 5% boundary.
    for before in (40, 900, 14_000, 142_927):
        for now in range(int(before * 0.9), int(before * 1.1), max(1, before // 400)):
            n, share = now + before, 0.5
            theirs = min(1.0, 2.0 * min(float(binom.cdf(now, n, share)),
                                        float(binom.sf(now - 1, n, share))))
            assert (poisson_counts_test(now, before) < 0.05) == (theirs < 0.05), (now, before)


def test_a_binomial_tail_by_hand() -> None:
    from policeperf.compute.change import binomial_cdf, binomial_sf

    # X ~ Binomial(4, 1/2): P(X <= 1) = (1 + 4) / 16; P(X > 2) = (4 + 1) / 16.
    assert binomial_cdf(1, 4, 0.5) == pytest.approx(5 / 16, rel=1e-14)
    assert binomial_sf(2, 4, 0.5) == pytest.approx(5 / 16, rel=1e-14)
    # X ~ Binomial(3, 0.2): P(X <= 0) = 0.8^3 = 0.512.
    assert binomial_cdf(0, 3, 0.2) == pytest.approx(0.512, rel=1e-14)
