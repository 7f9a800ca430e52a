"""The comparison rules the benchmark query cannot word in SQL, over every group at once.

``poisson_exact`` needs the Poisson distribution (SciPy) and ``funnel`` percentiles of the
members' z-scores: neither is SQL every engine has. Here both run on every (variant, force,
period) row of :func:`policeperf.compute.batch_bench.benches` at once, with NumPy and SciPy over
whole columns (the funnel's member figures as one matrix per group size), by the arithmetic of
compute/benchmarks.py's ``poisson_exact`` and ``funnel``, in the same order, so that each row's
numbers are the one-group function's to the last digit (tests/compute/test_batch_ranks.py).

Each adds the columns ``statistic`` (p-value or z-score), ``word`` and ``detail`` (the other
numbers the rule's description prints), or ``problem`` (the rule's ValueError) where the rule
gives no word.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from policeperf.compute.benchmarks import PER, percentile_rows

__all__ = ["funnel_columns", "poisson_columns"]


def _words(higher: np.ndarray[Any, Any], lower: np.ndarray[Any, Any]) -> list[str]:
    words: list[str] = np.where(higher, "higher than",
                                np.where(lower, "below", "similar to")).tolist()
    return words


def poisson_columns(frame: pl.DataFrame, alpha: float) -> pl.DataFrame:
    """compute/benchmarks.py's ``poisson_exact`` of every row's force against its average."""
    from scipy.stats import poisson  # seconds to import: only where used

    mean = frame["average"].fill_null(np.nan).to_numpy()
    count = frame["own_count"].fill_null(0.0).to_numpy()
    expected = mean * frame["own_denominator"].fill_null(0.0).to_numpy() / PER
    observed = np.round(count)
    positive = expected > 0
    safe = np.where(positive, expected, 1.0)
    lower_tail = poisson.cdf(observed, safe)
    upper_tail = poisson.sf(observed - 1, safe)
    p = np.where(positive, np.minimum(1.0, 2.0 * np.minimum(lower_tail, upper_tail)),
                 np.where(observed == 0, 1.0, 0.0))
    significant = p < alpha
    words = _words(significant & (observed > expected), significant & (observed < expected))
    return frame.with_columns(
        statistic=pl.Series(p, dtype=pl.Float64), word=pl.Series(words, dtype=pl.Utf8),
        detail=pl.Series([[e, o] for e, o in zip(expected.tolist(), observed.tolist(),
                                                 strict=True)],
                         dtype=pl.List(pl.Float64)),
        problem=pl.lit(None, pl.Utf8))


def funnel_columns(frame: pl.DataFrame, limit: float) -> pl.DataFrame:
    """compute/benchmarks.py's ``funnel`` (with ``overdispersion``) of every row's force:
    ``limit`` is the two-sided normal quantile of the confidence."""
    n = frame["n"].fill_null(0).to_numpy()
    theta = frame["average"].fill_null(np.nan).to_numpy()
    rows = frame.height
    score, phi, tau2 = np.full(rows, np.nan), np.full(rows, np.nan), np.full(rows, np.nan)
    problem: list[str | None] = [None] * rows
    for k in sorted(set(n.tolist()) - {0, 1}):
        at = np.flatnonzero(n == k)
        part = frame[at.tolist()]
        order = np.argsort(part["places"].list.to_array(k).to_numpy(), axis=1, kind="stable")
        rates = np.take_along_axis(part["values"].list.to_array(k).to_numpy(), order, axis=1)
        dens = np.take_along_axis(part["denominators"].list.to_array(k).to_numpy(), order, axis=1)
        t = theta[at]
        bad = (t <= 0) | np.isnan(t) | (dens <= 0).any(axis=1)
        for i in at[bad]:
            problem[i] = "funnel needs a positive group rate and positive denominators"
        good = ~bad
        if not good.any():
            continue
        t, rates, dens, where = t[good], rates[good], dens[good], at[good]
        s2 = PER * t[:, None] / dens
        z = (rates - t[:, None]) / np.sqrt(s2)
        lo, hi = percentile_rows(z, 10.0), percentile_rows(z, 90.0)
        ph = np.mean(np.clip(z, lo[:, None], hi[:, None]) ** 2, axis=1)
        w = 1.0 / s2
        total = np.sum(w, axis=1)
        spread = (k * ph - (k - 1)) / (total - np.sum(w**2, axis=1) / total)
        ta = np.where(spread > 0.0, spread, 0.0)
        own = frame["own_denominator"].to_numpy()[where]
        s_force = PER * t / own
        score[where] = (frame["force_value"].to_numpy()[where] - t) / np.sqrt(s_force + ta)
        phi[where], tau2[where] = ph, ta
    half = limit * np.sqrt(PER * theta / frame["own_denominator"].fill_null(np.nan).to_numpy()
                           + tau2)
    words = _words(score > limit, score < -limit)
    return frame.with_columns(
        statistic=pl.Series(score, dtype=pl.Float64, nan_to_null=False),
        word=pl.Series(words, dtype=pl.Utf8),
        detail=pl.Series([[a, b, c] for a, b, c in zip(phi.tolist(), tau2.tolist(),
                                                       half.tolist(), strict=True)],
                         dtype=pl.List(pl.Float64)),
        problem=pl.Series(problem, dtype=pl.Utf8))
