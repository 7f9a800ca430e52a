"""The peer groups in force: the one place that decides which group each force is compared with.

Precedence, highest first (docs/methods/peer-groups.md):

1. the user's peer-groups file (``--peer-groups FILE`` or ``$POLICEPERF_PEER_GROUPS``);
2. groups imported or set in the warehouse (``policeperf peers import`` / ``peers set``);
3. the official groups shipped in ``reference/peer_groups.yaml`` (Avon and Somerset's);
4. computed groups (:mod:`policeperf.compute.similar_forces`): every other force but City of
   London. A computed group is labelled "similar forces (computed)", never "MSG".

Every consumer (measures, report, ``forces``, ``peers show``) calls :func:`peer_groups_in_force`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from policeperf.compute.similar_forces import NO_GROUP, computed_peers
from policeperf.reference.areas import Area
from policeperf.reference.peer_groups import (
    PeerDistance,
    PeerGroup,
    shipped_peer_groups,
    user_peer_groups,
)

__all__ = [
    "COMPUTED_SOURCE",
    "computed_groups",
    "group_origin",
    "no_group_reason",
    "peer_groups_in_force",
    "report_caveats",
    "store_computed_groups",
    "store_groups",
    "stored_groups",
]

COMPUTED_SOURCE = (
    "computed by policeperf: the 7 nearest forces on open data (deprivation, population density "
    "and size, lone-parent households, terraced housing, household size; "
    "docs/methods/peer-groups.md). Not the Home Office's Most Similar Group"
)


@cache
def computed_groups() -> dict[str, PeerGroup]:
    """Computed groups of every force but City of London."""
    return {
        code: PeerGroup(
            code, (code, *(p.code for p in peers)), COMPUTED_SOURCE,
            "policeperf/compute/similar_forces.py", kind="computed",
            distances=tuple(PeerDistance(p.code, p.distance, p.variables_used) for p in peers),
        )
        for code, peers in computed_peers().items()
    }


def _computed(warehouse: Any) -> dict[str, PeerGroup]:
    """The computed groups: as the warehouse keeps them when they are current
    (compute/groups_cache.py; the same groups), else worked out."""
    from policeperf.compute.groups_cache import read_computed

    kept = read_computed(warehouse) if warehouse is not None else None
    return kept if kept is not None else computed_groups()


def store_computed_groups(warehouse: Any) -> bool:
    """Keep the computed groups in a writable warehouse for readers (True when it wrote)."""
    from policeperf.compute.groups_cache import write_computed

    return write_computed(warehouse, computed_groups())


def _query(warehouse: Any, sql: str) -> list[tuple[Any, ...]] | None:
    """Rows of a query on a Warehouse (or a DuckDB connection), None when it cannot be read."""
    con = getattr(warehouse, "con", warehouse)
    execute = getattr(con, "execute", None)
    if execute is None:
        return None
    try:
        rows: list[tuple[Any, ...]] = execute(sql).fetchall()
    except Exception:  # noqa: BLE001 - a warehouse made before the table existed has none
        return None
    return rows


def stored_groups(warehouse: Any) -> dict[str, PeerGroup]:
    """Groups imported or set in the warehouse (table ``peer_groups``)."""
    if warehouse is None:
        return {}
    rows = _query(warehouse, "SELECT force_code, position, member_code, source, published, "
                             "origin FROM peer_groups ORDER BY force_code, position")
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows or []:
        out.setdefault(row[0], []).append(row)
    return {
        force: PeerGroup(force, tuple(r[2] for r in members), str(members[0][3]),
                         str(members[0][5]), "official",
                         members[0][4].isoformat() if members[0][4] else None)
        for force, members in out.items()
    }


def peer_groups_in_force(
    warehouse: Any = None, extra_file: Path | None = None, *, computed: bool = True
) -> dict[str, PeerGroup]:
    """Each force's group in force, by force code (City of London has none).

    Args:
        warehouse: A Warehouse (or DuckDB connection) whose imported groups count; None for
            none.
        extra_file: A peer-groups file (else ``$POLICEPERF_PEER_GROUPS``), highest precedence.
        computed: Fill the forces without an official group with computed groups.
    """
    groups: dict[str, PeerGroup] = dict(_computed(warehouse)) if computed else {}
    groups.update(shipped_peer_groups())
    groups.update(stored_groups(warehouse))
    groups.update(user_peer_groups(extra_file))
    return groups


def group_origin(group: PeerGroup, warehouse: Any = None, extra_file: Path | None = None) -> str:
    """Which precedence level a group comes from, in words."""
    if group.kind == "computed":
        return "computed (no official group is known for this force)"
    if group.force_code in user_peer_groups(extra_file):
        return f"your peer-groups file ({group.origin})"
    if group.force_code in stored_groups(warehouse):
        return f"imported into the warehouse ({group.origin})"
    return "shipped with policeperf (reference/peer_groups.yaml)"


def no_group_reason(force_code: str) -> str:
    """Why a force has no group at all (City of London), in words: "no peer group: ..."."""
    reason = NO_GROUP.get(force_code)
    return f"no peer group: {reason}" if reason else "no peer group is known"


def store_groups(
    warehouse: Any, groups: dict[str, tuple[str, ...]], *, source: str, published: date | None,
    origin: str,
) -> int:  # fmt: skip
    """Store groups in the warehouse, replacing those of the same forces; rows written."""
    con = warehouse.con
    now = datetime.now().replace(microsecond=0)
    rows = [(force, i, member, source, published, origin, now)
            for force, peers in groups.items()
            for i, member in enumerate((force, *peers))]
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany("DELETE FROM peer_groups WHERE force_code = ?", [[f] for f in groups])
        con.executemany("INSERT INTO peer_groups VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def report_caveats(area: Area, group: PeerGroup | None) -> tuple[str, ...]:
    """The report-level caveats of a force's results: no group, or a computed one."""
    if group is None:
        return (f"{area.name} has {no_group_reason(area.code)}; benchmarks compare "
                "with England and Wales." if area.code in NO_GROUP else
                f"No peer group is known for {area.name}: benchmarks compare with England "
                "and Wales.",)
    if group.kind == "computed":
        return (f"No official Most Similar Group is loaded for {area.name}: ranks are "
                "within a computed group of similar forces (policeperf's nearest forces "
                "on open data, not the Home Office MSG; policeperf peers show "
                f"\"{area.name}\"). Load the official group with policeperf peers import "
                "or peers set.",)
    return ()
