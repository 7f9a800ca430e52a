"""ReportData: everything a renderer needs, already decided; renderers only lay it out.

Built by `policeperf.report.build.assemble` from a `MeasuresReport` and a `Project`. Texts that
analysts write (actions, comments, cover) stay Markdown here; the HTML renderer turns them into
safe HTML. Numbers are already formatted: a renderer never computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Direction = Literal["up", "down", "flat", "none"]
Tone = Literal["good", "bad", "neutral"]


@dataclass(frozen=True)
class TrendCell:
    """The Trend / Outlook cell: the word, and the arrow drawn beside it.

    Attributes:
        text: The word as printed, e.g. "Moderate reduction" or "Stable (100%)".
        direction: Arrow direction: up, down, flat, or none (no trend available).
        tone: good / bad by the measure's polarity, neutral when stable or unknown.
    """

    text: str
    direction: Direction
    tone: Tone


@dataclass(frozen=True)
class MeasureRow:
    """One row of a page's measures summary table.

    ``note_refs`` are 1-based numbers of the page's ``notes`` (its caveats, printed as
    footnotes under the table so that rows stay one or two lines tall).
    """

    measure_id: str
    title: str
    value_text: str
    trend: TrendCell
    benchmark: str
    caveats: tuple[str, ...] = ()
    note_refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class ChartBlock:
    """A rendered chart with the CSV file holding its data.

    ``notes`` are printed under the chart, e.g. a point a data-quality warning covers.
    """

    chart_id: str
    title: str
    svg: str
    alt_text: str
    csv_path: str
    full_width: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comment:
    """A numbered comment; drafted ones stay marked "Draft" until an analyst accepts them."""

    text: str
    draft: bool = False
    measure_id: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class PriorityPage:
    """One priority page."""

    page_id: str
    part: Literal["national", "local"]
    title: str
    actions: str
    rows: tuple[MeasureRow, ...]
    charts: tuple[ChartBlock, ...]
    comments: tuple[Comment, ...]
    narrative_only: bool = False
    banner: str | None = None
    table_csv: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenchmarkItem:
    """One measure in the benchmarking appendix: its MSG ranking and its 43-force funnel plot.

    Attributes:
        measure_id: The measure.
        title: The measure's title.
        benchmark: The benchmark text of its summary row.
        charts: The ranking chart, then the funnel plot (either may be missing).
        note: How the funnel limits were drawn, in plain words.
        limits_csv: The CSV holding the funnel's control limits.
    """

    measure_id: str
    title: str
    benchmark: str
    charts: tuple[ChartBlock, ...]
    note: str
    limits_csv: str | None = None


@dataclass(frozen=True)
class BenchmarkPage:
    """A page of the benchmarking appendix (two measures a page)."""

    page_id: str
    items: tuple[BenchmarkItem, ...]


@dataclass(frozen=True)
class PartDivider:
    """The page that opens part 1 (national) or part 2 (local)."""

    part: Literal["national", "local"]
    number: int
    title: str
    subtitle: str


@dataclass(frozen=True)
class MappingEntry:
    """A national priority and the local area of focus it supports."""

    national: str
    local: str


@dataclass(frozen=True)
class QualityNote:
    """A data-quality warning about figures the report uses."""

    area: str
    period: str
    offence: str
    kind: str
    message: str


@dataclass(frozen=True)
class MethodSection:
    """A heading and its paragraphs (plain text) in the method note."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """The whole report, ready to render to HTML (and from it, PDF).

    Attributes:
        force: The force's name.
        title: The report title, e.g. "Performance Report".
        period_label: "Quarter ending June 2022 (Q1 2022/23)".
        window_label: "12 months to June 2022".
        version: The project's version, e.g. "v2".
        cover: Markdown shown on the cover.
        glossary: (term, definition) pairs, definition in Markdown.
        parts: The two part dividers.
        pages: Priority pages in order (national first).
        mapping: National priorities against local areas of focus.
        method: The method note's sections.
        quality: Data-quality warnings about the figures used.
        tables: Every table and chart's data by CSV path (relative to the output folder).
        benchmark_pages: The benchmarking appendix: ranking and funnel plot of every
            benchmarked recorded-crime measure, two measures a page.
    """

    force: str
    title: str
    period_label: str
    window_label: str
    version: str
    cover: str
    glossary: tuple[tuple[str, str], ...]
    parts: tuple[PartDivider, ...]
    pages: tuple[PriorityPage, ...]
    mapping: tuple[MappingEntry, ...]
    method: tuple[MethodSection, ...]
    quality: tuple[QualityNote, ...]
    tables: dict[str, pl.DataFrame]
    benchmark_pages: tuple[BenchmarkPage, ...] = ()

    def pages_in(self, part: str) -> tuple[PriorityPage, ...]:
        """The priority pages of one part, in order."""
        return tuple(p for p in self.pages if p.part == part)
