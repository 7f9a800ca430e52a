"""Peer charts: MSG ranking bars and the 43-force funnel plot."""

from __future__ import annotations

import polars as pl
import pytest

from policeperf.render import charts
from policeperf.render.charts import Chart
from policeperf.render.charts._theme import FORCE, MSG, PEER

from . import samples
from .svg_helpers import colours, marks, parse, texts


def test_peer_ranking_highlights_only_the_force(all_charts: dict[str, Chart]) -> None:
    bars = colours(marks(parse(all_charts["peer_ranking"].svg), "rect"))
    assert bars.count(FORCE) == 1
    assert bars.count(PEER) == 7


def test_peer_ranking_sorts_lowest_rate_first_when_lower_is_better(
    all_charts: dict[str, Chart],
) -> None:
    labels = texts(parse(all_charts["peer_ranking"].svg), "mark-text role-axis-label")
    forces = [t for t in labels if t in samples.MSG_FORCES]
    assert forces[0] == "Hertfordshire"
    assert forces[-1] == samples.FORCE


def test_peer_ranking_sorts_highest_rate_first_when_higher_is_better() -> None:
    chart = charts.peer_ranking(samples.peers(), msg_average=0.63, title="Drug trafficking",
                                higher_is_better=True)
    labels = texts(parse(chart.svg), "mark-text role-axis-label")
    assert [t for t in labels if t in samples.MSG_FORCES][0] == samples.FORCE
    assert "is 1st of 8" in chart.alt_text


def test_peer_ranking_draws_the_msg_average_as_a_labelled_rule(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["peer_ranking"].svg)
    assert colours(marks(root, "rule"), "stroke") == [MSG]
    assert "MSG average 0.63" in texts(root, "mark-text role-mark")
    assert "0.80" in texts(root, "mark-text role-mark")
    assert "is 8th of 8 with 0.80" in all_charts["peer_ranking"].alt_text


def test_peer_ranking_needs_exactly_one_force_flagged() -> None:
    frame = samples.peers().with_columns(pl.lit(True).alias("is_force"))
    with pytest.raises(ValueError, match="exactly one row"):
        charts.peer_ranking(frame, msg_average=0.6, title="x")


def test_funnel_plot_draws_all_43_forces_and_labels_the_force(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["funnel_plot"].svg)
    points = colours(marks(root, "symbol"))
    assert len(points) == 43
    assert points.count(FORCE) == 1
    assert texts(root, "mark-text role-mark") == [samples.FORCE]


def test_funnel_plot_draws_four_limit_lines_and_names_them_in_the_legend(
    all_charts: dict[str, Chart],
) -> None:
    root = parse(all_charts["funnel_plot"].svg)
    assert len(marks(root, "line")) == 4
    assert len(marks(root, "rule")) == 1
    assert texts(root, "mark-text role-legend-label") == ["95% limits", "99.8% limits", "Average"]
    assert {"Resident population", "Rate per 1,000 residents"} <= set(
        texts(root, "mark-text role-axis-title")
    )
    assert "1M" in texts(root, "mark-text role-axis-label")
