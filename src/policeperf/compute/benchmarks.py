"""Peer-group (Most Similar Group) statistics: averages, rank and the comparison word.

The group passed to every function holds all members *including* the force itself (8 rows for
a full MSG). Rates are per 1,000 of the denominator (residents, or households for residential
burglary).

* Averages: :func:`simple_mean` (mean of the members' rates, the old HMIC comparator) and
  :func:`weighted_mean` (sum of counts / sum of denominators x 1,000, as HMICFRS dashboards).
* Rank: :func:`rank_in_group`; rank 1 is best by the measure's polarity. Ties share the best
  (lowest) rank they cover ("competition ranking": 1, 2, 2, 4) and are flagged ``tied`` so the
  text can print "=2nd/8".
* The word "below / similar to / higher than MSG average rates" is about the number, not about
  better or worse, so it ignores polarity. No public source states the rule iQuanta uses, so the
  rule is a named choice: ``pct_band`` (default, +/-15% of the MSG average), ``sd_band``,
  ``poisson_exact`` and ``funnel``. Each returns a :class:`Comparison` whose description is
  printed in the report's method note.
* Every rule judges the force against the MSG average that is printed beside the word: its
  ``average`` argument ("simple" or "weighted", :func:`group_mean`) must be the average the
  report shows, so that a rate is never "higher than" a printed average it lies below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "COMPARISON_RULES",
    "Average",
    "DEFAULT_PCT_BAND",
    "Comparison",
    "GroupRank",
    "PeerRate",
    "benchmark_text",
    "compare_to_group",
    "funnel",
    "group_mean",
    "national_difference_text",
    "ordinal",
    "overdispersion",
    "pct_band",
    "poisson_exact",
    "rank_in_group",
    "sd_band",
    "simple_mean",
    "weighted_mean",
]

Polarity = Literal["lower_is_better", "higher_is_better"]
Word = Literal["below", "similar to", "higher than"]
DifferenceUnit = Literal["percentage_points", "absolute"]
Average = Literal["simple", "weighted"]

#: Default half-width of the ``pct_band`` rule, in % of the MSG average printed (simple by
#: default). It reproduces the June 2022 seed report's neighbourhood crime words: burglary +15.1%
#: higher, robbery +37.1% higher, vehicle offences +2.0% similar, theft from the person -13.1%
#: similar; not its homicide or serious violence words (docs/methods/statistics.md says why).
DEFAULT_PCT_BAND = 15.0
PER = 1000.0


@dataclass(frozen=True)
class PeerRate:
    """One member of a peer group for one measure and period.

    Attributes:
        area_code: ONS code of the force area (E23xxxxxx / W15xxxxxx).
        name: Force name.
        count: Numerator (offences, charges, ...).
        denominator: Population, households or other base.
        rate: Rate per 1,000 of the denominator (as published or recomputed).
    """

    area_code: str
    name: str
    count: float
    denominator: float
    rate: float


@dataclass(frozen=True)
class GroupRank:
    """Position of one force in its group.

    Attributes:
        rank: 1 = best by polarity; tied members share the lowest rank they cover.
        size: Number of members ranked.
        tied: True when another member has exactly the same rate.
    """

    rank: int
    size: int
    tied: bool


@dataclass(frozen=True)
class Comparison:
    """The comparison word with the rule that produced it.

    Attributes:
        word: "below", "similar to" or "higher than" (the MSG average).
        rule_name: Registered rule name, e.g. "pct_band".
        rule_description: The rule and this result in plain words, with the numbers.
        statistic: The number the rule tested (a % difference, SD units, p-value or z-score).
        threshold: The cut-off it was tested against.
    """

    word: Word
    rule_name: str
    rule_description: str
    statistic: float
    threshold: float


def simple_mean(group: Sequence[PeerRate]) -> float:
    """Mean of the members' rates, each force counting once (the force included)."""
    _require_members(group)
    return float(np.mean([m.rate for m in group]))


def weighted_mean(group: Sequence[PeerRate]) -> float:
    """Sum of counts / sum of denominators x 1,000: the group's rate as if it were one area."""
    _require_members(group)
    total = sum(m.denominator for m in group)
    if total <= 0:
        raise ValueError("denominators must sum to more than zero")
    return PER * sum(m.count for m in group) / total


def group_mean(group: Sequence[PeerRate], average: Average) -> float:
    """The MSG average a comparison is judged against: "simple" or "weighted"."""
    if average == "simple":
        return simple_mean(group)
    if average == "weighted":
        return weighted_mean(group)
    raise ValueError(f"unknown average {average!r}; valid: 'simple', 'weighted'")


def rank_in_group(group: Sequence[PeerRate], area_code: str, polarity: Polarity) -> GroupRank:
    """Rank a force within its group; rank 1 is the best.

    For ``lower_is_better`` the lowest rate ranks 1st; for ``higher_is_better`` (e.g. proactive
    drug trafficking detections) the highest rate ranks 1st. Rates are compared exactly; equal
    rates share the lowest rank they cover (two forces tied for 3rd are both 3rd, the next is 5th).

    Args:
        group: All members, the force included.
        area_code: The force to rank.
        polarity: Which direction is better.

    Returns:
        The rank, the group size and whether it is tied.
    """
    force = _member(group, area_code)
    if polarity == "lower_is_better":
        better = sum(1 for m in group if m.rate < force.rate)
    elif polarity == "higher_is_better":
        better = sum(1 for m in group if m.rate > force.rate)
    else:
        raise ValueError(f"unknown polarity {polarity!r}")
    tied = sum(1 for m in group if m.rate == force.rate) > 1
    return GroupRank(better + 1, len(group), tied)


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st, 111th."""
    if n < 0:
        raise ValueError(f"ordinal of a negative number: {n}")
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


GroupKind = Literal["official", "computed"]


def benchmark_text(
    rank: int, size: int, word: str | None, *, tied: bool = False,
    kind: GroupKind = "official",
) -> str:  # fmt: skip
    """Benchmark cell text, e.g. "7th/8 MSG (higher than MSG average rates)".

    A computed group (policeperf's similar forces, not the official Most Similar Group) says
    so: "3rd/8 similar forces (computed) (below group average rates)".

    Args:
        rank: Position, 1 = best.
        size: Group size.
        word: "below", "similar to", "higher than", or None to print the rank only.
        tied: Prefix the rank with "=" ("=3rd/8 MSG ...").
        kind: "official" (an MSG) or "computed".
    """
    position = f"{'=' if tied else ''}{ordinal(rank)}/{size}"
    if kind == "computed":
        text = f"{position} similar forces (computed)"
        return text if word is None else f"{text} ({word} group average rates)"
    if kind != "official":
        raise ValueError(f"unknown group kind {kind!r}; valid: 'official', 'computed'")
    text = f"{position} MSG"
    return text if word is None else f"{text} ({word} MSG average rates)"


def national_difference_text(diff: float | None, unit: DifferenceUnit, decimals: int = 2) -> str:
    """Difference from the national figure, in the measure's unit.

    Proportions are fractions (0.42 = 42%), so a diff of -0.015 prints "-1.5% points compared to
    national" (one decimal). Averages print the plain difference with ``decimals`` places (default
    2: "-0.05 compared to national"). Positive differences carry "+"; a difference that rounds to
    zero prints without a sign. None prints "Not available".

    Args:
        diff: Force minus national, or None when either is missing.
        unit: "percentage_points" for proportions, "absolute" for averages and counts.
        decimals: Decimal places for "absolute".
    """
    if diff is None or math.isnan(diff):
        return "Not available"
    if unit == "percentage_points":
        return f"{_signed(100.0 * diff, 1)}% points compared to national"
    if unit == "absolute":
        return f"{_signed(diff, decimals)} compared to national"
    raise ValueError(f"unknown unit {unit!r}; valid: 'percentage_points', 'absolute'")


def pct_band(
    group: Sequence[PeerRate], area_code: str, band_pct: float = DEFAULT_PCT_BAND,
    *, average: Average = "simple",
) -> Comparison:  # fmt: skip
    """% difference from the MSG average against a +/- band.

    statistic = 100 x (force rate - mean) / mean, with mean the ``average`` the report prints
    (simple by default). "higher than" when it is above +band_pct, "below" when under -band_pct,
    otherwise "similar to" (a difference exactly on the band is similar). It ignores how many
    offences lie behind the rate, so for rare offences (homicide) prefer ``poisson_exact``.
    """
    _check_positive("band_pct", band_pct)
    force = _member(group, area_code)
    mean = group_mean(group, average)
    if mean == 0:
        raise ValueError(f"the {average} MSG mean is zero; a % difference is undefined")
    diff = 100.0 * (force.rate - mean) / mean
    word = _word(diff > band_pct, diff < -band_pct)
    desc = (
        f"{force.name}'s rate {force.rate:.3f} is {diff:+.1f}% from the {average} MSG mean "
        f"{mean:.3f}; within +/-{band_pct:g}% counts as similar, so {word} MSG average."
    )
    return Comparison(word, "pct_band", desc, diff, band_pct)


def sd_band(
    group: Sequence[PeerRate], area_code: str, k: float = 1.0, *, average: Average = "simple"
) -> Comparison:
    """Distance from the MSG average in standard deviations of the members' rates.

    statistic = (force rate - mean) / SD, with mean the ``average`` the report prints (simple by
    default) and SD the sample standard deviation (n - 1) of all members' rates. "higher than"
    above +k, "below" under -k, otherwise "similar to".
    """
    _check_positive("k", k)
    force = _member(group, area_code)
    if len(group) < 2:
        raise ValueError("sd_band needs at least two members")
    mean = group_mean(group, average)
    sd = float(np.std([m.rate for m in group], ddof=1))
    z = 0.0 if sd == 0 else (force.rate - mean) / sd
    word = _word(z > k, z < -k)
    desc = (
        f"{force.name}'s rate {force.rate:.3f} is {z:+.2f} standard deviations (SD {sd:.3f}) "
        f"from the {average} MSG mean {mean:.3f}; within +/-{k:g} SD counts as similar, so "
        f"{word} MSG average."
    )
    return Comparison(word, "sd_band", desc, z, k)


def poisson_exact(
    group: Sequence[PeerRate], area_code: str, alpha: float = 0.05,
    *, average: Average = "simple",
) -> Comparison:  # fmt: skip
    """Exact Poisson test of the force's count against the count expected at the MSG average.

    expected = MSG mean rate (the ``average`` the report prints, simple by default) x force
    denominator / 1,000. The two-sided p-value doubles
    the smaller tail: p = min(1, 2 x min(P(X <= count), P(X >= count))), X ~ Poisson(expected).
    "higher than"/"below" when p < alpha, by the side of the count; otherwise "similar to".
    Statistic = p-value, threshold = alpha. Counts are rounded to whole offences.
    """
    from scipy.stats import poisson  # seconds to import: only where used

    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    force = _member(group, area_code)
    mean = group_mean(group, average)
    expected = mean * force.denominator / PER
    observed = round(force.count)
    if expected <= 0:
        p = 1.0 if observed == 0 else 0.0
    else:
        lower_tail = float(poisson.cdf(observed, expected))
        upper_tail = float(poisson.sf(observed - 1, expected))
        p = min(1.0, 2.0 * min(lower_tail, upper_tail))
    significant = p < alpha
    word = _word(significant and observed > expected, significant and observed < expected)
    desc = (
        f"{force.name} recorded {observed} against {expected:.1f} expected at the {average} MSG "
        f"mean rate {mean:.3f}; exact Poisson test p = {p:.2g} (significant below {alpha:g}), so "
        f"{word} MSG average."
    )
    return Comparison(word, "poisson_exact", desc, p, alpha)


def funnel(
    group: Sequence[PeerRate], area_code: str, confidence: float = 0.95,
    *, average: Average = "weighted",
) -> Comparison:  # fmt: skip
    """Funnel-plot comparison with overdispersion (Spiegelhalter 2005, additive random effects).

    Target theta = the MSG average the report prints (``average``; weighted by default, the
    usual funnel target). Each member's Poisson standard error is
    s_i = sqrt(1,000 x theta / denominator_i) and z_i = (rate_i - theta) / s_i. The z-scores are
    winsorised at their 10th and 90th percentiles (numpy linear interpolation) and
    phi = mean(z_w^2). If n x phi > n - 1, the between-force variance is
    tau^2 = (n phi - (n - 1)) / (sum w_i - sum w_i^2 / sum w_i) with w_i = 1 / s_i^2, otherwise 0.
    The force's score z = (rate - theta) / sqrt(s^2 + tau^2) is compared with the two-sided
    normal quantile (1.96 for 95% limits).
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    force = _member(group, area_code)
    theta = group_mean(group, average)
    if theta <= 0 or any(m.denominator <= 0 for m in group):
        raise ValueError("funnel needs a positive group rate and positive denominators")
    phi, tau2 = overdispersion([m.rate for m in group], [m.denominator for m in group], theta)
    s_force = PER * theta / force.denominator
    score = (force.rate - theta) / math.sqrt(s_force + tau2)
    from policeperf.compute.normal import ndtri  # norm.ppf bit for bit, without SciPy

    limit = float(ndtri(0.5 + confidence / 2.0))
    word = _word(score > limit, score < -limit)
    half = limit * math.sqrt(s_force + tau2)
    desc = (
        f"{force.name}'s rate {force.rate:.3f} against the {average} MSG mean {theta:.3f}: "
        f"{confidence:.0%} funnel limits {theta - half:.3f} to {theta + half:.3f} (overdispersion "
        f"phi {phi:.2f}, tau^2 {tau2:.4f}), z = {score:+.2f}, so {word} MSG average."
    )
    return Comparison(word, "funnel", desc, score, limit)


def percentile_rows(rows: NDArray[np.float64], q: float) -> NDArray[np.float64]:
    """``np.percentile(row, q)`` (the default "linear" method) of each row of a matrix, bit for
    bit, without the ``numpy.ma`` import (0.1-0.2 s) that ``np.percentile`` makes on its first
    call: the virtual index ``(n - 1) q`` and numpy's two-sided interpolation (its ``_lerp``)."""
    ordered = np.sort(rows, axis=1)
    n = ordered.shape[1]
    index = (n - 1) * (q / 100.0)
    if index >= n - 1:
        return ordered[:, -1]
    if index < 0:
        return ordered[:, 0]
    below = math.floor(index)
    gamma = index - below
    a, b = ordered[:, below], ordered[:, below + 1]
    diff = b - a
    out: NDArray[np.float64] = b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma
    return out


def percentile_linear(values: NDArray[np.float64], q: float) -> float:
    """``np.percentile(values, q)`` of one series (NaN when any value is NaN, as numpy gives):
    :func:`percentile_rows` of a one-row matrix."""
    row = np.asarray(values, dtype=float)
    if np.isnan(row).any():
        return float("nan")
    return float(percentile_rows(row[None, :], q)[0])


def overdispersion(
    rates: Sequence[float], denominators: Sequence[float], theta: float
) -> tuple[float, float]:
    """Spiegelhalter (2005) additive random-effects overdispersion of rates per 1,000.

    Each unit's Poisson variance is s_i^2 = 1,000 x theta / denominator_i and its z-score
    z_i = (rate_i - theta) / s_i. The z-scores are winsorised at their 10th and 90th percentiles
    (numpy linear interpolation) and phi = mean(z_w^2). If n x phi > n - 1 the between-unit
    variance is tau^2 = (n phi - (n - 1)) / (sum w_i - sum w_i^2 / sum w_i), w_i = 1 / s_i^2;
    otherwise 0.

    Returns:
        (phi, tau^2), tau^2 in (per 1,000)^2.
    """
    if theta <= 0 or any(d <= 0 for d in denominators):
        raise ValueError("overdispersion needs a positive target rate and positive denominators")
    s2 = np.array([PER * theta / d for d in denominators])
    z = (np.array(list(rates)) - theta) / np.sqrt(s2)
    lo, hi = percentile_linear(z, 10.0), percentile_linear(z, 90.0)
    phi = float(np.mean(np.clip(z, lo, hi) ** 2))
    n = len(s2)
    w = 1.0 / s2
    tau2 = max(0.0, (n * phi - (n - 1)) / float(np.sum(w) - np.sum(w**2) / np.sum(w)))
    return phi, tau2


ComparisonRule = Callable[..., Comparison]

#: Registered comparison rules by name; each takes (group, area_code, **parameters).
COMPARISON_RULES: dict[str, ComparisonRule] = {
    "pct_band": pct_band,
    "sd_band": sd_band,
    "poisson_exact": poisson_exact,
    "funnel": funnel,
}


def compare_to_group(
    group: Sequence[PeerRate], area_code: str, rule: str = "pct_band",
    *, average: Average | None = None, **parameters: float,
) -> Comparison:  # fmt: skip
    """Apply a registered comparison rule by name.

    Args:
        group: All members, the force included.
        area_code: The force compared.
        rule: One of :data:`COMPARISON_RULES`.
        average: The MSG average printed beside the word ("simple" or "weighted"): the rule
            judges the force against it. None keeps the rule's own default.
        **parameters: The rule's own settings (band_pct, k, alpha or confidence).

    Raises:
        ValueError: When the rule is not registered (the message lists those that are).
    """
    try:
        func = COMPARISON_RULES[rule]
    except KeyError:
        valid = ", ".join(sorted(COMPARISON_RULES))
        raise ValueError(f"unknown comparison rule {rule!r}; registered: {valid}") from None
    if average is None:
        return func(group, area_code, **parameters)
    return func(group, area_code, average=average, **parameters)


def _word(higher: bool, lower: bool) -> Word:
    if higher:
        return "higher than"
    if lower:
        return "below"
    return "similar to"


def _signed(value: float, decimals: int) -> str:
    text = f"{value:+.{decimals}f}"
    # A value that rounds to zero prints "0.0", never "+0.0" or "-0.0".
    return text[1:] if float(text) == 0.0 else text


def _member(group: Sequence[PeerRate], area_code: str) -> PeerRate:
    _require_members(group)
    for m in group:
        if m.area_code == area_code:
            return m
    codes = ", ".join(m.area_code for m in group)
    raise ValueError(f"{area_code!r} is not in the group ({codes})")


def _require_members(group: Sequence[PeerRate]) -> None:
    if not group:
        raise ValueError("the peer group is empty")


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")
