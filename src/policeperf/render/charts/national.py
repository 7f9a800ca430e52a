"""The national summary's charts: every force in one funnel plot, and ranks as small multiples.

Both take Polars frames built by :mod:`policeperf.report.national` and draw with the report's
theme (:mod:`policeperf.render.charts._theme`); they are the summary's own charts, separate from
the force report's.
"""

from __future__ import annotations

import textwrap
from typing import Any

import polars as pl

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._funnel import FunnelPoint, draw_funnel, limit_legend
from policeperf.render.charts._labels import Box, Label, place
from policeperf.render.charts._layout import PAD, TEXT, Canvas, Rect, Swatch
from policeperf.render.charts._render import Chart, finish
from policeperf.render.charts._scale import Linear
from policeperf.render.charts.inputs import ChartSize, ValueFormat

__all__ = ["national_funnel", "rank_small_multiples"]

_SHORT_NUMBER = (
    "datum.value == 0 ? '0' : datum.value >= 1e6 ? format(datum.value / 1e6, '.1~f') + 'M'"
    " : format(datum.value / 1e3, ',.0f') + 'k'"
)
_BANDS = ["above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%"]
_BAND_COLOURS = [_theme.CONCERN, "#F3C77A", _theme.COMMON, "#9CC7E4", _theme.IMPROVEMENT]


def _need(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs columns {missing}; got {frame.columns}")


def national_funnel(
    points: pl.DataFrame, limits: pl.DataFrame, *, centre: float, title: str, x_title: str,
    y_title: str, decimals: int = 3,
) -> Chart:  # fmt: skip
    """Every ranked force's rate against its denominator, inside 95% and 99.8% limits.

    Points are coloured by their band (above/below the limits, colour-blind-safe orange for
    above and blue for below whatever the measure's polarity: the chart says where a force
    is, the table says whether that is good), and forces outside the 99.8% limits are named.

    Args:
        points: Columns ``force``, ``denominator``, ``value``, ``band``.
        limits: Columns ``denominator``, ``lower95``, ``upper95``, ``lower998``, ``upper998``.
        centre: The England and Wales rate the limits are drawn around.
        title: Chart title.
        x_title: X axis title (residents or households).
        y_title: Y axis title with the unit.
        decimals: Decimals of rates in the alt text.
    """
    _need(points, ("force", "denominator", "value", "band"), "national_funnel.points")
    _need(limits, ("denominator", "lower95", "upper95", "lower998", "upper998"),
          "national_funnel.limits")
    data = points.sort("denominator", "force")
    names = {"95": "95% limits", "998": "99.8% limits"}
    line_rows = [
        {"denominator": r["denominator"], "level": r[f"{side}{level}"], "kind": names[level],
         "side": f"{side}{level}"}
        for r in limits.sort("denominator").iter_rows(named=True)
        for level in ("95", "998") for side in ("lower", "upper")
    ]
    kinds = [*names.values(), "England and Wales"]
    dash = {"field": "kind", "type": "nominal", "title": None, "legend": _theme.LINE_LEGEND,
            "scale": {"domain": kinds, "range": [[6, 4], [1, 0], [2, 2]]}}
    x = {"field": "denominator", "type": "quantitative", "title": x_title,
         "axis": {"labelExpr": _SHORT_NUMBER, "tickCount": 10}}
    y = {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": False}}
    colour = {"field": "band", "type": "nominal", "title": None,
              "scale": {"domain": _BANDS, "range": _BAND_COLOURS},
              "legend": {"orient": "bottom", "symbolType": "circle"}}
    outside = [r for r in data.to_dicts() if str(r["band"]).endswith("99.8%")]
    right = 0.6 * float(data["denominator"].max() or 0.0)  # type: ignore[arg-type]
    layers: list[dict[str, Any]] = [
        {"data": {"values": line_rows},
         "mark": {"type": "line", "color": "#555555", "strokeWidth": 1.2},
         "encoding": {"x": x, "y": {**y, "field": "level"}, "strokeDash": dash,
                      "detail": {"field": "side"}}},
        {"data": {"values": [{"level": centre, "kind": "England and Wales"}]},
         "mark": {"type": "rule", "color": "#555555", "strokeWidth": 1},
         "encoding": {"y": {**y, "field": "level"}, "strokeDash": dash}},
        {"mark": {"type": "circle", "size": 55, "opacity": 0.95, "stroke": "white",
                  "strokeWidth": 0.5},
         "encoding": {"x": x, "y": y, "color": colour}},
        {"data": {"values": [r for r in outside if r["denominator"] <= right]},
         "mark": {"type": "text", "align": "left", "dx": 6, "dy": -4, "fontSize": 11,
                  "color": _theme.INK},
         "encoding": {"x": x, "y": y, "text": {"field": "force"}}},
        {"data": {"values": [r for r in outside if r["denominator"] > right]},
         "mark": {"type": "text", "align": "right", "dx": -6, "dy": -4, "fontSize": 11,
                  "color": _theme.INK},
         "encoding": {"x": x, "y": y, "text": {"field": "force"}}},
    ]
    spec = {"title": {"text": textwrap.wrap(title, 95) or [""]}, "width": 900,
            "height": 330, "autosize": {"type": "fit", "contains": "padding"}, "padding": 6,
            "data": {"values": data.to_dicts()}, "layer": layers}
    counts = {b: sum(1 for r in data.iter_rows(named=True) if r["band"] == b) for b in _BANDS}
    alt = (f"Funnel plot of {y_title.lower()} against {x_title.lower()} for {data.height} "
           f"forces around the England and Wales rate of {centre:.{decimals}f}: "
           + ", ".join(f"{n} {b}" for b, n in counts.items() if n) + ". Named: "
           + (", ".join(str(r["force"]) for r in outside) or "none") + ".")
    canvas = Canvas(title, ChartSize.FULL, width=900, height=330)
    canvas.legend([*limit_legend("England and Wales"),
                   *(Swatch(b, c, "circle") for b, c in zip(_BANDS, _BAND_COLOURS, strict=True))])
    fills = dict(zip(_BANDS, _BAND_COLOURS, strict=True))
    dots = [FunnelPoint(float(r["denominator"]), float(r["value"]),
                        fills.get(str(r["band"]), _theme.COMMON), 4.2, stroke="white",
                        name=str(r["force"]) if str(r["band"]).endswith("99.8%") else None,
                        bold=False) for r in data.to_dicts()]
    plot = draw_funnel(canvas, dots, limits.sort("denominator"), centre, (x_title, y_title),
                       ValueFormat(decimals), log_x=False)
    return finish(canvas, plot, spec, alt_text=alt, data=data)


def rank_small_multiples(history: pl.DataFrame, *, order: list[str], size_of: int, title: str,
                         columns: int = 7) -> Chart:
    """One small panel per force: its national rank at each quarter end, 1st at the top.

    Args:
        history: Columns ``force``, ``period_end`` (date), ``rank``, ``of``.
        order: Forces in panel order (the latest ranking, best first).
        size_of: The number of forces ranked (the rank axis runs from 1 to it).
        title: Chart title.
        columns: Panels a row.
    """
    _need(history, ("force", "period_end", "rank", "of"), "rank_small_multiples")
    rows = [{**r, "period_end": _theme.iso(r["period_end"])}
            for r in history.sort("force", "period_end").to_dicts()]
    dates = sorted(set(history["period_end"].to_list()))
    latest = [r for r in rows if r["period_end"] == _theme.iso(dates[-1])] if dates else []
    x = {"field": "period_end", "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"format": "%b %y", "values": [_theme.iso(dates[0]), _theme.iso(dates[-1])]
                  if dates else [], "labelFontSize": 11, "labelAngle": 0, "grid": False,
                  "labelAlign": {"expr": "datum.index == 0 ? 'left' : 'right'"}}}
    y = {"field": "rank", "type": "quantitative", "title": None,
         "scale": {"domain": [size_of, 1], "nice": False},
         "axis": {"values": [1, (size_of + 1) // 2, size_of], "labelFontSize": 11,
                  "grid": True, "gridDash": [2, 2]}}
    spec = {
        "title": {"text": textwrap.wrap(title, 95) or [""]},
        "data": {"values": rows},
        "facet": {"field": "force", "type": "nominal", "sort": order,
                  "header": {"title": None, "labelFontSize": 11, "labelLimit": 110,
                             "labelPadding": 2}},
        "columns": columns,
        "spacing": {"row": 6, "column": 10},
        "spec": {
            "width": 100, "height": 42,
            "layer": [
                {"mark": {"type": "line", "color": _theme.FORCE, "strokeWidth": 1.5,
                          "point": {"size": 10, "filled": True}},
                 "encoding": {"x": x, "y": y}},
                {"transform": [{"filter": {"field": "period_end",
                                           "equal": _theme.iso(dates[-1])}}] if dates else [],
                 "mark": {"type": "text", "align": "right", "dx": -4, "dy": -6,
                          "fontSize": 11, "fontWeight": "bold", "color": _theme.INK},
                 "encoding": {"x": x, "y": y, "text": {"field": "rank"}}},
            ],
        },
        "padding": 6,
    }
    first = _theme.label(dates[0]) if dates else ""
    best = sorted(latest, key=lambda r: int(r["rank"]))[:5]
    alt = (f"Small multiples of each force's national rank (1 = best of {size_of}) at "
           f"{len(dates)} quarter ends from {first} to "
           f"{_theme.label(dates[-1]) if dates else ''}. Latest: "
           + ", ".join(f"{r['force']} {r['rank']}" for r in best)
           + " (best five).")
    canvas = Canvas(title, ChartSize.FULL, width=900, height=_multiples_height(
        len(order), columns, textwrap.wrap(title, 95)))
    plot = _draw_multiples(canvas, history, order, size_of, columns)
    return finish(canvas, plot, spec, alt_text=alt, data=history)


_PANEL = 44
"""Height of one panel's plot."""
_ROW = TEXT + 10 + _PANEL + TEXT + 12
"""One row of panels: name, plot, date labels, space."""


def _multiples_height(count: int, columns: int, title_lines: list[str]) -> int:
    rows = -(-count // columns)
    return int(PAD * 2 + len(title_lines) * 16 + 14 + rows * _ROW)


def _draw_multiples(canvas: Canvas, history: pl.DataFrame, order: list[str], size_of: int,
                    columns: int) -> Rect:
    """One panel per force: its name, its rank line (1st at the top), the latest rank."""
    gap = 12.0
    width = (canvas.width - 2 * PAD - (columns - 1) * gap) / columns
    ranks = [1, (size_of + 1) // 2, size_of]
    axis_room = max(_svg.measure(str(r), TEXT) for r in ranks) + 4
    dates = sorted(set(history["period_end"].to_list()))
    first, last = (dates[0].toordinal(), dates[-1].toordinal()) if dates else (0, 1)
    by_force: dict[str, list[tuple[int, int]]] = {}
    for r in history.sort("period_end").iter_rows(named=True):
        by_force.setdefault(str(r["force"]), []).append((r["period_end"].toordinal(),
                                                         int(r["rank"])))
    names, grid, lines, dots, values, labels = [], [], [], [], [], []
    for n, force in enumerate(order):
        row, col = divmod(n, columns)
        left = PAD + col * (width + gap)
        top = canvas.top + row * _ROW
        names.append(_svg.text(left, top + TEXT, _svg.shorten(force, TEXT, width), px=TEXT))
        plot = Rect(left + axis_room, top + TEXT + 10, left + width - 2,
                    top + TEXT + 10 + _PANEL)
        x = Linear((first, last), (plot.left, plot.right))
        y = Linear((1, size_of), (plot.top, plot.bottom))
        grid.append(_svg.path("".join(f"M{_svg.num(plot.left)},{_svg.num(y(r))}"
                                      f"H{_svg.num(plot.right)}" for r in ranks),
                              stroke="#D0D0D0", dash=[2, 2]))
        labels += [_svg.text(plot.left - 3, y(r) + 0.35 * TEXT, str(r), px=TEXT, anchor="end")
                   for r in ranks]
        if dates:
            base = plot.bottom + TEXT + 2
            labels.append(_svg.text(plot.left, base, f"{dates[0]:%b %y}", px=TEXT))
            labels.append(_svg.text(plot.right, base, f"{dates[-1]:%b %y}", px=TEXT,
                                    anchor="end"))
        points = [(x(d), y(r)) for d, r in by_force.get(force, [])]
        if len(points) > 1:
            lines.append(_svg.path(_svg.path_d(points), stroke=_theme.FORCE, width=1.5))
        dots += [_svg.circle(px, py, 1.8, _theme.FORCE) for px, py in points]
        if points and by_force[force][-1][0] == last:
            px, py = points[-1]
            rank = str(by_force[force][-1][1])
            box = Box(plot.left, top, plot.right + 2, plot.bottom)
            chosen = place([[Label(px - 4, py - 5, rank, "end", bold=True),
                             Label(px - 4, py + 13, rank, "end", bold=True)]], box)[0]
            if chosen is not None:
                values.append(chosen.svg())
    canvas.add("mark-text role-header", names)
    canvas.add("mark-rule role-axis-grid", grid)
    canvas.add("mark-text role-axis-label", labels)
    canvas.add("mark-line role-mark", lines)
    canvas.add("mark-symbol role-mark", dots)
    canvas.add("mark-text role-mark", values, "over")
    return Rect(PAD, canvas.top, canvas.width - PAD, canvas.height - PAD)
