"""The benchmarking appendix: for every benchmarked recorded-crime measure the report shows, the
MSG ranking (the 8 forces sorted, the force highlighted) beside a funnel plot of all 43 forces.

Two measures a page, so the charts stay legible without crowding the priority pages. The funnel's
control limits come from the results (`compute/funnel.py`); this module only reshapes.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from policeperf.render.charts import ChartSize
from policeperf.report.charts import (
    ChartContext,
    ChartDataError,
    build_chart,
    funnel_limits_frame,
)
from policeperf.report.data import BenchmarkItem, BenchmarkPage, ChartBlock
from policeperf.report.model import ChartConfig
from policeperf.report.numbers import benchmark_cell, honest
from policeperf.results import MeasureResult

__all__ = ["PER_PAGE", "benchmark_pages", "benchmarked"]

PER_PAGE = 2


def benchmarked(results: Sequence[MeasureResult]) -> list[MeasureResult]:
    """Recorded-crime rates with an MSG benchmark or funnel limits, in the order given."""
    return [r for r in results
            if r.kind == "recorded_crime_rate" and r.value is not None
            and (r.peers or r.funnel is not None)]


def _item(result: MeasureResult, ctx: ChartContext, window: str,
          tables: dict[str, pl.DataFrame]) -> BenchmarkItem:
    result = honest(result)
    charts: list[ChartBlock] = []
    notes: list[str] = []
    specs = (
        ("ranking", "peer_ranking", f"{_group_name(ctx)} ranking, {window}"),
        ("funnel", "funnel_plot", f"All forces, {window}"),
    )
    for suffix, kind, title in specs:
        config = ChartConfig(kind=kind, measure=result.id, title=title, size="half")
        try:
            chart = build_chart(config, [result], ctx, ChartSize.APPENDIX)
        except ChartDataError as exc:
            notes.append(f"{title}: not drawn ({exc}).")
            continue
        csv = f"data/benchmarks-{result.id}-{suffix}.csv"
        tables[csv] = chart.data
        charts.append(ChartBlock(f"benchmarks-{result.id}-{suffix}", chart.title, chart.svg,
                                 chart.alt_text, csv, notes=chart.notes,
                                 size=ChartSize.APPENDIX.value))
    limits_csv = None
    if result.funnel is not None:
        limits_csv = f"data/benchmarks-{result.id}-funnel-limits.csv"
        tables[limits_csv] = funnel_limits_frame(result)
        notes.append(result.funnel.describe())
    return BenchmarkItem(result.id, result.display_title, benchmark_cell(result), tuple(charts),
                         " ".join(notes), limits_csv)


def _group_name(ctx: ChartContext) -> str:
    """"MSG", or "Similar forces (computed)" for a computed group."""
    return ctx.peer_label.removesuffix(" average")


def benchmark_pages(
    results: Sequence[MeasureResult], force: str | ChartContext, window: str,
    tables: dict[str, pl.DataFrame]
) -> tuple[BenchmarkPage, ...]:
    """The appendix pages; their charts' data are added to ``tables``."""
    ctx = force if isinstance(force, ChartContext) else ChartContext(force)
    items = [_item(r, ctx, window, tables) for r in benchmarked(results)]
    return tuple(
        BenchmarkPage(f"benchmarks-{n // PER_PAGE + 1}", tuple(items[n:n + PER_PAGE]))
        for n in range(0, len(items), PER_PAGE)
    )
