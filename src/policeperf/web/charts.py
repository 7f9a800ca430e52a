"""Charts for the browser: the report's own Vega-Lite specs, made interactive, with their data.

Each chart is made by the report's chart builders (:func:`policeperf.report.charts.build_chart`)
from the same results, so the dashboard and the report draw the same spec. For the browser the
spec gets tooltips, a width that follows the page, and its title moves into the HTML heading
(it wraps there on a narrow screen). The chart's data go with it as a table: the screen-reader
view of the chart, and what the tooltips show.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from typing import Any

from policeperf.render.charts import ChartSize
from policeperf.report.charts import (
    ChartContext,
    ChartDataError,
    build_chart,
    peer_average_label,
)
from policeperf.report.model import ChartConfig
from policeperf.report.numbers import honest
from policeperf.results import MeasureResult, json_ready

__all__ = ["CHART_NAMES", "chart_kinds", "chart_context", "highlight"]

CHART_NAMES: dict[str, str] = {
    "trend": "Trend",
    "spc": "SPC chart",
    "funnel": "Funnel plot",
    "ranking": "Peer ranking",
}
"""The charts a measure page can show, by URL name."""

_TREND_KIND = {
    "recorded_crime_rate": "rolling_rate_lines",
    "count": "rolling_count_quarterly",
    "survey_proportion": "survey_rate_lines",
    "proportion": "survey_rate_lines",
    "duration": "force_vs_national_series",
    "difference_vs_national": "force_vs_national_series",
}


def chart_kinds(result: MeasureResult) -> dict[str, str]:
    """URL name -> report chart kind, for the charts this result has data for."""
    kinds: dict[str, str] = {}
    if result.series:
        kinds["trend"] = _TREND_KIND.get(result.kind, "force_vs_national_series")
    if result.spc is not None:
        kinds["spc"] = "spc_chart"
    if result.funnel is not None:
        kinds["funnel"] = "funnel_plot"
    if result.peers and result.peer_average is not None:
        kinds["ranking"] = "peer_ranking"
    return kinds


def highlight(result: MeasureResult, area_code: str) -> MeasureResult:
    """The result with ``area_code`` as the force its peer and funnel charts pick out."""
    def mark(values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(dataclasses.replace(v, is_force=v.area_code == area_code) for v in values)
    return dataclasses.replace(result, all_forces=mark(result.all_forces), peers=mark(result.peers))


def _interactive(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    spec.pop("title", None)
    spec["width"] = "container"
    config = spec.setdefault("config", {})
    config["mark"] = {**config.get("mark", {}), "tooltip": {"content": "data"}}
    return spec


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def chart_context(result: MeasureResult, name: str, force_name: str,
                  peer_group_kind: str | None = None) -> dict[str, Any]:
    """One chart: title, alt text, the browser spec and its data as a table. A computed peer
    group's average is named as such, never as an MSG's (``peer_group_kind``).

    Raises:
        KeyError: The measure has no such chart (the message lists those it has).
        ChartDataError: The data cannot be drawn.
    """
    kinds = chart_kinds(result)
    if name not in kinds:
        known = ", ".join(kinds) or "none"
        raise KeyError(f"{result.id} has no {name!r} chart; it has: {known}")
    context = ChartContext(force_name, peer_average_label(peer_group_kind))
    chart = build_chart(ChartConfig(kind=kinds[name], measure=result.id), [honest(result)],
                        context, ChartSize.FULL)
    frame = chart.data
    return {
        "name": name,
        "kind": kinds[name],
        "title": chart.title,
        "alt_text": chart.alt_text,
        "spec": json_ready(_interactive(chart.spec)),
        "columns": list(frame.columns),
        "rows": [[_cell(v) for v in row] for row in frame.iter_rows()],
    }


__all__ += ["ChartDataError"]
