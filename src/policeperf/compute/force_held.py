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

import polars as pl

from policeperf.compute import sources
from policeperf.compute.common import (
    annual_points,
    base_fields,
    run_spc,
    run_trend,
    spc_signal,
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


def _pool(part: pl.DataFrame, proportion: bool, period_end: date) -> WindowValue:
    rows = tuple(int(r) for r in part["row"].drop_nulls())
    if proportion:
        if part["numerator"].null_count() or part["denominator"].null_count():
            return WindowValue(period_end, None, None, None, rows,
                               "proportions can be pooled only from numerators and denominators")
        k, n = float(part["numerator"].sum()), float(part["denominator"].sum())
        return WindowValue(period_end, k / n if n > 0 else None, k, n, rows)
    total = float(part["value"].sum())
    return WindowValue(period_end, total, total, None, rows)


def window_value(
    rows: pl.DataFrame, period_end: date, window: int, kind: MeasureKind
) -> WindowValue | None:
    """The figure for the ``window`` months ending at ``period_end`` (see module docstring)."""
    proportion = kind in (MeasureKind.SURVEY_PROPORTION, MeasureKind.PROPORTION)
    exact = rows.filter(
        (pl.col("period_end") == period_end) & (pl.col("window_months") == window)
    )
    if exact.height:
        r = exact.row(0, named=True)
        value = r["value"]
        if value is None and r["numerator"] is not None and r["denominator"]:
            value = r["numerator"] / r["denominator"]
        return WindowValue(period_end, value, r["numerator"], r["denominator"], (r["row"],))
    if kind in _POOLABLE:
        for step in (1, 3):
            if window % step or step >= window:
                continue
            ends = [add_months(period_end, -step * i) for i in range(window // step)]
            part = rows.filter(
                pl.col("period_end").is_in(ends) & (pl.col("window_months") == step)
            )
            if part.height == len(ends):
                return _pool(part, proportion, period_end)
        return None
    older = rows.filter(pl.col("period_end") <= period_end).sort("period_end")
    if older.is_empty():
        return None
    r = older.row(-1, named=True)
    note = None
    if r["period_end"] != period_end:
        note = f"Latest figure is for the period ending {r['period_end']:%B %Y}."
    return WindowValue(r["period_end"], r["value"], r["numerator"], r["denominator"],
                       (r["row"],), note)


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


def _rows_for(frame: pl.DataFrame, code: str, comparator: str) -> pl.DataFrame:
    return frame.filter((pl.col("area_code") == code) & (pl.col("comparator") == comparator))


def compute_force_held(measure: Measure, ctx: Context) -> MeasureResult:
    """Any force-held kind: count, survey_proportion, proportion, duration, difference."""
    src = measure.sources[0]
    every = ctx.cached(("series",), lambda: sources.series_rows(ctx.con))
    frame = every.filter(
        (pl.col("series_id") == src.id) & (pl.col("category") == src.category)
    ) if every.height else every
    caveats: list[str] = []
    comparator = "force"
    mine = _rows_for(frame, ctx.force.code, "force") if frame.height else frame
    if frame.height and mine.is_empty():
        mine = _rows_for(frame, ctx.force.code, "cps_area")
        comparator = "cps_area"
        if mine.height:
            caveats.append("The CPS area's figure is shown: no force figure is loaded.")
    if mine.is_empty():
        return unavailable(measure, ctx, (
            f"Force-held series {src.id!r}{f' [{src.category}]' if src.category else ''} is not "
            f"loaded for {ctx.force.name}: load the force's series file "
            "(docs/force-series-format.md)."))
    now = window_value(mine, ctx.period_end, measure.window_months, measure.kind)
    if now is None or now.value is None:
        why = now.note if now and now.note else "no rows cover the window"
        return unavailable(measure, ctx, f"Series {src.id!r} has no {measure.window_months}-month "
                           f"figure for {ctx.force.name} to {ctx.period_end:%B %Y} ({why}).")
    if now.note:
        caveats.append(now.note)
    proportion = measure.kind in (MeasureKind.SURVEY_PROPORTION, MeasureKind.PROPORTION) or (
        mine["unit"][0] == "proportion"
    )
    interval = None
    if proportion and now.numerator is not None and now.denominator:
        interval = wilson_interval(round(now.numerator), round(now.denominator),
                                   ctx.settings.confidence)
    nat_rows = _rows_for(frame, ctx.force.code, "national")
    nat = window_value(nat_rows, ctx.period_end, measure.window_months, measure.kind)
    if nat is not None and nat.value is not None and nat.period_end != now.period_end:
        nat = None
    table = [(ctx.force.code, now.numerator, now.denominator, now.value),
             (NATIONAL_CODE, None, None, nat.value if nat else None)]
    for code in (ctx.group.member_codes[1:] if ctx.group else ()):
        peer = window_value(_rows_for(frame, code, "force"), now.period_end,
                            measure.window_months, measure.kind)
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
        SeriesPoint(d, v.value, None, None, v.numerator, v.denominator)
        for d in sorted(set(mine["period_end"]))
        if d <= ctx.period_end
        and (v := window_value(mine, d, measure.window_months, measure.kind)) is not None
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
        trend=trend.word if trend else None,
        trend_method=trend.method if trend else None,
        spc=spc,
        spc_signal=spc_signal(spc),
        series=series,
        source_used=f"force_series {src.id}",
        provenance=provenance,
        **bench.fields(),
        caveats=tuple(dict.fromkeys([*caveats, *bench.caveats])),
    )
