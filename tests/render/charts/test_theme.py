"""Shared look: date ticks, title wrapping, band label thinning."""

from __future__ import annotations

from policeperf.render.charts._theme import date_ticks, label, thin_labels, wrap_title
from policeperf.render.charts.inputs import ChartSize

from .samples import month_ends


def test_dates_read_as_short_month_and_year() -> None:
    assert label(month_ends(1)[0]) == "Jun 2022"


def test_date_ticks_always_include_the_latest_period_and_step_back_evenly() -> None:
    ticks = date_ticks(month_ends(72), ChartSize.FULL)
    assert ticks[-1] == {"year": 2022, "month": 6, "date": 30, "utc": True}
    assert [t["month"] for t in ticks] == [6] * 6
    assert len(ticks) <= 8


def test_half_size_charts_get_fewer_date_ticks() -> None:
    assert len(date_ticks(month_ends(72), ChartSize.HALF)) == 3


def test_long_titles_wrap_to_the_chart_width() -> None:
    title = "Whole experience satisfaction by category, 12 months to June 2022, all victims"
    assert len(wrap_title(title, ChartSize.HALF)) == 3
    assert wrap_title(title, ChartSize.FULL) == [title]


def test_band_labels_are_thinned_from_the_latest_backwards() -> None:
    labels = [f"m{i}" for i in range(36)]
    kept = thin_labels(labels, ChartSize.FULL)
    assert kept[-1] == "m35"
    assert len(kept) <= 12
    assert thin_labels(labels[:12], ChartSize.FULL) == labels[:12]
