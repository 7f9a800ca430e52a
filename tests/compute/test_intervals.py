"""Tests for policeperf.compute.intervals: Wilson intervals, proportion comparisons, pooling."""

from __future__ import annotations

from datetime import date

import pytest

from policeperf.compute.intervals import (
    SurveyCount,
    compare_proportions,
    rolling_pooled_proportion,
    significantly_different,
    wilson_interval,
)


def test_wilson_interval_matches_newcombe_1998_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, example 81/263: Wilson 0.2553 to 0.3662.
    ci = wilson_interval(81, 263)
    assert ci is not None
    assert ci.proportion == pytest.approx(81 / 263)
    assert ci.lower == pytest.approx(0.2553, abs=5e-5)
    assert ci.upper == pytest.approx(0.3662, abs=5e-5)


def test_zero_positives_give_a_lower_bound_of_exactly_zero_and_a_useful_upper_bound() -> None:
    # z = 1.959964, z^2 = 3.841459, n = 10: denom = 1 + 0.3841459 = 1.3841459
    # centre = (0 + 3.841459/20) / 1.3841459 = 0.1387664
    # half   = 1.959964/1.3841459 * sqrt(0 + 3.841459/400) = 1.4160104 * 0.0979982 = 0.1387664
    # -> 0 to 0.2775328 (a Wald interval would be 0 to 0, saying nothing).
    ci = wilson_interval(0, 10)
    assert ci is not None
    assert ci.lower == 0.0
    assert ci.upper == pytest.approx(0.2775328, abs=1e-6)


def test_all_positive_mirrors_the_zero_case() -> None:
    # By symmetry, 10/10 is 1 - (0 to 0.2775328) = 0.7224672 to 1.
    ci = wilson_interval(10, 10)
    assert ci is not None
    assert ci.upper == 1.0
    assert ci.lower == pytest.approx(1 - 0.2775328, abs=1e-6)


def test_no_respondents_gives_no_interval() -> None:
    assert wilson_interval(0, 0) is None


def test_impossible_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        wilson_interval(5, 4)
    with pytest.raises(ValueError, match="negative"):
        wilson_interval(-1, 4)


def test_z_test_finds_a_real_difference_between_60_and_45_percent_of_100() -> None:
    # pooled = (60 + 45) / 200 = 0.525; var = 0.525 * 0.475 * (1/100 + 1/100) = 0.0049875
    # z = (0.60 - 0.45) / sqrt(0.0049875) = 0.15 / 0.0706222 = 2.12398
    # p = 2 * (1 - Phi(2.12398)) = 0.03367 < 0.05
    result = compare_proportions(SurveyCount(60, 100), SurveyCount(45, 100))
    assert result.statistic == pytest.approx(2.12398, abs=1e-5)
    assert result.p_value == pytest.approx(0.03367, abs=1e-5)
    assert result.different
    assert significantly_different(SurveyCount(60, 100), SurveyCount(45, 100))


def test_non_overlap_is_stricter_and_misses_the_same_difference() -> None:
    # Wilson 60/100 = 50.2% to 69.1%; 45/100 = 35.6% to 54.8%: they overlap by 4.6 points,
    # so the interval rule says "no real difference" where the z-test says there is one.
    result = compare_proportions(SurveyCount(60, 100), SurveyCount(45, 100), method="non_overlap")
    assert not result.different
    assert result.statistic == pytest.approx(0.502 - 0.548, abs=1e-3)
    assert "overlap" in result.description


def test_identical_extreme_proportions_are_not_different() -> None:
    # pooled = 0, variance 0: both rates are 0%, so z = 0 and p = 1.
    result = compare_proportions(SurveyCount(0, 50), SurveyCount(0, 80))
    assert (result.different, result.statistic, result.p_value) == (False, 0.0, 1.0)


def test_a_proportion_without_respondents_cannot_be_compared() -> None:
    result = compare_proportions(SurveyCount(0, 0), SurveyCount(5, 10))
    assert not result.different
    assert result.statistic is None
    assert "Not testable" in result.description


def test_rolling_pooled_proportion_sums_positives_and_respondents_over_the_window() -> None:
    points = [
        (date(2022, 1, 31), SurveyCount(10, 20)),
        (date(2022, 2, 28), SurveyCount(5, 5)),
        (date(2022, 3, 31), None),  # no survey this month: adds nothing
        (date(2022, 4, 30), SurveyCount(0, 5)),
    ]
    pooled = rolling_pooled_proportion(points, window=2)
    # Jan: window incomplete -> no interval. Feb: (10+5)/(20+5) = 15/25 = 0.6, not the mean of
    # 50% and 100% (75%). Mar: 5/5 + nothing = 1.0. Apr: nothing + 0/5 = 0.0.
    assert pooled[0].interval is None
    assert (pooled[1].positive, pooled[1].respondents) == (15, 25)
    assert pooled[1].interval is not None and pooled[1].interval.proportion == 0.6
    assert pooled[2].interval is not None and pooled[2].interval.proportion == 1.0
    assert pooled[3].interval is not None and pooled[3].interval.proportion == 0.0


def test_rolling_window_with_no_respondents_has_no_interval() -> None:
    points = [(date(2022, 1, 31), None), (date(2022, 2, 28), SurveyCount(0, 0))]
    pooled = rolling_pooled_proportion(points, window=2)
    assert pooled[1].respondents == 0
    assert pooled[1].interval is None
