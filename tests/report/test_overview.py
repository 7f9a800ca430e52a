"""The overview page: every measure in one table, better/similar/worse by polarity, and what
moved since the previous quarter; stand-ins say so everywhere they appear."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.definitions.load import default_catalogue
from policeperf.report.build import ReportOutput
from policeperf.report.overview import mark, quarter_changes, short_benchmark
from policeperf.report.project import load_project
from policeperf.results import MeasureResult, MeasuresReport

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"


def result(measure_id: str = "m", **fields: object) -> MeasureResult:
    base: dict[str, object] = dict(
        id=measure_id, title=measure_id, priority="p", priority_title="P",
        kind="recorded_crime_rate", unit="per 1,000 residents", polarity="lower_is_better",
        period_end=date(2022, 6, 30), value=1.0)
    base.update(fields)
    return MeasureResult(**base)  # type: ignore[arg-type]


def report(*results: MeasureResult, period: date = date(2022, 6, 30)) -> MeasuresReport:
    return MeasuresReport("Force", "E23000036", period, ("Force",), tuple(results))


@pytest.mark.parametrize(("polarity", "comparison", "expected"), [
    ("lower_is_better", "higher than", "worse"),
    ("lower_is_better", "below", "better"),
    ("higher_is_better", "higher than", "better"),
    ("higher_is_better", "below", "worse"),
    ("higher_is_better", "similar to", "similar"),
    ("lower_is_better", None, "none"),
])
def test_better_or_worse_reads_the_comparison_by_polarity(polarity: str, comparison: str | None,
                                                          expected: str) -> None:
    assert mark(result(polarity=polarity, comparison=comparison)) == expected


def test_against_national_the_side_of_the_difference_decides() -> None:
    days = result(kind="duration", unit="days (mean)", value=301.0, national_value=274.0,
                  benchmark_text="+27.00 compared to national")
    assert mark(days) == "worse"
    assert mark(dataclasses.replace(days, value=274.04)) == "similar"  # prints "274.0"
    assert mark(dataclasses.replace(days, polarity="higher_is_better")) == "better"


def test_short_benchmarks_keep_the_rank_and_the_word() -> None:
    assert short_benchmark("7th/8 MSG (higher than MSG average rates)") == "7th/8 MSG, higher"
    assert short_benchmark("+27 days compared to national") == "+27 days vs national"


def test_ranks_words_and_new_spc_signals_that_moved_are_listed() -> None:
    before = report(result("a", peer_rank=5, peer_group_size=8, comparison="similar to",
                           trend="Stable", spc_signal="common cause"),
                    result("b", peer_rank=2, peer_group_size=8, trend="Stable"),
                    period=date(2022, 3, 31))
    now = report(result("a", peer_rank=6, peer_group_size=8, comparison="higher than",
                        trend="Moderate increase",
                        spc_signal="special cause concern (shift)"),
                 result("b", peer_rank=2, peer_group_size=8, trend="Stable"))
    moved = quarter_changes({"page": ["a", "b"]}, now, before)
    assert [(c.measure_id, c.what, c.before, c.now) for c in moved] == [
        ("a", "MSG rank", "5/8", "6/8"),
        ("a", "Comparison with the MSG", "similar to", "higher than"),
        ("a", "Trend / outlook", "Stable", "Moderate increase"),
        ("a", "New SPC signal", "common cause", "special cause concern (shift)"),
    ]


def test_a_signal_that_only_changes_its_rule_or_a_word_a_quarter_lacks_has_not_moved() -> None:
    before = report(result("a", spc_signal="special cause concern (shift)", trend=None),
                    period=date(2022, 3, 31))
    now = report(result("a", spc_signal="special cause concern (outside_limits)",
                        trend="Stable"))
    assert quarter_changes({"page": ["a"]}, now, before) == ()


def test_a_measure_without_a_figure_last_quarter_is_not_compared() -> None:
    before = report(result("a", value=None), period=date(2022, 3, 31))
    now = report(result("a", peer_rank=6, peer_group_size=8))
    assert quarter_changes({"page": ["a"]}, now, before) == ()


def test_the_overview_lists_every_measure_of_the_report_in_page_order(
    example_report: ReportOutput,
) -> None:
    project = load_project(EXAMPLE, measure_ids=default_catalogue().ids())
    view = example_report.report.overview
    assert view is not None
    page_order = [m for p in project.config.priorities
                  for m in dict.fromkeys(p.measures + [x for c in p.charts
                                                       for x in c.measure_ids])]
    assert [r.measure_id for r in view.rows] == page_order
    assert set(page_order) == set(project.measure_ids)
    html = example_report.html.read_text(encoding="utf-8")
    for row in view.rows:
        assert f'id="overview--{row.measure_id}"' in html
    assert html.index('id="overview"') < html.index('id="glossary"')


def test_the_overview_says_change_significance_trend_benchmark_and_position(
    example_report: ReportOutput,
) -> None:
    view = example_report.report.overview
    assert view is not None and view.compared
    rows = {r.measure_id: r for r in view.rows}
    burglary = rows["residential_burglary"]
    assert (burglary.value_text, burglary.change_text, burglary.significance) == (
        "6.63 per 1,000 households", "up 6.9%", "significant")
    assert (burglary.benchmark, burglary.mark, burglary.mark_text) == (
        "7th/8 MSG (higher than MSG average rates)", "worse", "Worse")
    homicide = rows["homicide"]
    assert (homicide.change_text, homicide.significance) == ("up 61.5%", "not significant")
    reoffending = rows["reoffending_proportion"]
    assert (reoffending.mark, reoffending.illustrative) == ("better", True)
    assert rows["victim_satisfaction_overall"].trend.text == "Moderate reduction"
    html = example_report.html.read_text(encoding="utf-8")
    assert '<span class="mark mark-worse"><span class="mark-symbol" aria-hidden="true">' in html


def test_the_overview_and_its_changes_are_also_csv(example_report: ReportOutput) -> None:
    out = example_report.html.parent
    view = example_report.report.overview
    assert view is not None
    table = pl.read_csv(out / view.csv_path, try_parse_dates=True)
    assert table["measure_id"].to_list() == [r.measure_id for r in view.rows]
    assert {"latest_value", "unit", "change_on_year_earlier", "change_unit", "change_p_value",
            "compared_with_peers", "illustrative"} <= set(table.columns)
    survey = table.filter(pl.col("measure_id") == "victim_satisfaction_overall").row(0, named=True)
    assert survey["change_unit"] == "percentage points"
    changes = pl.read_csv(out / view.changes_csv_path)
    assert changes.columns == ["measure_id", "measure", "page", "what", "previous_quarter",
                               "this_quarter", "illustrative"]
    assert changes.height == len(view.changes)


def test_the_overview_page_is_in_the_pdf_with_every_measure(example_report: ReportOutput) -> None:
    assert example_report.pdf is not None
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(example_report.pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "How the force is doing" in flat
    view = example_report.report.overview
    assert view is not None
    for row in view.rows:
        assert " ".join(row.title.split())[:30] in flat, row.title


def test_stand_ins_say_so_in_the_row_chart_title_appendix_heading_and_csv(
    example_report: ReportOutput,
) -> None:
    built = example_report.report
    label = "Violence with injury (stand-in for serious violence)"
    page = next(p for p in built.pages if p.page_id == "reduce_serious_violence")
    assert page.rows[0].title == label
    assert any(label in c.title for c in page.charts)
    item = next(i for p in built.benchmark_pages for i in p.items
                if i.measure_id == "serious_violence")
    assert item.title == label
    out = example_report.html.parent
    table = pl.read_csv(out / "data/reduce_serious_violence-measures.csv")
    assert table["measure"].to_list() == [label]
    overview = pl.read_csv(out / "data/overview.csv")
    robbery = overview.filter(pl.col("measure_id") == "personal_robbery").row(0, named=True)
    assert robbery["measure"] == "All robbery (stand-in for personal robbery)"
    assert robbery["stand_in_reason"].startswith("Personal robbery is not published by ONS")
    html = example_report.html.read_text(encoding="utf-8")
    assert "All drug offences (stand-in for drug trafficking)" in html
