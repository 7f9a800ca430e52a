"""Charts of the report: the 6-year window, bars for a few values, honest labels."""

from __future__ import annotations

import dataclasses
import datetime as dt

from policeperf.render.charts import ChartSize
from policeperf.report.build import ReportOutput
from policeperf.report.charts import (
    COMPUTED_AVERAGE,
    MSG_AVERAGE,
    ChartContext,
    build_chart,
    in_window,
    peer_average_label,
    window_start,
)
from policeperf.report.model import ChartConfig
from policeperf.results import MeasureResult, SeriesPoint


def _quarters(first: dt.date, count: int) -> list[dt.date]:
    days = []
    year, month = first.year, first.month
    for _ in range(count):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(nxt - dt.timedelta(days=1))
        month += 3
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return days


def test_six_years_to_june_2022_start_in_july_2016() -> None:
    assert window_start(dt.date(2022, 6, 30)) == dt.date(2016, 7, 1)
    assert window_start(dt.date(2022, 12, 31), 2) == dt.date(2021, 1, 1)


def test_the_window_keeps_exactly_the_last_six_years_of_quarters(
    example_report: ReportOutput,
) -> None:
    homicide = example_report.report.tables[
        "data/reduce_homicide-chart-1-rolling-rate-lines-homicide.csv"]
    days = sorted(set(homicide["period_end"].to_list()))
    assert days[0] >= dt.date(2016, 7, 1)
    assert days[-1] == dt.date(2022, 6, 30)


def test_in_window_leaves_the_latest_value_alone() -> None:
    days = _quarters(dt.date(2010, 3, 1), 50)
    result = MeasureResult(id="m", title="M", priority="p", priority_title="P", kind="count",
                           unit="offences", polarity="lower_is_better", period_end=days[-1],
                           value=5.0,
                           series=tuple(SeriesPoint(d, float(i)) for i, d in enumerate(days)))
    cut = in_window(result, window_start(days[-1]))
    assert cut.value == 5.0
    assert len(cut.series) == 24


def test_a_few_values_are_drawn_as_bars_not_a_line() -> None:
    days = [dt.date(2021, 3, 31), dt.date(2022, 3, 31), dt.date(2022, 6, 30)]
    result = MeasureResult(id="af", title="Referrals", priority="p", priority_title="P",
                           kind="count", unit="referrals", polarity="lower_is_better",
                           period_end=days[-1], value=30.0,
                           series=tuple(SeriesPoint(d, v) for d, v in zip(days, [10.0, 20.0, 30.0],
                                                                           strict=True)))
    chart = build_chart(ChartConfig(kind="rolling_count_quarterly", measure="af"), [result],
                        "Avon and Somerset", ChartSize.HALF)
    assert chart.spec["layer"][0]["mark"]["type"] == "bar"
    assert chart.svg.count('<g class="mark-rect role-mark">') == 1
    assert 'class="mark-line role-mark"' not in chart.svg


def test_a_computed_peer_group_is_labelled_as_such() -> None:
    assert peer_average_label("computed") == COMPUTED_AVERAGE
    assert peer_average_label("official") == MSG_AVERAGE
    assert peer_average_label(None) == MSG_AVERAGE
    assert ChartContext("Kent", COMPUTED_AVERAGE).peer_label.startswith("Similar forces")


def test_stand_in_measures_say_so_in_chart_titles_and_appendix_headings(
    example_report: ReportOutput,
) -> None:
    report = example_report.report
    titles = [c.title for p in report.pages for c in p.charts]
    assert any("(stand-in for serious violence)" in t for t in titles)
    assert not any(t.startswith("Police recorded serious violence") for t in titles)
    headings = [i.title for p in report.benchmark_pages for i in p.items]
    assert any("(stand-in for" in h for h in headings)


def test_every_chart_has_alt_text_and_a_csv(example_report: ReportOutput) -> None:
    report = example_report.report
    blocks = [c for p in report.pages for c in p.charts]
    blocks += [c for p in report.benchmark_pages for i in p.items for c in i.charts]
    for chart in blocks:
        assert len(chart.alt_text) > 40
        assert chart.csv_path in report.tables
        assert (example_report.html.parent / chart.csv_path).exists()


def test_the_gap_in_2020_is_footnoted_under_the_chart(example_report: ReportOutput) -> None:
    notes = [n for p in example_report.report.pages for c in p.charts for n in c.notes]
    assert any(n.startswith("No figure was published for") for n in notes)
    html = example_report.html.read_text(encoding="utf-8")
    assert "rather than drawing across it" in html


def test_printed_widths_in_the_stylesheet_match_the_chart_sizes() -> None:
    from policeperf.render.charts import PRINT_WIDTH_MM, ChartSize
    from policeperf.render.html import stylesheet

    css = stylesheet()
    for size in (ChartSize.HALF, ChartSize.FULL, ChartSize.APPENDIX):
        assert f"width: {PRINT_WIDTH_MM[size]:g}mm" in css


def test_a_report_keeps_its_results_unchanged_by_the_window(example_report: ReportOutput) -> None:
    rows = {r.measure_id: r for p in example_report.report.pages for r in p.rows}
    assert rows["homicide"].value_text.startswith("0.012")
    assert dataclasses.is_dataclass(rows["homicide"])


def test_an_axis_title_keeps_the_thousands_comma_of_its_unit() -> None:
    from policeperf.report.charts import _y_title

    def unit(text: str) -> MeasureResult:
        return MeasureResult(id="m", title="M", priority="p", priority_title="P",
                             kind="recorded_crime_rate", unit=text,
                             polarity="lower_is_better", period_end=dt.date(2022, 6, 30),
                             value=1.0)
    assert _y_title(unit("per 1,000 residents")) == "Per 1,000 residents"
    assert _y_title(unit("reoffences per reoffender, year ending June")) == (
        "Reoffences per reoffender")
