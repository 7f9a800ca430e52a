"""Bar charts: monthly counts, categories with whiskers, paired years, volume with rate."""

from __future__ import annotations

import datetime as dt

import polars as pl

from policeperf.render import charts
from policeperf.render.charts import Chart, ChartSize
from policeperf.render.charts._theme import FORCE, INK, NATIONAL, VOLUME

from . import samples
from .svg_helpers import colours, marks, parse, texts


def test_monthly_counts_draw_fifteen_labelled_bars(all_charts: dict[str, Chart]) -> None:
    root = parse(all_charts["monthly_count_bars"].svg)
    bars = marks(root, "rect")
    assert len(bars) == 15
    assert set(colours(bars)) == {FORCE}
    assert texts(root, "mark-text role-mark") == [f"{1000 + 50 * i:,}" for i in range(15)]
    assert "Count per month" in texts(root, "mark-text role-axis-title")
    assert "Jun 2022" in texts(root, "mark-text role-axis-label")


def test_a_month_without_a_count_gets_no_bar_but_keeps_its_place() -> None:
    frame = samples.monthly_counts().with_columns(
        pl.when(pl.col("period_end") == dt.date(2022, 1, 31)).then(None)
        .otherwise(pl.col("value")).alias("value")
    )
    chart = charts.monthly_count_bars(frame, title="x", size=ChartSize.FULL)
    root = parse(chart.svg)
    assert len(marks(root, "rect")) == 14
    assert "Jan 2022" in chart.spec["layer"][0]["encoding"]["x"]["scale"]["domain"]


def test_category_bars_show_rates_with_whiskers_in_frame_order(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["category_bars"].svg)
    rects = colours(marks(root, "rect"))
    assert rects.count(FORCE) == 5
    assert rects.count(INK) == 10  # whisker caps (Vega draws ticks as rects)
    assert len(marks(root, "rule")) == 5
    assert texts(root, "mark-text role-mark") == ["71.0%", "82.0%", "64.0%", "69.0%", "77.0%"]
    labels = texts(root, "mark-text role-axis-label")
    assert labels.index("Overall") < labels.index("ASB")
    assert "Victims satisfied (%)" in texts(root, "mark-text role-axis-title")
    assert "Hate crime 64.0% (55.0% to 72.0%)" in all_charts["category_bars"].alt_text


def test_paired_bars_colour_force_and_national_and_label_values(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["paired_bars"].svg)
    bars = marks(root, "rect")
    assert sorted(colours(bars)) == sorted([FORCE, FORCE, NATIONAL, NATIONAL])
    assert sorted(texts(root, "mark-text role-mark")) == ["27", "31", "38", "45"]
    assert texts(root, "mark-text role-legend-label") == [samples.FORCE, "National"]
    assert "Median days" in texts(root, "mark-text role-axis-title")
    assert "2019: Avon and Somerset 31, National 27" in all_charts["paired_bars"].alt_text


def test_dual_axis_chart_has_volume_bars_a_rate_line_and_two_axis_titles(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["dual_axis_volume_rate"].svg)
    assert len(marks(root, "rect")) == 36
    assert set(colours(marks(root, "rect"))) == {VOLUME.upper()}
    assert colours(marks(root, "line"), "stroke") == [FORCE]
    titles = texts(root, "mark-text role-axis-title")
    assert {"Charges (12 months to date)", "Charge rate (%)"} <= set(titles)
    assert "10%" in texts(root, "mark-text role-axis-label")
    assert "charge volume 205, charge rate 10.0%" in all_charts["dual_axis_volume_rate"].alt_text
