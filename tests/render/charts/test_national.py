"""The national summary's own charts: funnel of every force, and ranks as small multiples."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from policeperf.render.charts.national import national_funnel, rank_small_multiples


def test_the_funnel_names_only_the_forces_beyond_the_99_8_limits() -> None:
    points = pl.DataFrame({
        "force": ["Alpha", "Bravo", "Charlie", "Delta"],
        "denominator": [100_000.0, 200_000.0, 400_000.0, 800_000.0],
        "value": [10.0, 14.0, 9.0, 6.0],
        "band": ["within 95%", "above 99.8%", "within 95%", "below 99.8%"]})
    limits = pl.DataFrame({"denominator": [80_000.0, 1_000_000.0], "lower95": [9.0, 9.7],
                           "upper95": [11.0, 10.3], "lower998": [8.5, 9.5],
                           "upper998": [11.5, 10.5]})
    chart = national_funnel(points, limits, centre=10.0, title="Burglary: every force",
                            x_title="Households", y_title="Rate per 1,000 households")
    assert chart.svg.startswith("<svg") and "Burglary: every force" in chart.svg
    assert ">Bravo<" in chart.svg and ">Delta<" in chart.svg
    assert ">Alpha<" not in chart.svg
    assert "1 above 99.8%, 2 within 95%, 1 below 99.8%" in chart.alt_text
    assert chart.data.height == 4


def test_the_funnel_says_which_columns_it_needs() -> None:
    with pytest.raises(ValueError, match="band"):
        national_funnel(pl.DataFrame({"force": ["A"], "denominator": [1.0], "value": [1.0]}),
                        pl.DataFrame(), centre=1.0, title="t", x_title="x", y_title="y")


def test_small_multiples_draw_one_panel_per_force_in_the_order_given() -> None:
    jun, mar = date(2022, 6, 30), date(2022, 3, 31)
    history = pl.DataFrame({
        "force": ["Alpha", "Alpha", "Bravo", "Bravo"], "period_end": [mar, jun, mar, jun],
        "rank": [1, 2, 2, 1], "of": [2, 2, 2, 2]})
    chart = rank_small_multiples(history, order=["Bravo", "Alpha"], size_of=2,
                                 title="Ranks over time")
    assert chart.svg.index(">Bravo<") < chart.svg.index(">Alpha<")
    assert "from Mar 2022 to Jun 2022" in chart.alt_text
    assert "Latest: Bravo 1, Alpha 2" in chart.alt_text
