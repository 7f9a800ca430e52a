"""The store's functions (re-exported by :mod:`policeperf.store`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policeperf.compute.context import Settings
from policeperf.compute.periods import parse_period
from policeperf.definitions.model import Catalogue
from policeperf.errors import PolicePerfError
from policeperf.reference.areas import Area, resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import MeasuresReport
from policeperf.store.read import Freshness, freshness, read_report, resolve_inputs

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "BuildSummary",
    "build_results",
    "ensure_built",
    "measures_report",
    "measures_reports",
    "results_frame",
    "store_status",
]

Groups = dict[str, PeerGroup] | Path | None
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildSummary:
    """What :func:`build_results` did."""

    built: tuple[str, ...]  # measures recomputed
    kept: tuple[str, ...]  # measures whose stored results were still fresh
    periods: int
    rows: int
    seconds: float


def _force(force: str | Area) -> Area:
    return force if isinstance(force, Area) else resolve_area(force, kind="force")


def _period(period: date | str) -> date:
    return period if isinstance(period, date) else parse_period(period)


def store_status(warehouse: Any, *, catalogue: Catalogue | None = None,
                 peer_groups: Groups = None, settings: Settings | None = None) -> Freshness:
    """Which measures are stored under the inputs in force now, and which are stale."""
    cat, groups, cfg = resolve_inputs(warehouse, catalogue, peer_groups, settings)
    return freshness(warehouse, cat, groups, cfg)


def build_results(
    warehouse: Any,
    *,
    catalogue: Catalogue | None = None,
    peer_groups: Groups = None,
    settings: Settings | None = None,
    rebuild: bool = False,
    periods: Sequence[date] | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Run the one pass for the stale measures (every measure with ``rebuild``) and store it.

    Args:
        warehouse: A writable Warehouse (``open_warehouse(write=True)`` / ``access.writing``).
        catalogue: The catalogue (the shipped one by default).
        peer_groups: Groups by force code, or a peer-groups file; the groups in force otherwise.
        settings: Engine settings (defaults otherwise).
        rebuild: Recompute every measure even when its stored results are fresh.
        periods: Only these periods (tests and samples; a store holds every period in the
            warehouse otherwise). A reader asking for another period computes it.
        progress: Called with (stage, done, total).

    Raises:
        PolicePerfError: The warehouse was opened read-only.
    """
    if getattr(warehouse, "read_only", False):
        raise PolicePerfError("the results store is written by a writer: open the warehouse "
                              "for writing (policeperf commands do this themselves)")
    from policeperf.compute.batch import compute_all, warehouse_periods
    from policeperf.compute.groups import store_computed_groups
    from policeperf.store.tables import write_measures

    start = time.perf_counter()
    store_computed_groups(warehouse)  # readers check the store's fingerprint without them
    cat, groups, cfg = resolve_inputs(warehouse, catalogue, peer_groups, settings)
    state = freshness(warehouse, cat, groups, cfg)
    stale = tuple(state.wanted) if rebuild else state.stale
    kept = tuple(m for m in state.wanted if m not in stale)
    if not stale:
        return BuildSummary((), kept, 0, 0, time.perf_counter() - start)
    ends = tuple(periods) if periods is not None else warehouse_periods(warehouse)
    tables = compute_all(warehouse, catalogue=cat, groups=groups, settings=cfg,
                         measures=[cat.measure(m) for m in stale], periods=ends,
                         progress=progress)
    measures = tables.measures_frame()
    write_measures(warehouse.con, {m: state.wanted[m] for m in stale},
                   {"results_measures": measures, "results_series": tables.series_frame(),
                    "results_values": tables.values_frame()},
                   periods=len(ends), inputs=repr(state.inputs))
    return BuildSummary(stale, kept, len(ends), measures.height,
                        time.perf_counter() - start)


def ensure_built(path: Path, *, catalogue: Catalogue | None = None, peer_groups: Groups = None,
                 on_build: Callable[[], None] | None = None,
                 on_wait: Callable[[str], None] | None = None) -> bool:
    """Bring the store of the warehouse file at ``path`` up to date, with a write of its own
    when (and only when) it is stale. Returns True when it built.

    ``on_build`` is called before building (to tell the user why this run is slower).
    """
    from policeperf.warehouse.access import reading, writing

    with reading(path) as warehouse:
        if store_status(warehouse, catalogue=catalogue, peer_groups=peer_groups).fresh:
            return False
    with writing(path, on_wait=on_wait) as warehouse:
        if on_build is not None:
            on_build()
        build_results(warehouse, catalogue=catalogue, peer_groups=peer_groups)
    return True


def measures_report(
    warehouse: Any,
    force: str | Area,
    period: date | str,
    *,
    catalogue: Catalogue | None = None,
    peer_groups: Groups = None,
    settings: Settings | None = None,
) -> MeasuresReport:
    """Every catalogue measure for one force and period: from the store when it is fresh for
    these inputs, else computed in memory (the same answers; nothing is written)."""
    area, end = _force(force), _period(period)
    cat, groups, cfg = resolve_inputs(warehouse, catalogue, peer_groups, settings)
    if freshness(warehouse, cat, groups, cfg).fresh:
        found = read_report(warehouse, area, end, groups, cfg, cat)
        if found is not None:
            return found
    from policeperf.compute.engine import compute_measures

    return compute_measures(warehouse, area, end, catalogue=cat, peer_groups=groups,
                            settings=cfg)


def measures_reports(
    warehouse: Any,
    force: str | Area,
    periods: Sequence[date | str],
    *,
    catalogue: Catalogue | None = None,
    peer_groups: Groups = None,
    settings: Settings | None = None,
) -> list[MeasuresReport]:
    """:func:`measures_report` for several periods of one force (a report's quarter and the one
    before), in the order given: the store's freshness is checked once, and periods computed in
    memory share one set of warehouse reads (each is read once for all periods, as in the
    one-pass batch compute; the same answers as one call a period)."""
    area = _force(force)
    ends = [_period(p) for p in periods]
    cat, groups, cfg = resolve_inputs(warehouse, catalogue, peer_groups, settings)
    fresh = freshness(warehouse, cat, groups, cfg).fresh
    cache: dict[tuple[str, ...], Any] = {}
    out = []
    for end in ends:
        found = read_report(warehouse, area, end, groups, cfg, cat) if fresh else None
        if found is None:
            from policeperf.compute.engine import compute_measures

            found = compute_measures(warehouse, area, end, catalogue=cat, peer_groups=groups,
                                     settings=cfg, cache=cache)
        out.append(found)
    return out


def results_frame(
    warehouse: Any,
    *,
    force: str | Area | None = None,
    period: date | str | None = None,
    catalogue: Catalogue | None = None,
    peer_groups: Groups = None,
    settings: Settings | None = None,
) -> pl.DataFrame:
    """The results table: one row per force, period and measure (policeperf.store.frame).

    Args:
        warehouse: A Warehouse (read-only is enough).
        force: A force, or None / "all" for every force.
        period: A period end, or None / "all" for every period in the warehouse.
        catalogue: The catalogue (the shipped one by default).
        peer_groups: Groups by force code, or a peer-groups file.
        settings: Engine settings.
    """
    from policeperf.store.frame import table

    area = None if force is None or force == "all" else _force(force)
    end = None if period is None or period == "all" else _period(period)
    cat, groups, cfg = resolve_inputs(warehouse, catalogue, peer_groups, settings)
    return table(warehouse, area, end, cat, groups, cfg, freshness(warehouse, cat, groups, cfg))
