"""Line charts: rolling rates, rolling counts, survey rates, year-ending series."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from policeperf.render import charts
from policeperf.render.charts import Chart, ChartSize
from policeperf.render.charts._theme import FORCE, MSG, NATIONAL, chart_height

from . import samples
from .svg_helpers import colours, groups, marks, parse, texts

MONTH_YEAR = re.compile(r"^[A-Z][a-z]{2} \d{4}$")


def test_rolling_rates_draw_force_msg_and_national_in_their_colours(
    all_charts: dict[str, Chart],
) -> None:
    lines = marks(parse(all_charts["rolling_rate_lines"].svg), "line")
    assert set(colours(lines, "stroke")) == {FORCE, MSG, NATIONAL}


def test_rolling_rates_break_the_force_line_across_the_missing_year(
    all_charts: dict[str, Chart],
) -> None:
    lines = marks(parse(all_charts["rolling_rate_lines"].svg), "line")
    assert colours(lines, "stroke").count(FORCE) == 2
    assert len(lines) == 4


def test_rolling_rates_label_the_axes_with_units_and_months(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["rolling_rate_lines"].svg)
    assert "Rate per 1,000 households" in texts(root, "mark-text role-axis-title")
    labels = texts(root, "mark-text role-axis-label")
    month_labels = [t for t in labels if MONTH_YEAR.match(t)]
    assert "Jun 2022" in month_labels
    assert len(month_labels) >= 6


def test_rolling_rates_legend_names_each_series(all_charts: dict[str, Chart]) -> None:
    root = parse(all_charts["rolling_rate_lines"].svg)
    legend = texts(root, "mark-text role-legend-label")
    assert legend == [samples.FORCE, "MSG average", "National"]


def test_rolling_rates_alt_text_gives_the_latest_values(all_charts: dict[str, Chart]) -> None:
    alt = all_charts["rolling_rate_lines"].alt_text
    assert "Latest, Jun 2022" in alt
    assert f"{samples.FORCE} 0.61" in alt
    assert "National 0.56" in alt
    assert "break" in alt


def test_a_lone_value_between_gaps_is_drawn_as_a_dot() -> None:
    frame = pl.DataFrame({
        "period_end": [dt.date(2019, 3, 31), dt.date(2020, 3, 31), dt.date(2021, 3, 31)],
        "series": ["Kent"] * 3,
        "role": ["force"] * 3,
        "value": [0.5, 0.6, 0.7],
    })
    chart = charts.rolling_rate_lines(frame, title="Gaps", period_months=3)
    root = parse(chart.svg)
    assert len(marks(root, "symbol")) == 3
    assert all(len(re.findall(r"[ML]", p.get("d", ""))) <= 1 for p in marks(root, "line"))


def test_quarterly_ons_data_with_a_missing_year_are_drawn_as_two_lines() -> None:
    days = [dt.date(2019, m, 28) for m in (3, 6, 9, 12)] + [
        dt.date(2021, m, 28) for m in (3, 6, 9, 12)
    ]
    frame = pl.DataFrame({"period_end": days, "series": "Kent", "role": "force",
                          "value": [float(i) for i in range(8)]})
    chart = charts.rolling_rate_lines(frame, title="Quarterly", size=ChartSize.HALF)
    assert len(marks(parse(chart.svg), "line")) == 2


def test_rolling_rates_reject_an_unknown_role_and_list_the_valid_ones() -> None:
    frame = samples.rolling_rates().with_columns(pl.lit("peer").alias("role"))
    with pytest.raises(ValueError, match="valid roles are \\['force', 'msg', 'national'\\]"):
        charts.rolling_rate_lines(frame, title="x")


def test_rolling_rates_reject_a_frame_without_a_value_column() -> None:
    with pytest.raises(ValueError, match="missing column\\(s\\) \\['value'\\]"):
        charts.rolling_rate_lines(samples.rolling_rates().drop("value"), title="x")


def test_quarterly_counts_draw_a_point_per_quarter_and_label_the_latest(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["rolling_count_quarterly"].svg)
    assert len(marks(root, "symbol")) == 12
    assert len(marks(root, "line")) == 1
    assert texts(root, "mark-text role-mark") == ["675"]
    assert "Count (12 months to date)" in texts(root, "mark-text role-axis-title")


def test_survey_rates_draw_a_band_and_a_line_per_series(all_charts: dict[str, Chart]) -> None:
    root = parse(all_charts["survey_rate_lines"].svg)
    assert len(marks(root, "area")) == 2
    assert len(marks(root, "line")) == 2
    assert set(colours(marks(root, "line"), "stroke")) == {FORCE, MSG}
    axis = texts(root, "mark-text role-axis-label")
    assert any(t.endswith("%") for t in axis)
    assert "Latest, Jun 2022: Whole experience 79.2%; Follow-up 69.2%" in (
        all_charts["survey_rate_lines"].alt_text
    )


def test_survey_rates_reject_percentages_given_as_whole_numbers() -> None:
    frame = samples.survey_rates().with_columns(pl.col("rate") * 100)
    with pytest.raises(ValueError, match="proportions in \\[0, 1\\]"):
        charts.survey_rate_lines(frame, title="x")


def test_year_ending_series_mark_each_year_for_force_and_national(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["force_vs_national_series"].svg)
    points = marks(root, "symbol")
    assert len(points) == 12
    assert set(colours(points)) == {FORCE, NATIONAL}
    assert "Offenders who reoffend (%)" in texts(root, "mark-text role-axis-title")
    assert f"{samples.FORCE} 24.5%" in all_charts["force_vs_national_series"].alt_text


def test_a_long_title_in_a_short_half_width_chart_leaves_the_plot_its_height() -> None:
    long_title = ("All drug offences (stand-in for drug trafficking): 12-month rolling rate per "
                  "1,000 residents, force against its most similar group and national")
    with chart_height(150):
        short = charts.rolling_rate_lines(samples.rolling_rates(), title="Rates",
                                          size=ChartSize.HALF)
        long = charts.rolling_rate_lines(samples.rolling_rates(), title=long_title,
                                         size=ChartSize.HALF)

    def plot_height(chart: Chart) -> float:  # the plot's clip rectangle is 12 px taller
        return float(parse(chart.svg).find(".//{*}clipPath/{*}rect").get("height")) - 12

    title_lines = [t for g in groups(parse(long.svg), "mark-text role-title-text")
                   for t in g.iter("{http://www.w3.org/2000/svg}tspan")]
    assert len(title_lines) >= 3  # the title wraps to three lines or more
    # Without a floor the three-line title and legend squashed the plot to about 40 px.
    assert plot_height(long) >= 85
    assert plot_height(long) >= plot_height(short) - 1
