"""Mann-Kendall and SPC for every series at once (numpy over a matrix of windows).

The one pass has tens of thousands of trend windows and SPC charts (every force, measure and
period). Testing them one by one (compute/trends.py, compute/spc.py) costs a Python call of a few
hundred microseconds each; here each statistic is worked out for all windows of the same length
at once, with the same arithmetic, so the answers are the same to the last digit (tests/compute/
test_batch_stats.py compares them with the one-by-one functions).

* :func:`mann_kendall_rows`: Sen's slope and the Mann-Kendall test with the Hamed-Rao correction
  of each row of an (m, n) matrix (trends.sens_slope and trends.mann_kendall_hamed_rao).
* :func:`latest_signals`: the latest point's SPC signal of each series (spc.xmr_chart's
  ``variation`` and rule, as compute/common.spc_signal prints them), for the default rules
  (no fixed limits, no rebasing, moving ranges screened).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from policeperf.compute.spc import LIMIT, MR_SCREEN, NEAR, SpcSettings
from policeperf.compute.trends import MannKendall

__all__ = ["batch_spc_supported", "latest_signals", "mann_kendall_rows"]

Matrix = NDArray[np.float64]


def mann_kendall_rows(times: Matrix, values: Matrix, alpha: float) -> list[tuple[float,
                                                                                   MannKendall]]:
    """(Sen's slope per time unit, Mann-Kendall test) of each row; rows have n >= 3 values."""
    # ndtri/ndtr are scipy.stats.norm.ppf/sf bit for bit, without importing scipy.stats
    # (seconds of imports: compute/trends.py).
    from scipy.special import ndtr, ndtri

    m, n = values.shape
    if m == 0:
        return []
    i, j = np.triu_indices(n, k=1)
    slopes = np.median((values[:, j] - values[:, i]) / (times[:, j] - times[:, i]), axis=1)
    s = np.sum(np.sign(values[:, j] - values[:, i]), axis=1)
    # Ties: each value's count of equal values c; a tie group of t adds t x (t-1)(2t+5).
    equal = (values[:, :, None] == values[:, None, :]).sum(axis=2)
    tie_term = np.sum((equal - 1) * (2 * equal + 5), axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - tie_term).astype(float) / 18.0
    tau = s / (0.5 * n * (n - 1))
    # Ranks (average method) of the series detrended by the slope per step.
    detrended = values - np.arange(1, n + 1)[None, :] * slopes[:, None]
    less = (detrended[:, None, :] < detrended[:, :, None]).sum(axis=2)
    same = (detrended[:, None, :] == detrended[:, :, None]).sum(axis=2)
    ranks = less + (same + 1) / 2.0
    y = ranks - ranks.mean(axis=1, keepdims=True)
    acov0 = np.sum(y * y, axis=1) / n
    bound = float(ndtri(1.0 - alpha / 2.0)) / np.sqrt(n)
    total = np.zeros(m)
    for k in range(1, n):
        acf = np.where(acov0 == 0.0, 0.0,
                       (np.sum(y[:, : n - k] * y[:, k:], axis=1) / n) / np.where(
                           acov0 == 0.0, 1.0, acov0))
        total = total + np.where(np.abs(acf) > bound, (n - k) * (n - k - 1) * (n - k - 2) * acf,
                                 0.0)
    correction = 1.0 + 2.0 / (n * (n - 1) * (n - 2)) * total
    correction = np.where(correction <= 0.0, 1.0, correction)
    var_s = var_s * correction
    tested = (s != 0.0) & (var_s > 0.0)
    z = np.where(tested, (s - np.sign(s)) / np.sqrt(np.where(var_s > 0, var_s, 1.0)), 0.0)
    p = 2.0 * ndtr(-np.abs(z))
    return [
        (float(slopes[r]), MannKendall(float(s[r]), float(var_s[r]), float(z[r]), float(p[r]),
                                       float(tau[r]), float(correction[r])))
        for r in range(m)
    ]


def batch_spc_supported(settings: SpcSettings) -> bool:
    """True when :func:`latest_signals` applies (no fixed limits and no rebasing)."""
    return settings.fix_after is None and not settings.rebase_dates


def latest_signals(series: Sequence[Sequence[float]], polarity: str,
                   settings: SpcSettings) -> list[str]:
    """The latest point's signal of each series of known values (oldest first, at least one),
    e.g. "special cause concern (shift)" or "common cause"."""
    if not series:
        return []
    width = max(len(s) for s in series)
    x = np.full((len(series), width), np.nan)
    for r, values in enumerate(series):  # right-aligned: the latest point is the last column
        x[r, width - len(values):] = values
    count = np.array([len(s) for s in series])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.array([float(np.mean(s)) for s in series])
        mr = np.abs(np.diff(x, axis=1))
        known = ~np.isnan(mr)
        amr = np.where(count >= 2, np.nansum(mr, axis=1) / np.maximum(known.sum(axis=1), 1),
                       np.nan)
        if settings.screen_outliers:
            keep = known & (mr < MR_SCREEN * amr[:, None])
            screened = np.nansum(np.where(keep, mr, 0.0), axis=1) / keep.sum(axis=1)
            amr = np.where((count >= 2) & (amr > 0), screened, amr)
    has_limits = ~np.isnan(amr)
    upper, lower = mean + LIMIT * amr, mean - LIMIT * amr
    near_up, near_low = mean + NEAR * amr, mean - NEAR * amr
    last = x[:, -1]
    side = np.sign(x - mean[:, None])
    out: list[str] = []
    for r in range(len(series)):
        rule, direction = _latest_rule(x[r], int(count[r]), side[r], bool(has_limits[r]),
                                       last[r], upper[r], lower[r], near_up[r], near_low[r],
                                       settings)
        if rule is None:
            out.append("common cause")
            continue
        if polarity == "neutral":
            signal = "neutral"
        else:
            signal = ("improvement" if (direction > 0) == (polarity == "higher_is_better")
                      else "concern")
        out.append(f"special cause {signal} ({rule})")
    return out


def _latest_rule(
    x: NDArray[np.float64], n: int, side: NDArray[np.float64], limits: bool, last: float,
    upper: float, lower: float, near_up: float, near_low: float, cfg: SpcSettings,
) -> tuple[str | None, int]:  # fmt: skip
    """The first rule (by spc's precedence) the latest point belongs to, and its direction."""
    if limits and (last > upper or last < lower):
        return "outside_limits", 1 if last > upper else -1
    t = cfg.trend_points
    if n >= t:
        steps = np.sign(np.diff(x[-t:]))
        if abs(int(steps.sum())) == t - 1:
            return "trend", int(steps[0])
    if limits and n >= 3:
        tail = x[-3:]
        outside = (tail > upper) | (tail < lower)
        near = ~outside & ((tail > near_up) | (tail < near_low))
        if abs(int(side[-3:].sum())) == 3 and int(near.sum()) >= 2 and near[-1]:
            return "two_of_three", int(side[-1])
    k = cfg.shift_points
    if n >= k and abs(int(side[-k:].sum())) == k:
        return "shift", int(side[-1])
    return None, 0
