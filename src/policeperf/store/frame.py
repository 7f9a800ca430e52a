"""The results as one table (``measures --force all --period P|all``; the national pack).

One row per force, period and measure, in report order, with the scalar fields of
:class:`~policeperf.results.MeasureResult`, its ``display_title`` and its caveats joined by
" | ". Read from the store when it is fresh; otherwise the one pass runs in memory for the rows
asked for (nothing is written).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from policeperf.compute.batch_rows import SCALAR_FIELDS
from policeperf.compute.context import Settings
from policeperf.definitions.model import Catalogue
from policeperf.reference.areas import Area, forces
from policeperf.reference.peer_groups import PeerGroup
from policeperf.store.read import Freshness

__all__ = ["FRAME_COLUMNS", "table"]

_FIELDS = [f for f in SCALAR_FIELDS if f not in ("id", "period_end")]

#: Columns of :func:`table`, in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "force", "force_code", "period_end", "position", "measure", "display_title", *_FIELDS,
    "caveats", "peer_group_kind")


def _stored(con: Any, area: Area | None, end: date | None) -> pl.DataFrame:
    where: list[str] = []
    params: list[object] = []
    if area is not None:
        where.append("force_code = ?")
        params.append(area.code)
    if end is not None:
        where.append("period_end = ?")
        params.append(end)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    columns = ", ".join(["force_code", "period_end", "position", "id", *_FIELDS, "caveats"])
    arrow = con.sql(f"SELECT {columns} FROM results_measures{clause} ORDER BY period_end, "
                    "force_code, position", params=params).to_arrow_table()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _computed(warehouse: Any, area: Area | None, end: date | None, catalogue: Catalogue,
              groups: dict[str, PeerGroup], settings: Settings) -> pl.DataFrame:
    from policeperf.compute.batch import compute_all

    tables = compute_all(warehouse, catalogue=catalogue, groups=groups, settings=settings,
                         periods=None if end is None else [end],
                         areas=None if area is None else [area])
    frame = tables.measures_frame()
    return frame.sort("period_end", "force_code", "position")


def table(
    warehouse: Any, area: Area | None, end: date | None, catalogue: Catalogue,
    groups: dict[str, PeerGroup], settings: Settings, state: Freshness,
) -> pl.DataFrame:  # fmt: skip
    """The results of one or every force for one or every period (see the module docstring)."""
    frame = (_stored(warehouse.con, area, end) if state.fresh
             else _computed(warehouse, area, end, catalogue, groups, settings))
    order = {m.id: i for i, m in enumerate(catalogue.ordered())}
    frame = frame.filter(pl.col("id").is_in(list(order))).with_columns(
        position=pl.col("id").replace_strict(order, return_dtype=pl.Int64)
    ).sort("period_end", "force_code", "position")
    names = {f.code: f.name for f in forces()}
    kinds = {code: g.kind for code, g in groups.items()}
    caveats = pl.col("caveats").str.json_decode(pl.List(pl.Utf8)).list.join(" | ")
    return frame.with_columns(
        force=pl.col("force_code").replace_strict(names, default=None),
        measure=pl.col("id"),
        display_title=pl.coalesce("stand_in", "title"),
        caveats=caveats,
        peer_group_kind=pl.col("force_code").replace_strict(kinds, default=None),
    ).select(FRAME_COLUMNS)
