"""The PowerPoint deck: title, overview, one slide per priority, native editable charts."""

from __future__ import annotations

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from policeperf.render.pptx import plain
from policeperf.report.build import ReportOutput


def _texts(slide: object) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)  # type: ignore[attr-defined]


def test_the_deck_has_a_title_the_overview_and_a_slide_per_priority(
    example_report: ReportOutput,
) -> None:
    assert example_report.pptx is not None
    deck = Presentation(str(example_report.pptx))
    slides = list(deck.slides)
    report = example_report.report
    assert "Avon and Somerset" in slides[0].shapes.title.text
    overview = [s for s in slides if "Overview: how the force is doing" in _texts(s)]
    assert overview
    titles = [p.title for p in report.pages]
    for title in titles:
        assert any(title in _texts(s) for s in slides), title
    assert len(slides) == 1 + len(overview) + len(titles)


def test_every_chart_of_a_page_is_a_native_chart_with_its_data(
    example_report: ReportOutput,
) -> None:
    deck = Presentation(str(example_report.pptx))
    report = example_report.report
    charts = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == sum(len(p.charts) for p in report.pages)
    pictures = [s for slide in deck.slides for s in slide.shapes
                if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pictures == []
    first = charts[0].chart
    assert first.chart_title.text_frame.text == report.pages[0].charts[0].title
    values = [v for plot in first.plots for series in plot.series for v in series.values]
    assert any(v is not None for v in values)


def test_priority_slides_carry_the_measures_table_and_comments(
    example_report: ReportOutput,
) -> None:
    deck = Presentation(str(example_report.pptx))
    page = example_report.report.pages[0]
    slide = next(s for s in deck.slides if page.title in _texts(s))
    tables = [s.table for s in slide.shapes if s.has_table]
    assert tables and tables[0].cell(1, 0).text == page.rows[0].title
    assert "Comments" in _texts(slide)
    assert "**" not in _texts(slide)


def test_markdown_emphasis_becomes_plain_text() -> None:
    assert plain("**Homicide** rose, see [the note](#x)") == "Homicide rose, see the note"
