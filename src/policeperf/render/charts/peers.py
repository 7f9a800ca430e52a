"""Peer comparisons: the MSG ranking bar chart and the 43-force funnel plot."""

from __future__ import annotations

from typing import Any

import polars as pl

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._funnel import PEER_DOT, FunnelPoint, draw_funnel, limit_legend
from policeperf.render.charts._labels import Box, Label, label_width, place
from policeperf.render.charts._layout import (
    PAD,
    TEXT,
    Canvas,
    Rect,
    x_axis,
    x_axis_height,
)
from policeperf.render.charts._render import Chart, finish
from policeperf.render.charts._scale import (
    Band,
    Linear,
    nice_ticks,
    tick_formatter,
)
from policeperf.render.charts.inputs import (
    COUNT,
    RATE,
    ChartSize,
    ValueFormat,
    require_columns,
    require_one_force,
)

# Axis labels for populations: 0, 500k, 1.5M (d3's "~s" prints "0M" and "0.2M").
_SHORT_NUMBER = (
    "datum.value == 0 ? '0' : datum.value >= 1e6 ? format(datum.value / 1e6, '.1~f') + 'M'"
    " : format(datum.value / 1e3, ',.0f') + 'k'"
)


def _ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def peer_ranking(
    frame: pl.DataFrame,
    *,
    msg_average: float,
    title: str,
    x_title: str = "Rate per 1,000 residents",
    higher_is_better: bool = False,
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = RATE,
    average_label: str = "MSG average",
) -> Chart:
    """Draw the MSG forces' rates as sorted horizontal bars, best first, the force highlighted.

    Args:
        frame: Columns `area`, `rate` and `is_force` (exactly one true row).
        msg_average: The MSG average rate, drawn as a labelled vertical rule.
        title: Chart title.
        x_title: X axis title with its unit.
        higher_is_better: Sort order: False puts the lowest rate first (crime rates).
        size: Chart size.
        value_format: Format of the value labels.
        average_label: What the group's average is called: "MSG average" for an official
            Most Similar Group, "Similar forces (computed) average" for a computed group.

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "peer_ranking")
    force = require_one_force(data, "peer_ranking")
    data = data.sort(["rate", "area"], descending=[higher_is_better, False], nulls_last=True)
    order = [str(a) for a in data["area"].to_list()]
    rows = [{**r, "bar": "force" if r["is_force"] else "peer"} for r in data.to_dicts()]
    y = {"field": "area", "type": "nominal", "title": None, "sort": order,
         "scale": {"paddingInner": 0.3}, "axis": {"labelLimit": 170}}
    x = {"field": "rate", "type": "quantitative", "title": x_title,
         "axis": {"format": value_format.axis()}}
    colour = {"field": "bar", "type": "nominal", "legend": None,
              "scale": {"domain": ["force", "peer"], "range": [_theme.FORCE, _theme.PEER]}}
    # Keep the rule's label inside the plot: right-aligned when the rule is in the right half.
    right = msg_average > 0.5 * max(data["rate"].drop_nulls().max() or 0.0, msg_average)  # type: ignore[operator]
    average = [{"rate": msg_average, "text": f"{average_label} {value_format.text(msg_average)}"}]
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar"}, "encoding": {"y": y, "x": x, "color": colour}},
        {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": _theme.TEXT_PX,
                  "color": _theme.INK},
         "encoding": {"y": y, "x": x, "text": {"field": "rate", "format": value_format.d3()},
                      "fontWeight": {"condition": {"test": "datum.is_force",
                                                   "value": "bold"}, "value": "normal"}}},
        {"data": {"values": average},
         "mark": {"type": "rule", "color": _theme.MSG, "strokeWidth": 2, "strokeDash": [6, 3]},
         "encoding": {"x": {"field": "rate", "type": "quantitative"}}},
        {"data": {"values": average},
         "mark": {"type": "text", "color": _theme.MSG, "align": "right" if right else "left",
                  "baseline": "bottom", "dx": -4 if right else 4, "y": -2,
                  "fontSize": _theme.TEXT_PX, "fontWeight": "bold"},
         "encoding": {"x": {"field": "rate", "type": "quantitative"}, "text": {"field": "text"}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": rows}, "layer": layers}
    position = order.index(force) + 1
    listing = "; ".join(f"{r['area']} {value_format.text(r['rate'])}" for r in rows)
    alt_text = (
        f"Bar chart ranking {len(rows)} forces of the peer group, best first: {force} is "
        f"{_ordinal(position)} of {len(rows)} with {value_format.text(rows[position - 1]['rate'])}"
        f" against the {average_label} of {value_format.text(msg_average)}. {listing}."
    )
    canvas = Canvas(title, size)
    plot = _draw_ranking(canvas, rows, x_title, value_format, msg_average,
                         f"{average_label} {value_format.text(msg_average)}")
    return finish(canvas, plot, spec, alt_text=alt_text, data=data)


def funnel_plot(
    points: pl.DataFrame,
    limits: pl.DataFrame,
    *,
    centre: float,
    title: str,
    x_title: str = "Resident population",
    y_title: str = "Rate per 1,000 residents",
    size: ChartSize = ChartSize.FULL,
    value_format: ValueFormat = RATE,
    denominator_format: ValueFormat = COUNT,
    log_x: bool = False,
) -> Chart:
    """Draw every force's rate against its denominator inside 95% and 99.8% control limits.

    Args:
        points: Columns `area`, `denominator`, `rate`, `is_force` (exactly one true row).
        limits: Columns `denominator` (ascending), `lower95`, `upper95`, `lower998`,
            `upper998`, on the same rate base as the points.
        centre: The overall rate the limits are drawn around.
        title: Chart title.
        x_title: X axis title with its unit.
        y_title: Y axis title with its unit.
        size: Chart size.
        value_format: Format of rates.
        denominator_format: Format of denominators in the alt text.
        log_x: A log denominator axis (populations from 100k to 9M spread evenly), ticked at
            1, 2 and 5 times powers of ten.

    Returns:
        The rendered chart; its `data` holds the points (the limits are in the spec).
    """
    data = require_columns(points, "funnel_plot.points").sort("denominator", "area")
    bands = require_columns(limits, "funnel_plot.limits").sort("denominator")
    force = require_one_force(data, "funnel_plot")
    names = {"95": "95% limits", "998": "99.8% limits"}
    line_rows = [
        {"denominator": r["denominator"], "level": r[f"{side}{level}"], "kind": names[level],
         "side": f"{side}{level}"}
        for r in bands.iter_rows(named=True)
        for level in ("95", "998")
        for side in ("lower", "upper")
        if r[f"{side}{level}"] is not None
    ]
    kinds = [*names.values(), "Average"]
    dash = {"field": "kind", "type": "nominal", "title": None, "legend": _theme.LINE_LEGEND,
            "scale": {"domain": kinds, "range": [[6, 4], [1, 0], [2, 2]]}}
    x: dict[str, Any] = {
        "field": "denominator", "type": "quantitative", "title": x_title,
        "axis": {"labelExpr": _SHORT_NUMBER, "tickCount": 5 if _theme.narrow(size) else 10}}
    if log_x:
        low, high = float(bands["denominator"].min()), float(bands["denominator"].max())  # type: ignore[arg-type]
        ticks = [m * 10**e for e in range(0, 10) for m in (1, 2, 5) if low <= m * 10**e <= high]
        x = {**x, "scale": {"type": "log", "domain": [low, high], "nice": False},
             "axis": {"labelExpr": _SHORT_NUMBER, "values": ticks, "grid": True}}
    y = {"field": "rate", "type": "quantitative", "title": y_title,
         "axis": {"format": value_format.axis()}, "scale": {"zero": False}}
    point_rows = data.to_dicts()
    highlight = [r for r in point_rows if r["is_force"]]
    # Label the force on its left when it sits near the right edge, so the name is not cut.
    near_right = highlight[0]["denominator"] > 0.6 * max(r["denominator"] for r in point_rows)
    layers: list[dict[str, Any]] = [
        {"data": {"values": line_rows},
         "mark": {"type": "line", "color": "#555555", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {**y, "field": "level"}, "strokeDash": dash,
                      "detail": {"field": "side"}}},
        {"data": {"values": [{"level": centre, "kind": "Average"}]},
         "mark": {"type": "rule", "color": "#555555", "strokeWidth": 1},
         "encoding": {"y": {**y, "field": "level"}, "strokeDash": dash}},
        {"transform": [{"filter": "!datum.is_force"}],
         "mark": {"type": "circle", "size": 40, "color": "#8C8C8C", "opacity": 0.9},
         "encoding": {"x": x, "y": y}},
        {"data": {"values": highlight},
         "mark": {"type": "circle", "size": 110, "color": _theme.FORCE, "opacity": 1,
                  "stroke": "white", "strokeWidth": 1},
         "encoding": {"x": x, "y": y}},
        {"data": {"values": highlight},
         "mark": {"type": "text", "align": "right" if near_right else "left",
                  "dx": -8 if near_right else 8, "dy": -8, "fontWeight": "bold",
                  "fontSize": _theme.TEXT_PX, "color": _theme.FORCE},
         "encoding": {"x": x, "y": y, "text": {"field": "area"}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": point_rows}, "layer": layers}
    mine = highlight[0]
    alt_text = (
        f"Funnel plot of {y_title.lower()} against {x_title.lower()} for {len(point_rows)} "
        f"areas, with 95% and 99.8% control limits around an average of "
        f"{value_format.text(centre)}. {force}: {value_format.text(mine['rate'])} with "
        f"{denominator_format.text(mine['denominator'])}."
    )
    canvas = Canvas(title, size)
    canvas.legend(limit_legend("Average"))
    dots = [FunnelPoint(float(r["denominator"]), float(r["rate"]), PEER_DOT, 3.6, opacity=0.9)
            for r in point_rows if not r["is_force"]]
    dots += [FunnelPoint(float(r["denominator"]), float(r["rate"]), _theme.FORCE, 5.9,
                         name=str(r["area"]), stroke="white", name_colour=_theme.FORCE)
             for r in highlight]
    plot = draw_funnel(canvas, dots, bands, centre, (x_title, y_title), value_format, log_x,
                       x_ticks=5 if _theme.narrow(size) else 10)
    return finish(canvas, plot, spec, alt_text=alt_text, data=data)


def _draw_ranking(canvas: Canvas, rows: list[dict[str, Any]], x_title: str, fmt: ValueFormat,
                  average: float, average_text: str) -> Rect:
    """Sorted bars, the force in blue, values beside the bars, the average as a dashed rule
    labelled above the plot; a value label that would cross the rule moves past it."""
    canvas.top += TEXT + 6  # the average's label sits above the plot
    names = {str(r["area"]): _svg.shorten(str(r["area"]), TEXT, min(170, canvas.width * 0.38))
             for r in rows}
    widest = max(_svg.measure(n, TEXT) for n in names.values())
    texts = [fmt.text(r["rate"]) for r in rows]
    room = max(label_width(t, TEXT, True) for t in texts) + 8
    rates = [float(r["rate"]) for r in rows if r["rate"] is not None]
    left = PAD + widest + 8
    bottom = canvas.height - PAD - x_axis_height(x_title)
    d0, d1, ticks, step = nice_ticks(0.0, max(rates + [average, 0.0]),
                                     max(2, int((canvas.width - left - room) / 60)))
    label = tick_formatter(fmt, step)
    plot = Rect(left, canvas.top, canvas.width - PAD - room, bottom)
    x = Linear((d0, d1), (plot.left, plot.right))
    x_axis(canvas, plot, [(x(t), label(t)) for t in ticks], x_title, grid=True)
    band = Band(len(rows), plot.top, plot.bottom, 0.3)
    # Rows lower than a line of text cannot all be named: the force first, then the others
    # where there is room.
    order = sorted(range(len(rows)), key=lambda i: not rows[i]["is_force"])
    named = place([[Label(plot.left - 5, band.centre(i) + 0.35 * TEXT, names[str(rows[i]["area"])],
                          "end")] for i in order], Box(-1e4, 0, plot.left, canvas.height))
    by_row = dict(zip(order, named, strict=True))
    canvas.add("mark-text role-axis-label",
               [lab.svg() for i in range(len(rows)) if (lab := by_row[i]) is not None])
    canvas.add("mark-rect role-mark", [_svg.rect(
        x(0), band.left(i), x(r["rate"] or 0.0) - x(0), band.width,
        _theme.FORCE if r["is_force"] else _theme.PEER) for i, r in enumerate(rows)], "data")
    at = x(average)
    rule = Box(at - 1.5, plot.top, at + 1.5, plot.bottom)
    choices = []
    for i, (r, text) in enumerate(zip(rows, texts, strict=True)):
        y = band.centre(i) + 0.35 * TEXT
        end = x(r["rate"] or 0.0)
        bold = bool(r["is_force"])
        choices.append([Label(end + 4, y, text, "start", bold=bold),
                        Label(at + 5, y, text, "start", bold=bold),
                        Label(end - 4, y, text, "end", bold=bold,
                              fill="white" if bold else _theme.INK)])
    bounds = Box(plot.left, plot.top, canvas.width, plot.bottom)
    placed = place([choices[i] for i in order], bounds, [rule])
    values = [lab.svg() for lab in placed if lab]
    fits = _svg.shorten(average_text, TEXT, canvas.width - 2 * PAD, bold=True)
    heading = place([[Label(at + 4, plot.top - 5, fits, "start", bold=True, fill=_theme.MSG),
                      Label(at - 4, plot.top - 5, fits, "end", bold=True, fill=_theme.MSG),
                      Label(canvas.width - PAD, plot.top - 5, fits, "end", bold=True,
                            fill=_theme.MSG),
                      Label(PAD, plot.top - 5, fits, "start", bold=True, fill=_theme.MSG)]],
                    Box(0, 0, canvas.width, plot.top))[0]
    canvas.add("mark-rule role-mark", [_svg.line(at, plot.top, at, plot.bottom, _theme.MSG, 2,
                                                 [6, 3])], "over")
    canvas.add("mark-text role-mark", values + ([heading.svg()] if heading else []), "over")
    return plot
