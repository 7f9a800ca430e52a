"""Force-held measures (force_series): counts, survey and other proportions, durations and
differences from national.

Window values: a measure covers ``window_months`` (12 = rolling year). A row published for that
window is used as is; otherwise consecutive shorter rows (months or quarters) are pooled: counts
and hours are summed, proportions are sum of numerators / sum of denominators (so a month with
many respondents weighs more). Durations and other averages cannot be pooled: the latest row at
or before the period is used, with a caveat when it is older than the period.

Trend and SPC use the period values (monthly or quarterly rows); when only 12-month rows exist,
the non-overlapping yearly values ending in the period's month are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute import sources
from policeperf.compute.common import (
    annual_points,
    base_fields,
    run_spc,
    run_trend,
    spc_signal,
    trend_fields,
    unavailable,
)
from policeperf.compute.context import NATIONAL_CODE, Context
from policeperf.compute.intervals import wilson_interval
from policeperf.compute.peers import benchmark
from policeperf.compute.periods import add_months
from policeperf.definitions.model import Measure, MeasureKind
from policeperf.results import MeasureResult, SeriesPoint, SourceUse

__all__ = ["WindowValue", "compute_force_held", "window_value"]

_POOLABLE = {MeasureKind.COUNT, MeasureKind.SURVEY_PROPORTION, MeasureKind.PROPORTION}


@dataclass(frozen=True)
class WindowValue:
    """A measure's figure for one window, with the rows behind it."""

    period_end: date
    value: float | None
    numerator: float | None
    denominator: float | None
    rows: tuple[int, ...]
    note: str | None = None


class _Rows:
    """One area's rows of one series, indexed by (period_end, window_months): a window value is a
    handful of dictionary look-ups instead of Polars filters (the engine asks for ~1,000)."""

    def __init__(self, rows: pl.DataFrame) -> None:
        self.by_key: dict[tuple[date, int], dict[str, Any]] = {}
        for r in rows.iter_rows(named=True):
            self.by_key.setdefault((r["period_end"], r["window_months"]), r)
        self.dates = sorted({d for d, _ in self.by_key})
        # _window's answers: a report asks for the same windows for two quarters.
        self.windows: dict[tuple[date, int, MeasureKind], WindowValue | None] = {}

    def latest(self, period_end: date, window: int | None) -> dict[str, Any] | None:
        """The latest row at or before ``period_end`` (of that window, when given)."""
        best: dict[str, Any] | None = None
        for (d, w), r in self.by_key.items():
            if d <= period_end and (window is None or w == window):
                if best is None or d > best["period_end"]:
                    best = r
        return best


def _value_of(r: dict[str, Any]) -> float | None:
    value: float | None = r["value"]
    if value is None and r["numerator"] is not None and r["denominator"]:
        value = r["numerator"] / r["denominator"]
    return value


def _pool(part: list[dict[str, Any]], proportion: bool, period_end: date) -> WindowValue:
    rows = tuple(int(r["row"]) for r in part if r["row"] is not None)
    if proportion:
        if any(r["numerator"] is None or r["denominator"] is None for r in part):
            return WindowValue(period_end, None, None, None, rows,
                               "proportions can be pooled only from numerators and denominators")
        # Summed in date order, so that every backend gives the same float to the last digit.
        k = float(sum(r["numerator"] for r in part))
        n = float(sum(r["denominator"] for r in part))
        return WindowValue(period_end, k / n if n > 0 else None, k, n, rows)
    total = float(sum(r["value"] for r in part))
    return WindowValue(period_end, total, total, None, rows)


def _stale(r: dict[str, Any], period_end: date) -> WindowValue:
    note = None
    if r["period_end"] != period_end:
        note = f"Latest figure is for the period ending {r['period_end']:%B %Y}."
    return WindowValue(r["period_end"], _value_of(r), r["numerator"], r["denominator"],
                       (r["row"],), note)


def _window(index: _Rows, period_end: date, window: int, kind: MeasureKind) -> WindowValue | None:
    key = (period_end, window, kind)
    if key not in index.windows:
        index.windows[key] = _window_value(index, period_end, window, kind)
    return index.windows[key]


def _window_value(index: _Rows, period_end: date, window: int,
                  kind: MeasureKind) -> WindowValue | None:  # fmt: skip
    proportion = kind in (MeasureKind.SURVEY_PROPORTION, MeasureKind.PROPORTION)
    r = index.by_key.get((period_end, window))
    if r is not None:
        return WindowValue(period_end, _value_of(r), r["numerator"], r["denominator"],
                           (r["row"],))
    if kind in _POOLABLE:
        for step in (1, 3):
            if window % step or step >= window:
                continue
            ends = [add_months(period_end, -step * i) for i in range(window // step)]
            part = [index.by_key.get((e, step)) for e in sorted(ends)]
            if all(p is not None for p in part):
                return _pool([p for p in part if p is not None], proportion, period_end)
        # Only figures published for the whole window (e.g. yearly CJS rows): the latest one.
        whole = index.latest(period_end, window)
        return None if whole is None else _stale(whole, period_end)
    older = index.latest(period_end, None)
    return None if older is None else _stale(older, period_end)


def window_value(
    rows: pl.DataFrame, period_end: date, window: int, kind: MeasureKind
) -> WindowValue | None:
    """The figure for the ``window`` months ending at ``period_end`` (see module docstring)."""
    return _window(_Rows(rows), period_end, window, kind)


def _period_values(rows: pl.DataFrame, period_end: date) -> tuple[list[tuple[date, float | None]],
                                                                  int]:
    """Non-overlapping period values and periods per year, for trend and SPC."""
    if rows.is_empty():
        return [], 1
    shortest = int(rows["window_months"].min())  # type: ignore[arg-type]
    part = rows.filter(pl.col("window_months") == shortest).sort("period_end")
    points = []
    for r in part.iter_rows(named=True):
        v = r["value"]
        if v is None and r["numerator"] is not None and r["denominator"]:
            v = r["numerator"] / r["denominator"]
        points.append((r["period_end"], v))
    if shortest >= 12:
        return annual_points(points, period_end), 1
    return points, 12 // shortest


def _parts(ctx: Context, frame: pl.DataFrame, key: tuple[str, ...], code: str,
           comparator: str) -> pl.DataFrame:
    """The rows of one area and comparator of the series ``key``, in the frame's order, from
    one split of the frame per run (a filter per force and peer costs a millisecond or more)."""
    split = ("series_parts", *key)
    if split not in ctx.cache:
        ctx.cache[split] = frame.partition_by(["area_code", "comparator"], as_dict=True)
    parts: dict[Any, pl.DataFrame] = ctx.cache[split]
    found = parts.get((code, comparator))
    return found if found is not None else frame.clear()


def _index(ctx: Context, frame: pl.DataFrame, key: tuple[str, ...], code: str,
           comparator: str) -> _Rows:
    """An area's rows of the series ``key`` as a _Rows, made once per run."""
    full = ("series_index", *key, code, comparator)
    if full not in ctx.cache:
        ctx.cache[full] = _Rows(_parts(ctx, frame, key, code, comparator))
    index: _Rows = ctx.cache[full]
    return index


def _same_period(index: _Rows, d: date, window: int, kind: MeasureKind) -> float | None:
    """A comparator's (national or MSG) figure for exactly the window ending at ``d``."""
    if not index.by_key:
        return None
    v = _window(index, d, window, kind)
    return v.value if v is not None and v.period_end == d else None


def compute_force_held(measure: Measure, ctx: Context) -> MeasureResult:
    """Any force-held kind: count, survey_proportion, proportion, duration, difference."""
    src = measure.sources[0]
    every = ctx.cached(("series",), lambda: sources.series_rows(ctx.con))
    key = (src.id, str(src.category))
    frame = ctx.cached(("series_of", *key), lambda: every.filter(
        (pl.col("series_id") == src.id) & (pl.col("category") == src.category)
    ) if every.height else every)
    caveats: list[str] = []
    comparator = "force"
    mine = _parts(ctx, frame, key, ctx.force.code, "force") if frame.height else frame
    if frame.height and mine.is_empty():
        mine = _parts(ctx, frame, key, ctx.force.code, "cps_area")
        comparator = "cps_area"
        if mine.height:
            caveats.append("The CPS area's figure is shown: no force figure is loaded.")
    if mine.is_empty():
        return unavailable(measure, ctx, (
            f"Force-held series {src.id!r}{f' [{src.category}]' if src.category else ''} is not "
            f"loaded for {ctx.force.name}: load the force's series file "
            "(docs/force-series-format.md)."))
    index = _index(ctx, frame, key, ctx.force.code, comparator)
    window, kind = measure.window_months, measure.kind
    now = _window(index, ctx.period_end, window, kind)
    if now is None or now.value is None:
        why = now.note if now and now.note else "no rows cover the window"
        return unavailable(measure, ctx, f"Series {src.id!r} has no {window}-month "
                           f"figure for {ctx.force.name} to {ctx.period_end:%B %Y} ({why}).")
    if now.note:
        caveats.append(now.note)
    proportion = kind in (MeasureKind.SURVEY_PROPORTION, MeasureKind.PROPORTION) or (
        mine["unit"][0] == "proportion"
    )
    interval = None
    if proportion and now.numerator is not None and now.denominator:
        interval = wilson_interval(round(now.numerator), round(now.denominator),
                                   ctx.settings.confidence)
    national = _index(ctx, frame, key, ctx.force.code, "national")
    msg = _index(ctx, frame, key, ctx.force.code, "msg")
    nat = _window(national, ctx.period_end, window, kind)
    if nat is not None and nat.value is not None and nat.period_end != now.period_end:
        nat = None
    table = [(ctx.force.code, now.numerator, now.denominator, now.value),
             (NATIONAL_CODE, None, None, nat.value if nat else None)]
    for code in (ctx.group.member_codes[1:] if ctx.group else ()):
        peer = _window(_index(ctx, frame, key, code, "force"), now.period_end, window, kind)
        if peer is not None and peer.period_end == now.period_end:
            table.append((code, peer.numerator, peer.denominator, peer.value))
    now_frame = pl.DataFrame(table, schema={"area_code": pl.Utf8, "count": pl.Float64,
                                            "denominator": pl.Float64, "value": pl.Float64},
                             orient="row")
    bench = benchmark(measure, ctx, now_frame, caveats, proportion=proportion)
    points, per_year = _period_values(mine, ctx.period_end)
    trend = run_trend(measure, ctx, points, per_year, proportion=proportion)
    spc = run_spc(measure, ctx, points)
    series = tuple(
        SeriesPoint(d, v.value, _same_period(msg, d, window, kind),
                    _same_period(national, d, window, kind), v.numerator, v.denominator)
        for d in index.dates
        if d <= ctx.period_end
        and (v := _window(index, d, window, kind)) is not None
        and v.period_end == d
    )
    files = ", ".join(sorted(set(mine["file_name"])))
    provenance = (SourceUse(files, None, "force_series", None, now.rows,
                            f"series {src.id} ({comparator})"),)
    return MeasureResult(
        **base_fields(measure, ctx),
        value=now.value,
        count=now.numerator,
        denominator=now.denominator if proportion else None,
        national_value=nat.value if nat else None,
        interval=interval,
        **trend_fields(trend),
        spc=spc,
        spc_signal=spc_signal(spc),
        series=series,
        period_values=tuple(SeriesPoint(d, v) for d, v in points if d <= ctx.period_end),
        source_used=f"force_series {src.id}",
        provenance=provenance,
        **bench.fields(),
        caveats=tuple(dict.fromkeys([*caveats, *bench.caveats])),
    )
