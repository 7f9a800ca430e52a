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
