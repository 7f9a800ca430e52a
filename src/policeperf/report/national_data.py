"""Every measure for every force, as one long frame: the national summary's one door to results.

:func:`national_frame` is the only place the national summary gets its figures. Today it runs
the per-force engine (:func:`policeperf.compute.engine.compute_measures`, one force at a time)
or takes the results that ``report --all-forces`` already computed for the forces' own
reports. When the results store (``policeperf.store.results_frame``, issue 10) is on main, the
body of :func:`_results` becomes ``results_frame(warehouse, force="all", period=period)``
turned into the same columns, and nothing else changes.

Rows (columns :data:`policeperf.compute.national_ranks.NATIONAL_COLUMNS`):

- at the period, one row per benchmarked measure and force, the force's figure as its own
  report prints it, with its own peer-group rank label (``peer_label``); forces whose report
  was not computed (e.g. City of London, which has no peer group and so no benchmarked
  report) come from the ``all_forces`` figures of a computed report, which the same engine
  makes for every force;
- at each of the earlier quarter ends of the rank history, every force's figure from one
  pass of the engine's rate functions (:func:`policeperf.compute.national_figures.force_rates`,
  the same source as the first report's), so the history covers every force whichever reports
  were computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl

from policeperf.compute.crime import FUNNEL_EXCLUDED
from policeperf.compute.engine import compute_measures
from policeperf.compute.groups import peer_groups_in_force
from policeperf.compute.national_figures import force_rates
from policeperf.compute.national_ranks import NATIONAL_COLUMNS
from policeperf.definitions.load import default_catalogue
from policeperf.definitions.model import Catalogue, MeasureKind
from policeperf.reference.areas import forces
from policeperf.report.period import parse_period
from policeperf.results import MeasureResult, MeasuresReport

__all__ = ["national_frame", "ranked_forces"]


def ranked_forces(warehouse: Any = None) -> list[str]:
    """Names of the forces that get a report and a peer-group label: all with a peer group
    (every force but City of London)."""
    groups = peer_groups_in_force(warehouse)
    return [a.name for a in forces() if a.code in groups]


def _results(warehouse: Any, period: dt.date, catalogue: Catalogue | None,
             force_names: Sequence[str] | None) -> list[MeasuresReport]:
    """Every measure for every force: the per-force engine, one force after another."""
    groups = peer_groups_in_force(warehouse)
    names = force_names if force_names is not None else ranked_forces(warehouse)
    return [compute_measures(warehouse, name, period, catalogue=catalogue, peer_groups=groups)
            for name in names]


def _row(m: MeasureResult, code: str, name: str, period: dt.date, value: float | None,
         count: float | None, denominator: float | None, national: float | None,
         peer_label: str | None, excluded: str | None) -> dict[str, Any]:
    return {"measure_id": m.id, "title": m.title, "unit": m.unit, "polarity": m.polarity,
            "source_used": m.source_used, "stand_in": m.stand_in, "area_code": code,
            "force": name, "period_end": period, "value": value, "count": count,
            "denominator": denominator, "national_value": national, "peer_label": peer_label,
            "excluded": excluded}


def _own_rows(reports: Sequence[MeasuresReport], period: dt.date) -> list[dict[str, Any]]:
    """The period's figure of each computed force, with its own peer-group label."""
    rows: list[dict[str, Any]] = []
    for report in reports:
        why = FUNNEL_EXCLUDED.get(report.force_code)
        rows.extend(_row(m, report.force_code, report.force, period, m.value, m.count,
                         m.denominator, m.national_value, m.benchmark_text, why)
                    for m in report.measures
                    if m.period_end == period and _is_ranked_measure(m))
    return rows


def _all_forces_rows(reports: Sequence[MeasuresReport], period: dt.date,
                     done: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every force's figure at the period from ``all_forces``, skipping (measure, force)
    pairs already in ``done``."""
    rows: list[dict[str, Any]] = []
    for report in reports:
        for m in report.measures:
            if m.period_end != period or not _is_ranked_measure(m):
                continue
            for f in m.all_forces:
                if (m.id, f.area_code) in done:
                    continue
                done.add((m.id, f.area_code))
                why = FUNNEL_EXCLUDED.get(f.area_code) or (
                    None if f.value is not None else "no figure for this period")
                rows.append(_row(m, f.area_code, f.name, period, f.value, f.count,
                                 f.denominator, m.national_value, None, why))
    return rows


def _earlier_quarters(reports: Sequence[MeasuresReport], period: dt.date,
                      count: int) -> list[dt.date]:
    """The last ``count`` quarter ends before the period that the forces' series have."""
    ends = {p.period_end for r in reports[:1] for m in r.measures if _is_ranked_measure(m)
            for p in m.series if p.period_end < period and p.period_end.month in (3, 6, 9, 12)}
    return sorted(ends)[-count:] if count > 0 else []


def _is_ranked_measure(m: MeasureResult) -> bool:
    """A benchmarked recorded crime rate: every force's figure is known and a funnel plot is
    drawn (the catalogue's ``benchmark`` is not ``none``)."""
    return (m.kind == MeasureKind.RECORDED_CRIME_RATE.value and bool(m.all_forces)
            and m.funnel is not None)


def national_frame(
    warehouse: Any,
    period: dt.date | str,
    *,
    reports: Sequence[MeasuresReport] | None = None,
    catalogue: Catalogue | None = None,
    force_names: Sequence[str] | None = None,
    quarters: int = 8,
) -> pl.DataFrame:
    """Every benchmarked measure for every force, at the period and before it.

    Args:
        warehouse: The warehouse (used only when ``reports`` is None).
        period: The quarter end ranked.
        reports: Results already computed for the period (e.g. by ``report --all-forces``);
            computed here, force by force, when None.
        catalogue: The measure catalogue (the shipped one by default).
        force_names: Forces to compute when ``reports`` is None (default: every force with a
            peer group); the period's figures of the others still come from ``all_forces``.
        quarters: Quarter ends of figures, the period included (for the rank history).

    Returns:
        A frame with :data:`~policeperf.compute.national_ranks.NATIONAL_COLUMNS`.
    """
    end = parse_period(period) if isinstance(period, str) else period
    if reports is None:
        reports = _results(warehouse, end, catalogue, force_names)
    rows = _own_rows(reports, end)
    rows += _all_forces_rows(reports, end, {(r["measure_id"], r["area_code"]) for r in rows})
    frame = pl.DataFrame(rows, schema=NATIONAL_COLUMNS, orient="row")
    earlier = _earlier_quarters(reports, end, quarters - 1)
    if not earlier:
        return frame
    # Earlier quarters: every force's figure from one pass of the engine's rate functions
    # (the source chosen as for the first report), so the history covers every force.
    first = reports[0]
    ranked = [m for m in first.measures if _is_ranked_measure(m)]
    figures = force_rates(warehouse, first.force, end, [m.id for m in ranked], earlier,
                          catalogue=catalogue or default_catalogue())
    names = {a.code: a.name for a in forces()}
    info = pl.DataFrame(
        [{"measure_id": m.id, "title": m.title, "unit": m.unit, "polarity": m.polarity,
          "source_used": m.source_used, "stand_in": m.stand_in} for m in ranked],
        schema={k: NATIONAL_COLUMNS[k] for k in ("measure_id", "title", "unit", "polarity",
                                                 "source_used", "stand_in")})
    history = (figures.join(info, on="measure_id")
               .with_columns(force=pl.col("area_code").replace_strict(names),
                             peer_label=pl.lit(None, pl.Utf8),
                             excluded=pl.coalesce(
                                 pl.col("area_code").replace_strict(
                                     FUNNEL_EXCLUDED, default=None, return_dtype=pl.Utf8),
                                 pl.when(pl.col("value").is_null())
                                 .then(pl.lit("no figure for this period"))))
               .select(list(NATIONAL_COLUMNS)).cast(NATIONAL_COLUMNS))  # type: ignore[arg-type]
    return pl.concat([frame, history])

