"""Turn time series frames into Vega rows: gaps broken, isolated points flagged, latest values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from policeperf.render.charts._theme import iso, label, month_index
from policeperf.render.charts.inputs import ValueFormat


def infer_period_months(dates: list[dt.date]) -> int:
    """Return the data's period in months: the smallest gap between distinct dates.

    The smallest gap, not the commonest, because missing periods only make gaps larger
    (quarterly data with a missing year still has 3-month steps elsewhere).
    """
    months = sorted({month_index(d) for d in dates})
    steps = [b - a for a, b in zip(months, months[1:], strict=False)]
    return min(steps) if steps else 1


def segment_rows(
    frame: pl.DataFrame,
    value_columns: list[str],
    period_months: int,
    series_column: str | None = "series",
) -> list[dict[str, Any]]:
    """Return one Vega row per non-null observation, with `segment` and `isolated` fields.

    A new segment starts after a missing value or when the step to the previous observation is
    longer than one period, so lines are never drawn across a gap. A point alone in its segment
    is `isolated`: a line cannot show it, so the chart draws it as a dot.

    Args:
        frame: Has `period_end`, the value columns and (optionally) `series_column`.
        value_columns: Columns that must all be non-null for a row to be drawn; the first is
            the plotted value.
        period_months: Length of one period in months (1 monthly, 3 quarterly, 12 yearly).
        series_column: Column naming each series, or None for a single series.
    """
    rows: list[dict[str, Any]] = []
    keys = [series_column] if series_column else []
    ordered = frame.sort([*keys, "period_end"], maintain_order=True)
    groups = ordered.partition_by(keys, maintain_order=True) if keys else [ordered]
    for group in groups:
        segment = 0
        previous: int | None = None
        current: list[dict[str, Any]] = []
        for record in group.iter_rows(named=True):
            day: dt.date = record["period_end"]
            if any(record[c] is None for c in value_columns):
                previous = None
                continue
            here = month_index(day)
            if previous is None or here - previous > period_months:
                _close(current)
                segment += 1
                current = []
            previous = here
            name = str(record[series_column]) if series_column else ""
            row = {k: v for k, v in record.items() if k != "period_end"}
            row.update(period_end=iso(day), segment=f"{name}#{segment}", isolated=False)
            current.append(row)
            rows.append(row)
        _close(current)
    return rows


def _close(segment: list[dict[str, Any]]) -> None:
    """Flag the only point of a one-point segment as isolated."""
    if len(segment) == 1:
        segment[0]["isolated"] = True


def latest_values(
    frame: pl.DataFrame, value: str, fmt: ValueFormat, series_column: str | None = "series"
) -> str:
    """Describe each series' latest non-null value, e.g. 'Kent 0.61 (Jun 2022); National 0.80'.

    The date is given once when all series end on the same period.
    """
    valid = frame.filter(pl.col(value).is_not_null())
    if valid.height == 0:
        return "no values"
    keys = [series_column] if series_column else []
    last = (
        valid.sort("period_end", maintain_order=True)
        .group_by(keys or pl.lit(0), maintain_order=True)
        .last()
    )
    days = set(last["period_end"].to_list())
    same = len(days) == 1
    parts = []
    for record in last.iter_rows(named=True):
        name = f"{record[series_column]} " if series_column else ""
        when = "" if same else f" ({label(record['period_end'])})"
        parts.append(f"{name}{fmt.text(record[value])}{when}")
    lead = f"Latest, {label(next(iter(days)))}: " if same else "Latest: "
    return lead + "; ".join(parts)


def span_text(dates: list[dt.date]) -> str:
    """Return 'Apr 2016 to Jun 2022' for the dates shown."""
    return f"{label(min(dates))} to {label(max(dates))}"


def _month_end(index: int) -> dt.date:
    year, month = divmod(index, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def gap_spans(dates: list[dt.date], period_months: int) -> list[tuple[dt.date, dt.date]]:
    """The runs of periods with no figure between the first and last dates given.

    Args:
        dates: Period ends that have a figure (any order, duplicates allowed).
        period_months: Length of one period in months.

    Returns:
        (first missing period end, last missing period end) for each gap, in order.
    """
    months = sorted({month_index(d) for d in dates})
    spans = []
    for a, b in zip(months, months[1:], strict=False):
        if b - a > period_months:
            spans.append((_month_end(a + period_months), _month_end(b - period_months)))
    return spans


def gap_notes(spans: list[tuple[dt.date, dt.date]], what: str = "") -> tuple[str, ...]:
    """Footnotes for the gaps: 'No figure for Jun 2020 to Sep 2020: the line breaks there.'"""
    subject = f" for {what}" if what else ""
    notes = []
    for first, last in spans:
        when = label(first) if first == last else f"{label(first)} to {label(last)}"
        notes.append(f"No figure{subject} was published for {when}: the chart leaves a "
                     "shaded gap there rather than drawing across it.")
    return tuple(notes)


def gap_layer(spans: list[tuple[dt.date, dt.date]], period_months: int) -> dict[str, Any]:
    """A Vega-Lite layer shading each gap, labelled "No figure" at its top."""
    rows = []
    for first, last in spans:
        start = _month_end(month_index(first) - period_months)
        end = _month_end(month_index(last) + period_months)
        rows.append({"start": iso(start), "end": iso(end), "text": "No figure"})
    parse = {"start": "utc:'%Y-%m-%d'", "end": "utc:'%Y-%m-%d'"}
    x = {"field": "start", "type": "temporal", "title": None, "scale": {"type": "utc"}}
    return {
        "data": {"values": rows, "format": {"parse": parse}},
        "layer": [
            {"mark": {"type": "rect", "color": "#D9D9D9", "opacity": 0.55},
             "encoding": {"x": x, "x2": {"field": "end"}}},
            {"mark": {"type": "text", "align": "left", "baseline": "top", "dx": 2, "y": 2,
                      "fontSize": 11, "color": "#555555"},
             "encoding": {"x": x, "text": {"field": "text"}}},
        ],
    }
