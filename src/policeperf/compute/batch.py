"""The one pass: every measure of the catalogue for every force and period, as tables.

:func:`compute_all` returns :class:`BatchTables`, the rows the results store keeps
(compute/batch_rows.py says what each table holds). Recorded crime measures (rates and counts
from ONS, offence-code and data.police.uk sources) are computed for every force and period at
once from whole tables by :mod:`policeperf.compute.batch_crime`. Force-held measures, whose
figures come from a force's own file, run through the per-force kind functions with one cache
shared by the whole pass, so every source table is read once (:func:`loop_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute import sources
from policeperf.compute.batch_crime import crime_rows, is_crime_measure
from policeperf.compute.batch_rows import (
    MEASURE_COLUMNS,
    MEASURE_SCHEMA,
    SERIES_SCHEMA,
    VALUES_SCHEMA,
    result_rows,
)
from policeperf.compute.common import unavailable
from policeperf.compute.context import Context, Settings
from policeperf.compute.engine import compute_measure
from policeperf.definitions.model import Catalogue, Measure, SourceKind
from policeperf.reference.areas import Area, forces
from policeperf.reference.peer_groups import PeerGroup

__all__ = ["BatchTables", "compute_all", "loop_rows", "warehouse_periods"]

Progress = Callable[[str, int, int], None]


@dataclass
class BatchTables:
    """The pass's output: rows for ``results_measures``, ``results_series``, ``results_values``."""

    measures: list[dict[str, Any]] = field(default_factory=list)
    series: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)
    values: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)
    frames: list[pl.DataFrame] = field(default_factory=list)  # measure rows made as frames

    def measures_frame(self) -> pl.DataFrame:
        """Every result row as one frame (columns in ``MEASURE_COLUMNS`` order)."""
        parts = [pl.DataFrame(self.measures, schema=MEASURE_SCHEMA, orient="row")
                 if self.measures else pl.DataFrame(schema=MEASURE_SCHEMA)]
        parts += [f.select(MEASURE_COLUMNS).cast(MEASURE_SCHEMA) for f in self.frames]  # type: ignore[arg-type]
        return pl.concat(parts, how="vertical")

    def series_frame(self) -> pl.DataFrame:
        """Every series point once (``SERIES_SCHEMA``)."""
        return pl.DataFrame([k + v for k, v in self.series.items()], schema=SERIES_SCHEMA,
                            orient="row")

    def values_frame(self) -> pl.DataFrame:
        """Every area's figure of each measure, variant and period once (``VALUES_SCHEMA``)."""
        return pl.DataFrame([k + v for k, v in self.values.items()], schema=VALUES_SCHEMA,
                            orient="row")


def warehouse_periods(warehouse: Any) -> tuple[date, ...]:
    """Every period end any source of the measures holds, oldest first."""
    con = sources.backend(warehouse)
    found: set[date] = set()
    for table, column in (("recorded_crime_current", "period_end"),
                          ("offence_code_crime_current", "period_end"),
                          ("force_series_current", "period_end")):
        t = con.table(table)
        found.update(t.select(column).distinct().to_polars()[column].to_list())
    street = con.table("street_crime_current").select("month").distinct().to_polars()
    if street.height:
        found.update(street.select(pl.col("month").dt.month_end())["month"].to_list())
    return tuple(sorted(d for d in found if d is not None))


def loop_rows(
    out: BatchTables,
    warehouse: Any,
    measures: Sequence[Measure],
    periods: Sequence[date],
    *,
    catalogue: Catalogue,
    groups: dict[str, PeerGroup],
    settings: Settings,
    areas: Sequence[Area] | None = None,
    cache: dict[tuple[str, ...], Any] | None = None,
    progress: Progress | None = None,
) -> None:
    """Results of ``measures`` by the per-force kind functions, with one cache for the pass."""
    con = sources.backend(warehouse)
    shared: dict[tuple[str, ...], Any] = {} if cache is None else cache
    order = {m.id: i for i, m in enumerate(catalogue.ordered())}
    loaded = _loaded_series(con, shared) if measures else set()
    # A force-held series not loaded for a force gives the same "not loaded" result every
    # period: made once per force and measure, its row copied with each period.
    not_loaded: dict[tuple[str, str], dict[str, Any]] = {}
    for done, period in enumerate(periods):
        for area in areas or forces():
            ctx = Context(con, area, period, groups.get(area.code), settings, catalogue, shared)
            for measure in measures:
                key = (measure.id, area.code)
                if key in not_loaded:
                    out.measures.append({**not_loaded[key], "period_end": period})
                    continue
                result = compute_measure(measure, ctx)
                if result.value is None and not result.caveats:
                    result = unavailable(measure, ctx, "No figure could be computed.")
                result_rows(out.measures, out.series, out.values, result, area.code,
                            order[measure.id])
                src = measure.sources[0] if measure.sources else None
                if (src is not None and src.kind == SourceKind.FORCE_SERIES
                        and (src.id, src.category, area.code) not in loaded):
                    not_loaded[key] = out.measures[-1]
        if progress is not None:
            progress("force-held measures", done + 1, len(periods))


def _loaded_series(con: Any, cache: dict[tuple[str, ...], Any]) -> set[tuple[str, Any, str]]:
    """(series, category, force) of every force-held series loaded for a force (or its CPS
    area), as compute/force_held.py looks them up."""
    every: pl.DataFrame = cache.get(("series",)) if ("series",) in cache else None  # type: ignore[assignment]
    if every is None:
        every = cache[("series",)] = sources.series_rows(con)
    if not every.height:
        return set()
    rows = every.filter(pl.col("comparator").is_in(["force", "cps_area"])).select(
        "series_id", "category", "area_code").unique()
    return set(rows.iter_rows())


def compute_all(
    warehouse: Any,
    *,
    catalogue: Catalogue,
    groups: dict[str, PeerGroup],
    settings: Settings,
    measures: Sequence[Measure] | None = None,
    periods: Sequence[date] | None = None,
    areas: Sequence[Area] | None = None,
    progress: Progress | None = None,
) -> BatchTables:
    """Every measure (or those given) for every force and period in the warehouse.

    Args:
        warehouse: A Warehouse or an Ibis backend holding the canonical tables.
        catalogue: The catalogue the measures come from (components are looked up in it).
        groups: The peer groups in force, by force code.
        settings: Engine settings.
        measures: The measures to compute; every catalogue measure when None.
        periods: The periods; every period in the warehouse when None.
        areas: The forces; every force when None.
        progress: Called with (stage, done, total).
    """
    chosen = list(measures if measures is not None else catalogue.ordered())
    ends = tuple(periods) if periods is not None else warehouse_periods(warehouse)
    out = BatchTables()
    if not ends:
        return out
    cache: dict[tuple[str, ...], Any] = {}
    order = {m.id: i for i, m in enumerate(catalogue.ordered())}
    crime = [(order[m.id], m) for m in chosen if is_crime_measure(m)]
    if crime:
        crime_rows(out.measures, out.series, out.values, sources.backend(warehouse), crime,
                   ends, areas=list(areas or forces()), catalogue=catalogue, groups=groups,
                   settings=settings, cache=cache)
        if progress is not None:
            progress("recorded crime measures", len(crime), len(chosen))
    rest = [m for m in chosen if not is_crime_measure(m)]
    loop_rows(out, warehouse, rest, ends, catalogue=catalogue, groups=groups,
              settings=settings, areas=areas, cache=cache, progress=progress)
    return out
