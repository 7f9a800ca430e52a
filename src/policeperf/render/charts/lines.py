"""Time-series line charts: rolling rates, rolling counts, survey rates, year-ending series."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._labels import Box, Label, place
from policeperf.render.charts._layout import Canvas, Swatch
from policeperf.render.charts._render import Chart, finish
from policeperf.render.charts._series import (
    gap_layer,
    gap_notes,
    gap_spans,
    infer_period_months,
    latest_values,
    segment_rows,
    span_text,
)
from policeperf.render.charts._timeplot import dots, line_paths, segments, shade_gaps, time_plot
from policeperf.render.charts.inputs import (
    COUNT,
    PERCENT,
    RATE,
    ChartSize,
    Role,
    ValueFormat,
    require_columns,
    require_roles,
)


def rolling_rate_lines(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str = "Rate per 1,000 residents",
    size: ChartSize = ChartSize.FULL,
    value_format: ValueFormat = RATE,
    period_months: int | None = None,
) -> Chart:
    """Draw 12-month rolling rates: the force, the MSG average and (optionally) national.

    Lines break where a value is missing or the step between observations is longer than one
    period (the ONS quarterly tables skip periods in 2020-2021); a lone point shows as a dot.

    Args:
        frame: Columns `period_end` (Date), `series` (legend label), `role` ('force', 'msg'
            or 'national'), `value` (Float64, nullable).
        title: Chart title, drawn in the SVG.
        y_title: Y axis title with its unit.
        size: `ChartSize.FULL` or `ChartSize.HALF`.
        value_format: How values are printed in the alt text.
        period_months: Period length in months; inferred from the dates when None.

    Returns:
        The rendered chart.
    """
    return _role_lines(
        frame, "rolling_rate_lines", "Line chart of 12-month rolling rates", title=title,
        y_title=y_title, size=size, value_format=value_format, period_months=period_months,
        points=False,
    )


def force_vs_national_series(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = RATE,
    period_months: int | None = None,
) -> Chart:
    """Draw a year-ending series for the force against national, as lines with points.

    Args:
        frame: Columns `period_end` (Date, end of each year), `series`, `role`, `value`.
        title: Chart title.
        y_title: Y axis title with its unit, e.g. "Offenders who reoffend (%)".
        size: Chart size.
        value_format: Format of the values (use `ValueFormat(1, percent=True)` for proportions).
        period_months: Period length in months; inferred (usually 12) when None.

    Returns:
        The rendered chart.
    """
    return _role_lines(
        frame, "force_vs_national_series", "Line chart of year-ending values", title=title,
        y_title=y_title, size=size, value_format=value_format, period_months=period_months,
        points=True,
    )


def rolling_count_quarterly(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str = "Count (12 months to date)",
    series_name: str = "12-month rolling count",
    size: ChartSize = ChartSize.HALF,
    value_format: ValueFormat = COUNT,
    period_months: int | None = None,
) -> Chart:
    """Draw one 12-month rolling count as a line with points, labelling the latest value.

    Args:
        frame: Columns `period_end` (Date, quarterly) and `value` (count, nullable).
        title: Chart title.
        y_title: Y axis title with its unit.
        series_name: What the values are, used in the alt text.
        size: Chart size.
        value_format: Format of the values.
        period_months: Period length in months; inferred (usually 3) when None.

    Returns:
        The rendered chart.
    """
    data = require_columns(frame, "rolling_count_quarterly").sort("period_end")
    dates: list[dt.date] = data["period_end"].to_list()
    period = period_months or infer_period_months(dates)
    rows = segment_rows(data, ["value"], period, series_column=None)
    x = _theme.time_x(dates, size)
    y = {"field": "value", "type": "quantitative", "title": y_title,
         "axis": {"format": value_format.axis()}}
    last = rows[-1:] if rows else []
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": _theme.FORCE, "strokeWidth": 2.5,
                  "point": {"filled": True, "size": 40, "color": _theme.FORCE}},
         "encoding": {"x": x, "y": y, "detail": {"field": "segment"}}},
        {"data": {"values": last}, "mark": {"type": "text", "dy": -10, "fontWeight": "bold",
                                            "color": _theme.INK, "align": "center"},
         "encoding": {"x": x, "y": y, "text": {"field": "value", "format": value_format.d3()}}},
    ]
    spans = gap_spans([d for d, v in zip(dates, data["value"].to_list(), strict=True)
                       if v is not None], period)
    if spans:
        layers.insert(0, gap_layer(spans, period))
    spec = {**_theme.frame_props(title, size), "data": _values(rows), "layer": layers}
    notes = gap_notes(spans)
    alt_text = (
        f"Line chart of {series_name}, {span_text(dates)}. "
        f"{latest_values(data, 'value', value_format, series_column=None)}. {' '.join(notes)}"
    )
    canvas = Canvas(title, size)
    tp = time_plot(canvas, dates, [float(r["value"]) for r in rows], y_title=y_title,
                   fmt=value_format, headroom=_theme.TEXT_PX + 8)
    shade_gaps(canvas, tp, spans, period)
    runs = segments(rows)
    canvas.add("mark-line role-mark", line_paths(tp, list(runs.values()), _theme.FORCE), "data")
    points = [p for run in runs.values() for p in run]
    radius = 3.6 if len(points) <= 30 else 2.4  # many points: small dots, or they merge
    canvas.add("mark-symbol role-mark", dots(tp, points, _theme.FORCE, radius), "data")
    if points:
        day, value = points[-1]
        px, py = tp.x(day), tp.y(value)
        text = value_format.text(value)
        bounds = Box(tp.plot.left, canvas.top - 4, canvas.width, tp.plot.bottom)
        chosen = place([[Label(px, py - 8, text, "middle", bold=True),
                         Label(px, py - 8, text, "end", bold=True),
                         Label(px - 7, py + 4, text, "end", bold=True),
                         Label(px, py + 16, text, "end", bold=True)]], bounds)[0]
        canvas.add("mark-text role-mark", [chosen.svg()] if chosen else [], "over")
    return finish(canvas, tp.plot, spec, alt_text=alt_text.rstrip(), data=data, notes=notes)


def survey_rate_lines(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str = "Victims satisfied (%)",
    size: ChartSize = ChartSize.FULL,
    value_format: ValueFormat = PERCENT,
    period_months: int | None = None,
) -> Chart:
    """Draw survey rates as lines with shaded confidence bands, one colour per series.

    Args:
        frame: Columns `period_end` (Date), `series` (e.g. 'Whole experience'), `rate`,
            `lower`, `upper` (proportions in [0, 1]; lower/upper are the Wilson limits).
        title: Chart title.
        y_title: Y axis title with its unit.
        size: Chart size.
        value_format: Format of the rates (percent by default).
        period_months: Period length in months; inferred when None.

    Returns:
        The rendered chart.

    Raises:
        ValueError: A rate or limit is outside [0, 1].
    """
    data = require_columns(frame, "survey_rate_lines")
    _require_proportions(data, ["rate", "lower", "upper"], "survey_rate_lines")
    dates: list[dt.date] = data["period_end"].to_list()
    period = period_months or infer_period_months(dates)
    names = list(dict.fromkeys(data["series"].to_list()))
    colour = {"field": "series", "type": "nominal", "title": None, "legend": _theme.LINE_LEGEND,
              "scale": {"domain": names, "range": _theme.SERIES[: len(names)]}}
    rows = segment_rows(data, ["rate"], period)
    band_rows = segment_rows(data, ["rate", "lower", "upper"], period)
    x = _theme.time_x(dates, size)
    axis = {"format": value_format.axis()}
    y = {"field": "rate", "type": "quantitative", "title": y_title, "axis": axis,
         "scale": {"zero": False}}
    layers: list[dict[str, Any]] = [
        {"data": {"values": band_rows}, "mark": {"type": "area", "opacity": 0.18},
         "encoding": {"x": x, "y": {**y, "field": "lower"}, "y2": {"field": "upper"},
                      "color": colour, "detail": {"field": "segment"}}},
        {"mark": {"type": "line", "strokeWidth": 2.5},
         "encoding": {"x": x, "y": y, "color": colour, "detail": {"field": "segment"}}},
        {"transform": [{"filter": "datum.isolated"}], "mark": {"type": "point", "filled": True},
         "encoding": {"x": x, "y": y, "color": colour}},
    ]
    spans = gap_spans([r["period_end"] for r in data.filter(pl.col("rate").is_not_null())
                       .iter_rows(named=True)], period)
    if spans:
        layers.insert(0, gap_layer(spans, period))
    spec = {**_theme.frame_props(title, size), "data": _values(rows), "layer": layers}
    notes = gap_notes(spans)
    alt_text = (
        f"Line chart of survey rates with 95% confidence bands, {span_text(dates)}. "
        f"{latest_values(data, 'rate', value_format)}. {' '.join(notes)}"
    )
    canvas = Canvas(title, size)
    palette = dict(zip(names, _theme.SERIES, strict=False))
    canvas.legend([Swatch(n, palette[n]) for n in names])
    levels = [float(r[k]) for r in band_rows for k in ("lower", "upper")]
    tp = time_plot(canvas, dates, levels + [float(r["rate"]) for r in rows], y_title=y_title,
                   fmt=value_format, zero=False, pad_px=4)
    shade_gaps(canvas, tp, spans, period)
    areas, lines, points = [], [], []
    for name in names:
        low = segments([r for r in band_rows if r["series"] == name], "lower")
        high = segments([r for r in band_rows if r["series"] == name], "upper")
        for key, run in high.items():
            outline = [(tp.x(d), tp.y(v)) for d, v in run]
            outline += [(tp.x(d), tp.y(v)) for d, v in reversed(low[key])]
            areas.append(_svg.path(_svg.path_d(outline) + "Z", fill=palette[name],
                                   opacity=0.18))
        own = [r for r in rows if r["series"] == name]
        runs = list(segments(own, "rate").values())
        lines += line_paths(tp, runs, palette[name])
        lone = [point for run in runs if len(run) == 1 for point in run]
        points += dots(tp, lone, palette[name], 3.2)
    canvas.add("mark-area role-mark", areas, "data")
    canvas.add("mark-line role-mark", lines, "data")
    canvas.add("mark-symbol role-mark", points, "data")
    return finish(canvas, tp.plot, spec, alt_text=alt_text.rstrip(), data=data, notes=notes)


def _role_lines(
    frame: pl.DataFrame,
    kind: str,
    what: str,
    *,
    title: str,
    y_title: str,
    size: ChartSize,
    value_format: ValueFormat,
    period_months: int | None,
    points: bool,
) -> Chart:
    """Shared body of the force / MSG / national line charts."""
    data = require_columns(frame, kind)
    require_roles(data, kind)
    order = {r.value: i for i, r in enumerate(Role)}
    data = data.sort(
        pl.col("role").replace_strict(order, return_dtype=pl.Int32), "series", "period_end"
    )
    dates: list[dt.date] = data["period_end"].to_list()
    period = period_months or infer_period_months(dates)
    pairs = list(dict.fromkeys(zip(data["series"].to_list(), data["role"].to_list(),
                                   strict=True)))
    names = [name for name, _ in pairs]
    roles = [Role(role) for _, role in pairs]
    columns = {"columns": 2} if _theme.narrow(size) and len(names) > 2 else {}
    legend = {"field": "series", "type": "nominal", "title": None,
              "legend": {**_theme.LINE_LEGEND, **columns}}
    colour = {**legend, "scale": {"domain": names, "range": [_theme.ROLE_COLOUR[r] for r in roles]}}
    dash = {**legend, "scale": {"domain": names, "range": [_theme.ROLE_DASH[r] for r in roles]}}
    x = _theme.time_x(dates, size)
    y = {"field": "value", "type": "quantitative", "title": y_title,
         "axis": {"format": value_format.axis()}}
    line: dict[str, Any] = {"type": "line", "strokeWidth": 2.5}
    if points:
        line["point"] = {"filled": True, "size": 36}
    layers: list[dict[str, Any]] = [
        {"mark": line, "encoding": {"x": x, "y": y, "color": colour, "strokeDash": dash,
                                    "detail": {"field": "segment"}}},
    ]
    if not points:
        layers.append(
            {"transform": [{"filter": "datum.isolated"}],
             "mark": {"type": "point", "filled": True, "size": 30},
             "encoding": {"x": x, "y": y, "color": colour}}
        )
    rows = segment_rows(data, ["value"], period)
    own = data.filter((pl.col("role") == Role.FORCE.value) & pl.col("value").is_not_null())
    spans = gap_spans(own["period_end"].to_list(), period)
    if spans:
        layers.insert(0, gap_layer(spans, period))
    spec = {**_theme.frame_props(title, size), "data": _values(rows), "layer": layers}
    notes = gap_notes(spans)
    gaps = " Lines break where data are missing. " + " ".join(notes) if _has_gaps(rows) else ""
    alt_text = (
        f"{what} for {', '.join(names)}, {span_text(dates)}. "
        f"{latest_values(data, 'value', value_format)}.{gaps}"
    )
    canvas = Canvas(title, size)
    canvas.legend([Swatch(n, _theme.ROLE_COLOUR[r], "line-point" if points else "stroke",
                          _theme.ROLE_DASH[r]) for n, r in zip(names, roles, strict=True)])
    tp = time_plot(canvas, dates, [float(r["value"]) for r in rows], y_title=y_title,
                   fmt=value_format)
    shade_gaps(canvas, tp, spans, period)
    lines, marks = [], []
    for name, role in zip(names, roles, strict=True):
        runs = segments([r for r in rows if r["series"] == name])
        ink = _theme.ROLE_COLOUR[role]
        lines += line_paths(tp, list(runs.values()), ink, dash=_theme.ROLE_DASH[role])
        shown = [p for run in runs.values() for p in run if points or len(run) == 1]
        marks += dots(tp, shown, ink, 3.4 if points and len(shown) <= 30 else 2.6 if points
                      else 3.1)
    canvas.add("mark-line role-mark", lines, "data")
    canvas.add("mark-symbol role-mark", marks, "data")
    return finish(canvas, tp.plot, spec, alt_text=alt_text.rstrip(), data=data, notes=notes)


def _values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Inline data whose `period_end` strings are parsed as UTC dates."""
    return {"values": rows, "format": {"parse": {"period_end": "utc:'%Y-%m-%d'"}}}


def _has_gaps(rows: list[dict[str, Any]]) -> bool:
    """True when some series has more than one segment."""
    return any(not str(r["segment"]).endswith("#1") for r in rows)


def _require_proportions(frame: pl.DataFrame, columns: list[str], kind: str) -> None:
    """Raise ValueError when a column holds values outside [0, 1]."""
    for column in columns:
        bad = frame.filter((pl.col(column) < 0) | (pl.col(column) > 1))
        if bad.height:
            raise ValueError(
                f"{kind}: column {column!r} must hold proportions in [0, 1] "
                f"(e.g. 0.82 for 82%), found {bad[column].to_list()[:3]}"
            )
