"""Charts of a priority page: reshape results into the frames the chart functions take.

Only reshaping happens here (series points to rows, roles to legend labels). Survey intervals come
from `policeperf.compute.intervals`, not from the renderer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from policeperf.compute.intervals import wilson_interval
from policeperf.render import charts as ch
from policeperf.render.charts._theme import chart_height
from policeperf.report.numbers import is_proportion
from policeperf.report.project import ChartConfig
from policeperf.results import MeasureResult, SeriesPoint


class ChartDataError(ValueError):
    """A chart asked for data its measure's results do not have."""


DEFAULT_WINDOW_YEARS = 6
"""Time-series charts show the last 6 years up to the report's period by default."""

FEW_POINTS = 4
"""A series of at most this many values is drawn as bars: a line through 3 points suggests a
trend that 3 points cannot show."""

MSG_AVERAGE = "MSG average"
COMPUTED_AVERAGE = "Similar forces (computed) average"


def peer_average_label(peer_group_kind: str | None) -> str:
    """What charts call the peer group's average: "MSG average" for an official Most Similar
    Group; a computed group is not an MSG and says so."""
    return COMPUTED_AVERAGE if peer_group_kind == "computed" else MSG_AVERAGE


@dataclass(frozen=True)
class ChartContext:
    """What every chart of a report shares: the force, the name of its peer group's average
    and the first day of the time window shown (None: the whole series)."""

    force: str
    peer_label: str = MSG_AVERAGE
    window_start: dt.date | None = None


def window_start(period_end: dt.date, years: int = DEFAULT_WINDOW_YEARS) -> dt.date:
    """The first day after the period `years` years before `period_end` (Jun 2022, 6 years ->
    1 Jul 2016: the window holds exactly 6 years of periods)."""
    before = period_end.replace(year=period_end.year - years, day=1)
    return before.replace(month=before.month % 12 + 1, year=before.year + before.month // 12)


def in_window(result: MeasureResult, start: dt.date | None) -> MeasureResult:
    """The result with its series cut to the chart window (the latest value is unchanged)."""
    if start is None:
        return result
    spc = result.spc
    if spc is not None:
        spc = dataclasses.replace(spc, points=tuple(p for p in spc.points
                                                    if p.period_end >= start))
    return dataclasses.replace(
        result, series=tuple(p for p in result.series if p.period_end >= start),
        period_values=tuple(p for p in result.period_values if p.period_end >= start), spc=spc)



def _role_rows(result: MeasureResult, force: str, peer_label: str = MSG_AVERAGE) -> pl.DataFrame:
    rows = []
    for p in result.series:
        rows.append((p.period_end, force, "force", p.value))
        if p.peer_average is not None:
            rows.append((p.period_end, peer_label, "msg", p.peer_average))
        if p.national is not None:
            rows.append((p.period_end, "National", "national", p.national))
    return pl.DataFrame(rows, schema={"period_end": pl.Date, "series": pl.Utf8, "role": pl.Utf8,
                                      "value": pl.Float64}, orient="row")


def _values(result: MeasureResult) -> pl.DataFrame:
    return pl.DataFrame(
        [(p.period_end, p.value) for p in result.series],
        schema={"period_end": pl.Date, "value": pl.Float64}, orient="row",
    )


def _limits(point: SeriesPoint) -> tuple[float | None, float | None]:
    if point.value is None:
        return None, None
    if point.count is not None and point.denominator:
        interval = wilson_interval(round(point.count), round(point.denominator))
        if interval is not None:
            return interval.lower, interval.upper
    return point.value, point.value


def _survey_rows(results: Sequence[MeasureResult]) -> pl.DataFrame:
    rows = []
    for result in results:
        for p in result.series:
            lower, upper = _limits(p)
            rows.append((p.period_end, result.title, p.value, lower, upper))
    return pl.DataFrame(rows, schema={"period_end": pl.Date, "series": pl.Utf8,
                                      "rate": pl.Float64, "lower": pl.Float64,
                                      "upper": pl.Float64}, orient="row")


def _format(result: MeasureResult) -> ch.ValueFormat:
    if is_proportion(result):
        return ch.PERCENT
    if "per 1,000" in result.unit:
        return ch.ValueFormat(3 if (result.value or 1) < 0.1 else 2)
    return ch.COUNT if result.kind == "count" else ch.ValueFormat(1)


def _y_title(result: MeasureResult) -> str:
    """The axis title: the unit up to its first comma and space ("Reoffences per
    reoffender"), so that it fits beside a short chart ("%" reads "Per cent"); a thousands
    comma stays ("Per 1,000 residents", never "Per 1")."""
    unit = (result.unit or "Value").split(", ")[0].strip()
    unit = "Per cent" if unit in ("%", "per cent") else unit
    return unit[0].upper() + unit[1:]


Builder = Callable[[list[MeasureResult], ChartContext, str, ch.ChartSize], ch.Chart]


def _rolling_rate(rs: list[MeasureResult], ctx: ChartContext, title: str,
                  size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    return ch.rolling_rate_lines(_role_rows(r, ctx.force, ctx.peer_label), title=title,
                                 y_title=_y_title(r), size=size, value_format=_format(r))


def _few(result: MeasureResult) -> bool:
    """Too few values for a line: draw bars."""
    return sum(p.value is not None for p in result.series) <= FEW_POINTS


def _value_bars(r: MeasureResult, title: str, size: ch.ChartSize) -> ch.Chart:
    frame = _values(r).drop_nulls()
    return ch.monthly_count_bars(frame, title=title, size=size, y_title=_y_title(r),
                                 value_format=_format(r))


def _rolling_count(rs: list[MeasureResult], ctx: ChartContext, title: str,
                   size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    if _few(r):
        return _value_bars(r, title, size)
    return ch.rolling_count_quarterly(_values(r), title=title, size=size, y_title=_y_title(r),
                                      value_format=_format(r))


MONTHLY_BARS = 15  # months shown by a monthly count bar chart, as in the published report


def _monthly(rs: list[MeasureResult], ctx: ChartContext, title: str,
             size: ch.ChartSize) -> ch.Chart:
    """The last 15 period values (monthly counts), not the 12-month rolling series."""
    points = rs[0].period_values[-MONTHLY_BARS:]
    frame = pl.DataFrame(
        {"period_end": [p.period_end for p in points], "value": [p.value for p in points]},
        schema={"period_end": pl.Date, "value": pl.Float64},
    ).drop_nulls().with_columns(pl.col("value").round(0).cast(pl.Int64))
    return ch.monthly_count_bars(frame, title=title, size=size)


def _survey(rs: list[MeasureResult], ctx: ChartContext, title: str,
            size: ch.ChartSize) -> ch.Chart:
    return ch.survey_rate_lines(_survey_rows(rs), title=title, size=size,
                                y_title=_y_title(rs[0]))


def _categories(rs: list[MeasureResult], ctx: ChartContext, title: str,
                size: ch.ChartSize) -> ch.Chart:
    rows = []
    for r in rs:
        if r.value is None:
            continue
        lower, upper = (r.interval.lower, r.interval.upper) if r.interval else (r.value, r.value)
        rows.append((r.title, r.value, lower, upper))
    frame = pl.DataFrame(rows, schema={"category": pl.Utf8, "rate": pl.Float64,
                                       "lower": pl.Float64, "upper": pl.Float64}, orient="row")
    return ch.category_bars(frame, title=title, size=size)


def _dual(rs: list[MeasureResult], ctx: ChartContext, title: str,
          size: ch.ChartSize) -> ch.Chart:
    if len(rs) != 2:
        raise ChartDataError("dual_axis_volume_rate needs two measures: [volume, rate]")
    volume = _values(rs[0]).rename({"value": "volume"})
    rate = _values(rs[1]).rename({"value": "rate"})
    frame = volume.join(rate, on="period_end", how="inner").sort("period_end")
    return ch.dual_axis_volume_rate(frame, title=title, size=size, volume_name=rs[0].title,
                                    rate_name=rs[1].title)


def _paired(rs: list[MeasureResult], ctx: ChartContext, title: str,
            size: ch.ChartSize) -> ch.Chart:
    frame = _role_rows(rs[0], ctx.force, ctx.peer_label).with_columns(
        pl.col("period_end").dt.year().cast(pl.Utf8).alias("year")
    )
    return ch.paired_bars(frame.select("year", "series", "role", "value"), title=title,
                          size=size, y_title=_y_title(rs[0]), value_format=_format(rs[0]))


def _vs_national(rs: list[MeasureResult], ctx: ChartContext, title: str,
                 size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    if _few(r):
        return _paired(rs, ctx, title, size)
    return ch.force_vs_national_series(_role_rows(r, ctx.force, ctx.peer_label), title=title,
                                       size=size, y_title=_y_title(r), value_format=_format(r))


def _spc(rs: list[MeasureResult], ctx: ChartContext, title: str,
         size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    if r.spc is None:
        raise ChartDataError(f"{r.id}: no SPC result to draw")
    rows = [(p.period_end, p.value, p.centre, p.upper, p.lower, p.signal, p.trial)
            for p in r.spc.points]
    frame = pl.DataFrame(rows, schema={"period_end": pl.Date, "value": pl.Float64,
                                       "centre": pl.Float64, "upper": pl.Float64,
                                       "lower": pl.Float64, "signal": pl.Utf8,
                                       "trial": pl.Boolean}, orient="row")
    return ch.spc_chart(frame, title=title, size=size, y_title=_y_title(r),
                        value_format=_format(r))


def _ranking(rs: list[MeasureResult], ctx: ChartContext, title: str,
             size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    if not r.peers or r.peer_average is None:
        raise ChartDataError(f"{r.id}: no peer-group figures to rank")
    frame = pl.DataFrame([(p.name, p.value, p.is_force) for p in r.peers if p.value is not None],
                         schema={"area": pl.Utf8, "rate": pl.Float64, "is_force": pl.Boolean},
                         orient="row")
    return ch.peer_ranking(frame, msg_average=r.peer_average, title=title, size=size,
                           x_title=_y_title(r), higher_is_better=r.polarity == "higher_is_better",
                           value_format=_format(r), average_label=ctx.peer_label)


def _funnel(rs: list[MeasureResult], ctx: ChartContext, title: str,
            size: ch.ChartSize) -> ch.Chart:
    r = rs[0]
    if r.funnel is None:
        raise ChartDataError(f"{r.id}: no funnel limits (only recorded crime rates have them)")
    f = r.funnel
    left_out = {name for name, _ in f.excluded}
    points = pl.DataFrame(
        [(p.name, p.denominator, p.value, p.is_force) for p in r.all_forces
         if p.value is not None and p.denominator and p.name not in left_out],
        schema={"area": pl.Utf8, "denominator": pl.Float64, "rate": pl.Float64,
                "is_force": pl.Boolean}, orient="row")
    limits = pl.DataFrame({"denominator": f.denominators, "lower95": f.lower95,
                           "upper95": f.upper95, "lower998": f.lower998,
                           "upper998": f.upper998})
    base = "Households" if r.denominator_base == "households" else "Resident population"
    return ch.funnel_plot(points, limits, centre=f.centre, title=title, size=size,
                          x_title=f"{base} (log scale)", y_title=_y_title(r),
                          value_format=_format(r), log_x=True)


def funnel_limits_frame(result: MeasureResult) -> pl.DataFrame:
    """The funnel's control limits as a table (for the CSV beside the chart's points)."""
    f = result.funnel
    if f is None:
        raise ChartDataError(f"{result.id}: no funnel limits")
    return pl.DataFrame({"denominator": f.denominators, "centre": [f.centre] * len(f.lower95),
                         "lower95": f.lower95, "upper95": f.upper95, "lower998": f.lower998,
                         "upper998": f.upper998})


BUILDERS: dict[str, Builder] = {
    "rolling_rate_lines": _rolling_rate,
    "rolling_count_quarterly": _rolling_count,
    "monthly_count_bars": _monthly,
    "survey_rate_lines": _survey,
    "category_bars": _categories,
    "dual_axis_volume_rate": _dual,
    "paired_bars": _paired,
    "force_vs_national_series": _vs_national,
    "spc_chart": _spc,
    "peer_ranking": _ranking,
    "funnel_plot": _funnel,
}
"""Chart kind -> builder."""


def default_title(kind: str, results: Sequence[MeasureResult]) -> str:
    """A chart title from its measures, e.g. "Homicide: 12-month rolling rate per 1,000 ..."."""
    first = results[0]
    if kind in ("survey_rate_lines", "category_bars") and len(results) > 1:
        return "Survey rates, 12 months rolling" if kind == "survey_rate_lines" else (
            f"Latest rate by category, {first.period_end:%B %Y}")
    if kind == "rolling_rate_lines":
        return f"{first.title}: 12-month rolling rate {first.unit}"
    if kind == "dual_axis_volume_rate" and len(results) == 2:
        return f"{results[0].title} and {results[1].title.lower()}"
    return first.title


def build_chart(
    config: ChartConfig, results: list[MeasureResult], force: str | ChartContext,
    size: ch.ChartSize, *, height_mm: float | None = None,
) -> ch.Chart:
    """Render one configured chart from its measures' results.

    ``force`` is the force's name, or a `ChartContext` that also names the peer group's
    average and cuts time series to the report's window. A series of a few values
    (`FEW_POINTS`) is drawn as bars whatever line kind was asked for. ``height_mm`` draws it
    that tall instead of its size's height (the width, and the text's printed size, stay).

    Raises:
        ChartDataError: The kind is not drawable from results, or the data are missing.
    """
    builder = BUILDERS.get(config.kind)
    if builder is None:
        raise ChartDataError(f"chart kind {config.kind!r} cannot be drawn from results")
    if not any(r.series or r.peers or r.value is not None for r in results):
        raise ChartDataError(f"{', '.join(r.id for r in results)}: no data to draw")
    ctx = force if isinstance(force, ChartContext) else ChartContext(force)
    title = config.title or default_title(config.kind, results)
    shown = [in_window(r, ctx.window_start) for r in results]
    height = round(height_mm * ch.PX_PER_MM) if height_mm else None
    try:
        with chart_height(height):
            return builder(shown, ctx, title, size)
    except ValueError as exc:
        raise ChartDataError(str(exc)) from exc
