"""Funnel plots: every area's rate against its denominator inside 95% and 99.8% limits.

Drawn for the report's benchmarking appendix (`peers.funnel_plot`) and for the national
summary (`national.national_funnel`). Named points are labelled where the label overlaps no
other label and, when there is room, no other point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from policeperf.render.charts import _svg
from policeperf.render.charts._labels import Box, Label, place
from policeperf.render.charts._layout import (
    TEXT,
    Canvas,
    Rect,
    Swatch,
    value_plot,
    x_axis,
    x_axis_height,
)
from policeperf.render.charts._scale import Linear, Log, log_ticks, nice_ticks, short_number
from policeperf.render.charts.inputs import ValueFormat

LIMIT_INK = "#555555"
LIMIT_DASH = ([6, 4], [1, 0], [2, 2])
"""95% limits dashed, 99.8% limits solid, the average dotted."""
PEER_DOT = "#8C8C8C"


@dataclass(frozen=True)
class FunnelPoint:
    """One area: where it is, how it is drawn, and its name when it is labelled."""

    denominator: float
    rate: float
    colour: str
    radius: float
    name: str | None = None
    stroke: str | None = None
    opacity: float | None = None
    name_colour: str = "#222222"
    bold: bool = True


def limit_legend(average: str) -> list[Swatch]:
    """Legend entries of the limit lines and the average."""
    kinds = ("95% limits", "99.8% limits", average)
    return [Swatch(k, LIMIT_INK, dash=d) for k, d in zip(kinds, LIMIT_DASH, strict=True)]


def draw_funnel(canvas: Canvas, points: Sequence[FunnelPoint], bands: pl.DataFrame,
                centre: float, titles: tuple[str, str], fmt: ValueFormat, log_x: bool,
                x_ticks: int = 10) -> Rect:
    """Lay out and draw the limits, the average, the points and the names."""
    x_title, y_title = titles
    columns = ("lower95", "upper95", "lower998", "upper998")
    denominators = [float(d) for d in bands["denominator"].to_list()]
    levels = [float(v) for c in columns for v in bands[c].to_list() if v is not None]
    if log_x:
        low, high = min(denominators), max(denominators)
        ticks = log_ticks(low, high)
    else:
        every = [p.denominator for p in points] + denominators
        low, high, ticks, _ = nice_ticks(0.0, max(every), x_ticks)
    last = short_number(ticks[-1]) if ticks else ""
    plot, y = value_plot(canvas, [p.rate for p in points] + levels + [centre], y_title=y_title,
                         fmt=fmt, zero=False, pad_px=4, right=_svg.measure(last, TEXT) / 2 + 2,
                         bottom=x_axis_height(x_title))
    scale = (Log if log_x else Linear)((low, high), (plot.left, plot.right))
    x_axis(canvas, plot, [(scale(t), short_number(t)) for t in ticks], x_title, grid=log_x)
    lines = []
    for column, dash in zip(columns, (LIMIT_DASH[0], LIMIT_DASH[0], LIMIT_DASH[1],
                                      LIMIT_DASH[1]), strict=True):
        run = [(scale(d), y(v)) for d, v in zip(denominators, bands[column].to_list(),
                                                 strict=True) if v is not None]
        lines.append(_svg.path(_svg.path_d(run), stroke=LIMIT_INK, width=1.5, dash=dash))
    canvas.add("mark-line role-mark", lines, "data")
    canvas.add("mark-rule role-mark", [_svg.line(plot.left, y(centre), plot.right, y(centre),
                                                 LIMIT_INK, 1, LIMIT_DASH[2])], "data")
    canvas.add("mark-symbol role-mark", [
        _svg.circle(scale(p.denominator), y(p.rate), p.radius, p.colour, stroke=p.stroke,
                    stroke_width=1 if p.stroke else None, opacity=p.opacity) for p in points],
        "data")
    dots = [Box(scale(p.denominator) - p.radius, y(p.rate) - p.radius,
                scale(p.denominator) + p.radius, y(p.rate) + p.radius) for p in points]
    bounds = Box(plot.left, plot.top, plot.right, plot.bottom)
    taken: list[Box] = []
    names = []
    for p in points:
        if not p.name:
            continue
        px, py = scale(p.denominator), y(p.rate)
        where = [Label(px + dx, py + dy, p.name, anchor, bold=p.bold, fill=p.name_colour)
                 for dy in (-6, 14, -18, 26, -30, 38)
                 for dx, anchor in ((8, "start"), (-8, "end"))]
        chosen = (place([where], bounds, [*taken, *dots])[0]
                  or place([where], bounds, taken)[0])
        if chosen is not None:  # else no free place: the table names it
            taken.append(chosen.box())
            names.append(chosen.svg())
    canvas.add("mark-text role-mark", names, "over")
    return plot
