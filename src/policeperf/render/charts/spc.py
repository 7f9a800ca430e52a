"""Statistical process control (XmR) chart, drawn the NHS 'Making Data Count' way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from policeperf.render.charts import _theme
from policeperf.render.charts._layout import Canvas, Swatch
from policeperf.render.charts._render import Chart, finish
from policeperf.render.charts._series import infer_period_months, segment_rows, span_text
from policeperf.render.charts._timeplot import dots, line_paths, segments, time_plot
from policeperf.render.charts.inputs import COUNT, ChartSize, ValueFormat, require_columns

SIGNALS = {
    "improvement": ("Special cause: improvement", _theme.IMPROVEMENT),
    "concern": ("Special cause: concern", _theme.CONCERN),
    "neutral": ("Common cause", _theme.COMMON),
}
"""Signal value -> legend label and colour; null signals count as common cause."""

MEAN, LIMITS, TRIAL = "Mean", "Process limits", "Trial mean and limits"
_DASH = {MEAN: [1, 0], LIMITS: [6, 4], TRIAL: [2, 3]}
LINE = "#555555"
"""Mean and limit lines."""


def spc_chart(
    frame: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    size: ChartSize = ChartSize.FULL,
    value_format: ValueFormat = COUNT,
    period_months: int | None = None,
) -> Chart:
    """Draw an XmR chart: values, mean, process limits, special-cause points, trial limits.

    The mean and limits are drawn as steps per phase (they break where they are recalculated).
    Trial limits (too few points to fix them) are dotted and named in the legend.

    Args:
        frame: Columns `period_end` (Date), `value`, `centre`, `upper`, `lower` (Float64),
            `signal` ('improvement', 'concern', 'neutral' or null) and `trial` (Boolean).
        title: Chart title.
        y_title: Y axis title with its unit.
        size: Chart size.
        value_format: Format of values in the axis and alt text.
        period_months: Period length in months; inferred when None.

    Returns:
        The rendered chart.

    Raises:
        ValueError: A signal is not one of the known values.
    """
    data = require_columns(frame, "spc_chart").sort("period_end")
    bad = sorted({s for s in data["signal"].to_list() if s is not None} - set(SIGNALS))
    if bad:
        raise ValueError(f"spc_chart: unknown signal(s) {bad}; valid are {sorted(SIGNALS)}")
    data = data.with_columns(
        pl.col("signal").fill_null("neutral"), pl.col("trial").fill_null(False)
    )
    dates: list[dt.date] = data["period_end"].to_list()
    period = period_months or infer_period_months(dates)
    values = segment_rows(data, ["value"], period, series_column=None)
    for row in values:
        row["signal_label"] = SIGNALS[row["signal"]][0]
    x = _theme.time_x(dates, size)
    y_axis = {"format": value_format.axis()}
    present = [k for k in SIGNALS if k in set(data["signal"].to_list())]
    # Six legend entries do not fit one row at half width: stack each legend in a column.
    stack = {"direction": "vertical"} if _theme.narrow(size) else {}
    colour = {"field": "signal_label", "type": "nominal", "title": None, "legend": stack,
              "scale": {"domain": [SIGNALS[k][0] for k in present],
                        "range": [SIGNALS[k][1] for k in present]}}
    kinds = [k for k in (MEAN, LIMITS, TRIAL) if k != TRIAL or any(data["trial"].to_list())]
    dash = {"field": "kind", "type": "nominal", "title": None,
            "scale": {"domain": kinds, "range": [_DASH[k] for k in kinds]},
            "legend": {**_theme.LINE_LEGEND, **stack}}
    line_y = {"field": "level", "type": "quantitative", "title": y_title, "axis": y_axis,
              "scale": {"zero": False, "padding": 8}}
    layers: list[dict[str, Any]] = [
        {"data": {"values": _limit_rows(data)},
         "mark": {"type": "line", "color": "#555555", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": line_y, "strokeDash": dash, "detail": {"field": "segment"}}},
        {"mark": {"type": "line", "color": "#4D4D4D", "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {**line_y, "field": "value"}, "detail": {"field": "segment"}}},
        {"mark": {"type": "circle", "size": 42, "opacity": 1},
         "encoding": {"x": x, "y": {**line_y, "field": "value"}, "color": colour}},
    ]
    spec = {
        **_theme.frame_props(title, size),
        "data": {"values": values, "format": {"parse": {"period_end": "utc:'%Y-%m-%d'"}}},
        "layer": layers,
        "resolve": {"legend": {"color": "independent", "strokeDash": "independent"}},
    }
    canvas = Canvas(title, size)
    canvas.legend([Swatch(k, LINE, dash=_DASH[k]) for k in kinds]
                  + [Swatch(SIGNALS[k][0], SIGNALS[k][1], "circle") for k in present])
    limits = _limit_rows(data)
    tp = time_plot(canvas, dates, [float(r["value"]) for r in values]
                   + [float(r["level"]) for r in limits], y_title=y_title, fmt=value_format,
                   zero=False, pad_px=8)
    lines = []
    for key, run in segments(limits, "level").items():
        kind = next(r["kind"] for r in limits if r["segment"] == key)
        lines += line_paths(tp, [run], LINE, width=1.5, dash=_DASH[kind])
    lines += line_paths(tp, list(segments(values).values()), "#4D4D4D", width=1.5)
    canvas.add("mark-line role-mark", lines, "data")
    points = []
    for row in values:
        day = dt.date.fromisoformat(str(row["period_end"]))
        points += dots(tp, [(day, float(row["value"]))], SIGNALS[row["signal"]][1], 3.7)
    canvas.add("mark-symbol role-mark", points, "data")
    return finish(canvas, tp.plot, spec, alt_text=_alt_text(data, dates, value_format),
                  data=data)


def _limit_rows(data: pl.DataFrame) -> list[dict[str, Any]]:
    """Long rows for the mean and limit lines, one segment per line per phase."""
    rows: list[dict[str, Any]] = []
    phase = 0
    previous: tuple[Any, ...] | None = None
    for r in data.iter_rows(named=True):
        key = (r["centre"], r["upper"], r["lower"], r["trial"])
        if key != previous:
            phase += 1
            previous = key
        for which in ("centre", "upper", "lower"):
            if r[which] is None:
                continue
            kind = TRIAL if r["trial"] else (MEAN if which == "centre" else LIMITS)
            rows.append({"period_end": _theme.iso(r["period_end"]), "level": r[which],
                         "kind": kind, "segment": f"{which}#{phase}"})
    return rows


def _alt_text(data: pl.DataFrame, dates: list[dt.date], fmt: ValueFormat) -> str:
    """Summarise the chart: span, latest value against its limits, special-cause counts."""
    valid = data.filter(pl.col("value").is_not_null())
    text = f"Statistical process control (XmR) chart, {span_text(dates)}."
    if valid.height:
        last = valid.row(-1, named=True)
        text += (
            f" Latest, {_theme.label(last['period_end'])}: {fmt.text(last['value'])}"
            f" (mean {fmt.text(last['centre'])}, process limits {fmt.text(last['lower'])}"
            f" to {fmt.text(last['upper'])}{', trial limits' if last['trial'] else ''})."
        )
    counts = valid["signal"].value_counts(sort=True).rows()
    found = {str(k): int(n) for k, n in counts}
    text += (
        f" Special cause points: {found.get('improvement', 0)} improvement, "
        f"{found.get('concern', 0)} concern."
    )
    return text
