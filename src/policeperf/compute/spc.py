"""XmR statistical process control chart, as NHS "Making Data Count" (NHSRplotthedots).

Per segment (the series is split at each rebase date):

* centre = mean of the limit points (all points, or the first ``fix_after`` points);
* moving ranges MR_i = |x_i - x_(i-1)| over the limit points, AMR = their mean; ranges
  >= 3.267 x AMR are screened out and AMR is recomputed (skipped when AMR is 0);
* limits = centre +/- 2.66 AMR; near limits = centre +/- (2/3 x 2.66) AMR;
* fewer than ``min_limit_points`` (12) limit points: the limits are "trial" limits.

Rules, within a segment, by precedence (the first that a point belongs to is reported):

1. ``outside_limits``: the point is above the upper or below the lower limit;
2. ``trend``: the point is part of a run of ``trend_points`` (7) values each strictly higher (or
   each strictly lower) than the one before; an equal value breaks the run;
3. ``two_of_three``: two of three consecutive points lie between the near limit and the limit,
   all three on the same side of the centre; the points in that zone are flagged (as
   NHSRplotthedots, a point outside the limits does not count towards this rule);
4. ``shift``: the point is part of a run of ``shift_points`` (7) on one side of the centre; a
   point exactly on the centre breaks the run.

Each flagged point is an improvement or a concern by polarity: a rise (above the limit, a rising
trend, two-of-three or shift above the centre) is a concern when lower is better. Unlike
NHSRplotthedots, which colours trend points by their side of the mean, a trend takes its
direction from the trend itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

__all__ = [
    "RULE_DESCRIPTIONS",
    "Polarity",
    "SpcPoint",
    "SpcResult",
    "SpcSegment",
    "SpcSettings",
    "xmr_chart",
]

Polarity = Literal["lower_is_better", "higher_is_better", "neutral"]
Rule = Literal["outside_limits", "trend", "two_of_three", "shift"]
Signal = Literal["improvement", "concern", "neutral"]

LIMIT = 2.66
NEAR = 2.0 / 3.0 * LIMIT
MR_SCREEN = 3.267

RULE_DESCRIPTIONS: dict[Rule, str] = {
    "outside_limits": "a point outside the process limits",
    "trend": "a run of {trend} points each higher (or each lower) than the one before",
    "two_of_three": "two of three points near a process limit, on the same side",
    "shift": "a run of {shift} points on one side of the mean",
}


@dataclass(frozen=True)
class SpcSettings:
    """XmR chart settings.

    Attributes:
        trend_points: Points in a trend run (6 or 7 in common use; default 7).
        shift_points: Points in a shift run (default 7).
        fix_after: Compute each segment's limits from its first K points only and apply them to
            the rest (None = use every point).
        rebase_dates: A new segment (with its own limits) starts at the first point whose period
            end is on or after each date.
        screen_outliers: Screen moving ranges >= 3.267 AMR before the limits (MDC default).
        min_limit_points: Limits from fewer points are trial limits.
    """

    trend_points: int = 7
    shift_points: int = 7
    fix_after: int | None = None
    rebase_dates: tuple[date, ...] = ()
    screen_outliers: bool = True
    min_limit_points: int = 12

    def __post_init__(self) -> None:
        if self.trend_points < 3 or self.shift_points < 3:
            raise ValueError("trend_points and shift_points must be at least 3")
        if self.fix_after is not None and self.fix_after < 2:
            raise ValueError(f"fix_after must be at least 2 points, got {self.fix_after}")
        if self.min_limit_points < 2:
            raise ValueError("min_limit_points must be at least 2")


@dataclass(frozen=True)
class SpcPoint:
    """One point of the chart with its limits and signal.

    Attributes:
        period_end: Last day of the period.
        value: The value plotted.
        centre: Mean of the segment's limit points.
        upper: Upper process limit (None when the segment has a single point).
        lower: Lower process limit.
        near_upper: Upper near limit (2/3 of the way to the upper limit).
        near_lower: Lower near limit.
        rule: The rule the point belongs to, by precedence; None when common cause.
        signal: "improvement", "concern", "neutral" (no polarity) or None (common cause).
        trial: True when the segment's limits rest on fewer than ``min_limit_points`` points.
    """

    period_end: date
    value: float
    centre: float
    upper: float | None
    lower: float | None
    near_upper: float | None
    near_lower: float | None
    rule: Rule | None
    signal: Signal | None
    trial: bool


@dataclass(frozen=True)
class SpcSegment:
    """Limits of one segment (between rebase dates).

    Attributes:
        start: Period end of the segment's first point.
        end: Period end of its last point.
        points: Points in the segment.
        limit_points: Points used for the centre and limits.
        mean: Centre line.
        amr: Average moving range after screening (None with a single limit point).
        screened_ranges: Moving ranges removed by the 3.267 AMR screen.
        trial: True when ``limit_points`` < ``min_limit_points``.
    """

    start: date
    end: date
    points: int
    limit_points: int
    mean: float
    amr: float | None
    screened_ranges: int
    trial: bool


@dataclass(frozen=True)
class SpcResult:
    """XmR chart result.

    Attributes:
        points: Per-point values, limits and signals, in date order.
        segments: Limits per segment.
        variation: Latest point: "common cause", "special cause improvement",
            "special cause concern" or, without polarity, "special cause neutral".
        assurance: With a target and a polarity: "consistently pass", "consistently fail" or
            "hit and miss"; otherwise None.
        missing_points: Points dropped because their value was None.
        method: Settings and outcome in plain words.
    """

    points: tuple[SpcPoint, ...]
    segments: tuple[SpcSegment, ...]
    variation: str
    assurance: str | None
    missing_points: int
    method: str


def xmr_chart(
    points: Sequence[tuple[date, float | None]],
    polarity: Polarity,
    settings: SpcSettings | None = None,
    target: float | None = None,
) -> SpcResult:
    """Build an XmR chart with Making Data Count rules.

    Args:
        points: (period_end, value) for consecutive periods. None values are dropped (the moving
            range then spans the gap; the count is reported as ``missing_points``).
        polarity: "lower_is_better", "higher_is_better" or "neutral".
        settings: Rule lengths, fixing and rebasing; defaults to :class:`SpcSettings()`.
        target: Optional target for the assurance summary.

    Returns:
        The chart. Raises ValueError when no value is given.
    """
    cfg = settings or SpcSettings()
    if polarity not in ("lower_is_better", "higher_is_better", "neutral"):
        raise ValueError(f"unknown polarity {polarity!r}")
    known = sorted((d, float(v)) for d, v in points if v is not None)
    missing = len(points) - len(known)
    if not known:
        raise ValueError("an SPC chart needs at least one value")
    out: list[SpcPoint] = []
    segments: list[SpcSegment] = []
    for part in _split(known, cfg.rebase_dates):
        seg = _limits(part, cfg)
        segments.append(seg)
        out.extend(_signals(part, seg, polarity, cfg))
    latest = out[-1]
    variation = "common cause" if latest.signal is None else f"special cause {latest.signal}"
    assurance = _assurance(latest, polarity, target)
    method = _describe(cfg, segments, variation, assurance, target)
    return SpcResult(tuple(out), tuple(segments), variation, assurance, missing, method)


def _split(
    known: list[tuple[date, float]], rebase: tuple[date, ...]
) -> list[list[tuple[date, float]]]:
    parts: list[list[tuple[date, float]]] = [[]]
    cuts = sorted(rebase)
    for d, v in known:
        while cuts and d >= cuts[0]:
            cuts.pop(0)
            if parts[-1]:
                parts.append([])
        parts[-1].append((d, v))
    return parts


def _limits(part: list[tuple[date, float]], cfg: SpcSettings) -> SpcSegment:
    values = np.array([v for _, v in part])
    base = values[: cfg.fix_after] if cfg.fix_after else values
    mean = float(np.mean(base))
    amr: float | None = None
    screened = 0
    if len(base) >= 2:
        mr = np.abs(np.diff(base))
        amr = float(np.mean(mr))
        if cfg.screen_outliers and amr > 0:
            keep = mr < MR_SCREEN * amr
            screened = int(np.sum(~keep))
            amr = float(np.mean(mr[keep]))
    trial = len(base) < cfg.min_limit_points
    return SpcSegment(part[0][0], part[-1][0], len(part), len(base), mean, amr, screened, trial)


def _signals(
    part: list[tuple[date, float]], seg: SpcSegment, polarity: Polarity, cfg: SpcSettings
) -> list[SpcPoint]:
    x = np.array([v for _, v in part])
    n = len(x)
    side = np.sign(x - seg.mean).astype(int)
    rules: list[Rule | None] = [None] * n
    dirs = [0] * n

    def mark(i: int, rule: Rule, direction: int) -> None:
        if rules[i] is None:  # rules are applied in precedence order
            rules[i], dirs[i] = rule, direction

    upper, lower, near_up, near_low = _limit_values(seg)
    if upper is not None and lower is not None:
        for i in range(n):
            if x[i] > upper or x[i] < lower:
                mark(i, "outside_limits", 1 if x[i] > upper else -1)
    step = np.sign(np.diff(x)).astype(int)
    for start in range(n - cfg.trend_points + 1):
        run = step[start : start + cfg.trend_points - 1]
        if abs(int(run.sum())) == cfg.trend_points - 1:
            for i in range(start, start + cfg.trend_points):
                mark(i, "trend", int(run[0]))
    if upper is not None and lower is not None and near_up is not None and near_low is not None:
        outside = (x > upper) | (x < lower)
        near = ~outside & ((x > near_up) | (x < near_low))
        for start in range(n - 2):
            window = range(start, start + 3)
            same_side = abs(int(side[start : start + 3].sum())) == 3
            if same_side and int(near[start : start + 3].sum()) >= 2:
                for i in window:
                    if near[i]:
                        mark(i, "two_of_three", int(side[i]))
    for start in range(n - cfg.shift_points + 1):
        run = side[start : start + cfg.shift_points]
        if abs(int(run.sum())) == cfg.shift_points:
            for i in range(start, start + cfg.shift_points):
                mark(i, "shift", int(run[0]))
    return [
        SpcPoint(
            d,
            v,
            seg.mean,
            upper,
            lower,
            near_up,
            near_low,
            rules[i],
            _classify(dirs[i], polarity, rules[i]),
            seg.trial,
        )
        for i, (d, v) in enumerate(part)
    ]


def _limit_values(
    seg: SpcSegment,
) -> tuple[float | None, float | None, float | None, float | None]:
    if seg.amr is None:
        return None, None, None, None
    m, a = seg.mean, seg.amr
    return m + LIMIT * a, m - LIMIT * a, m + NEAR * a, m - NEAR * a


def _classify(direction: int, polarity: Polarity, rule: Rule | None) -> Signal | None:
    if rule is None:
        return None
    if polarity == "neutral":
        return "neutral"
    rise_is_good = polarity == "higher_is_better"
    return "improvement" if (direction > 0) == rise_is_good else "concern"


def _assurance(latest: SpcPoint, polarity: Polarity, target: float | None) -> str | None:
    if target is None or polarity == "neutral" or latest.upper is None or latest.lower is None:
        return None
    lower_is_better = polarity == "lower_is_better"
    if target > latest.upper:
        return "consistently pass" if lower_is_better else "consistently fail"
    if target < latest.lower:
        return "consistently fail" if lower_is_better else "consistently pass"
    return "hit and miss"


def _describe(
    cfg: SpcSettings,
    segments: list[SpcSegment],
    variation: str,
    assurance: str | None,
    target: float | None,
) -> str:
    last = segments[-1]
    limits = "limits not computable (one point)"
    if last.amr is not None:
        limits = (
            f"mean {last.mean:.4g}, limits {last.mean - LIMIT * last.amr:.4g} to "
            f"{last.mean + LIMIT * last.amr:.4g} (2.66 x average moving range {last.amr:.4g})"
        )
    text = (
        f"XmR chart (NHS Making Data Count rules; trend {cfg.trend_points}, shift "
        f"{cfg.shift_points} points) over {sum(s.points for s in segments)} points in "
        f"{len(segments)} segment(s); latest segment from {last.start:%b %Y}: {limits}"
        f"{', trial limits' if last.trial else ''}. Latest point: {variation}."
    )
    if assurance is not None:
        text += f" Target {target:.4g}: {assurance}."
    return text
