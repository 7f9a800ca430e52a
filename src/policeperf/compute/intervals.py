"""Confidence intervals and comparisons for survey proportions.

A survey rate (for example "% of victims satisfied with the whole experience") is ``k`` positive
answers out of ``n`` respondents. This module gives:

* :func:`wilson_interval`: the Wilson score interval for ``k / n`` (95% by default). Unlike the
  textbook "p ± 1.96·SE" interval it never leaves 0-100% and it still gives a useful range when
  ``k = 0`` or ``k = n``.
* :func:`compare_proportions` / :func:`significantly_different`: is the difference between two
  survey rates more than chance? Default: the pooled two-proportion z-test (two-sided). The
  non-overlap of the two 95% intervals is offered as ``method="non_overlap"``; it is much stricter
  (it works out at roughly a 0.5% significance level), so it misses real changes.
* :func:`rolling_pooled_proportion`: the rolling 12-period rate that pools respondents
  (sum of positives / sum of respondents), not the mean of 12 monthly percentages.

Proportions are fractions between 0 and 1 throughout; the renderer turns them into percentages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "DifferenceTest",
    "PooledPoint",
    "ProportionInterval",
    "SurveyCount",
    "compare_proportions",
    "rolling_pooled_proportion",
    "significantly_different",
    "wilson_interval",
]

DifferenceMethod = Literal["z_test", "non_overlap"]


@dataclass(frozen=True)
class SurveyCount:
    """Positive answers out of respondents for one period or group.

    Attributes:
        positive: Number of respondents giving the counted answer (e.g. "satisfied").
        respondents: Number of respondents asked.
    """

    positive: int
    respondents: int

    def __post_init__(self) -> None:
        if self.respondents < 0 or self.positive < 0:
            raise ValueError(f"counts must not be negative: {self.positive} of {self.respondents}")
        if self.positive > self.respondents:
            raise ValueError(f"positive ({self.positive}) exceeds respondents ({self.respondents})")


@dataclass(frozen=True)
class ProportionInterval:
    """A proportion with its Wilson score confidence interval.

    Attributes:
        positive: Number of positive answers (k).
        respondents: Number of respondents (n), always > 0.
        proportion: k / n.
        lower: Lower end of the interval.
        upper: Upper end of the interval.
        confidence: Confidence level, e.g. 0.95.
    """

    positive: int
    respondents: int
    proportion: float
    lower: float
    upper: float
    confidence: float


@dataclass(frozen=True)
class DifferenceTest:
    """Outcome of comparing two survey proportions.

    Attributes:
        different: True when the difference is judged real (not chance) by ``method``.
        method: "z_test" or "non_overlap".
        statistic: The z statistic (z_test) or the gap between the intervals (non_overlap;
            positive means they do not overlap). None when a proportion has no respondents.
        p_value: Two-sided p-value of the z-test; None for non_overlap or when untestable.
        description: The outcome in plain words with the numbers.
    """

    different: bool
    method: DifferenceMethod
    statistic: float | None
    p_value: float | None
    description: str


@dataclass(frozen=True)
class PooledPoint:
    """One point of a rolling pooled proportion.

    Attributes:
        period_end: Last day of the latest period in the window.
        positive: Sum of positives over the window.
        respondents: Sum of respondents over the window.
        interval: Wilson interval of the pooled proportion; None when the window is incomplete
            (fewer periods than the window so far) or holds no respondents.
    """

    period_end: date
    positive: int
    respondents: int
    interval: ProportionInterval | None


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> ProportionInterval | None:
    """Wilson score interval for k positives out of n.

    Formula, with z the two-sided normal quantile (1.95996 for 95%) and p = k/n::

        centre    = (p + z²/2n) / (1 + z²/n)
        halfwidth = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)

    Edge cases: n = 0 gives None (no rate can be stated); k = 0 gives lower = 0 exactly and
    k = n gives upper = 1 exactly (the formula gives these up to rounding; they are set exactly).

    Args:
        k: Positive answers, 0 <= k <= n.
        n: Respondents, >= 0.
        confidence: Confidence level in (0, 1).

    Returns:
        The interval, or None when n = 0.

    Raises:
        ValueError: On negative counts, k > n, or a confidence outside (0, 1).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    SurveyCount(k, n)  # validates the counts
    if n == 0:
        return None
    # norm.ppf bit for bit, without importing SciPy (seconds): compute/normal.py
    from policeperf.compute.normal import ndtri

    z = float(ndtri(0.5 + confidence / 2.0))
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    lower = 0.0 if k == 0 else max(0.0, centre - half)
    upper = 1.0 if k == n else min(1.0, centre + half)
    return ProportionInterval(k, n, p, lower, upper, confidence)


def compare_proportions(
    a: SurveyCount,
    b: SurveyCount,
    *,
    method: DifferenceMethod = "z_test",
    alpha: float = 0.05,
) -> DifferenceTest:
    """Judge whether two survey proportions differ by more than chance.

    ``z_test`` (default): pooled two-proportion z-test, two-sided::

        p_pool = (k_a + k_b) / (n_a + n_b)
        z = (p_a - p_b) / sqrt(p_pool (1 - p_pool) (1/n_a + 1/n_b))

    different when p < alpha. When p_pool is 0 or 1 both rates are identical (z = 0, p = 1).

    ``non_overlap``: different when the two Wilson intervals at confidence 1 - alpha do not
    overlap (touching intervals count as overlapping).

    Args:
        a: First proportion (e.g. this year's).
        b: Second proportion (e.g. last year's, or national).
        method: "z_test" or "non_overlap".
        alpha: Significance level; the intervals for non_overlap use confidence 1 - alpha.

    Returns:
        The outcome; not different (statistic None) when either has no respondents.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if a.respondents == 0 or b.respondents == 0:
        return DifferenceTest(
            False, method, None, None, "Not testable: a proportion has no respondents."
        )
    pa = a.positive / a.respondents
    pb = b.positive / b.respondents
    if method == "non_overlap":
        ia = wilson_interval(a.positive, a.respondents, 1.0 - alpha)
        ib = wilson_interval(b.positive, b.respondents, 1.0 - alpha)
        assert ia is not None and ib is not None  # respondents > 0 checked above
        gap = max(ia.lower - ib.upper, ib.lower - ia.upper)
        different = gap > 0.0
        level = round(100 * (1 - alpha))
        words = "do not overlap" if different else "overlap"
        text = (
            f"{level}% intervals {words}: {pa:.1%} ({ia.lower:.1%} to {ia.upper:.1%}) vs "
            f"{pb:.1%} ({ib.lower:.1%} to {ib.upper:.1%})."
        )
        return DifferenceTest(different, method, gap, None, text)
    if method != "z_test":
        raise ValueError(f"unknown method {method!r}; valid: 'z_test', 'non_overlap'")
    pooled = (a.positive + b.positive) / (a.respondents + b.respondents)
    variance = pooled * (1.0 - pooled) * (1.0 / a.respondents + 1.0 / b.respondents)
    if variance == 0.0:
        z, p_value = 0.0, 1.0
    else:
        from policeperf.compute.normal import ndtr  # norm.sf(x) is ndtr(-x), without SciPy

        z = (pa - pb) / math.sqrt(variance)
        p_value = float(2.0 * ndtr(-abs(z)))
    different = p_value < alpha
    verdict = "a real difference" if different else "no real difference"
    text = (
        f"Two-proportion z-test: {pa:.1%} ({a.positive}/{a.respondents}) vs {pb:.1%} "
        f"({b.positive}/{b.respondents}), z = {z:.2f}, p = {p_value:.3g}: {verdict} at the "
        f"{alpha:g} level."
    )
    return DifferenceTest(different, "z_test", z, p_value, text)


def significantly_different(
    a: SurveyCount,
    b: SurveyCount,
    *,
    method: DifferenceMethod = "z_test",
    alpha: float = 0.05,
) -> bool:
    """True when two survey proportions differ by more than chance.

    A shortcut for ``compare_proportions(a, b, method=method, alpha=alpha).different``; see
    :func:`compare_proportions` for the test used.

    Args:
        a: First proportion.
        b: Second proportion.
        method: "z_test" (default) or "non_overlap".
        alpha: Significance level.

    Returns:
        Whether the difference is judged real.
    """
    return compare_proportions(a, b, method=method, alpha=alpha).different


def rolling_pooled_proportion(
    points: Sequence[tuple[date, SurveyCount | None]],
    window: int = 12,
    confidence: float = 0.95,
) -> tuple[PooledPoint, ...]:
    """Rolling proportion pooling respondents over the last ``window`` periods.

    At each period the rate is (sum of positives) / (sum of respondents) over that period and the
    ``window - 1`` before it, so a month with many respondents weighs more than a quiet one. A
    period with no survey (None) adds nothing but still counts as one of the ``window`` periods.
    Points are taken in the order given (sorted by date first).

    Args:
        points: (period_end, counts or None) for consecutive periods.
        window: Number of periods pooled, 12 for a rolling year of monthly data.
        confidence: Confidence level of each interval.

    Returns:
        One point per input period; the first ``window - 1`` have interval None.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    ordered = sorted(points, key=lambda p: p[0])
    out: list[PooledPoint] = []
    for i, (period_end, _) in enumerate(ordered):
        span = ordered[max(0, i - window + 1) : i + 1]
        k = sum(c.positive for _, c in span if c is not None)
        n = sum(c.respondents for _, c in span if c is not None)
        complete = i >= window - 1
        interval = wilson_interval(k, n, confidence) if complete else None
        out.append(PooledPoint(period_end, k, n, interval))
    return tuple(out)
