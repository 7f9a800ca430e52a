"""The example report's HTML: every page, measure row and benchmark; self-contained, repeatable."""

from __future__ import annotations

import dataclasses
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from policeperf.definitions.load import default_catalogue
from policeperf.render.html import render_html
from policeperf.report.build import ReportOutput
from policeperf.report.project import load_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"


class _Page(HTMLParser):
    """Collects section ids, measure rows (cells' text) and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self.refs: list[str] = []
        self._row: str | None = None
        self._cells: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "src", "xlink:href"):
            if a.get(name) and not str(a[name]).startswith("#"):
                self.refs.append(str(a[name]))
        if tag == "section" and a.get("id"):
            self.sections.append(str(a["id"]))
        if tag == "tr" and a.get("id") and "--" in str(a["id"]):
            self._row, self._cells = str(a["id"]), []
        if self._row and tag in ("td", "th"):
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row:
            self.rows[self._row] = [" ".join(c.split()) for c in self._cells]
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row and self._cells:
            self._cells[-1] += data


@pytest.fixture(scope="module")
def built(example_report: ReportOutput) -> ReportOutput:
    """The example report, built once per session (tests/conftest.py)."""
    return example_report


@pytest.fixture(scope="module")
def page(built: ReportOutput) -> _Page:
    parser = _Page()
    parser.feed(built.html.read_text(encoding="utf-8"))
    return parser


def test_every_page_of_the_report_is_present_in_order(page: _Page) -> None:
    project = load_project(EXAMPLE, measure_ids=default_catalogue().ids())
    national = [p.id for p in project.config.priorities if p.part == "national"]
    local = [p.id for p in project.config.priorities if p.part == "local"]
    assert page.sections == ["cover", "contents", "overview", "overview-changes", "glossary",
                             "part-national", *national,
                             "part-local", *local, "method",
                             *[f"benchmarks-{n}" for n in (1, 2, 3, 4)]]  # 7 measures, 2 a page


def test_every_measure_has_a_row_with_trend_and_benchmark(page: _Page) -> None:
    project = load_project(EXAMPLE, measure_ids=default_catalogue().ids())
    expected = {f"{p.id}--{m}" for p in project.config.priorities for m in p.measures}
    rows = {k: v for k, v in page.rows.items() if not k.startswith("overview--")}
    assert set(rows) == expected
    assert all(len(cells) == 4 and cells[2] and cells[3] for cells in rows.values())


def test_benchmarks_read_like_the_seed_report(page: _Page) -> None:
    rows = page.rows
    burglary = rows["reduce_neighbourhood_crime--residential_burglary"]
    assert burglary[3] == "7th/8 MSG (higher than MSG average rates)"
    assert rows["reduce_neighbourhood_crime--vehicle_offences"][3] == (
        "4th/8 MSG (similar to MSG average rates)")
    assert rows["reduce_homicide--homicide"][3].startswith("6th/8 MSG (")
    assert rows["disrupt_drugs_supply--drug_disruptions"][3] == "Not available"
    assert rows["reducing_reoffending--reoffending_proportion"][3].endswith(
        "% points compared to national")


def test_the_html_makes_no_external_reference(built: ReportOutput, page: _Page) -> None:
    html = built.html.read_text(encoding="utf-8")
    assert page.refs == []
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in html and "@import" not in html and "url(http" not in html


def test_pages_using_illustrative_data_carry_a_banner(built: ReportOutput) -> None:
    banners = {p.page_id for p in built.report.pages if p.banner}
    assert "improve_victim_satisfaction" in banners and "reducing_reoffending" in banners
    assert "reduce_homicide" not in banners
    assert built.html.read_text().count("Illustrative data:") == len(banners)


def test_narrative_only_page_has_actions_and_comments_but_no_table(built: ReportOutput) -> None:
    (page,) = [p for p in built.report.pages if p.page_id == "collaboration"]
    assert page.narrative_only and not page.rows and not page.charts
    assert page.actions.startswith("1. ") and len(page.comments) == 3


def test_the_example_ships_with_every_drafted_comment_accepted(built: ReportOutput) -> None:
    drafted = [c for p in built.report.pages for c in p.comments if c.key]
    pending = {c.measure_id: c.key for c in drafted if c.draft}
    assert drafted and not pending, (
        f"update examples/avon-and-somerset-2022-q1/accepted_drafts.yaml: {pending}")
    assert 'class="draft-tag"' not in built.html.read_text(encoding="utf-8")


def test_drafted_comments_are_marked_draft(built: ReportOutput) -> None:
    pages = tuple(
        dataclasses.replace(p, comments=tuple(dataclasses.replace(c, draft=True)
                                              for c in p.comments))
        for p in built.report.pages)
    html = render_html(dataclasses.replace(built.report, pages=pages))
    drafts = [c for p in pages for c in p.comments]
    assert drafts and html.count('<span class="draft-tag">Draft</span>') == len(drafts)


def test_every_chart_and_table_has_its_csv(built: ReportOutput) -> None:
    out = built.html.parent
    for page_ in built.report.pages:
        for chart in page_.charts:
            assert (out / chart.csv_path).is_file()
        if page_.table_csv:
            assert (out / page_.table_csv).read_text().startswith("measure_id,measure,")
    assert (out / "data" / "mapping.csv").is_file() and (out / "data" / "drafts.csv").is_file()


def test_rendering_the_same_report_twice_gives_identical_bytes(built: ReportOutput) -> None:
    assert render_html(built.report) == built.html.read_text(encoding="utf-8")


def test_every_benchmarked_crime_measure_has_a_ranking_and_a_funnel_in_the_appendix(
    built: ReportOutput,
) -> None:
    html = built.html.read_text(encoding="utf-8")
    out = built.html.parent
    ids = {row.measure_id for p in built.report.pages for row in p.rows
           if "MSG" in row.benchmark}
    assert ids == {"homicide", "serious_violence", "drug_trafficking",
                                   "residential_burglary", "vehicle_offences",
                                   "personal_robbery", "theft_from_the_person"}
    assert 'href="#benchmarks-1">Appendix: Benchmarking detail' in html
    for measure_id in ids:
        for kind in ("ranking", "funnel"):
            chart = f'id="benchmarks-{measure_id}-{kind}"'
            assert chart in html, chart
            assert (out / f"data/benchmarks-{measure_id}-{kind}.csv").is_file()
        limits = (out / f"data/benchmarks-{measure_id}-funnel-limits.csv").read_text()
        assert limits.startswith("denominator,centre,lower95,upper95,lower998,upper998")
        funnel = (out / f"data/benchmarks-{measure_id}-funnel.csv").read_text().splitlines()
        assert len(funnel) == 1 + 42  # every force but City of London (its note says why)
    assert "City of London is left out" in html
    assert html.count("<desc>Funnel plot of") == len(ids)


def test_caveats_are_footnotes_and_a_flagged_point_is_noted_under_its_chart(
    built: ReportOutput,
) -> None:
    html = built.html.read_text(encoding="utf-8")
    assert '<ol class="table-notes">' in html and 'class="note-ref"' in html
    cyber = next(p for p in built.report.pages if p.page_id == "tackle_cybercrime")
    assert cyber.charts[0].notes == (
        "Mar 2022: 2,048 as published; flagged by the data-quality check (anomaly, see the "
        "method note).",)


def test_the_criminal_justice_page_draws_national_bars_for_every_measure(
    built: ReportOutput,
) -> None:
    page_ = next(p for p in built.report.pages if p.page_id == "criminal_justice_system")
    assert len(page_.charts) == 4
    for chart in page_.charts:
        assert set(built.report.tables[chart.csv_path]["role"]) == {"force", "national"}
    trial = next(r for r in page_.rows if r.measure_id == "cjs_trial_or_guilty_plea")
    assert (trial.value_text, trial.benchmark) == ("74.0%", "-3.0% points compared to national")


def test_monthly_count_bars_show_the_last_15_monthly_values_not_rolling_totals(
    built: ReportOutput,
) -> None:
    out = built.html.parent
    page_ = next(p for p in built.report.pages if p.page_id == "rape_outcomes")
    chart = next(c for c in page_.charts if "last 15 months" in c.title)
    frame = pl.read_csv(out / chart.csv_path, try_parse_dates=True)
    assert frame.height == 15 and frame["period_end"].max() == date(2022, 6, 30)
    # Monthly referrals are tens a month; the 12-month rolling total is in the hundreds.
    row = next(r for r in page_.rows if r.measure_id == "rape_referrals_to_cps")
    rolling = float(row.value_text.replace(",", ""))
    assert frame["value"].max() < rolling / 4


def test_the_report_draws_spc_charts_with_process_limits(built: ReportOutput) -> None:
    spc_charts = [c for p in built.report.pages for c in p.charts if "SPC" in c.title]
    assert len(spc_charts) >= 3
    frame = pl.read_csv(built.html.parent / spc_charts[0].csv_path)
    assert {"centre", "upper", "lower"} <= set(frame.columns)


def test_every_data_derived_string_is_escaped(built: ReportOutput) -> None:
    evil = "<script>alert(1)</script>"
    report = built.report
    page = report.pages[0]
    row = dataclasses.replace(page.rows[0], title=evil, value_text=evil, benchmark=evil,
                              change_text=evil)
    comment = dataclasses.replace(page.comments[0], text=f"**{evil}**")
    pages = (dataclasses.replace(page, rows=(row, *page.rows[1:]),
                                 comments=(comment, *page.comments[1:]), title=evil),
             *report.pages[1:])
    assert report.overview is not None
    overview = dataclasses.replace(report.overview, rows=(
        dataclasses.replace(report.overview.rows[0], title=evil, priority=evil),
        *report.overview.rows[1:]))
    html = render_html(dataclasses.replace(report, pages=pages, overview=overview, force=evil))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
