"""ReportData: everything a renderer needs, already decided; renderers only lay it out.

Built by `policeperf.report.build.assemble` from a `MeasuresReport` and a `Project`. Texts that
analysts write (actions, comments, cover) stay Markdown here; the HTML renderer turns them into
safe HTML. Numbers are already formatted: a renderer never computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

Direction = Literal["up", "down", "flat", "none"]


@dataclass(frozen=True)
class TableDescription:
    """What a CSV holds, for data/datapackage.json.

    Attributes:
        title: A short title, e.g. "Homicide: 12-month rolling rate".
        description: One or two sentences: what a row is, where the figures come from.
        columns: Column name -> what it holds, with its unit ("rate per 1,000 residents").
    """

    title: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)
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

    ``title`` is the honest title (a stand-in says so). ``change_text`` is the change on a year
    earlier printed under the trend word ("down 2.5 points on a year earlier, significant"), so
    that the two read together. ``note_refs`` are 1-based numbers of the page's ``notes`` (its
    caveats and any note on why the trend word and the change seem to disagree, printed as
    footnotes under the table so that rows stay one or two lines tall).
    """

    measure_id: str
    title: str
    value_text: str
    trend: TrendCell
    benchmark: str
    caveats: tuple[str, ...] = ()
    note_refs: tuple[int, ...] = ()
    change_text: str = ""


@dataclass(frozen=True)
class ChartBlock:
    """A rendered chart with the CSV file holding its data.

    ``notes`` are printed under the chart, e.g. a point a data-quality warning covers or the
    periods a gap leaves out. ``size`` is the `ChartSize` it was drawn at (its printed width).
    """

    chart_id: str
    title: str
    svg: str
    alt_text: str
    csv_path: str
    full_width: bool = False
    notes: tuple[str, ...] = ()
    size: str = "half"


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
    illustrative_files: tuple[str, ...] = ()


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


Mark = Literal["better", "similar", "worse", "none"]


@dataclass(frozen=True)
class OverviewRow:
    """One measure on the overview page.

    Attributes:
        priority: The priority's title (its page).
        page_id: The priority page the measure is on.
        measure_id: The measure.
        title: The honest title (a stand-in says so).
        value_text: The latest value with its unit.
        change_text: The change on a year earlier: "up 6.9%", "down 2.5 points", "no change",
            "Not available".
        significance: "significant", "not significant", "not tested" or "".
        change_tone: good / bad for a significant change by the measure's polarity, else
            neutral.
        trend: The trend word and arrow.
        benchmark: The benchmark text.
        mark: Better, similar or worse than the peer group (or national) by polarity.
        mark_text: The mark in words: "Better", "Similar", "Worse", "No comparison".
        illustrative: The figures come from a file marked illustrative.
        note_refs: 1-based numbers of the overview's notes.
        group_rows: On the first row of a priority, how many rows the priority has (0 on
            the others): the priority cell spans them.
        benchmark_short: The benchmark in a few words for the overview ("7th/8 MSG, higher").
    """

    priority: str
    page_id: str
    measure_id: str
    title: str
    value_text: str
    change_text: str
    significance: str
    change_tone: Tone
    trend: TrendCell
    benchmark: str
    mark: Mark
    mark_text: str
    illustrative: bool = False
    note_refs: tuple[int, ...] = ()
    group_rows: int = 0
    benchmark_short: str = ""


@dataclass(frozen=True)
class QuarterChange:
    """Something that moved since the previous quarter: a rank, a word or an SPC signal.

    Attributes:
        page_id: The priority page of the measure.
        measure_id: The measure.
        title: The honest title.
        what: "MSG rank", "Comparison with the MSG", "Trend / outlook" or "SPC signal".
        before: The previous quarter's text ("5th/8", "Stable", "common cause").
        now: This quarter's text.
        illustrative: The measure's figures come from a file marked illustrative.
    """

    page_id: str
    measure_id: str
    title: str
    what: str
    before: str
    now: str
    illustrative: bool = False


@dataclass(frozen=True)
class Overview:
    """The overview page: every measure of the report, and what moved since last quarter.

    Attributes:
        rows: Every measure of the report, in page order.
        changes: What moved since the previous quarter (empty when nothing did).
        previous_label: The quarter compared with, e.g. "Quarter ending March 2022".
        compared: False when the previous quarter could not be computed (``previous_note``
            says why).
        notes: Footnotes of the table.
        csv_path: The table's CSV.
        changes_csv_path: The changes' CSV.
        previous_note: Why there is no comparison with the previous quarter, if there is none.
    """

    rows: tuple[OverviewRow, ...]
    changes: tuple[QuarterChange, ...]
    previous_label: str
    compared: bool
    notes: tuple[str, ...]
    csv_path: str
    changes_csv_path: str
    previous_note: str = ""


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
        overview: The overview page (every measure in one table, and what moved since the
            previous quarter).
        descriptions: What each CSV in ``tables`` holds: (title, description, {column:
            description with its unit}); written to data/datapackage.json.
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
    overview: Overview | None = None
    descriptions: dict[str, TableDescription] = field(default_factory=dict)
    peer_group_computed: bool = False
    """The peer group is computed (similar forces), not an official MSG: pages say so."""

    def pages_in(self, part: str) -> tuple[PriorityPage, ...]:
        """The priority pages of one part, in order."""
        return tuple(p for p in self.pages if p.part == part)
