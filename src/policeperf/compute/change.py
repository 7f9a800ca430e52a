"""The change on a year earlier, and whether it is more than chance.

A pure function of a result (:func:`year_change`): it reads the latest figure and the series
point twelve months before it, so it works on any `MeasureResult`, however it was made (the
engine, or a results store that rebuilds results from their series). No warehouse is needed.

How the change is expressed:

* counts and rates: the relative change, in % of the figure a year earlier;
* proportions (survey rates, charge rates; values 0-1): the difference in percentage points.

Whether the change is more than chance (two-sided, 5% level by default):

* **counts** (offences, referrals, disruptions): the exact test of two Poisson counts, i.e. the
  conditional binomial test. Given the total ``k_now + k_before``, under "no change in the
  underlying rate" ``k_now`` is binomial with probability 1/2 (equal 12-month windows). The
  p-value doubles the smaller tail: ``p = min(1, 2 min(P(X <= k_now), P(X >= k_now)))``,
  as `compute.benchmarks.poisson_exact` does for the MSG comparison.
* **rates per 1,000** (recorded crime): the same test on the offence counts, with the
  probability set by the two denominators (the populations): ``d_now / (d_now + d_before)``.
* **proportions with counts** (positives out of respondents or outcomes): the pooled
  two-proportion z-test of `compute.intervals.compare_proportions`.
* anything else (durations, averages, hours, figures without counts): not tested, and the
  result says so.

Two 12-month windows a year apart do not overlap, so the two counts are independent, as the
tests assume. Recorded crime varies more than Poisson chance between places (over-dispersion),
but a force's count from one year to the next is close to Poisson; the test is the standard one
for comparing two counts and is documented in docs/methods/statistics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from policeperf.compute.intervals import SurveyCount, compare_proportions
from policeperf.compute.periods import add_months
from policeperf.results import MeasureResult, SeriesPoint

__all__ = [
    "PROPORTION_KINDS",
    "ChangeTest",
    "YearChange",
    "binomial_cdf",
    "binomial_sf",
    "is_proportion",
    "poisson_counts_test",
    "regularized_beta",
    "year_change",
]

PROPORTION_KINDS = frozenset({"survey_proportion", "proportion"})

ChangeTest = Literal["poisson_counts", "poisson_rates", "two_proportions", "none"]
ChangeUnit = Literal["percent", "points"]


def is_proportion(result: MeasureResult) -> bool:
    """True when the measure's value is a proportion in [0, 1] (printed as a percentage)."""
    return result.kind in PROPORTION_KINDS or result.unit.startswith("%")


@dataclass(frozen=True)
class YearChange:
    """The latest figure against the same period a year earlier.

    Attributes:
        earlier_period: Period end of the figure a year earlier.
        earlier: That figure, in the measure's units (a proportion 0-1 for proportions).
        latest: The latest figure.
        change: The change as shown: % of the earlier figure (unit "percent"), or percentage
            points (unit "points"). None when a % cannot be formed (the earlier figure is 0).
        unit: "percent" for counts, rates and averages; "points" for proportions.
        test: Which test was run ("none" when the figure carries no counts to test).
        p_value: Two-sided p-value; None when not tested.
        significant: p_value < alpha; None when not tested.
        method: The test and its numbers in plain words.
        earlier_count: The count behind the earlier figure (offences, positives), if known.
        latest_count: The count behind the latest figure, if known.
    """

    earlier_period: date
    earlier: float
    latest: float
    change: float | None
    unit: ChangeUnit
    test: ChangeTest
    p_value: float | None
    significant: bool | None
    method: str
    earlier_count: float | None = None
    latest_count: float | None = None

    @property
    def direction(self) -> Literal["up", "down", "none"]:
        """Which way the figure moved ("none" when it did not)."""
        if self.latest > self.earlier:
            return "up"
        return "down" if self.latest < self.earlier else "none"


def poisson_counts_test(
    k_now: int, k_before: int, exposure_now: float = 1.0, exposure_before: float = 1.0
) -> float:
    """Two-sided exact test that two Poisson counts share one rate (conditional binomial).

    Given ``n = k_now + k_before``, ``k_now ~ Binomial(n, e_now / (e_now + e_before))`` when the
    rate is the same; the p-value doubles the smaller tail, capped at 1.

    Args:
        k_now: The latest count (whole events).
        k_before: The earlier count.
        exposure_now: The latest denominator (population), or 1 for plain counts.
        exposure_before: The earlier denominator.

    Returns:
        The p-value (1.0 when both counts are zero).

    Examples:
        3 against 12 events in equal windows: n = 15, P(X <= 3) = 576 / 32,768 = 0.01758,
        so p = 0.03516.

        >>> round(poisson_counts_test(3, 12), 5)
        0.03516
    """
    if k_now < 0 or k_before < 0:
        raise ValueError(f"counts must not be negative, got {k_now} and {k_before}")
    if exposure_now <= 0 or exposure_before <= 0:
        raise ValueError("exposures must be positive")
    n = k_now + k_before
    if n == 0:
        return 1.0
    share = exposure_now / (exposure_now + exposure_before)
    lower = binomial_cdf(k_now, n, share)
    upper = binomial_sf(k_now - 1, n, share)
    return min(1.0, 2.0 * min(lower, upper))


# The binomial tails are regularized incomplete beta functions, evaluated here by the continued
# fraction of Numerical Recipes (Press et al., 3rd ed., section 6.4, modified Lentz) with the
# beta prefactor from math.lgamma: no scipy import (scipy.special costs about 0.3 s at start-up,
# a tenth of a report's run). tests/compute/test_change.py compares both tails with
# scipy.stats.binom over counts up to 250,000 (relative difference below 1e-9) and checks every
# 5% decision agrees.

_TINY = 1e-300
_EPS = 1e-15
_MAX_TERMS = 100_000


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2))."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((a - 1.0 + m2) * (a + m2)),
                   -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > _TINY else _TINY
            step = d * c
            h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function (a, b > 0, 0 <= x <= 1).

    Accurate in relative terms where it is small (a tail probability), because the continued
    fraction is summed on the side of the distribution's mean where it converges.
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
                 + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


@lru_cache(maxsize=4096)
def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p) (``scipy.stats.binom.cdf(k, n, p)``):
    I_{1-p}(n - k, k + 1).

    >>> round(binomial_cdf(3, 15, 0.5), 8)  # 576 / 32,768
    0.01757812
    """
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return min(1.0, max(0.0, regularized_beta(n - k, k + 1.0, 1.0 - p)))


@lru_cache(maxsize=4096)
def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X > k) for X ~ Binomial(n, p) (``scipy.stats.binom.sf(k, n, p)``): I_p(k + 1, n - k)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return min(1.0, max(0.0, regularized_beta(k + 1.0, n - k, p)))


def _latest_period(result: MeasureResult) -> date:
    """The period end of the latest figure: the report's period, or an older one when the
    latest figure is older (e.g. yearly rows published to the previous June)."""
    known = [p.period_end for p in result.series
             if p.value is not None and p.period_end <= result.period_end]
    return max(known) if known else result.period_end


def _year_earlier(result: MeasureResult) -> SeriesPoint | None:
    target = add_months(_latest_period(result), -12)
    for point in result.series:
        same = (point.period_end.year, point.period_end.month) == (target.year, target.month)
        if same and point.value is not None:
            return point
    return None


def _whole(value: float | None) -> int | None:
    """A count as a whole number, or None when it is missing or not whole (e.g. hours)."""
    if value is None or value < 0 or abs(value - round(value)) > 1e-9:
        return None
    return int(round(value))


def _untested(reason: str) -> tuple[ChangeTest, float | None, str]:
    return "none", None, f"Not tested: {reason}."


def _test(
    result: MeasureResult, earlier: SeriesPoint
) -> tuple[ChangeTest, float | None, str]:
    k_now, k_before = _whole(result.count), _whole(earlier.count)
    if is_proportion(result):
        n_now, n_before = _whole(result.denominator), _whole(earlier.denominator)
        if None in (k_now, k_before, n_now, n_before) or not n_now or not n_before:
            return _untested("the figures carry no counts of respondents or cases")
        assert k_now is not None and k_before is not None
        if k_now > n_now or k_before > (n_before or 0):
            return _untested("the counts exceed their totals")
        outcome = compare_proportions(SurveyCount(k_now, n_now), SurveyCount(k_before, n_before))
        return "two_proportions", outcome.p_value, outcome.description
    if k_now is None or k_before is None:
        return _untested("the figures carry no whole counts of events")
    if result.kind == "recorded_crime_rate":
        d_now, d_before = result.denominator, earlier.denominator
        if not d_now or not d_before:
            return _untested("a denominator is missing")
        p = poisson_counts_test(k_now, k_before, d_now, d_before)
        return "poisson_rates", p, (
            f"Exact test of two Poisson counts (conditional binomial) on {k_now:,} against "
            f"{k_before:,} offences, with denominators {d_now:,.0f} and {d_before:,.0f}: "
            f"p = {p:.2g}.")
    if result.kind == "count" and "hour" not in result.unit:
        p = poisson_counts_test(k_now, k_before)
        return "poisson_counts", p, (
            f"Exact test of two Poisson counts (conditional binomial) on {k_now:,} against "
            f"{k_before:,}: p = {p:.2g}.")
    return _untested("only counts, rates and proportions with their counts are tested")


def year_change(result: MeasureResult, alpha: float = 0.05) -> YearChange | None:
    """The change on the same period a year earlier, with its test (see the module docstring).

    Args:
        result: Any measure result; its ``series`` must hold the point 12 months before its
            latest figure (same month; the latest figure is at ``period_end``, or at the
            series' last point when the latest published figure is older), with counts and
            denominators for a test.
        alpha: Two-sided significance level.

    Returns:
        The change, or None when there is no latest value or no value a year earlier.
    """
    if result.value is None:
        return None
    earlier = _year_earlier(result)
    if earlier is None or earlier.value is None:
        return None
    latest, before = float(result.value), float(earlier.value)
    if is_proportion(result):
        unit: ChangeUnit = "points"
        change: float | None = 100.0 * (latest - before)
    else:
        unit = "percent"
        change = 100.0 * (latest - before) / before if before != 0 else None
    test, p_value, method = _test(result, earlier)
    significant = None if p_value is None else p_value < alpha
    return YearChange(earlier.period_end, before, latest, change, unit, test, p_value,
                      significant, method, earlier.count, result.count)
