"""Trend / outlook words from a series of period values.

Method (no public source defines "moderate" or "strong", so this is the project's documented
choice):

1. Take the period values (monthly or quarterly counts or rates, never 12-month rolling sums,
   which are autocorrelated by construction). Values that are None are dropped.
2. Drop points in ``excluded`` windows (e.g. lockdowns). Then choose the window: the values
   whose period ends lie within the ``baseline`` dates when given (e.g. the pre-COVID trend),
   otherwise the latest ``window_periods`` values that are left, counted as values, not as
   calendar time: a gap does not shorten the window, it reaches further back. The default
   window (:func:`default_window`) is the latest 8 values, or two years of values when that is
   more: 8 yearly, 8 quarterly or 24 monthly values.
3. Mann-Kendall test for a monotonic trend, with the Hamed and Rao (1998) variance correction for
   autocorrelation (as pymannkendall's ``hamed_rao_modification_test``), two-sided at ``alpha``.
4. Sen's slope (median of all pairwise slopes, time measured in periods from the calendar so
   that gaps left by excluded or missing periods keep their length), as a % of the window's
   median value per year.
5. Words: "Stable" when not significant or the slope is under ``moderate_pct``; "Moderate
   increase/reduction" up to ``strong_pct``; "Strong increase/reduction" at or above it. When the
   median level is zero or negative a % cannot be formed: significant trends then read
   "Increasing"/"Reducing". A proportion measure at 100% throughout reads "Stable (100%)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MannKendall",
    "TrendResult",
    "TrendSettings",
    "average_ranks",
    "classify_trend",
    "default_window",
    "mann_kendall_hamed_rao",
    "sens_slope",
    "trend_window",
    "window_times",
]

FloatArray = NDArray[np.float64]
Values = Sequence[float] | NDArray[np.floating[Any]]


@dataclass(frozen=True)
class TrendSettings:
    """Settings of the trend words.

    Attributes:
        alpha: Two-sided significance level of the Mann-Kendall test.
        moderate_pct: Smallest |Sen's slope| (% of the median level per year) called a change.
        strong_pct: Smallest |Sen's slope| (% a year) called strong.
        window_periods: How many of the latest values are tested (values, not calendar
            periods: gaps and excluded points do not shorten it); None = :func:`default_window`
            for the series' period type (24 monthly, 8 quarterly, 8 yearly values).
        min_points: Fewer usable points than this gives "Insufficient data".
        baseline: Optional inclusive (start, end) dates of period ends to test instead of the
            latest window.
        excluded: Inclusive (start, end) date windows whose points are dropped before testing.
    """

    alpha: float = 0.05
    moderate_pct: float = 5.0
    strong_pct: float = 15.0
    window_periods: int | None = None
    min_points: int = 8
    baseline: tuple[date, date] | None = None
    excluded: tuple[tuple[date, date], ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"alpha must be between 0 and 1, got {self.alpha}")
        if not 0.0 <= self.moderate_pct <= self.strong_pct:
            raise ValueError(
                f"need 0 <= moderate_pct <= strong_pct, got {self.moderate_pct}, {self.strong_pct}"
            )
        if self.window_periods is not None and self.window_periods < 2:
            raise ValueError(f"window_periods must be at least 2, got {self.window_periods}")
        if self.min_points < 3:
            raise ValueError(f"min_points must be at least 3, got {self.min_points}")
        for start, end in ((self.baseline,) if self.baseline else ()) + self.excluded:
            if start > end:
                raise ValueError(f"date window starts after it ends: {start} > {end}")


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall test with the Hamed-Rao correction.

    Attributes:
        s: Mann-Kendall score (concordant minus discordant pairs).
        var_s: Variance of S after the tie and autocorrelation corrections.
        z: Continuity-corrected normal score.
        p_value: Two-sided p-value.
        tau: Kendall's tau = S / (n(n-1)/2).
        correction: Hamed-Rao factor n/n* applied to var_s (1 = no autocorrelation found).
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    correction: float


@dataclass(frozen=True)
class TrendResult:
    """Trend word with the numbers behind it.

    Attributes:
        word: "Stable", "Moderate increase", "Strong reduction", "Increasing", "Reducing",
            "Stable (100%)" or "Insufficient data".
        method: The method and this result in plain words, with the numbers.
        p_value: Mann-Kendall (Hamed-Rao) two-sided p-value; None when not tested.
        tau: Kendall's tau; None when not tested.
        sen_slope: Sen's slope in the measure's units per period; None when not tested.
        slope_pct_per_year: Sen's slope as % of the window's median per year; None when not
            tested or the median is not positive.
        n: Points tested.
        window_start: Period end of the first point tested (None when no point).
        window_end: Period end of the last point tested (None when no point).
        excluded_points: Points inside the window dropped by ``excluded``.
    """

    word: str
    method: str
    p_value: float | None
    tau: float | None
    sen_slope: float | None
    slope_pct_per_year: float | None
    n: int
    window_start: date | None
    window_end: date | None
    excluded_points: int


MIN_WINDOW_VALUES = 8
"""The shortest default window: 8 values (8 years of yearly values, 2 years of quarterly)."""


def default_window(periods_per_year: int) -> int:
    """The default trend window in values: the latest 8, or two years' worth when more.

    The one rule for every period type: 8 yearly values, 8 quarterly values (two years), 24
    monthly values (two years). Two years is the "lately" an outlook describes; yearly series
    need 8 years because Mann-Kendall cannot reach significance on fewer than 5 values and the
    autocorrelation correction needs more.
    """
    return max(MIN_WINDOW_VALUES, 2 * periods_per_year)


def latest_window(
    points: Sequence[tuple[date, float]],
    window_values: int,
    excluded: tuple[tuple[date, date], ...] = (),
) -> tuple[list[tuple[date, float]], int]:
    """The latest ``window_values`` points left after dropping the excluded ones.

    Args:
        points: (period_end, value) pairs in date order, without missing values.
        window_values: How many points to keep.
        excluded: Inclusive date windows whose points are dropped first.

    Returns:
        The points tested, and how many excluded points fell on or after the first of them.
    """
    kept = [(d, v) for d, v in points if not _in_any(d, excluded)]
    window = kept[-window_values:] if window_values > 0 else []
    if not window:
        return [], 0
    start = window[0][0]
    dropped = sum(1 for d, _ in points if d >= start and _in_any(d, excluded))
    return window, dropped


def sens_slope(times: Values, values: Values) -> float:
    """Median of the slopes (x_j - x_i) / (t_j - t_i) over all pairs i < j.

    Args:
        times: Strictly increasing times (any unit; the slope is per that unit).
        values: Values at those times.
    """
    t = np.asarray(times, dtype=float)
    x = np.asarray(values, dtype=float)
    i, j = np.triu_indices(len(x), k=1)
    if len(i) == 0:
        raise ValueError("Sen's slope needs at least two points")
    return _median((x[j] - x[i]) / (t[j] - t[i]))


def _median(values: NDArray[np.float64]) -> float:
    """``np.median`` of a 1-D array, bit for bit, without the ``numpy.ma`` import that
    ``np.median`` makes on its first call (about 0.08 s of a report's start-up)."""
    if np.isnan(values).any():
        return float("nan")
    ordered = np.sort(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return float(np.mean(ordered[half - 1: half + 1]))


def average_ranks(values: Values) -> NDArray[np.float64]:
    """Ranks from 1, ties given their average rank: ``scipy.stats.rankdata`` (method "average";
    all NaN when any value is NaN), without importing scipy.stats."""
    x = np.asarray(values, dtype=float)
    if np.isnan(x).any():
        return np.full(x.shape, np.nan)
    order = np.argsort(x, kind="mergesort")
    inverse = np.empty(x.size, dtype=np.intp)
    inverse[order] = np.arange(x.size, dtype=np.intp)
    ordered = x[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.cumsum(first)[inverse]
    count = np.r_[np.nonzero(first)[0], x.size]
    ranks: NDArray[np.float64] = 0.5 * (count[dense] + count[dense - 1] + 1)
    return ranks


# A correction this close to zero is zero: the autocorrelation terms cancel the 1 exactly (e.g.
# counts 3,3,2,2,2,0,2,0,0), and the float sum lands a few ulps either side of 0.
_DEGENERATE = 1e-9


def mann_kendall_hamed_rao(
    values: Values, alpha: float = 0.05, slope_per_step: float | None = None
) -> MannKendall:
    """Mann-Kendall trend test with the Hamed and Rao (1998) autocorrelation correction.

    S counts rising minus falling pairs; its variance is n(n-1)(2n+5)/18 less the tie term
    sum t(t-1)(2t+5)/18. The series is detrended with Sen's slope, ranked, and every lag whose
    rank autocorrelation r_k lies outside +/- z(1-alpha/2)/sqrt(n) adds to the correction
    n/n* = 1 + 2/(n(n-1)(n-2)) x sum (n-k)(n-k-1)(n-k-2) r_k. If the correction is not positive
    (possible with strong negative autocorrelation in short series; "not positive" allows for float
    rounding, see ``_DEGENERATE``) it is set to 1. Then
    z = (S - sign(S)) / sqrt(var_s) and p = 2(1 - Phi(|z|)). This matches pymannkendall's
    ``hamed_rao_modification_test`` with its default lag.

    Args:
        values: Equally spaced values in time order (at least 3).
        alpha: Level used to pick the significant autocorrelation lags.
        slope_per_step: Sen's slope per step used for detrending; computed when None.
    """
    # ndtr/ndtri are what scipy.stats.norm.sf/ppf compute (bit for bit) without importing SciPy
    # (compute/normal.py; scipy.stats took about 4 s of CPU on a loaded 2-core machine).
    from policeperf.compute.normal import ndtr, ndtri

    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 3:
        raise ValueError(f"the Mann-Kendall test needs at least 3 values, got {n}")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sum(np.sign(x[j] - x[i])))
    _, ties = np.unique(x, return_counts=True)
    var_s = float(n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18.0
    tau = s / (0.5 * n * (n - 1))
    slope = sens_slope(np.arange(n, dtype=float), x) if slope_per_step is None else slope_per_step
    ranks = average_ranks(x - np.arange(1, n + 1) * slope)
    acf = _acf(np.asarray(ranks, dtype=float))
    bound = float(ndtri(1.0 - alpha / 2.0)) / np.sqrt(n)
    total = sum(
        (n - k) * (n - k - 1) * (n - k - 2) * acf[k] for k in range(1, n) if abs(acf[k]) > bound
    )
    correction = 1.0 + 2.0 / (n * (n - 1) * (n - 2)) * float(total)
    if correction <= _DEGENERATE:
        correction = 1.0
    var_s *= correction
    if s == 0.0 or var_s <= 0.0:
        z = 0.0
    else:
        z = (s - np.sign(s)) / np.sqrt(var_s)
    p = float(2.0 * ndtr(-abs(z)))
    return MannKendall(s, var_s, float(z), p, tau, correction)


def classify_trend(
    points: Sequence[tuple[date, float | None]],
    periods_per_year: int,
    settings: TrendSettings | None = None,
    *,
    proportion: bool = False,
    tested: tuple[float, MannKendall] | None = None,
    window: tuple[list[tuple[date, float]], int, str] | None = None,
) -> TrendResult:
    """Trend / outlook word for a series of period values.

    Args:
        points: (period_end, value) pairs; None values are dropped (a month with no figure is
            not a zero). Order does not matter; dates must be distinct.
        periods_per_year: 12 for monthly, 4 for quarterly, 1 for annual values.
        settings: Thresholds and windows; defaults to :class:`TrendSettings()`.
        proportion: The values are proportions (0-1); all equal to 1.0 reads "Stable (100%)".
        tested: Sen's slope per period and the Mann-Kendall test of the window, when already
            worked out (the one pass tests every window at once: compute/batch_stats.py).
        window: :func:`trend_window` of these points and settings, when already worked out.

    Returns:
        The word and the numbers behind it.
    """
    cfg = settings or TrendSettings()
    kept, excluded, where = window or trend_window(points, periods_per_year, cfg)
    n = len(kept)
    first, last_d = (kept[0][0], kept[-1][0]) if kept else (None, None)
    span = f"{_month_year(first)} to {_month_year(last_d)}" if first and last_d else "no points"
    dropped = f", {excluded} excluded" if excluded else ""
    if n < cfg.min_points:
        text = (
            f"Insufficient data: {n} values in the {where} ({span}{dropped}); at least "
            f"{cfg.min_points} are needed."
        )
        return TrendResult(
            "Insufficient data", text, None, None, None, None, n, first, last_d, excluded
        )
    values = np.array([v for _, v in kept])
    if proportion and bool(np.all(values == 1.0)):
        text = f"All {n} values are 100% ({span}{dropped}); no trend can be tested."
        return TrendResult("Stable (100%)", text, None, None, 0.0, 0.0, n, first, last_d, excluded)
    if tested is None:
        periods = window_times(kept, periods_per_year)
        slope_period = sens_slope(periods, values)
        mk = mann_kendall_hamed_rao(values, cfg.alpha, slope_period)
    else:
        slope_period, mk = tested
    slope_year = slope_period * periods_per_year
    level = _median(np.asarray(values, dtype=float))
    pct = 100.0 * slope_year / level if level > 0 else None
    significant = mk.p_value < cfg.alpha
    word = _word(significant, slope_year, pct, cfg)
    pct_text = (
        f" = {pct:+.1f}% a year of the median {level:.4g}"
        if pct is not None
        else (f" (median {level:.4g}: no % can be formed)")
    )
    text = (
        f"Mann-Kendall test with the Hamed-Rao correction on {n} values ({span}{dropped}; "
        f"window: {where}): "
        f"p = {mk.p_value:.3g} ({'' if significant else 'not '}significant at {cfg.alpha:g}), "
        f"tau = {mk.tau:+.2f}. Sen's slope {slope_year:+.4g} a year{pct_text}. Cut-offs: "
        f"moderate {cfg.moderate_pct:g}%, strong {cfg.strong_pct:g}% a year."
    )
    return TrendResult(
        word, text, mk.p_value, mk.tau, slope_period, pct, n, first, last_d, excluded
    )


def trend_window(
    points: Sequence[tuple[date, float | None]], periods_per_year: int, cfg: TrendSettings
) -> tuple[list[tuple[date, float]], int, str]:
    """The points a trend test runs on, how many excluded points fell in the window, and the
    window in words (:func:`classify_trend`, steps 1-2)."""
    if periods_per_year not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"periods_per_year must divide 12, got {periods_per_year}")
    known = sorted((d, float(v)) for d, v in points if v is not None)
    if len({d for d, _ in known}) != len(known):
        raise ValueError("period_end dates must be distinct")
    if cfg.baseline is not None:
        start, end = cfg.baseline
        window = [(d, v) for d, v in known if start <= d <= end]
        kept = [(d, v) for d, v in window if not _in_any(d, cfg.excluded)]
        return kept, len(window) - len(kept), f"baseline {start:%b %Y} to {end:%b %Y}"
    size = cfg.window_periods or default_window(periods_per_year)
    kept, excluded = latest_window(known, size, cfg.excluded)
    return kept, excluded, f"latest {size} values"


def window_times(kept: Sequence[tuple[date, float]], periods_per_year: int) -> FloatArray:
    """Time of each point in periods from the first; whole numbers when periods are regular,
    so the slope is exact (detrending ties in the Hamed-Rao step are sensitive to rounding)."""
    first_month = _month_index(kept[0][0])
    return np.array([(_month_index(d) - first_month) * periods_per_year / 12 for d, _ in kept])


def _word(significant: bool, slope: float, pct: float | None, cfg: TrendSettings) -> str:
    if not significant or slope == 0.0:
        return "Stable"
    if pct is None:
        return "Increasing" if slope > 0 else "Reducing"
    size = abs(pct)
    if size < cfg.moderate_pct:
        return "Stable"
    strength = "Strong" if size >= cfg.strong_pct else "Moderate"
    return f"{strength} {'increase' if slope > 0 else 'reduction'}"


def _acf(x: FloatArray) -> FloatArray:
    """Sample autocorrelation at lags 0..n-1 (biased estimator, divisor n at every lag)."""
    y = x - x.mean()
    acov = np.correlate(y, y, "full")[len(x) - 1 :] / len(x)
    if acov[0] == 0.0:
        return np.zeros(len(x))
    return np.asarray(acov / acov[0], dtype=np.float64)


@lru_cache(maxsize=4096)
def _month_year(d: date) -> str:
    """"Jun 2022" (strftime is slow; the one pass words tens of thousands of windows)."""
    return f"{d:%b %Y}"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _in_any(d: date, windows: tuple[tuple[date, date], ...]) -> bool:
    return any(start <= d <= end for start, end in windows)
