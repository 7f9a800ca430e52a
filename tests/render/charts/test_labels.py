"""Value labels never collide: label boxes estimated from the SVG do not overlap, on the
example report's charts and on crafted crowded charts."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from policeperf.render import charts
from policeperf.render.charts import Chart, ChartSize
from policeperf.render.charts._labels import Box, Label, collisions, place
from policeperf.report.build import ReportOutput

from . import samples
from .label_boxes import label_boxes, overlapping


def _no_collisions(chart: Chart) -> None:
    assert overlapping(label_boxes(chart.svg)) == [], chart.title
    assert overlapping(label_boxes(chart.svg, "mark-text role-axis-label")) == [], chart.title


def test_no_value_labels_overlap_on_the_sample_charts(all_charts: dict[str, Chart]) -> None:
    for chart in all_charts.values():
        _no_collisions(chart)


def test_no_labels_overlap_on_any_chart_of_the_example_report(
    example_report: ReportOutput,
) -> None:
    report = example_report.report
    svgs = [c.svg for p in report.pages for c in p.charts]
    svgs += [c.svg for p in report.benchmark_pages for i in p.items for c in i.charts]
    assert len(svgs) >= 30
    labelled = 0
    for svg in svgs:
        boxes = label_boxes(svg)
        labelled += bool(boxes)
        assert overlapping(boxes) == []
        assert overlapping(label_boxes(svg, "mark-text role-axis-label")) == []
    assert labelled >= 20


def _big_months(count: int) -> pl.DataFrame:
    days = samples.month_ends(count)
    return pl.DataFrame({"period_end": days,
                         "value": [1_234_567 + 1_000 * (i % 3) for i in range(count)]})


def test_wide_labels_over_narrow_bars_are_turned_upright_and_do_not_overlap() -> None:
    chart = charts.monthly_count_bars(_big_months(15), title="Crowded", size=ChartSize.HALF)
    boxes = label_boxes(chart.svg)
    assert overlapping(boxes) == []
    assert 'transform="rotate(-90' in chart.svg
    assert len(boxes) == 15  # upright labels fit every bar here: none is dropped


def test_labels_too_many_for_upright_text_are_thinned_from_the_latest_back() -> None:
    chart = charts.monthly_count_bars(_big_months(60), title="Five years of months",
                                      size=ChartSize.HALF)
    boxes = label_boxes(chart.svg)
    assert overlapping(boxes) == []
    assert 0 < len(boxes) < 60
    assert chart.svg.count("<rect") >= 60  # every bar is still drawn


def test_grouped_bars_with_equal_wide_values_keep_their_labels_apart() -> None:
    years = [str(y) for y in range(2015, 2023)]
    frame = pl.DataFrame({
        "year": [y for y in years for _ in range(3)],
        "series": ["Avon and Somerset", "MSG average", "National"] * len(years),
        "role": ["force", "msg", "national"] * len(years),
        "value": [123_456.0] * (3 * len(years)),
    })
    chart = charts.paired_bars(frame, title="Crowded pairs", y_title="Count",
                               size=ChartSize.HALF)
    _no_collisions(chart)


def test_ranking_labels_next_to_the_average_rule_do_not_overlap_it_or_each_other() -> None:
    names = [f"Force {i:02d}" for i in range(12)]
    frame = pl.DataFrame({"area": names, "rate": [0.60 + 0.001 * i for i in range(12)],
                          "is_force": [i == 5 for i in range(12)]})
    chart = charts.peer_ranking(frame, msg_average=0.605, title="Tight ranking",
                                size=ChartSize.HALF, value_format=charts.ValueFormat(3))
    _no_collisions(chart)


def test_a_gap_narrower_than_its_label_keeps_the_label_clear_of_others() -> None:
    frame = samples.rolling_rates().with_columns(
        pl.when(pl.col("period_end") == dt.date(2019, 6, 30)).then(None)
        .otherwise(pl.col("value")).alias("value"))
    chart = charts.rolling_rate_lines(frame, title="Two gaps", size=ChartSize.HALF)
    assert [b.text for b in label_boxes(chart.svg)].count("No figure") == 2
    _no_collisions(chart)


_LABEL = st.builds(Label, x=st.floats(0, 300), y=st.floats(10, 200),
                   text=st.text("0123456789,.%", min_size=1, max_size=9),
                   anchor=st.sampled_from(["start", "middle", "end"]),
                   bold=st.booleans(), angle=st.sampled_from([0.0, -90.0]))


@given(st.lists(st.lists(_LABEL, min_size=1, max_size=3), max_size=25))
def test_the_placer_never_places_two_labels_on_top_of_each_other(
    choices: list[list[Label]],
) -> None:
    placed = [lab for lab in place(choices, Box(-1e4, -1e4, 1e4, 1e4)) if lab is not None]
    assert collisions(placed) == []
    assert len(placed) >= min(1, len(choices))


def test_the_national_funnel_names_crowded_outliers_without_overlaps() -> None:
    from policeperf.render.charts.national import national_funnel

    names = [f"Force number {i}" for i in range(12)]
    points = pl.DataFrame({"force": names,
                           "denominator": [1_000_000.0 + 10_000 * i for i in range(12)],
                           "value": [15.0 + 0.05 * i for i in range(12)],
                           "band": ["above 99.8%"] * 12})
    limits = pl.DataFrame({"denominator": [500_000.0, 2_000_000.0], "lower95": [9.0, 9.5],
                           "upper95": [11.0, 10.5], "lower998": [8.5, 9.2],
                           "upper998": [11.5, 10.8]})
    chart = national_funnel(points, limits, centre=10.0, title="Crowded outliers",
                            x_title="Households", y_title="Rate per 1,000 households")
    boxes = label_boxes(chart.svg)
    assert overlapping(boxes) == []
    assert len(boxes) >= 6  # a name without room is left to the ranking table


_VALUES = st.lists(st.one_of(st.none(), st.integers(-5_000_000, 50_000_000)), min_size=1,
                   max_size=40)


@settings(max_examples=25)
@given(_VALUES, st.sampled_from(list(ChartSize)))
def test_bars_of_any_counts_draw_well_formed_svg_with_labels_apart(
    values: list[int | None], size: ChartSize,
) -> None:
    frame = pl.DataFrame({"period_end": samples.month_ends(len(values)), "value": values},
                         schema={"period_end": pl.Date, "value": pl.Int64})
    chart = charts.monthly_count_bars(frame, title="Any counts", size=size)
    _no_collisions(chart)


@settings(max_examples=25)
@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=30),
       st.sampled_from(list(ChartSize)))
def test_lines_of_any_values_and_gaps_draw_well_formed_svg_with_labels_apart(
    values: list[float | None], size: ChartSize,
) -> None:
    frame = pl.DataFrame({"period_end": samples.month_ends(len(values), step=3),
                          "series": "Kent", "role": "force", "value": values},
                         schema={"period_end": pl.Date, "series": pl.Utf8, "role": pl.Utf8,
                                 "value": pl.Float64})
    _no_collisions(charts.rolling_rate_lines(frame, title="Any values", size=size))
    _no_collisions(charts.rolling_count_quarterly(frame.select("period_end", "value"),
                                                  title="Any counts", size=size))
