"""Read results back from the store: one force and period as a MeasuresReport, or a table.

Reads never write. :func:`freshness` says which measures' stored results match the inputs in
force now; a reader that finds any stale (or the store missing) computes in memory instead, the
slow way, and says nothing is wrong: ``policeperf measures`` and ``report`` bring the store up
to date first with a write of their own (:func:`policeperf.store.ensure_built`), and the
dashboard, which never writes, computes in memory until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from policeperf.compute.batch_rows import (
    JSON_FIELDS,
    SCALAR_FIELDS,
    from_json,
    interval_from,
    peers_from,
    provenance_from,
)
from policeperf.compute.common import annual_points
from policeperf.compute.context import Settings
from policeperf.compute.funnel import funnel_of
from policeperf.compute.spc import SpcResult, xmr_chart
from policeperf.definitions.model import Catalogue
from policeperf.reference.areas import Area, by_code
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import MeasureResult, MeasuresReport, PeerValue, SeriesPoint
from policeperf.store.fingerprint import inputs, measure_fingerprints
from policeperf.store.tables import stored_fingerprints

__all__ = ["Freshness", "freshness", "read_report", "resolve_inputs"]


@dataclass(frozen=True)
class Freshness:
    """Which measures' stored results match the inputs now (by fingerprint)."""

    wanted: dict[str, str]  # measure id -> fingerprint now
    stored: dict[str, str]  # measure id -> fingerprint stored
    inputs: dict[str, str]

    @property
    def stale(self) -> tuple[str, ...]:
        """Measures to recompute (new, changed or never stored), in report order."""
        return tuple(m for m, fp in self.wanted.items() if self.stored.get(m) != fp)

    @property
    def fresh(self) -> bool:
        """True when every measure is stored under today's inputs."""
        return not self.stale


def resolve_inputs(
    warehouse: Any,
    catalogue: Catalogue | None,
    peer_groups: dict[str, PeerGroup] | Path | None,
    settings: Settings | None,
) -> tuple[Catalogue, dict[str, PeerGroup], Settings]:
    """The catalogue, peer groups and settings in force (the engine's defaults)."""
    from policeperf.compute.groups import peer_groups_in_force
    from policeperf.definitions.load import default_catalogue

    cat = catalogue or default_catalogue()
    groups = (peer_groups if isinstance(peer_groups, dict)
              else peer_groups_in_force(warehouse, peer_groups))
    return cat, groups, settings or Settings()


def freshness(warehouse: Any, catalogue: Catalogue, groups: dict[str, PeerGroup],
              settings: Settings) -> Freshness:
    """Compare the stored fingerprints with those of the inputs now."""
    shared = inputs(warehouse, groups, settings)
    return Freshness(measure_fingerprints(catalogue, shared),
                     stored_fingerprints(warehouse.con), shared.as_dict())


def _rows(con: Any, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _spc(basis: str | None, points: Sequence[SeriesPoint], period: date, polarity: str,
         settings: Settings) -> SpcResult | None:
    """The XmR chart exactly as the kind functions draw it (compute/common.run_spc)."""
    if basis is None:
        return None
    pairs = [(p.period_end, p.value) for p in points]
    if basis == "annual":
        pairs = annual_points(pairs, period)
    usable = [(d, v) for d, v in pairs if d <= period]
    if not any(v is not None for _, v in usable):
        return None
    return xmr_chart(usable, polarity, settings.spc)  # type: ignore[arg-type]


def build_result(
    row: dict[str, Any], series: dict[tuple[str, str, str], list[SeriesPoint]],
    values: dict[tuple[str, str], list[dict[str, Any]]], force_code: str, settings: Settings,
) -> MeasureResult:  # fmt: skip
    """A MeasureResult from its stored row and the shared points."""
    period: date = row["period_end"]
    fields = {name: row[name] for name in SCALAR_FIELDS}
    variant = row["variant"]
    points = tuple(p for p in series.get((row["id"], variant, "series"), ())
                   if p.period_end <= period)
    period_values = tuple(p for p in series.get((row["id"], variant, "period"), ())
                          if p.period_end <= period)
    all_forces: tuple[PeerValue, ...] = ()
    if row["all_forces"]:
        all_forces = tuple(
            PeerValue(v["area_code"], by_code(v["area_code"]).name, v["count"],
                      v["denominator"], v["value"], None, v["area_code"] == force_code)
            for v in values.get((row["id"], variant), ()))
    funnel = funnel_of(all_forces, force_code, row["national_value"]) if row["funnel"] else None
    basis_points = period_values if row["spc_basis"] == "period" else points
    return MeasureResult(
        **fields,
        caveats=tuple(from_json(row["caveats"]) or ()),
        sources=tuple(from_json(row["sources"]) or ()),
        peers=peers_from(row["peers"]),
        provenance=provenance_from(row["provenance"]),
        interval=interval_from(row["interval"]),
        series=points,
        period_values=period_values,
        spc=_spc(row["spc_basis"], basis_points, period, row["polarity"], settings),
        all_forces=all_forces,
        funnel=funnel,
    )


def read_report(
    warehouse: Any, area: Area, period: date, groups: dict[str, PeerGroup], settings: Settings,
    catalogue: Catalogue,
) -> MeasuresReport | None:  # fmt: skip
    """One force and period from a fresh store; None when the store does not hold that period
    (then the caller computes it)."""
    from policeperf.compute.groups import report_caveats
    from policeperf.reference.areas import forces

    con = warehouse.con
    order = {m.id: i for i, m in enumerate(catalogue.ordered())}
    columns = ", ".join(["force_code", "variant", "spc_basis", "all_forces", "funnel",
                         *SCALAR_FIELDS, *JSON_FIELDS])
    rows = _rows(con, f"SELECT {columns} FROM results_measures WHERE force_code = ? AND "
                 "period_end = ?", [area.code, period])
    rows = [r for r in rows if r["id"] in order]  # a measure since removed is still stored
    if len(rows) != len(order):
        return None
    rows.sort(key=lambda r: order.get(r["id"], len(order)))
    series: dict[tuple[str, str, str], list[SeriesPoint]] = {}
    for r in _rows(con, "SELECT measure_id, variant, part, period_end, value, peer_average, "
                   "national, count, denominator FROM results_series WHERE force_code = ? AND "
                   "period_end <= ? ORDER BY measure_id, variant, part, period_end",
                   [area.code, period]):
        series.setdefault((r["measure_id"], r["variant"], r["part"]), []).append(SeriesPoint(
            r["period_end"], r["value"], r["peer_average"], r["national"], r["count"],
            r["denominator"]))
    force_codes = {f.code for f in forces()}
    values: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in _rows(con, "SELECT measure_id, variant, area_code, count, denominator, value FROM "
                   "results_values WHERE period_end = ? ORDER BY measure_id, variant, area_code",
                   [period]):
        if r["area_code"] in force_codes:
            values.setdefault((r["measure_id"], r["variant"]), []).append(r)
    group = groups.get(area.code)
    return MeasuresReport(
        force=area.name,
        force_code=area.code,
        period_end=period,
        peer_group=tuple(by_code(c).name for c in group.member_codes) if group else (area.name,),
        measures=tuple(build_result(r, series, values, area.code, settings) for r in rows),
        settings=settings.to_dict(),
        caveats=report_caveats(area, group),
        peer_group_kind=group.kind if group else None,
        peer_group_source=group.source if group else None,
    )
