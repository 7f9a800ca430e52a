"""Build the national summary: every force ranked on every benchmarked measure.

``build_national`` writes, in its folder (``DIR/national/`` under ``report --all-forces``):
``summary.html`` (self-contained), ``summary.pdf`` and the CSVs ``national-ranks.csv``,
``rank-history.csv`` and ``funnel-limits.csv``. Figures come from
:func:`policeperf.report.national_data.national_frame`, ranks from
:mod:`policeperf.compute.national_ranks`. Method: docs/national.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from policeperf.compute.groups import no_group_reason, peer_groups_in_force
from policeperf.compute.national_ranks import MeasureRanking, NationalSummary, national_rankings
from policeperf.definitions.model import Catalogue
from policeperf.reference.areas import forces
from policeperf.render.charts.national import national_funnel, rank_small_multiples
from policeperf.render.national import render_national_html
from policeperf.report.build import Progress, build_all
from policeperf.report.data import ChartBlock
from policeperf.report.national_data import national_frame
from policeperf.report.national_view import (
    BASIS,
    MeasurePage,
    NationalView,
    labels,
    left_out_forces,
    method_note,
    overview_rows,
    summary_tables,
)
from policeperf.report.period import parse_period
from policeperf.results import MeasuresReport
from policeperf.warehouse.store import Warehouse

__all__ = [
    "NationalOutput",
    "NationalPack",
    "build_national",
    "build_national_pack",
    "forces_left_out",
    "national_view",
]


@dataclass(frozen=True)
class NationalOutput:
    """What `build_national` wrote."""

    html: Path
    pdf: Path | None
    csv_files: tuple[Path, ...]
    summary: NationalSummary


def _decimals(m: MeasureRanking) -> int:
    """Decimals that tell the forces apart: 3, or more for rare offences (homicide)."""
    values = [abs(r.figure.value) for r in m.ranked if r.figure.value]
    return 4 if values and max(values) < 0.1 else 3


def _denominator_title(unit: str) -> str:
    return "Households" if "household" in unit else "Resident population"


def _block(chart_id: str, chart: Any, csv: str, notes: tuple[str, ...] = ()) -> ChartBlock:
    return ChartBlock(chart_id, chart.title, chart.svg, chart.alt_text, csv, True, notes)


def _page(m: MeasureRanking, charts: bool) -> MeasurePage:
    decimals = _decimals(m)
    notes = tuple(f"{r.figure.name}: not ranked, {r.figure.excluded}" for r in m.left_out)
    if not charts:
        return MeasurePage(m, decimals, None, None, notes)
    funnel = None
    if m.funnel is not None and m.national_value is not None:
        points = pl.DataFrame(
            [{"force": r.figure.name, "denominator": r.figure.denominator,
              "value": r.figure.value, "band": r.band or "within 95%"} for r in m.ranked
             if r.figure.denominator],
            schema={"force": pl.Utf8, "denominator": pl.Float64, "value": pl.Float64,
                    "band": pl.Utf8})
        limits = pl.DataFrame({"denominator": m.funnel.denominators,
                               "lower95": m.funnel.lower95, "upper95": m.funnel.upper95,
                               "lower998": m.funnel.lower998, "upper998": m.funnel.upper998})
        chart = national_funnel(points, limits, centre=m.national_value,
                                title=f"{m.title}: every force, 12 months to "
                                      f"{m.period_end:%B %Y}",
                                x_title=_denominator_title(m.unit),
                                y_title=f"Rate {m.unit}", decimals=decimals)
        funnel = _block(f"{m.measure_id}-funnel", chart, "national-ranks.csv")
    multiples = None
    if m.history:
        history = pl.DataFrame(
            [{"force": p.name, "period_end": p.period_end, "rank": p.rank, "of": p.of}
             for p in m.history],
            schema={"force": pl.Utf8, "period_end": pl.Date, "rank": pl.Int64, "of": pl.Int64})
        order = [r.figure.name for r in m.ranked]
        order += sorted(set(history["force"].to_list()) - set(order))
        chart = rank_small_multiples(
            history, order=order, size_of=max(p.of for p in m.history),
            title=f"{m.title}: national rank at each quarter end (1 = best), forces in "
                  "order of the latest rank")
        multiples = _block(f"{m.measure_id}-ranks", chart, "rank-history.csv")
    return MeasurePage(m, decimals, funnel, multiples, notes)


def national_view(summary: NationalSummary, *, charts: bool = True) -> NationalView:
    """The summary ready to render (``charts=False`` leaves the charts out, for quick checks)."""
    period_label, window = labels(summary)
    return NationalView(
        title="National summary: every force ranked",
        period_label=period_label,
        window_label=window,
        basis=BASIS,
        pages=tuple(_page(m, charts) for m in summary.rankings),
        overview=overview_rows(summary),
        left_out=left_out_forces(summary),
        method=method_note(summary),
        csv_files=tuple(summary_tables(summary)),
    )


def build_national(
    warehouse: Any,
    period: dt.date | str,
    out_dir: Path | str,
    *,
    pdf: bool = True,
    reports: Sequence[MeasuresReport] | None = None,
    catalogue: Catalogue | None = None,
    quarters: int = 8,
) -> NationalOutput:
    """Rank every force on every benchmarked measure and write the summary.

    Args:
        warehouse: The warehouse (read only when ``reports`` is None).
        period: The quarter end.
        out_dir: Folder for ``summary.html``, ``summary.pdf`` and the CSVs.
        pdf: Also print the PDF.
        reports: Every force's results for the period when already computed (``report
            --all-forces`` passes those of the forces' reports); computed when None.
        catalogue: The measure catalogue (the shipped one by default).
        quarters: Quarter ends in the rank history.
    """
    end = parse_period(period) if isinstance(period, str) else period
    frame = national_frame(warehouse, end, reports=reports, catalogue=catalogue,
                           quarters=quarters)
    summary = national_rankings(frame, end, quarters=quarters)
    view = national_view(summary)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html = out / "summary.html"
    html.write_text(render_national_html(view), encoding="utf-8")
    csv_files = []
    for name, table in summary_tables(summary).items():
        table.write_csv(out / name)
        csv_files.append(out / name)
    pdf_path = None
    if pdf:
        from policeperf.render.pdf import html_to_pdf

        pdf_path = html_to_pdf(render_national_html(view, images=True), out / "summary.pdf")
    return NationalOutput(html, pdf_path, tuple(csv_files), summary)


@dataclass(frozen=True)
class NationalPack:
    """What `build_national_pack` wrote: a report per force and the national summary."""

    folders: tuple[Path, ...]
    national: NationalOutput
    left_out: tuple[tuple[str, str], ...]


def forces_left_out(warehouse: Any = None) -> tuple[tuple[str, str], ...]:
    """Forces that get no report in the pack, with the reason: those without a peer group
    (City of London), which cannot be benchmarked."""
    groups = peer_groups_in_force(warehouse)
    return tuple((a.name, no_group_reason(a.code)) for a in forces() if a.code not in groups)


def build_national_pack(
    out_dir: Path | str,
    *,
    period: dt.date | str,
    db: Path | str,
    forces_: Sequence[str] | None = None,
    workers: int = 2,
    pdf: bool = True,
    progress: Progress | None = None,
) -> NationalPack:
    """Every benchmarked force's report, in parallel, then the national summary.

    Args:
        out_dir: Parent folder: ``<force>-<period>/`` per force and ``national/``.
        period: The quarter end.
        db: The warehouse file (opened read-only).
        forces_: Forces to report on (default: every force with a peer group, 42); the
            summary still ranks every force.
        workers: Processes for the force reports.
        pdf: Also print PDFs.
        progress: Called with (what, done, total) as each report is finished, the summary
            counting as the last step.
    """
    results: list[MeasuresReport] = []
    total: list[int] = []

    def step(force: str, done: int, count: int) -> None:
        total[:] = [count + 1]
        if progress is not None:
            progress(force, done, count + 1)

    folders = build_all(forces_, out_dir, period=period, db=db, workers=workers, pdf=pdf,
                        progress=step, results=results)
    order = {a.name: i for i, a in enumerate(forces())}
    results.sort(key=lambda r: order.get(r.force, len(order)))
    with Warehouse(db, read_only=True) as warehouse:
        national = build_national(warehouse, period, Path(out_dir) / "national", pdf=pdf,
                                  reports=results)
        left_out = forces_left_out(warehouse)
    if progress is not None and total:
        progress("national summary", total[0], total[0])
    return NationalPack(tuple(folders), national, left_out)
