"""Charts fit for print: every text at least 8 pt at printed size, gaps shaded and footnoted."""

from __future__ import annotations

import re

import polars as pl

from policeperf.render import charts
from policeperf.render.charts import (
    MIN_FONT_PX,
    PRINT_WIDTH_MM,
    SIZE_PX,
    Chart,
    ChartSize,
    printed_points,
)

from . import samples
from .svg_helpers import parse

_FONT = re.compile(r'font-size="([\d.]+)px"')


def _smallest_printed_pt(chart: Chart, size: ChartSize) -> float:
    width = float(parse(chart.svg).get("width", "0"))
    sizes = [float(s) for s in _FONT.findall(chart.svg)]
    return min(printed_points(s, width, size) for s in sizes)


def test_every_size_is_drawn_at_the_width_it_prints_at() -> None:
    for size, (width, _) in SIZE_PX.items():
        assert abs(width / (96 / 25.4) - PRINT_WIDTH_MM[size]) < 0.3


def test_eleven_pixels_print_at_more_than_8_points() -> None:
    assert printed_points(MIN_FONT_PX, SIZE_PX[ChartSize.HALF][0], ChartSize.HALF) >= 8.0


def test_no_chart_text_is_smaller_than_8_points_in_print(all_charts: dict[str, Chart]) -> None:
    for name, chart in all_charts.items():
        width = int(parse(chart.svg).get("width", "0"))
        size = next(s for s, (w, _) in SIZE_PX.items() if w == width)
        assert _smallest_printed_pt(chart, size) >= 8.0, name


def test_half_width_charts_keep_8_point_text_too() -> None:
    for size in ChartSize:
        chart = charts.rolling_rate_lines(samples.rolling_rates(), title="Rates", size=size)
        assert _smallest_printed_pt(chart, size) >= 8.0


def test_a_missing_year_is_a_shaded_gap_named_in_a_footnote_not_a_line_across_it() -> None:
    chart = charts.rolling_rate_lines(samples.rolling_rates(), title="Rates")
    assert chart.notes == ("No figure was published for Apr 2020 to Mar 2021: the chart leaves "
                           "a shaded gap there rather than drawing across it.",)
    assert "No figure" in chart.svg
    assert "Apr 2020 to Mar 2021" in chart.alt_text
    gap = chart.spec["layer"][0]
    assert gap["data"]["values"] == [{"start": "2020-03-31", "end": "2021-04-30",
                                      "text": "No figure"}]


def test_a_series_without_gaps_has_no_gap_note() -> None:
    full = samples.rolling_rates().with_columns(pl.col("value").fill_null(0.5))
    chart = charts.rolling_rate_lines(full, title="Rates")
    assert chart.notes == ()
    assert "No figure" not in chart.svg


def test_a_computed_group_average_is_not_called_an_msg_average() -> None:
    frame = pl.DataFrame({"area": samples.MSG_FORCES, "rate": [float(i) for i in range(8)],
                          "is_force": [i == 0 for i in range(8)]})
    chart = charts.peer_ranking(frame, msg_average=3.5, title="Ranking",
                                average_label="Similar forces (computed) average")
    assert "Similar forces (computed) average 3.50" in chart.svg
    assert "MSG" not in chart.svg + chart.alt_text


def test_a_proportion_axis_never_ticks_past_100_percent() -> None:
    frame = pl.DataFrame({"year": ["2019", "2019", "2021", "2021"],
                          "series": ["Kent", "National"] * 2,
                          "role": ["force", "national"] * 2,
                          "value": [0.77, 0.79, 0.76, 0.77]})
    chart = charts.paired_bars(frame, title="Trials completed", y_title="Per cent",
                               value_format=charts.PERCENT)
    ticks = re.findall(r">(\d+)%<", chart.svg)
    assert ticks and max(int(t) for t in ticks) <= 100
