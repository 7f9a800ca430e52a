"""ReportData -> an editable PowerPoint deck (python-pptx): the only module that imports it.

Analysts paste slides into their own packs, so everything is native and editable: tables are
PowerPoint tables, charts are PowerPoint charts holding their data (right-click, "Edit Data"),
never pictures. Slides: a title slide, the overview (as many slides as its rows need), then one
slide per priority with its measures table, its charts and its comments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from policeperf.report.data import ChartBlock, PriorityPage, ReportData

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
"""16:9 slides."""
OVERVIEW_ROWS = 11
"""Overview rows per slide (the rest continue on the next slide)."""
FEW_POINTS = 4
"""A time series of at most this many points is drawn as columns, as in the report."""

_MARKDOWN = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def plain(text: str) -> str:
    """Markdown emphasis and links as plain text (slides hold plain, editable text)."""
    return _MARKDOWN.sub("", _LINK.sub(r"\1", text)).strip()


def _text_box(slide: Any, left: int, top: int, width: int, height: int, lines: Sequence[str],
              size: float = 11, bold_first: bool = False) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold_first and n == 0
        paragraph.space_after = Pt(3)


def _title(slide: Any, text: str, kicker: str = "") -> None:
    lines = [kicker, text] if kicker else [text]
    frame = slide.shapes.add_textbox(Inches(0.4), Inches(0.2), Inches(12.5), Inches(0.8))
    tf = frame.text_frame
    tf.word_wrap = True
    for n, line in enumerate(lines):
        paragraph = tf.paragraphs[0] if n == 0 else tf.add_paragraph()
        paragraph.text = line
        last = n == len(lines) - 1
        paragraph.font.size = Pt(24 if last else 11)
        paragraph.font.bold = last


def _table(slide: Any, header: Sequence[str], rows: Sequence[Sequence[str]], left: int,
           top: int, width: int, widths: Sequence[float], size: float = 9) -> None:
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width,
                                   Inches(0.3) * (len(rows) + 1))
    table = shape.table
    for c, fraction in enumerate(widths):
        table.columns[c].width = Emu(int(width * fraction))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                paragraph.font.bold = r == 0


def _label(day: Any) -> str:
    return day.strftime("%b %Y") if isinstance(day, dt.date) else str(day)


def chart_data(frame: pl.DataFrame) -> tuple[Any, Any]:
    """The native chart type and data for a chart's CSV frame (its columns say its kind).

    Returns:
        (XL_CHART_TYPE, chart data) ready for ``shapes.add_chart``.
    """
    cols = set(frame.columns)
    if {"denominator", "rate", "area"} <= cols:  # funnel plot points
        xy = XyChartData()
        series = xy.add_series("Forces")
        for r in frame.iter_rows(named=True):
            series.add_data_point(r["denominator"], r["rate"])
        return XL_CHART_TYPE.XY_SCATTER, xy
    data = CategoryChartData()
    if {"area", "rate"} <= cols:  # peer ranking
        data.categories = [str(a) for a in frame["area"]]
        data.add_series("Rate", frame["rate"].to_list())
        return XL_CHART_TYPE.BAR_CLUSTERED, data
    if {"category", "rate"} <= cols:
        data.categories = [str(a) for a in frame["category"]]
        data.add_series("Rate", frame["rate"].to_list())
        return XL_CHART_TYPE.BAR_CLUSTERED, data
    if {"year", "series", "value"} <= cols:
        return XL_CHART_TYPE.COLUMN_CLUSTERED, _pivot(frame, "year", "series", "value")
    if {"period_end", "centre", "upper", "lower", "value"} <= cols:  # SPC
        frame = frame.sort("period_end")
        data.categories = [_label(d) for d in frame["period_end"]]
        for name, column in (("Value", "value"), ("Mean", "centre"),
                             ("Upper process limit", "upper"), ("Lower process limit", "lower")):
            data.add_series(name, frame[column].to_list())
        return XL_CHART_TYPE.LINE, data
    if {"period_end", "volume", "rate"} <= cols:
        frame = frame.sort("period_end")
        data.categories = [_label(d) for d in frame["period_end"]]
        data.add_series("Volume", frame["volume"].to_list())
        return XL_CHART_TYPE.COLUMN_CLUSTERED, data
    value = "rate" if "rate" in cols else "value"
    if "series" in cols:
        data = _pivot(frame, "period_end", "series", value)
        kind = XL_CHART_TYPE.LINE if len(data.categories) > FEW_POINTS else (
            XL_CHART_TYPE.COLUMN_CLUSTERED)
        return kind, data
    frame = frame.sort("period_end")
    data.categories = [_label(d) for d in frame["period_end"]]
    data.add_series("Value", frame[value].to_list())
    kind = XL_CHART_TYPE.LINE if frame.height > FEW_POINTS else XL_CHART_TYPE.COLUMN_CLUSTERED
    return kind, data


def _pivot(frame: pl.DataFrame, category: str, series: str, value: str) -> CategoryChartData:
    frame = frame.sort(category)
    categories = list(dict.fromkeys(frame[category].to_list()))
    data = CategoryChartData()
    data.categories = [_label(c) for c in categories]
    for name in dict.fromkeys(frame[series].to_list()):
        these = {r[category]: r[value] for r in frame.filter(pl.col(series) == name)
                 .iter_rows(named=True)}
        data.add_series(str(name), [these.get(c) for c in categories])
    return data


def _add_chart(slide: Any, chart: ChartBlock, frame: pl.DataFrame, left: int, top: int,
               width: int, height: int) -> None:
    kind, data = chart_data(frame)
    shape = slide.shapes.add_chart(kind, left, top, width, height, data)
    native = shape.chart
    native.has_title = True
    native.chart_title.text_frame.text = chart.title
    native.chart_title.text_frame.paragraphs[0].font.size = Pt(11)
    native.has_legend = len(data._series) > 1  # noqa: SLF001 (python-pptx has no public count)
    if native.has_legend:
        native.legend.position = XL_LEGEND_POSITION.TOP
        native.legend.include_in_layout = False
        native.legend.font.size = Pt(9)
    native.font.size = Pt(9)


def _priority_slide(prs: Any, report: ReportData, page: PriorityPage) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    part = next((p for p in report.parts if p.part == page.part), None)
    _title(slide, page.title, f"Part {part.number}: {part.title}" if part else "")
    comments = [f"{n}. {plain(c.text)}" for n, c in enumerate(page.comments, start=1)]
    lines = ["Comments", *comments] if comments else ["Comments", "No comments."]
    if page.banner:
        lines.insert(0, f"Illustrative data: {page.banner}")
    _text_box(slide, Inches(0.4), Inches(1.2), Inches(4.1), Inches(6.0), lines, size=9,
              bold_first=not page.banner)
    left, width = Inches(4.7), Inches(8.3)
    top: int = Inches(1.2)
    if page.rows:
        rows = [[r.title, r.value_text, f"{r.trend.text}; {r.change_text}".strip("; "),
                 r.benchmark] for r in page.rows]
        _table(slide, ["Local measure", "Latest", "Trend / Outlook", "Benchmark"], rows, left,
               top, width, (0.34, 0.16, 0.26, 0.24), size=8)
        top += Inches(0.3) * (len(rows) + 1) + Inches(0.35)
    charts = [c for c in page.charts if c.csv_path in report.tables]
    if not charts:
        return
    per_row = 1 if len(charts) <= 2 else 2
    rows_needed = -(-len(charts) // per_row)
    room = HEIGHT - Inches(0.3) - top
    cell_h = int(room / rows_needed)
    cell_w = int(width / per_row)
    for n, chart in enumerate(charts):
        r, c = divmod(n, per_row)
        _add_chart(slide, chart, report.tables[chart.csv_path], left + c * cell_w,
                   top + r * cell_h, cell_w - Inches(0.1), cell_h - Inches(0.1))


def _overview_slides(prs: Any, report: ReportData) -> None:
    view = report.overview
    if view is None:
        return
    rows = [[r.priority if r.group_rows else "", r.title, r.value_text,
             f"{r.change_text} ({r.significance})" if r.significance else r.change_text,
             r.trend.text, r.benchmark_short or r.benchmark, r.mark_text] for r in view.rows]
    for start in range(0, len(rows), OVERVIEW_ROWS):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        more = " (continued)" if start else ""
        _title(slide, f"Overview: how the force is doing{more}", report.period_label)
        _table(slide, ["Priority", "Measure", "Latest", "Change on a year earlier", "Trend",
                       "Benchmark", "Compared"], rows[start:start + OVERVIEW_ROWS],
               Inches(0.4), Inches(1.2), Inches(12.5),
               (0.15, 0.25, 0.13, 0.15, 0.11, 0.12, 0.09), size=8)


def report_to_pptx(report: ReportData, path: Path | str) -> Path:
    """Write the report as an editable PowerPoint deck.

    Args:
        report: The assembled report.
        path: Where to write the ``.pptx``.

    Returns:
        The path written.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = f"{report.force}: {report.title}"
    slide.placeholders[1].text = f"{report.period_label}\n{report.version}"
    _overview_slides(prs, report)
    for page in report.pages:
        _priority_slide(prs, report, page)
    path = Path(path)
    prs.save(str(path))
    return path
