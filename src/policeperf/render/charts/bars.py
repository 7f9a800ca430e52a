"""Bar charts: monthly counts, survey categories, paired years, and volume bars with a rate line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._bars import (
    Bar,
    band_axis,
    bar_labels,
    draw_categories,
    draw_dual,
    headroom,
    label_style,
    months,
    slot_estimate,
)
from policeperf.render.charts._labels import Box
from policeperf.render.charts._layout import (
    PAD,
    Canvas,
    Swatch,
    value_plot,
    x_axis_height,
)
from policeperf.render.charts._render import Chart, finish
from policeperf.render.charts._scale import Band
from policeperf.render.charts._series import span_text
from policeperf.render.charts.inputs import (
    COUNT,
    PERCENT,
    ChartSize,
    Role,
    ValueFormat,
    require_columns,
    require_roles,
)

_LABEL = {"fontSize": _theme.TEXT_PX, "color": _theme.INK}
"""Value labels on bars."""


def monthly_count_bars(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str = "Count per month",
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = COUNT,
) -> Chart:
    """Draw monthly counts as bars, each labelled with its value (typically 15 months).

    Args:
        frame: Columns `period_end` (Date, one row per month) and `value` (count; null months
            get no bar).
        title: Chart title.
        y_title: Y axis title with its unit.
        size: Chart size.
        value_format: Format of the value labels.

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "monthly_count_bars").sort("period_end")
    dates: list[dt.date] = data["period_end"].to_list()
    rows = [
        {"month": _theme.label(d), "value": v}
        for d, v in zip(dates, data["value"].to_list(), strict=True)
        if v is not None
    ]
    labels = [_theme.label(d) for d in dates]
    half = _theme.narrow(size)
    x = {"field": "month", "type": "ordinal", "title": None, "sort": labels,
         "scale": {"domain": labels, "paddingInner": 0.2},
         "axis": {"labelAngle": -45 if half else 0, "labelAlign": "right" if half else "center",
                  "values": _theme.thin_labels(labels, size)}}
    y = {"field": "value", "type": "quantitative", "title": y_title,
         "axis": {"format": value_format.axis()}}
    label_mark = {"type": "text", "baseline": "bottom", "dy": -3, **_LABEL}
    if half and len(labels) > 8:
        label_mark.update(angle=-90, align="left", baseline="middle", dy=0, dx=3)
    layers = [
        {"mark": {"type": "bar", "color": _theme.FORCE}, "encoding": {"x": x, "y": y}},
        {"mark": label_mark,
         "encoding": {"x": x, "y": y, "text": {"field": "value", "format": value_format.d3()}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": rows}, "layer": layers}
    last = rows[-1] if rows else None
    latest = f" Latest, {last['month']}: {value_format.text(last['value'])}." if last else ""
    total = value_format.text(sum(r["value"] for r in rows))
    alt_text = (
        f"Bar chart of monthly counts, {span_text(dates)}; {len(rows)} months totalling "
        f"{total}.{latest}"
    )
    canvas = Canvas(title, size)
    texts = [value_format.text(r["value"]) for r in rows]
    angle, every = label_style(texts, slot_estimate(canvas, len(labels)))
    plot, vy = value_plot(canvas, [float(r["value"]) for r in rows], y_title=y_title,
                          fmt=value_format, headroom=headroom(texts, angle),
                         bottom=x_axis_height(None))
    band = band_axis(canvas, plot, labels, months(labels, size))
    index = {m: i for i, m in enumerate(labels)}
    bars = [Bar(band.centre(index[r["month"]]), band.width, float(r["value"]), t)
            for r, t in zip(rows, texts, strict=True)]
    canvas.add("mark-rect role-mark", [_svg.rect(b.centre - b.width / 2, vy(0), b.width,
                                                 vy(b.value) - vy(0), _theme.FORCE)
                                       for b in bars], "data")
    bounds = Box(plot.left - PAD, canvas.top - 4, canvas.width, plot.bottom)
    canvas.add("mark-text role-mark", bar_labels(bars, vy, bounds, angle, every), "over")
    return finish(canvas, plot, spec, alt_text=alt_text, data=data)


def category_bars(
    frame: pl.DataFrame,
    *,
    title: str,
    x_title: str = "Victims satisfied (%)",
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = PERCENT,
) -> Chart:
    """Draw the latest rate per survey category as horizontal bars with confidence whiskers.

    Args:
        frame: Columns `category` (drawn top to bottom in frame order), `rate`, `lower`, `upper`
            (proportions in [0, 1]).
        title: Chart title.
        x_title: X axis title with its unit.
        size: Chart size.
        value_format: Format of the labels (percent by default).

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "category_bars")
    rows = data.to_dicts()
    order = [str(c) for c in data["category"].to_list()]
    y = {"field": "category", "type": "nominal", "title": None, "sort": order,
         "axis": {"labelLimit": 160}, "scale": {"paddingInner": 0.35}}
    x = {"field": "rate", "type": "quantitative", "title": x_title,
         "scale": {"domain": [0, 1]} if value_format.percent else {},
         "axis": {"format": value_format.axis()}}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "bar", "color": _theme.FORCE, "opacity": 0.85},
         "encoding": {"y": y, "x": x}},
        {"mark": {"type": "rule", "color": _theme.INK, "strokeWidth": 1.5},
         "encoding": {"y": y, "x": {**x, "field": "lower"}, "x2": {"field": "upper"}}},
        {"mark": {"type": "tick", "color": _theme.INK, "thickness": 1.5, "bandSize": 10},
         "encoding": {"y": y, "x": {**x, "field": "lower"}}},
        {"mark": {"type": "tick", "color": _theme.INK, "thickness": 1.5, "bandSize": 10},
         "encoding": {"y": y, "x": {**x, "field": "upper"}}},
        {"mark": {"type": "text", "align": "left", "dx": 5, "fontWeight": "bold", **_LABEL},
         "encoding": {"y": y, "x": {**x, "field": "upper"},
                      "text": {"field": "rate", "format": value_format.d3()}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": rows}, "layer": layers}
    parts = "; ".join(
        f"{r['category']} {value_format.text(r['rate'])} "
        f"({value_format.text(r['lower'])} to {value_format.text(r['upper'])})"
        for r in rows
    )
    alt_text = f"Bar chart of rates by category with 95% confidence intervals: {parts}."
    canvas = Canvas(title, size)
    return finish(canvas, draw_categories(canvas, rows, order, x_title, value_format), spec,
                  alt_text=alt_text, data=data)


def paired_bars(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = COUNT,
) -> Chart:
    """Draw grouped bars: one group per year, one bar per series (force, national), labelled.

    Args:
        frame: Columns `year` (group label, e.g. 2019), `series` (e.g. force name, 'National'),
            `role` ('force', 'msg' or 'national'), `value` (nullable).
        title: Chart title.
        y_title: Y axis title with its unit, e.g. "Median days to charge".
        size: Chart size.
        value_format: Format of the value labels.

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "paired_bars")
    require_roles(data, "paired_bars")
    data = data.with_columns(pl.col("year").cast(pl.Utf8))
    years = list(dict.fromkeys(data["year"].to_list()))
    pairs = list(dict.fromkeys(zip(data["series"].to_list(), data["role"].to_list(),
                                   strict=True)))
    pairs.sort(key=lambda p: list(Role).index(Role(p[1])))
    names = [n for n, _ in pairs]
    colour = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": names,
                        "range": [_theme.ROLE_COLOUR[Role(r)] for _, r in pairs]}}
    offset = {"field": "series", "type": "nominal", "sort": names,
              "scale": {"domain": names, "paddingInner": 0.08}}
    x = {"field": "year", "type": "nominal", "title": None, "sort": years,
         "axis": {"labelAngle": 0}, "scale": {"paddingInner": 0.25}}
    y = {"field": "value", "type": "quantitative", "title": y_title,
         "axis": {"format": value_format.axis()}}
    rows = data.filter(pl.col("value").is_not_null()).to_dicts()
    layers = [
        {"mark": {"type": "bar"}, "encoding": {"x": x, "xOffset": offset, "y": y, "color": colour}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontWeight": "bold", **_LABEL},
         "encoding": {"x": x, "xOffset": offset, "y": y,
                      "text": {"field": "value", "format": value_format.d3()}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": rows}, "layer": layers}
    parts = []
    for year in years:
        these = [r for r in rows if r["year"] == year]
        values = ", ".join(f"{r['series']} {value_format.text(r['value'])}" for r in these)
        parts.append(f"{year}: {values or 'no data'}")
    alt_text = f"Grouped bar chart of {y_title.lower()} by year. {'; '.join(parts)}."
    canvas = Canvas(title, size)
    colours = [_theme.ROLE_COLOUR[Role(r)] for _, r in pairs]
    canvas.legend([Swatch(n, c, "square") for n, c in zip(names, colours, strict=True)])
    texts = [value_format.text(r["value"]) for r in rows]
    slot = slot_estimate(canvas, len(years) * len(names)) * 0.8
    angle, every = label_style(texts, slot, bold=True)
    plot, vy = value_plot(canvas, [float(r["value"]) for r in rows], y_title=y_title,
                          fmt=value_format, headroom=headroom(texts, angle, bold=True),
                         bottom=x_axis_height(None))
    band = band_axis(canvas, plot, years, years, inner=0.25)
    bars: list[Bar] = []
    rects = []
    for r, text in sorted(zip(rows, texts, strict=True),
                          key=lambda rt: (years.index(rt[0]["year"]),
                                          names.index(rt[0]["series"]))):
        inner = Band(len(names), band.left(years.index(r["year"])),
                     band.left(years.index(r["year"])) + band.width, 0.08)
        at = names.index(r["series"])
        bars.append(Bar(inner.centre(at), inner.width, float(r["value"]), text))
        rects.append(_svg.rect(inner.left(at), vy(0), inner.width, vy(r["value"]) - vy(0),
                               colours[at]))
    canvas.add("mark-rect role-mark", rects, "data")
    bounds = Box(plot.left - PAD, canvas.top - 4, canvas.width, plot.bottom)
    canvas.add("mark-text role-mark", bar_labels(bars, vy, bounds, angle, every, bold=True),
               "over")
    return finish(canvas, plot, spec, alt_text=alt_text, data=data)


def dual_axis_volume_rate(
    frame: pl.DataFrame,
    *,
    title: str,
    volume_title: str = "Charges (12 months to date)",
    rate_title: str = "Charge rate (%)",
    volume_name: str = "Charge volume",
    rate_name: str = "Charge rate",
    size: ChartSize = ChartSize.FULL,
    volume_format: ValueFormat = COUNT,
    rate_format: ValueFormat = PERCENT,
) -> Chart:
    """Draw 12-month rolling volumes as bars (left axis) and a rate as a line (right axis).

    Args:
        frame: Columns `period_end` (Date), `volume` (count) and `rate` (proportion in [0, 1]).
        title: Chart title.
        volume_title: Left axis title with its unit.
        rate_title: Right axis title with its unit.
        volume_name: Legend label of the bars.
        rate_name: Legend label of the line.
        size: Chart size.
        volume_format: Format of volumes.
        rate_format: Format of rates.

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "dual_axis_volume_rate").sort("period_end")
    dates: list[dt.date] = data["period_end"].to_list()
    labels = [_theme.label(d) for d in dates]
    rows = [
        {"month": _theme.label(r["period_end"]), "volume": r["volume"], "rate": r["rate"]}
        for r in data.iter_rows(named=True)
    ]
    half = _theme.narrow(size)
    x = {"field": "month", "type": "ordinal", "title": None, "sort": labels,
         "scale": {"domain": labels, "paddingInner": 0.2},
         "axis": {"labelAngle": -45 if half else 0, "labelAlign": "right" if half else "center",
                  "values": _theme.thin_labels(labels, size)}}
    names = [volume_name, rate_name]
    colour = {"type": "nominal", "title": None,
              "scale": {"domain": names, "range": [_theme.VOLUME, _theme.FORCE]}}
    volume_axis = {"format": volume_format.d3(), "titleColor": _theme.INK}
    rate_axis = {"format": rate_format.axis(), "orient": "right", "grid": False}
    layers = [
        {"mark": {"type": "bar"},
         "encoding": {"x": x, "color": {**colour, "datum": volume_name},
                      "y": {"field": "volume", "type": "quantitative", "title": volume_title,
                            "axis": volume_axis}}},
        {"mark": {"type": "line", "strokeWidth": 2.5, "point": {"filled": True, "size": 30}},
         "encoding": {"x": x, "color": {**colour, "datum": rate_name},
                      "y": {"field": "rate", "type": "quantitative", "title": rate_title,
                            "axis": rate_axis, "scale": {"zero": True}}}},
    ]
    spec = {**_theme.frame_props(title, size), "data": {"values": rows}, "layer": layers,
            "resolve": {"scale": {"y": "independent"}}}
    last = rows[-1]
    alt_text = (
        f"Bars of {volume_name.lower()} with a line of {rate_name.lower()}, {span_text(dates)}. "
        f"Latest, {last['month']}: {volume_name.lower()} {volume_format.text(last['volume'])}, "
        f"{rate_name.lower()} {rate_format.text(last['rate'])}."
    )
    canvas = Canvas(title, size)
    canvas.legend([Swatch(volume_name, _theme.VOLUME, "square"),
                   Swatch(rate_name, _theme.FORCE, "line-point")])
    plot = draw_dual(canvas, rows, labels, size, (volume_title, volume_format),
                      (rate_title, rate_format))
    return finish(canvas, plot, spec, alt_text=alt_text, data=data)

