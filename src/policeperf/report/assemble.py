"""Assemble ReportData from a project and its computed results (no file or database I/O).

`policeperf.report.build.build_report` calls `assemble`, renders it and writes the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from policeperf.compute.change import year_change
from policeperf.quality import QualityWarning
from policeperf.render.charts import ChartSize
from policeperf.report import method
from policeperf.report.benchmarking import benchmark_pages
from policeperf.report.charts import (
    DEFAULT_WINDOW_YEARS,
    ChartContext,
    ChartDataError,
    build_chart,
    peer_average_label,
    window_start,
)
from policeperf.report.data import (
    ChartBlock,
    Comment,
    MappingEntry,
    MeasureRow,
    PartDivider,
    PriorityPage,
    QualityNote,
    ReportData,
    TableDescription,
)
from policeperf.report.drafts import as_comment, draft_for
from policeperf.report.model import ChartConfig, PartName, PriorityConfig, Project
from policeperf.report.numbers import (
    benchmark_cell,
    format_number,
    format_value,
    honest,
    trend_cell,
)
from policeperf.report.overview import overview, overview_tables
from policeperf.report.period import previous_quarter, quarter_label, window_label
from policeperf.report.tables import column_descriptions, write_tables
from policeperf.report.words import change_sentence, disagreement_note
from policeperf.results import MeasureResult, MeasuresReport

DEFAULT_BANNER = (
    "force-held figures on this page come from a file marked illustrative (made-up numbers "
    "that show the layout); they are not the force's figures."
)

Tables = dict[str, pl.DataFrame]
Descriptions = dict[str, TableDescription]


def _illustrative_used(result: MeasureResult, illustrative_files: frozenset[str]) -> set[str]:
    """Names of the files marked illustrative that the result's figures come from."""
    files = {Path(f.strip()).name for p in result.provenance if p.table == "force_series"
             for f in p.file.split(",")}
    return files & illustrative_files


def _uses_illustrative(result: MeasureResult, illustrative_files: frozenset[str]) -> bool:
    return bool(_illustrative_used(result, illustrative_files))


def _flagged(
    results: Sequence[MeasureResult], quality: Sequence[QualityNote], measures: MeasuresReport
) -> tuple[str, ...]:
    """Notes for the chart's points that a data-quality warning about the force covers."""
    notes = []
    for r in results:
        ids = {r.id, (r.source_used or "").split(" ")[-1]}
        points = {f"{p.period_end:%b %Y}": p.value for p in r.series}
        for q in quality:
            if q.area == measures.force and q.offence in ids and q.period in points:
                notes.append(f"{q.period}: {format_number(r, points[q.period])} as published; "
                             f"flagged by the data-quality check ({q.kind}, see the method note).")
    return tuple(dict.fromkeys(notes))


MEASURE_COLUMNS = {
    "measure_id": "measure id in the catalogue",
    "measure": "measure title; a stand-in measure says so",
    "latest": "latest value as printed, with its unit",
    "change_on_year_earlier": "change on the same period a year earlier, as printed, with its "
                              "significance",
    "trend_outlook": "trend / outlook word",
    "benchmark": "benchmark as printed",
    "latest_value": "latest value in the unit given in 'unit' (proportions as 0-1)",
    "unit": "unit of latest_value, peer_average and national",
    "peer_rank": "rank in the Most Similar Group (1 = best by polarity)",
    "peer_group_size": "forces ranked",
    "peer_average": "MSG average, in the unit given in 'unit'",
    "national": "England and Wales figure, in the unit given in 'unit'",
}


def _rows(results: Sequence[MeasureResult], moderate_pct: float) -> tuple[
    tuple[MeasureRow, ...], list[str]
]:
    """The measures table's rows and the page's footnotes (caveats, then notes on words)."""
    notes: list[str] = []
    rows = []
    for r in results:
        change = year_change(r)
        own = list(r.caveats)
        why = disagreement_note(r, change, moderate_pct=moderate_pct)
        if why:
            own.append(why)
        for note in own:
            if note not in notes:
                notes.append(note)
        rows.append(MeasureRow(r.id, r.display_title, format_value(r), trend_cell(r),
                               benchmark_cell(r), r.caveats,
                               tuple(notes.index(n) + 1 for n in own),
                               change_sentence(r, change)))
    return tuple(rows), notes


def _measures_table(page_id: str, rows: Sequence[MeasureRow], results: Sequence[MeasureResult],
                    tables: Tables, about: Descriptions, title: str) -> str:
    path = f"data/{page_id}-measures.csv"
    tables[path] = pl.DataFrame(
        [{"measure_id": row.measure_id, "measure": row.title, "latest": row.value_text,
          "change_on_year_earlier": row.change_text, "trend_outlook": row.trend.text,
          "benchmark": row.benchmark, "latest_value": r.value, "unit": r.unit,
          "peer_rank": r.peer_rank, "peer_group_size": r.peer_group_size,
          "peer_average": r.peer_average, "national": r.national_value}
         for row, r in zip(rows, results, strict=True)],
        schema={"measure_id": pl.Utf8, "measure": pl.Utf8, "latest": pl.Utf8,
                "change_on_year_earlier": pl.Utf8, "trend_outlook": pl.Utf8,
                "benchmark": pl.Utf8, "latest_value": pl.Float64, "unit": pl.Utf8,
                "peer_rank": pl.Int64, "peer_group_size": pl.Int64,
                "peer_average": pl.Float64, "national": pl.Float64},
    )
    about[path] = TableDescription(f"{title}: measures summary",
                                   "The page's measures summary table, one row per measure.",
                                   MEASURE_COLUMNS)
    return path


def chart_csv(page_id: str, n: int, config: ChartConfig) -> str:
    """A chart's CSV path, e.g. "data/reduce_homicide-chart-1-rolling-rate-lines-homicide.csv"."""
    kind = config.kind.replace("_", "-")
    first = config.measure_ids[0].replace("_", "-")
    more = "-and-more" if len(config.measure_ids) > 1 else ""
    return f"data/{page_id}-chart-{n}-{kind}-{first}{more}.csv"


def chart_sizes(configs: Sequence[ChartConfig]) -> list[ChartSize]:
    """Each chart's size on a priority page: the charts use the data column's width, two a row
    at most. One chart: tall and full width; two: full width, one above the other; three: the
    first full width, two half below; four or more: two a row."""
    n = len(configs)
    if n == 1:
        return [ChartSize.TALL]
    if n == 2:
        return [ChartSize.FULL, ChartSize.FULL]
    if n == 3:
        return [ChartSize.FULL, ChartSize.HALF, ChartSize.HALF]
    return [ChartSize.HALF] * n


PAGE_DATA_MM = 150.0
"""Height of a priority page's data column (A4 landscape less margins and the page head)."""


def chart_heights(sizes: Sequence[ChartSize], rows: int, notes: Sequence[str]) -> list[float]:
    """Each chart's height in mm so that the table and the charts fill one page: the height
    the measures table (estimated from its rows and footnotes) leaves, shared by the rows of
    charts, less each row's caption and footnotes."""
    if not sizes:
        return []
    lines = sum(max(1, -(-len(n) // 140)) for n in notes)
    table = 14.0 + 12.0 * rows + 2.6 * lines
    halves = sum(1 for s in sizes if s == ChartSize.HALF)
    chart_rows = len(sizes) - halves + (halves + 1) // 2
    tallest = 85.0 if sizes == [ChartSize.TALL] else 60.0
    height = (PAGE_DATA_MM - table) / chart_rows - 11.0
    return [min(tallest, max(44.0, height))] * len(sizes)


def chart_context(measures: MeasuresReport, period_end: dt.date | None = None,
                  years: int = DEFAULT_WINDOW_YEARS) -> ChartContext:
    """The report's chart context: force, the peer group's average label, the time window."""
    end = period_end or measures.period_end
    return ChartContext(measures.force, peer_average_label(measures.peer_group_kind),
                        window_start(end, years))


def _charts(priority: PriorityConfig, measures: MeasuresReport, tables: Tables,
            about: Descriptions, quality: Sequence[QualityNote], ctx: ChartContext,
            page_notes: Sequence[str] = ()) -> tuple[
    list[ChartBlock], list[str], list[MeasureResult]
]:
    charts: list[ChartBlock] = []
    notes: list[str] = []
    used_all: list[MeasureResult] = []
    sizes = chart_sizes(priority.charts)
    heights = chart_heights(sizes, len(priority.measures), page_notes)
    for n, (config, size, height) in enumerate(zip(priority.charts, sizes, heights,
                                                   strict=True), start=1):
        # Chart titles and alt text print ``title``: give them the honest one (a stand-in says
        # so; results keep ``stand_in``, so ``display_title`` is unchanged).
        used = [honest(measures.measure(m)) for m in config.measure_ids]
        used_all += used
        full = size != ChartSize.HALF
        try:
            chart = build_chart(config, used, ctx, size, height_mm=height)
        except ChartDataError as exc:
            notes.append(f"Chart not drawn ({config.kind}): {exc}")
            continue
        csv = chart_csv(priority.id, n, config)
        tables[csv] = chart.data
        about[csv] = TableDescription(
            chart.title, f"The data behind the chart '{chart.title}' on the page "
            f"'{priority.title}', one row per point drawn.",
            column_descriptions(chart.data, used[0].unit))
        charts.append(ChartBlock(f"{priority.id}-chart-{n}", chart.title, chart.svg,
                                 chart.alt_text, csv, full,
                                 (*_flagged(used, quality, measures), *chart.notes),
                                 size=size.value))
    return charts, notes, used_all


def _page(
    priority: PriorityConfig,
    project: Project,
    measures: MeasuresReport,
    illustrative_files: frozenset[str],
    tables: Tables,
    about: Descriptions,
    quality: Sequence[QualityNote],
) -> PriorityPage:
    results = [measures.measure(m) for m in priority.measures]
    moderate = float(measures.settings.get("trend_moderate_pct", 5.0))
    rows, page_notes = _rows(results, moderate)
    table_csv = (_measures_table(priority.id, rows, results, tables, about, priority.title)
                 if rows else None)
    ctx = chart_context(measures, project.config.period, project.config.chart_years)
    charts, notes, chart_results = _charts(priority, measures, tables, about, quality, ctx,
                                           page_notes)
    comments = [Comment(text) for text in project.comments.get(priority.id, ())]
    for result in results:
        draft = draft_for(result, measures.force)
        if draft is not None:
            comments.append(as_comment(draft, project.accepted.get(result.id)))
    comments += [Comment(note) for note in notes]
    files = sorted({f for r in results + chart_results
                    for f in _illustrative_used(r, illustrative_files)})
    banner = None
    if files:
        marked = [s.note for s in project.config.force_series if s.illustrative and s.note]
        banner = marked[0] if marked else DEFAULT_BANNER
    return PriorityPage(
        page_id=priority.id, part=priority.part, title=priority.title,
        actions=project.actions.get(priority.id, ""), rows=rows, charts=tuple(charts),
        comments=tuple(comments), narrative_only=priority.narrative_only, banner=banner,
        table_csv=table_csv, notes=tuple(page_notes), illustrative_files=tuple(files),
    )


def _reference_tables(project: Project, mapping: Sequence[MappingEntry],
                      notes: Sequence[QualityNote], pages: Sequence[PriorityPage],
                      tables: Tables, about: Descriptions) -> None:
    glossary = project.glossary
    tables["data/mapping.csv"] = pl.DataFrame(
        {"national_measures": [m.national for m in mapping],
         "local_area_of_focus": [m.local for m in mapping]},
        schema={"national_measures": pl.Utf8, "local_area_of_focus": pl.Utf8})
    about["data/mapping.csv"] = TableDescription(
        "National priorities and the local areas of focus they support",
        "One row per national priority and local area of focus it supports.",
        {"national_measures": "national priority", "local_area_of_focus": "local plan area"})
    tables["data/glossary.csv"] = pl.DataFrame(
        {"term": [g[0] for g in glossary], "definition": [g[1] for g in glossary]},
        schema={"term": pl.Utf8, "definition": pl.Utf8})
    about["data/glossary.csv"] = TableDescription(
        "Glossary", "The terms the report uses and what they mean (Markdown).",
        {"term": "term", "definition": "its meaning, in Markdown"})
    tables["data/quality-warnings.csv"] = pl.DataFrame(
        [n.__dict__ for n in notes],
        schema={"area": pl.Utf8, "period": pl.Utf8, "offence": pl.Utf8, "kind": pl.Utf8,
                "message": pl.Utf8})
    about["data/quality-warnings.csv"] = TableDescription(
        "Data-quality warnings for the figures used",
        "Warnings from the data-quality check about the areas, offences and periods the "
        "report's figures use.",
        {"area": "police force area", "period": "month of the figure warned about",
         "offence": "ONS offence group", "kind": "kind of warning", "message": "the warning"})
    tables["data/drafts.csv"] = pl.DataFrame(
        [{"page": page.page_id, "measure_id": c.measure_id, "key": c.key,
          "status": "draft" if c.draft else "accepted", "text": c.text}
         for page in pages for c in page.comments if c.key],
        schema={"page": pl.Utf8, "measure_id": pl.Utf8, "key": pl.Utf8, "status": pl.Utf8,
                "text": pl.Utf8})
    about["data/drafts.csv"] = TableDescription(
        "Drafted comments and their keys",
        "One row per drafted comment: accept one by copying its key into "
        "accepted_drafts.yaml (see docs/report.md).",
        {"page": "priority page id", "measure_id": "measure id",
         "key": "hash of the numbers the draft states", "status": "draft or accepted",
         "text": "the comment as printed (Markdown)"})


def assemble(
    project: Project,
    measures: MeasuresReport,
    *,
    quality: Sequence[QualityWarning] = (),
    illustrative_files: frozenset[str] = frozenset(),
    previous: MeasuresReport | None = None,
    previous_note: str = "",
) -> ReportData:
    """Put a project's narrative and the computed results together, page by page.

    Args:
        project: The validated project (or `default_project`).
        measures: Every measure computed for the force and period.
        quality: Data-quality warnings; only those about the figures shown are kept.
        illustrative_files: Names of loaded files marked illustrative (pages using them get a
            banner, and the overview marks their figures).
        previous: The previous quarter's results from the same engine, for "what changed since
            the previous quarter" (None: the overview says why there is no comparison).
        previous_note: Why there is no previous quarter, when there is none.

    Returns:
        The report, ready for any renderer.
    """
    config = project.config
    tables: Tables = {}
    about: Descriptions = {}
    used = [measures.measure(m) for m in project.measure_ids]
    notes = method.relevant_quality(quality, used, measures)
    pages = tuple(_page(p, project, measures, illustrative_files, tables, about, notes)
                  for p in config.priorities)
    names: tuple[PartName, ...] = ("national", "local")
    parts = tuple(
        PartDivider(part, number, config.parts[part].title, config.parts[part].subtitle)
        for number, part in enumerate(names, start=1)
        if any(p.part == part for p in config.priorities)
    )
    titles = {p.id: p.title for p in config.priorities}
    mapping = tuple(MappingEntry(titles[row.national], row.local) for row in config.mapping)
    _reference_tables(project, mapping, notes, pages, tables, about)
    appendix = benchmark_pages(used, chart_context(measures, config.period, config.chart_years),
                               window_label(config.period), tables)
    for path, frame in tables.items():
        if path.startswith("data/benchmarks-") and path not in about:
            measure_id = path.removeprefix("data/benchmarks-").rsplit("-", 1)[0]
            measure_id = measure_id.removesuffix("-funnel")
            result = next((r for r in used if r.id == measure_id), None)
            what = result.display_title if result else measure_id
            about[path] = TableDescription(
                f"{what}: benchmarking ({Path(path).stem.rsplit('-', 1)[-1]})",
                "The data behind a chart of the benchmarking appendix, or the funnel plot's "
                "control limits.", column_descriptions(frame, result.unit if result else ""))
    shown = {p.id: [m for m in dict.fromkeys(
        p.measures + [m for c in p.charts for m in c.measure_ids])] for p in config.priorities}
    illustrative = frozenset(m for ids in shown.values() for m in ids
                             if _uses_illustrative(measures.measure(m), illustrative_files))
    view = overview(pages, shown, measures, previous,
                    previous_label=quarter_label(previous_quarter(config.period)),
                    illustrative=illustrative, previous_note=previous_note)
    for path, (frame, description) in overview_tables(view, measures).items():
        tables[path] = frame
        about[path] = description
    return ReportData(
        force=measures.force, title=config.title, period_label=quarter_label(config.period),
        window_label=window_label(config.period), version=config.version, cover=project.cover,
        glossary=project.glossary, parts=parts, pages=pages, mapping=mapping,
        method=method.sections(measures, used), quality=tuple(notes), tables=tables,
        benchmark_pages=appendix, overview=view, descriptions=about,
        peer_group_computed=measures.peer_group_kind == "computed",
    )


__all__ = ["DEFAULT_BANNER", "assemble", "chart_csv", "write_tables"]
