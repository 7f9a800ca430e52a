"""A :class:`~policeperf.results.MeasureResult` as flat table rows, and back (the one-pass
results, compute/batch.py, and the results store, policeperf.store).

The store keeps what is different for every force, period and measure as one row of
``results_measures`` (the value, rank, words, trend numbers, caveats, ...), and what many results
share once:

* ``results_series``: each force's points of a measure, by source variant (a result's ``series``
  and ``period_values`` are the points up to its period);
* ``results_values``: every area's figure of a measure for each period (a result's
  ``all_forces``, and the regions' and the nation's figures for a national pack).

SPC charts and funnel limits are pure functions of those points; they are redrawn when a result
is read (a few milliseconds for one force), not stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute.intervals import ProportionInterval
from policeperf.results import MeasureResult, PeerValue, SourceUse, json_ready

__all__ = [
    "JSON_FIELDS",
    "MEASURE_COLUMNS",
    "MEASURE_SCHEMA",
    "SCALAR_FIELDS",
    "SERIES_SCHEMA",
    "VALUES_SCHEMA",
    "from_json",
    "interval_from",
    "peers_from",
    "peers_json",
    "provenance_from",
    "result_rows",
    "scalar_row",
]

#: MeasureResult fields stored as columns of their own.
SCALAR_FIELDS: tuple[str, ...] = (
    "id", "title", "priority", "priority_title", "kind", "unit", "polarity", "period_end",
    "value", "count", "denominator", "denominator_base", "mid_year", "denominator_note",
    "peer_rank", "peer_group_size", "peer_rank_tied", "peer_average", "peer_average_method",
    "national_value", "comparison", "comparison_rule", "comparison_description",
    "benchmark_text", "trend", "trend_method", "spc_signal", "source_used", "window_months",
    "definition", "stand_in", "stand_in_reason", "trend_p_value", "trend_slope_pct", "trend_n",
    "trend_window_start", "trend_window_end",
)

#: MeasureResult fields stored as JSON text (small, per result).
JSON_FIELDS: tuple[str, ...] = ("caveats", "sources", "peers", "provenance", "interval")

#: Columns of ``results_measures`` besides the fields: where the shared parts are found.
#: variant: the source(s) the figures came from (the key of the shared series and values);
#: spc_basis: "annual" (yearly values ending in the period's month, from the series),
#: "period" (the period values) or None (no chart); all_forces: the result lists every force's
#: figure (``results_values``); funnel: it has a funnel plot of them.
MEASURE_COLUMNS: tuple[str, ...] = (
    "force_code", "position", "variant", "spc_basis", "all_forces", "funnel", *SCALAR_FIELDS,
    *JSON_FIELDS)

_TYPES: dict[str, Any] = {
    "position": pl.Int64, "all_forces": pl.Boolean, "funnel": pl.Boolean,
    "period_end": pl.Date, "value": pl.Float64, "count": pl.Float64, "denominator": pl.Float64,
    "mid_year": pl.Int64, "peer_rank": pl.Int64, "peer_group_size": pl.Int64,
    "peer_rank_tied": pl.Boolean, "peer_average": pl.Float64, "national_value": pl.Float64,
    "window_months": pl.Int64, "trend_p_value": pl.Float64, "trend_slope_pct": pl.Float64,
    "trend_n": pl.Int64, "trend_window_start": pl.Date, "trend_window_end": pl.Date,
}
#: Column types of ``results_measures`` (text unless named).
MEASURE_SCHEMA: dict[str, Any] = {c: _TYPES.get(c, pl.Utf8) for c in MEASURE_COLUMNS}

#: ``results_series``: a force's points of a measure from one variant. part: "series" (the
#: result's ``series``) or "period" (its ``period_values``, for trend and SPC).
SERIES_SCHEMA: dict[str, Any] = {
    "measure_id": pl.Utf8, "variant": pl.Utf8, "force_code": pl.Utf8, "part": pl.Utf8,
    "period_end": pl.Date, "value": pl.Float64, "peer_average": pl.Float64,
    "national": pl.Float64, "count": pl.Float64, "denominator": pl.Float64,
}

#: ``results_values``: every area's figure of a measure from one variant for one period.
VALUES_SCHEMA: dict[str, Any] = {
    "measure_id": pl.Utf8, "variant": pl.Utf8, "period_end": pl.Date, "area_code": pl.Utf8,
    "count": pl.Float64, "denominator": pl.Float64, "value": pl.Float64,
}

SeriesRows = dict[tuple[Any, ...], tuple[Any, ...]]


def result_rows(
    measures: list[dict[str, Any]], series: SeriesRows, values: SeriesRows,
    result: MeasureResult, force_code: str, position: int,
) -> None:  # fmt: skip
    """Add one result: its row to ``measures``, its points to ``series`` and ``values`` (each
    shared point once: later results of the same force and variant repeat the same points)."""
    variant = result.source_used
    spc_basis = None if result.spc is None else ("period" if result.period_values else "annual")
    row = {"force_code": force_code, "position": position, "variant": variant,
           "spc_basis": spc_basis, "all_forces": bool(result.all_forces),
           "funnel": result.funnel is not None, **scalar_row(result)}
    measures.append(row)
    if variant is None:
        return
    for part, points in (("series", result.series), ("period", result.period_values)):
        for p in points:
            series.setdefault((result.id, variant, force_code, part, p.period_end),
                              (p.value, p.peer_average, p.national, p.count, p.denominator))
    for v in result.all_forces:
        values.setdefault((result.id, variant, result.period_end, v.area_code),
                          (v.count, v.denominator, v.value))
    if result.all_forces and result.national_value is not None:
        values.setdefault((result.id, variant, result.period_end, "K04000001"),
                          (None, None, result.national_value))


def peers_json(peers: Sequence[PeerValue]) -> str:
    """``peers`` as JSON: one list per peer, in :class:`PeerValue`'s field order."""
    return json.dumps([[p.area_code, p.name, p.count, p.denominator, p.value, p.rank, p.is_force]
                       for p in peers], ensure_ascii=False)


def scalar_row(result: MeasureResult) -> dict[str, Any]:
    """The result's scalar and JSON fields as one row (shared parts left out)."""
    row: dict[str, Any] = {name: getattr(result, name) for name in SCALAR_FIELDS}
    for name in JSON_FIELDS:
        value = getattr(result, name)
        if name == "peers":
            row[name] = peers_json(value)
            continue
        row[name] = None if value is None else json.dumps(
            json_ready(asdict(value) if name == "interval" else value), ensure_ascii=False)
    return row


def from_json(text: str | None) -> Any:
    """Parsed JSON text (None stays None)."""
    return None if text is None else json.loads(text)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def peers_from(text: str | None) -> tuple[PeerValue, ...]:
    """``peers`` from its JSON text."""
    return tuple(PeerValue(*p) for p in from_json(text) or ())


def provenance_from(text: str | None) -> tuple[SourceUse, ...]:
    """``provenance`` from its JSON text."""
    return tuple(
        SourceUse(p["file"], _date(p["edition"]), p["table"], p["sheet"], tuple(p["rows"]),
                  p["what"])
        for p in from_json(text) or ()
    )


def interval_from(text: str | None) -> ProportionInterval | None:
    """``interval`` from its JSON text."""
    data = from_json(text)
    return None if data is None else ProportionInterval(**data)
