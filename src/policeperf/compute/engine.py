"""The measures engine: one compute function per measure kind, and :func:`compute_measures`.

``KIND_TO_FUNCTION`` maps each :class:`~policeperf.definitions.model.MeasureKind` to the function
that computes it. A measure whose first source is a force series goes to the force-held function
whatever its kind (a count of drug disruptions and a count of Action Fraud referrals differ only
in where the figures come from).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from policeperf.compute import sources
from policeperf.compute.common import unavailable
from policeperf.compute.context import Context, Settings
from policeperf.compute.crime import compute_count, compute_rate
from policeperf.compute.force_held import compute_force_held
from policeperf.compute.groups import peer_groups_in_force, report_caveats
from policeperf.compute.periods import parse_period
from policeperf.definitions.load import default_catalogue
from policeperf.definitions.model import Catalogue, Measure, MeasureKind, SourceKind
from policeperf.reference.areas import Area, resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import MeasureResult, MeasuresReport

__all__ = [
    "KIND_TO_FUNCTION",
    "Settings",
    "compute_measure",
    "compute_measures",
    "report_caveats",
]

KindFunction = Callable[[Measure, Context], MeasureResult]


def _count(measure: Measure, ctx: Context) -> MeasureResult:
    if measure.sources and measure.sources[0].kind == SourceKind.FORCE_SERIES:
        return compute_force_held(measure, ctx)
    return compute_count(measure, ctx)


KIND_TO_FUNCTION: dict[MeasureKind, KindFunction] = {
    MeasureKind.RECORDED_CRIME_RATE: compute_rate,
    MeasureKind.COUNT: _count,
    MeasureKind.SURVEY_PROPORTION: compute_force_held,
    MeasureKind.PROPORTION: compute_force_held,
    MeasureKind.DURATION: compute_force_held,
    MeasureKind.DIFFERENCE_VS_NATIONAL: compute_force_held,
}


def compute_measure(measure: Measure, ctx: Context) -> MeasureResult:
    """One measure; never raises for missing data (value None and a caveat instead)."""
    try:
        func = KIND_TO_FUNCTION[measure.kind]
    except KeyError:
        valid = ", ".join(k.value for k in KIND_TO_FUNCTION)
        message = f"no compute function for kind {measure.kind!r}; registered: {valid}"
        raise ValueError(message) from None
    return func(measure, ctx)


def _force(force: str | Area) -> Area:
    return force if isinstance(force, Area) else resolve_area(force, kind="force")


def _period(period_end: date | str) -> date:
    return period_end if isinstance(period_end, date) else parse_period(period_end)


def compute_measures(
    warehouse: Any,
    force: str | Area,
    period_end: date | str,
    *,
    catalogue: Catalogue | None = None,
    peer_groups: dict[str, PeerGroup] | Path | None = None,
    settings: Settings | None = None,
    cache: dict[tuple[str, ...], Any] | None = None,
) -> MeasuresReport:
    """Every measure of the catalogue for one force and period.

    Args:
        warehouse: A :class:`~policeperf.warehouse.Warehouse` (or an Ibis backend holding the
            canonical tables).
        force: Any name, alias or ONS code of one of the 43 forces ("Avon & Somerset",
            "E23000036").
        period_end: The period's last day, or text such as "2022-06" or "2022/23 Q1".
        catalogue: Measures to compute; the shipped catalogue by default.
        peer_groups: Groups by force code (used as given), or a peer-groups file; otherwise the
            groups in force (:func:`policeperf.compute.groups.peer_groups_in_force`: your file,
            the warehouse's imported groups, the shipped ones, then computed groups).
        settings: Benchmark, trend and SPC settings; defaults as documented in docs/measures.md.
        cache: The warehouse reads of an earlier call on the same warehouse and settings, to
            reuse (a report computes this quarter and the one before: every cached frame holds
            every period and area, as in the one-pass batch compute, so the second call reads
            nothing again). A new one when None.

    Returns:
        One result per catalogue measure, in report order; none is dropped.
    """
    area = _force(force)
    end = _period(period_end)
    cat = catalogue or default_catalogue()
    groups = (peer_groups if isinstance(peer_groups, dict)
              else peer_groups_in_force(warehouse, peer_groups))
    cfg = settings or Settings()
    ctx = Context(sources.backend(warehouse), area, end, groups.get(area.code), cfg, cat,
                  {} if cache is None else cache)
    caveats = report_caveats(area, ctx.group)
    results = []
    for measure in cat.ordered():
        result = compute_measure(measure, ctx)
        if result.value is None and not result.caveats:
            result = unavailable(measure, ctx, "No figure could be computed.")
        results.append(result)
    return MeasuresReport(
        force=area.name,
        force_code=area.code,
        period_end=end,
        peer_group=ctx.member_names() if ctx.group else (area.name,),
        measures=tuple(results),
        settings=cfg.to_dict(),
        caveats=caveats,
        peer_group_kind=ctx.group.kind if ctx.group else None,
        peer_group_source=ctx.group.source if ctx.group else None,
    )
