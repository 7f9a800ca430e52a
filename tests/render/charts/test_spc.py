"""XmR chart: special-cause colours, dashed limits, trial limits, phases."""

from __future__ import annotations

import polars as pl
import pytest

from policeperf.render import charts
from policeperf.render.charts import Chart, ChartSize
from policeperf.render.charts._theme import COMMON, CONCERN, IMPROVEMENT

from . import samples
from .svg_helpers import colours, marks, parse, texts


def test_special_cause_points_are_coloured_improvement_blue_and_concern_orange(
    all_charts: dict[str, Chart],
) -> None:
    points = colours(marks(parse(all_charts["spc_chart"].svg), "symbol"))
    assert len(points) == 30
    assert points.count(IMPROVEMENT) == 2
    assert points.count(CONCERN) == 1
    assert points.count(COMMON) == 27


def test_limits_are_dashed_trial_limits_dotted_and_broken_between_phases(
    all_charts: dict[str, Chart],
) -> None:
    lines = marks(parse(all_charts["spc_chart"].svg), "line")
    dashes = [line.get("stroke-dasharray") for line in lines]
    assert dashes.count("6,4") == 2
    assert dashes.count("2,3") == 3
    assert len(lines) == 3 * 2 + 1


def test_spc_legend_names_mean_limits_trial_limits_and_signals(
    all_charts: dict[str, Chart],
) -> None:
    legend = texts(parse(all_charts["spc_chart"].svg), "mark-text role-legend-label")
    assert legend == [
        "Mean", "Process limits", "Trial mean and limits",
        "Special cause: improvement", "Special cause: concern", "Common cause",
    ]


def test_spc_alt_text_gives_latest_value_limits_and_signal_counts(
    all_charts: dict[str, Chart],
) -> None:
    alt = all_charts["spc_chart"].alt_text
    assert "Latest, Jun 2022: 103 (mean 95, process limits 71 to 119)" in alt
    assert "2 improvement, 1 concern" in alt


def test_spc_without_trial_limits_leaves_them_out_of_the_legend() -> None:
    frame = samples.spc().with_columns(pl.lit(False).alias("trial"))
    chart = charts.spc_chart(frame, title="x", y_title="y", size=ChartSize.HALF)
    legend = texts(parse(chart.svg), "mark-text role-legend-label")
    assert "Trial mean and limits" not in legend


def test_spc_rejects_an_unknown_signal() -> None:
    frame = samples.spc().with_columns(pl.lit("alarm").alias("signal"))
    with pytest.raises(ValueError, match="unknown signal"):
        charts.spc_chart(frame, title="x", y_title="y")
