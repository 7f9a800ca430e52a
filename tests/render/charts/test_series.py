"""Series preparation: gaps break lines, lone points are flagged, periods are inferred."""

from __future__ import annotations

import datetime as dt

import polars as pl

from policeperf.render.charts._series import infer_period_months, latest_values, segment_rows
from policeperf.render.charts.inputs import ValueFormat

from .samples import month_ends


def test_quarterly_period_is_inferred_despite_a_missing_year() -> None:
    days = month_ends(4, (2019, 12), 3) + month_ends(4, (2021, 12), 3)
    assert infer_period_months(days) == 3


def test_a_single_date_counts_as_monthly() -> None:
    assert infer_period_months([dt.date(2022, 6, 30)]) == 1


def test_a_null_value_and_a_long_step_each_start_a_new_segment() -> None:
    days = month_ends(6)
    frame = pl.DataFrame({
        "period_end": days[:2] + days[3:],
        "series": ["A"] * 5,
        "value": [1.0, 2.0, 3.0, None, 5.0],
    })
    rows = segment_rows(frame, ["value"], 1)
    assert [r["segment"] for r in rows] == ["A#1", "A#1", "A#2", "A#3"]
    assert [r["isolated"] for r in rows] == [False, False, True, True]
    assert rows[0]["period_end"] == days[0].isoformat()


def test_latest_values_name_each_series_once_when_periods_agree() -> None:
    frame = pl.DataFrame({
        "period_end": [dt.date(2022, 6, 30)] * 2,
        "series": ["Kent", "National"],
        "value": [0.6123, None],
    })
    text = latest_values(frame, "value", ValueFormat(2))
    assert text == "Latest, Jun 2022: Kent 0.61"
