"""Assemble ReportData from a project and its computed results (no file or database I/O).

`policeperf.report.build.build_report` calls `assemble`, renders it and writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from policeperf.quality import QualityWarning
from policeperf.render.charts import ChartSize
from policeperf.report import method
from policeperf.report.benchmarking import benchmark_pages
from policeperf.report.charts import ChartDataError, build_chart
from policeperf.report.data import (
    ChartBlock,
    Comment,
    MappingEntry,
    MeasureRow,
    PartDivider,
    PriorityPage,
    QualityNote,
    ReportData,
)
from policeperf.report.drafts import as_comment, draft_for
from policeperf.report.model import PartName, PriorityConfig, Project
from policeperf.report.numbers import format_number, format_value, trend_cell
from policeperf.report.period import quarter_label, window_label
from policeperf.results import MeasureResult, MeasuresReport

DEFAULT_BANNER = (
    "force-held figures on this page come from a file marked illustrative (made-up numbers "
    "that show the layout); they are not the force's figures."
)


def _uses_illustrative(result: MeasureResult, illustrative_files: frozenset[str]) -> bool:
    files = {Path(p.file).name for p in result.provenance if p.table == "force_series"}
    return bool(files & illustrative_files)


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


def _page(
    priority: PriorityConfig,
    project: Project,
    measures: MeasuresReport,
    illustrative_files: frozenset[str],
    tables: dict[str, pl.DataFrame],
    quality: Sequence[QualityNote],
) -> PriorityPage:
    results = [measures.measure(m) for m in priority.measures]
    page_notes: list[str] = []
    for r in results:
        page_notes += [c for c in r.caveats if c not in page_notes]
    rows = tuple(
        MeasureRow(r.id, r.title, format_value(r), trend_cell(r), r.benchmark_text, r.caveats,
                   tuple(page_notes.index(c) + 1 for c in r.caveats))
        for r in results
    )
    if rows:
        table_csv = f"data/{priority.id}-measures.csv"
        tables[table_csv] = pl.DataFrame(
            [{"measure_id": row.measure_id, "measure": row.title, "latest": row.value_text,
              "trend_outlook": row.trend.text, "benchmark": row.benchmark,
              "value": r.value, "unit": r.unit, "peer_rank": r.peer_rank,
              "peer_group_size": r.peer_group_size, "peer_average": r.peer_average,
              "national": r.national_value}
             for row, r in zip(rows, results, strict=True)],
            schema_overrides={"value": pl.Float64, "peer_average": pl.Float64,
                              "national": pl.Float64, "peer_rank": pl.Int64,
                              "peer_group_size": pl.Int64},
        )
    charts: list[ChartBlock] = []
    notes: list[str] = []
    chart_results: list[MeasureResult] = []
    single = len(priority.charts) == 1
    for n, config in enumerate(priority.charts, start=1):
        used = [measures.measure(m) for m in config.measure_ids]
        chart_results += used
        full = single or config.size == "full"
        size = ChartSize.FULL if full else ChartSize.HALF
        try:
            chart = build_chart(config, used, measures.force, size)
        except ChartDataError as exc:
            notes.append(f"Chart not drawn ({config.kind}): {exc}")
            continue
        csv = f"data/{priority.id}-chart-{n}.csv"
        tables[csv] = chart.data
        charts.append(ChartBlock(f"{priority.id}-chart-{n}", chart.title, chart.svg,
                                 chart.alt_text, csv, full, _flagged(used, quality, measures)))
    comments = [Comment(text) for text in project.comments.get(priority.id, ())]
    for result in results:
        draft = draft_for(result, measures.force)
        if draft is not None:
            comments.append(as_comment(draft, project.accepted.get(result.id)))
    comments += [Comment(note) for note in notes]
    illustrative = any(_uses_illustrative(r, illustrative_files) for r in results + chart_results)
    banner = None
    if illustrative:
        marked = [s.note for s in project.config.force_series if s.illustrative and s.note]
        banner = marked[0] if marked else DEFAULT_BANNER
    return PriorityPage(
        page_id=priority.id, part=priority.part, title=priority.title,
        actions=project.actions.get(priority.id, ""), rows=rows, charts=tuple(charts),
        comments=tuple(comments), narrative_only=priority.narrative_only, banner=banner,
        table_csv=f"data/{priority.id}-measures.csv" if rows else None,
        notes=tuple(page_notes),
    )


def assemble(
    project: Project,
    measures: MeasuresReport,
    *,
    quality: Sequence[QualityWarning] = (),
    illustrative_files: frozenset[str] = frozenset(),
) -> ReportData:
    """Put a project's narrative and the computed results together, page by page.

    Args:
        project: The validated project (or `default_project`).
        measures: Every measure computed for the force and period.
        quality: Data-quality warnings; only those about the figures shown are kept.
        illustrative_files: Names of loaded files marked illustrative (pages using them get a
            banner).

    Returns:
        The report, ready for any renderer.
    """
    config = project.config
    tables: dict[str, pl.DataFrame] = {}
    used = [measures.measure(m) for m in project.measure_ids]
    notes = method.relevant_quality(quality, used, measures)
    pages = tuple(_page(p, project, measures, illustrative_files, tables, notes)
                  for p in config.priorities)
    names: tuple[PartName, ...] = ("national", "local")
    parts = tuple(
        PartDivider(part, number, config.parts[part].title, config.parts[part].subtitle)
        for number, part in enumerate(names, start=1)
        if any(p.part == part for p in config.priorities)
    )
    titles = {p.id: p.title for p in config.priorities}
    mapping = tuple(MappingEntry(titles[row.national], row.local) for row in config.mapping)
    glossary = project.glossary
    tables["data/mapping.csv"] = pl.DataFrame(
        {"national_measures": [m.national for m in mapping], "local_area_of_focus":
         [m.local for m in mapping]}, schema={"national_measures": pl.Utf8,
                                              "local_area_of_focus": pl.Utf8})
    tables["data/glossary.csv"] = pl.DataFrame(
        {"term": [g[0] for g in glossary], "definition": [g[1] for g in glossary]},
        schema={"term": pl.Utf8, "definition": pl.Utf8})
    tables["data/quality-warnings.csv"] = pl.DataFrame(
        [n.__dict__ for n in notes],
        schema={"area": pl.Utf8, "period": pl.Utf8, "offence": pl.Utf8, "kind": pl.Utf8,
                "message": pl.Utf8})
    tables["data/drafts.csv"] = pl.DataFrame(
        [{"page": page.page_id, "measure_id": c.measure_id, "key": c.key,
          "status": "draft" if c.draft else "accepted", "text": c.text}
         for page in pages for c in page.comments if c.key],
        schema={"page": pl.Utf8, "measure_id": pl.Utf8, "key": pl.Utf8, "status": pl.Utf8,
                "text": pl.Utf8})
    appendix = benchmark_pages(used, measures.force, window_label(config.period), tables)
    return ReportData(
        force=measures.force, title=config.title, period_label=quarter_label(config.period),
        window_label=window_label(config.period), version=config.version, cover=project.cover,
        glossary=glossary, parts=parts, pages=pages, mapping=mapping,
        method=method.sections(measures, used), quality=tuple(notes), tables=tables,
        benchmark_pages=appendix,
    )


def write_tables(report: ReportData, out_dir: Path) -> tuple[Path, ...]:
    """Write every table and chart's data as CSV under ``out_dir`` (paths as in the report)."""
    written = []
    for relative, frame in sorted(report.tables.items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(path, date_format="%Y-%m-%d")
        written.append(path)
    return tuple(written)


__all__ = ["DEFAULT_BANNER", "assemble", "write_tables"]
