"""Tests for policeperf.compute.trends: Mann-Kendall (Hamed-Rao), Sen's slope and trend words."""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from datetime import date

import numpy as np
import pymannkendall as mk  # type: ignore[import-untyped]
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policeperf.compute.trends import (
    TrendSettings,
    classify_trend,
    default_window,
    mann_kendall_hamed_rao,
    sens_slope,
)


def month_ends(n: int, year: int = 2020, month: int = 7) -> list[date]:
    """n consecutive month ends starting at (year, month)."""
    out = []
    for i in range(n):
        y, m = divmod(year * 12 + month - 1 + i, 12)
        out.append(date(y, m + 1, calendar.monthrange(y, m + 1)[1]))
    return out


def series(
    values: Sequence[float | None], year: int = 2020, month: int = 7
) -> list[tuple[date, float | None]]:
    """(month end, value) pairs for consecutive months from (year, month)."""
    return list(zip(month_ends(len(values), year, month), values, strict=True))


def test_sens_slope_is_the_median_of_pairwise_slopes() -> None:
    # values 1, 3, 2, 5 at t = 0..3: slopes 2, 0.5, 4/3, -1, 1, 3
    # sorted -1, 0.5, 1, 4/3, 2, 3 -> median (1 + 4/3) / 2 = 7/6
    assert sens_slope([0, 1, 2, 3], [1, 3, 2, 5]) == pytest.approx(7 / 6)


def test_mann_kendall_score_and_variance_without_ties() -> None:
    # 1, 3, 2, 5: pair signs + + + - + + -> S = 4; var = 4 x 3 x 13 / 18 = 8.6667; tau = 4/6
    result = mann_kendall_hamed_rao([1, 3, 2, 5])
    assert result.s == 4
    assert result.tau == pytest.approx(2 / 3)
    assert result.var_s / result.correction == pytest.approx(156 / 18)


def test_mann_kendall_variance_subtracts_the_tie_term() -> None:
    # 1, 1, 2: S = 0 + 1 + 1 = 2; one tie group of 2: var = (3x2x11 - 2x1x9) / 18 = 48/18
    result = mann_kendall_hamed_rao([1, 1, 2])
    assert result.s == 2
    assert result.var_s / result.correction == pytest.approx(48 / 18)


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:divide by zero encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
@settings(max_examples=150)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=4, max_size=40),
    st.floats(min_value=-2.0, max_value=2.0, allow_nan=False),
)
# Found by Hypothesis on a fresh clone: the autocorrelation correction is exactly 0 here, so the
# reference's variance is 0 (or a rounding error either side of it) and its p-value meaningless.
@example(counts=[3, 3, 2, 2, 2, 0, 2, 0, 0], drift=0.0)
@example(counts=[3, 3, 2, 2, 2, 0, 2, 0, 0], drift=1e-12)
def test_hamed_rao_matches_pymannkendall(counts: list[int], drift: float) -> None:
    # pymannkendall.hamed_rao_modification_test is the reference implementation of the method.
    x = np.array(counts, dtype=float) + drift * np.arange(len(counts))
    ours = mann_kendall_hamed_rao(x)
    ref = mk.hamed_rao_modification_test(x)
    if len(set(x)) == 1:
        # A constant series: pymannkendall divides 0 by 0 (nan); ours reports no trend, p = 1.
        assert (ours.s, ours.p_value) == (0.0, 1.0)
        return
    n = len(x)
    _, ties = np.unique(x, return_counts=True)
    uncorrected = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
    if not math.isfinite(ref.p) or ref.var_s <= 1e-9 * uncorrected:
        # pymannkendall's corrected variance can go negative or to zero (strong negative
        # autocorrelation); ours then falls back to the uncorrected variance by design.
        assert ours.correction == 1.0
        return
    assert ours.s == ref.s
    assert ours.tau == pytest.approx(ref.Tau)
    assert ours.var_s == pytest.approx(ref.var_s, rel=1e-9)
    assert ours.p_value == pytest.approx(ref.p, abs=1e-9)


def test_classify_trend_agrees_with_pymannkendall_on_a_real_shaped_monthly_series() -> None:
    rng = np.random.default_rng(20220630)
    values = 400 + 3 * np.arange(24) + rng.normal(0, 25, 24).round()
    result = classify_trend(series(list(values)), 12)
    ref = mk.hamed_rao_modification_test(values)
    assert result.p_value == pytest.approx(ref.p, abs=1e-12)
    assert result.sen_slope == pytest.approx(ref.slope)
    assert result.tau == pytest.approx(ref.Tau)


def test_steady_rise_of_two_a_month_from_100_is_a_strong_increase() -> None:
    # 100, 102, ..., 146: S = 24 x 23 / 2 = 276, var = 24 x 23 x 53 / 18 = 1625.33,
    # z = 275 / 40.316 = 6.821, p = 9.0e-12. Detrended values are constant -> no autocorrelation.
    # Sen's slope 2 a month = 24 a year; median = (122 + 124) / 2 = 123; 24/123 = 19.5% >= 15%.
    result = classify_trend(series([100 + 2 * i for i in range(24)]), 12)
    assert result.word == "Strong increase"
    assert result.p_value == pytest.approx(9.03e-12, rel=0.01)
    assert result.sen_slope == pytest.approx(2.0)
    assert result.slope_pct_per_year == pytest.approx(100 * 24 / 123)
    assert result.n == 24
    assert (result.window_start, result.window_end) == (date(2020, 7, 31), date(2022, 6, 30))


def test_rise_of_one_a_month_from_100_is_a_moderate_increase() -> None:
    # 12 a year over median 111.5 = 10.8% a year: between 5% and 15%.
    result = classify_trend(series([100 + i for i in range(24)]), 12)
    assert result.slope_pct_per_year == pytest.approx(1200 / 111.5)
    assert result.word == "Moderate increase"


def test_fall_of_three_a_month_from_200_is_a_strong_reduction() -> None:
    # -36 a year over median (200 - 3 x 11.5) = 165.5: -21.8% a year.
    result = classify_trend(series([200 - 3 * i for i in range(24)]), 12)
    assert result.slope_pct_per_year == pytest.approx(-3600 / 165.5)
    assert result.word == "Strong reduction"


def test_moderate_reduction_between_the_cut_offs() -> None:
    # -1 a month from 100: -12 a year over median 88.5 = -13.6% a year.
    result = classify_trend(series([100 - i for i in range(24)]), 12)
    assert result.word == "Moderate reduction"


def test_significant_but_tiny_slope_reads_stable() -> None:
    # +0.2 a month on 1000: p ~ 9e-12 but 2.4 / 1002.3 = 0.24% a year < 5%.
    result = classify_trend(series([1000 + 0.2 * i for i in range(24)]), 12)
    assert result.p_value is not None and result.p_value < 0.05
    assert result.word == "Stable"


def test_large_slope_that_is_not_significant_reads_stable() -> None:
    # Eight noisy quarters: Sen's slope is large in % terms but the test cannot rule out chance.
    values = [100, 160, 90, 150, 95, 170, 110, 120]
    result = classify_trend(series(values), 4, TrendSettings(window_periods=8))
    assert result.slope_pct_per_year is not None and abs(result.slope_pct_per_year) >= 5
    assert result.p_value is not None and result.p_value >= 0.05
    assert result.word == "Stable"


def test_quarterly_slope_is_per_quarter_and_annualised_by_four() -> None:
    # 8 quarters rising 5 a quarter from 200: 20 a year over median 217.5 = 9.2% a year.
    quarters = [date(2020 + (3 * i + 8) // 12, (3 * i + 8) % 12 + 1, 28) for i in range(8)]
    points: list[tuple[date, float | None]] = [(d, 200 + 5 * i) for i, d in enumerate(quarters)]
    result = classify_trend(points, 4, TrendSettings(window_periods=8))
    assert result.sen_slope == pytest.approx(5.0)
    assert result.slope_pct_per_year == pytest.approx(2000 / 217.5)
    assert result.word == "Moderate increase"


def test_fewer_points_than_the_minimum_are_insufficient_data() -> None:
    result = classify_trend(series([1, 2, 3, 4, 5]), 12)
    assert result.word == "Insufficient data"
    assert (result.n, result.p_value, result.slope_pct_per_year) == (5, None, None)


def test_missing_values_are_dropped_not_read_as_zero() -> None:
    values: list[float | None] = [100 + 2 * i for i in range(24)]
    values[5] = None
    values[6] = None
    result = classify_trend(series(values), 12)
    # 22 values remain and the slope is still 2 a month: the gap keeps its length in time.
    assert result.n == 22
    assert result.sen_slope == pytest.approx(2.0)
    assert result.word == "Strong increase"


def test_a_proportion_at_100_percent_throughout_reads_stable_100() -> None:
    result = classify_trend(series([1.0] * 12), 12, proportion=True)
    assert result.word == "Stable (100%)"


def test_a_constant_count_is_stable_with_p_of_one() -> None:
    # All ties: S = 0 and var = 0 -> z = 0, p = 1.
    result = classify_trend(series([7.0] * 12), 12)
    assert (result.word, result.p_value) == ("Stable", 1.0)


def test_rising_counts_from_a_median_of_zero_read_increasing_without_a_percentage() -> None:
    # 13 zeros then 1..11: the median is 0, so no % of the level exists; the test is significant.
    result = classify_trend(series([0.0] * 13 + [float(i) for i in range(1, 12)]), 12)
    assert result.slope_pct_per_year is None
    assert result.word == "Increasing"


def test_the_latest_window_ignores_older_periods() -> None:
    # 12 months rising fast, then 24 flat-ish months: the latest 24 months are stable.
    values = [50 + 10 * i for i in range(12)] + [160 + (i % 3) for i in range(24)]
    result = classify_trend(series(values, 2019, 7), 12)
    assert result.n == 24
    assert result.window_start == date(2020, 7, 31)
    assert result.word == "Stable"


def test_a_baseline_window_tests_the_pre_covid_trend_instead() -> None:
    values = [50 + 10 * i for i in range(12)] + [160 + (i % 3) for i in range(24)]
    baseline = (date(2019, 7, 1), date(2020, 6, 30))
    result = classify_trend(series(values, 2019, 7), 12, TrendSettings(baseline=baseline))
    # 12 baseline months rising 10 a month: 120 a year over median 105 = 114% a year.
    assert result.n == 12
    assert (result.window_start, result.window_end) == (date(2019, 7, 31), date(2020, 6, 30))
    assert result.word == "Strong increase"


def test_excluded_lockdown_months_are_dropped_and_counted() -> None:
    # A steady series with a lockdown dip in Apr-Jun 2021 (3 months at 20).
    values = [100.0 + (i % 2) for i in range(24)]
    for i in (9, 10, 11):
        values[i] = 20.0
    lockdown = ((date(2021, 4, 1), date(2021, 6, 30)),)
    result = classify_trend(series(values), 12, TrendSettings(excluded=lockdown))
    assert result.excluded_points == 3
    assert result.n == 21
    assert "3 excluded" in result.method
    assert result.word == "Stable"


def test_method_text_states_the_numbers() -> None:
    result = classify_trend(series([100 + 2 * i for i in range(24)]), 12)
    assert "Hamed-Rao" in result.method
    assert "24 values (Jul 2020 to Jun 2022; window: latest 24 values)" in result.method
    assert "+19.5% a year" in result.method
    assert "moderate 5%, strong 15%" in result.method


def test_inconsistent_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="moderate_pct"):
        TrendSettings(moderate_pct=20, strong_pct=10)
    with pytest.raises(ValueError, match="starts after"):
        TrendSettings(baseline=(date(2020, 1, 1), date(2019, 1, 1)))
    with pytest.raises(ValueError, match="divide 12"):
        classify_trend(series([1.0] * 10), 5)


def test_the_default_window_is_8_yearly_8_quarterly_or_24_monthly_values() -> None:
    assert [default_window(p) for p in (1, 2, 3, 4, 6, 12)] == [8, 8, 8, 8, 12, 24]


def test_a_gap_does_not_shorten_the_window_the_latest_24_monthly_values_are_tested() -> None:
    # 30 months (Mar 2020 to Aug 2022), 4 of the last 24 without a figure: the window reaches
    # back 4 more months, so exactly 24 values are tested (May 2020 to Aug 2022), not the 20
    # that fall within the last two years of the calendar.
    values: list[float | None] = [100.0 + (i % 5) for i in range(30)]
    for i in (10, 11, 20, 21):
        values[i] = None
    result = classify_trend(series(values, 2020, 3), 12)
    assert result.n == 24
    assert (result.window_start, result.window_end) == (date(2020, 5, 31), date(2022, 8, 31))
    assert "window: latest 24 values" in result.method


def test_yearly_values_with_a_missing_year_still_test_the_latest_8_values() -> None:
    # June values 2010-2022 with 2018 missing: the latest 8 are 2014-2022 without 2018.
    points: list[tuple[date, float | None]] = [
        (date(y, 6, 30), None if y == 2018 else float(y - 2000)) for y in range(2010, 2023)
    ]
    result = classify_trend(points, 1, TrendSettings(min_points=5))
    assert result.n == 8
    assert result.window_start == date(2014, 6, 30)


def test_excluded_points_are_dropped_before_the_latest_values_are_counted() -> None:
    # 36 months; the last 24 include 3 lockdown months: the window takes 3 older months instead.
    values = [100.0 + (i % 2) for i in range(36)]
    lockdown = ((date(2021, 4, 1), date(2021, 6, 30)),)
    result = classify_trend(series(values, 2019, 7), 12, TrendSettings(excluded=lockdown))
    assert result.n == 24
    assert result.excluded_points == 3
    assert result.window_start == date(2020, 4, 30)


def _example_monthly(series_id: str, category: str) -> list[tuple[date, float | None]]:
    """Monthly values of one series of the bundled (illustrative) example force file."""
    import csv
    from importlib import resources

    path = resources.files("policeperf.data") / "force-series" / "example-avon-and-somerset.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["series"] == series_id and r["category"] == category]
    return [(date.fromisoformat(r["period_end"]), float(r["value"])) for r in rows]


def test_a_satisfaction_rate_falling_from_80_to_68_percent_is_not_called_stable() -> None:
    # The example: the rolling rate falls from about 80% (2017) to 68% (June 2022).
    # Over every month since April 2016 (75 values, the old "within 8 years" window) the fall is
    # significant but only -2.6% of the median a year, under the 5% cut-off: "Stable". The
    # documented window, the latest 24 months, finds the recent fall: -5.7% a year.
    points = _example_monthly("victim_satisfaction_whole_experience", "overall")
    old = classify_trend(points, 12, TrendSettings(window_periods=96), proportion=True)
    assert (old.n, old.word) == (75, "Stable")
    assert old.slope_pct_per_year == pytest.approx(-2.6, abs=0.05)
    new = classify_trend(points, 12, proportion=True)
    assert new.n == 24 and new.p_value is not None and new.p_value < 0.05
    assert new.word == "Moderate reduction"


def test_average_ranks_are_scipys_rankdata_ties_and_nan_included() -> None:
    from scipy.stats import rankdata

    from policeperf.compute.trends import average_ranks

    rng = np.random.default_rng(7)
    for values in ([3.0, 3.0, 2.0, 2.0, 2.0, 0.0, 2.0, 0.0, 0.0], [1.5], [],
                   list(rng.integers(0, 5, 40).astype(float)), list(rng.normal(size=25))):
        assert np.array_equal(average_ranks(values), rankdata(values))
    assert np.isnan(average_ranks([1.0, float("nan"), 2.0])).all()


def test_the_mann_kendall_p_value_is_scipys_normal_tail_bit_for_bit() -> None:
    from scipy.stats import norm

    from policeperf.compute.trends import mann_kendall_hamed_rao

    test = mann_kendall_hamed_rao([5.0, 7.0, 6.0, 9.0, 8.0, 12.0, 11.0, 10.0, 14.0, 13.0])
    assert test.p_value == float(2.0 * norm.sf(abs(test.z)))


def test_the_median_of_sens_slope_is_numpys_bit_for_bit() -> None:
    import numpy as np

    from policeperf.compute.trends import _median

    rng = np.random.default_rng(7)
    for n in range(1, 40):
        values = rng.normal(size=n) * 10.0 ** rng.integers(-5, 5)
        assert _median(values) == float(np.median(values))
    assert np.isnan(_median(np.array([1.0, float("nan"), 3.0])))  # as np.median: NaN in, NaN out
