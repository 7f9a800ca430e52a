"""Time-series plots: a date x axis, a value y axis, gap shading, lines broken at gaps, points.

Shared by the line charts and the SPC chart. Rows are those of `_series.segment_rows` (one per
drawn observation, with its `segment`), so a line never joins two observations across a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._labels import Box, Label, place
from policeperf.render.charts._layout import (
    TEXT,
    Canvas,
    Rect,
    value_plot,
    x_axis,
    x_axis_height,
)
from policeperf.render.charts._scale import Linear, time_scale
from policeperf.render.charts._series import _month_end
from policeperf.render.charts.inputs import ValueFormat

GAP_FILL = "#D9D9D9"
GAP_INK = "#555555"


@dataclass(frozen=True)
class TimePlot:
    """The plot area and its scales."""

    plot: Rect
    x: Callable[[dt.date], float]
    y: Linear


def time_plot(canvas: Canvas, dates: Sequence[dt.date], values: Sequence[float], *,
              y_title: str | None, fmt: ValueFormat, zero: bool = True,
              pad_px: float = 0.0, headroom: float = 0.0) -> TimePlot:
    """Lay out a time plot under the canvas's title and legend and draw its axes.

    Args:
        dates: Every date shown (the x domain runs from the first to the last).
        values: Every value the y axis must cover.
        y_title: The y axis title.
        fmt: How the values read (ticks get as many decimals as their step needs).
        zero: The y axis starts at zero (counts and rates); False fits the data (SPC, surveys).
        pad_px: Room kept between the data and the plot's top and bottom edges.
        headroom: Pixels kept free above the highest value (for a value label).
    """
    last = _theme.label(max(dates)) if dates else ""
    plot, y = value_plot(canvas, values, y_title=y_title, fmt=fmt, zero=zero, pad_px=pad_px,
                         headroom=headroom, right=_svg.measure(last, TEXT) / 2 + 1,
                         bottom=x_axis_height(None))
    left, right = plot.left, plot.right
    scale = time_scale(dates, left, right) if dates else Linear((0, 1), (left, right))

    def x(day: dt.date) -> float:
        return scale(day.toordinal())
    ticks_at = _theme.tick_dates(list(dates), canvas.size)
    x_axis(canvas, plot, [(x(d), _theme.label(d)) for d in ticks_at])
    return TimePlot(plot, x, y)


def shade_gaps(canvas: Canvas, tp: TimePlot, spans: Sequence[tuple[dt.date, dt.date]],
               period_months: int) -> None:
    """Shade each run of missing periods, from the figure before it to the figure after it,
    and label it "No figure" at its top."""
    if not spans:
        return
    rects, labels = [], []
    taken: list[Box] = []
    for first, last in spans:
        start = tp.x(_month_end(_theme.month_index(first) - period_months))
        end = tp.x(_month_end(_theme.month_index(last) + period_months))
        rects.append(_svg.rect(start, tp.plot.top, end - start, tp.plot.height, GAP_FILL, 0.55))
        base = tp.plot.top + 2 + 0.8 * TEXT
        inside = Box(start, tp.plot.top, end, tp.plot.bottom)
        lower = base + TEXT + 3
        chosen = place([[Label(start + 2, y, "No figure", "start", fill=GAP_INK)
                         for y in (base, lower)]], inside, taken)[0]
        if chosen is None:  # a narrow gap: the label straddles it on a white ground
            chosen = place([[Label((start + end) / 2, y, "No figure", "middle", fill=GAP_INK)
                             for y in (base, lower)]], Box(0, 0, canvas.width, canvas.height),
                           taken)[0]
            if chosen is None:  # no room: the shading and the footnote mark this gap
                continue
            box = chosen.box()
            labels.append(_svg.rect(box.x0 - 2, box.y0 - 1, box.x1 - box.x0 + 4,
                                    box.y1 - box.y0 + 2, "white", 0.85))
        taken.append(chosen.box())
        labels.append(chosen.svg())
    canvas.add("mark-rect role-gap", rects)
    canvas.add("mark-text role-mark", labels, "over")


def segments(rows: Sequence[dict[str, Any]], value: str = "value"
             ) -> dict[str, list[tuple[dt.date, float]]]:
    """The rows' (date, value) pairs by segment, in order."""
    out: dict[str, list[tuple[dt.date, float]]] = {}
    for row in rows:
        out.setdefault(str(row["segment"]), []).append(
            (dt.date.fromisoformat(str(row["period_end"])), float(row[value])))
    return out


def line_paths(tp: TimePlot, points: Sequence[Sequence[tuple[dt.date, float]]], colour: str, *,
               width: float = 2.5, dash: Sequence[float] | None = None) -> list[str]:
    """A path per run of two or more points (a lone point is left to a dot)."""
    return [_svg.path(_svg.path_d([(tp.x(d), tp.y(v)) for d, v in run]), stroke=colour,
                      width=width, dash=dash) for run in points if len(run) > 1]


def dots(tp: TimePlot, points: Sequence[tuple[dt.date, float]], colour: str, radius: float,
         **style: Any) -> list[str]:
    """A filled circle at each point."""
    return [_svg.circle(tp.x(d), tp.y(v), radius, colour, **style) for d, v in points]
