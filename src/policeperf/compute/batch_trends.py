"""Trend words and SPC signals of the one pass: every window tested at once.

:func:`finish_statistics` takes the rows made by compute/batch_crime.py with, for each, the
yearly values its trend and chart run on (compute/common.annual_points: the values ending in the
period's month, one a year). Windows are chosen and worded by compute/trends.py's own functions
(``trend_window``, ``classify_trend``); only Sen's slope and the Mann-Kendall test are worked out
for all windows of one length at once (compute/batch_stats.py), and the SPC signal of every
chart's latest point at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from policeperf.compute.batch_stats import batch_spc_supported, latest_signals, mann_kendall_rows
from policeperf.compute.common import spc_signal, trend_fields, trend_settings
from policeperf.compute.context import Settings
from policeperf.compute.spc import xmr_chart
from policeperf.compute.trends import TrendSettings, classify_trend, trend_window, window_times
from policeperf.definitions.model import Measure

__all__ = ["Pending", "finish_statistics"]


@dataclass(frozen=True)
class Pending:
    """A row waiting for its trend and SPC fields, with the values they run on."""

    row: dict[str, Any]
    measure: Measure
    points: list[tuple[date, float | None]]  # yearly values up to the period, oldest first
    period: date


def finish_statistics(rows: list[dict[str, Any]], pending: Sequence[Pending],
                      settings: Settings) -> None:
    """Fill the trend and SPC fields of every pending row (``rows`` is not read; the pending
    rows are among them and are updated in place)."""
    del rows
    configs: dict[str, TrendSettings] = {}
    tests: dict[tuple[int, float], list[tuple[Pending, TrendSettings, Any, Any]]] = {}
    charts: dict[str, list[tuple[Pending, list[float]]]] = {}
    for item in pending:
        usable = item.points
        known = [v for _, v in usable if v is not None]
        if not known:
            continue
        cfg = configs.get(item.measure.id)
        if cfg is None:
            cfg = configs[item.measure.id] = trend_settings(item.measure, settings, 1)
        window = trend_window(usable, 1, cfg)
        kept = window[0]
        if len(kept) >= cfg.min_points:
            tests.setdefault((len(kept), cfg.alpha), []).append(
                (item, cfg, window, [v for _, v in kept]))
        else:
            item.row.update(trend_fields(classify_trend(usable, 1, cfg, window=window)))
        item.row["spc_basis"] = "annual"
        charts.setdefault(item.measure.polarity.value, []).append((item, known))
    for (_, alpha), group in tests.items():
        times = np.array([window_times(g[2][0], 1) for g in group], dtype=float)
        values = np.array([g[3] for g in group], dtype=float)
        for (item, cfg, window, _), tested in zip(group, mann_kendall_rows(times, values, alpha),
                                                  strict=True):
            item.row.update(trend_fields(classify_trend(item.points, 1, cfg, tested=tested,
                                                        window=window)))
    for polarity, chart in charts.items():
        words: list[str | None]
        if batch_spc_supported(settings.spc):
            words = list(latest_signals([known for _, known in chart], polarity, settings.spc))
        else:
            words = [spc_signal(xmr_chart(
                list(p.points), polarity, settings.spc))  # type: ignore[arg-type]
                for p, _ in chart]
        for (p, _), word in zip(chart, words, strict=True):
            p.row["spc_signal"] = word
