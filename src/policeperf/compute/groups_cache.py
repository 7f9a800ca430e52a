"""The computed peer groups, kept in the warehouse so that a reader need not work them out.

Working out the computed groups (compute/similar_forces.py: census and deprivation files read,
43 x 42 distances) takes about half a second, and every reader of the results store needs them
only to check the store's fingerprint. The writer that builds the store keeps them in the table
``computed_peer_groups`` under a key: a digest of everything they are made from (the source of
the modules that compute and describe them, the areas list and the bundled peer-variable
files). A reader uses the kept groups only when the key matches what it would compute from;
otherwise (or with no table, as in a fresh warehouse) it computes them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policeperf.reference.peer_groups import PeerDistance, PeerGroup

__all__ = ["computed_groups_key", "read_computed", "write_computed"]

TABLE = "computed_peer_groups"
_CODE = ("compute/similar_forces.py", "compute/groups.py", "compute/groups_cache.py",
         "reference/peer_groups.py", "reference/areas.py", "reference/areas.csv")


@cache
def computed_groups_key() -> str:
    """A digest of the code and data the computed groups are made from."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _CODE:
        h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    data = resources.files("policeperf.data").joinpath("peer-variables")
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        h.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def _to_json(groups: dict[str, PeerGroup]) -> str:
    return json.dumps([[g.force_code, list(g.member_codes), g.source, g.origin, g.kind,
                        g.published, [[d.code, d.distance, list(d.variables)]
                                      for d in g.distances]]
                       for g in groups.values()])


def _from_json(text: str) -> dict[str, PeerGroup]:
    return {
        force: PeerGroup(force, tuple(members), source, origin, kind, published,
                         tuple(PeerDistance(c, float(d), tuple(v)) for c, d, v in distances))
        for force, members, source, origin, kind, published, distances in json.loads(text)
    }


def read_computed(warehouse: Any) -> dict[str, PeerGroup] | None:
    """The kept groups when they were kept under today's key; None otherwise."""
    con = getattr(warehouse, "con", None)
    if con is None or not hasattr(con, "execute"):
        return None
    try:
        rows = con.execute(f"SELECT groups FROM {TABLE} WHERE key = ?",
                           [computed_groups_key()]).fetchall()
    except Exception:  # noqa: BLE001 - a warehouse without the table (never built a store)
        return None
    return _from_json(str(rows[0][0])) if rows else None


def write_computed(warehouse: Any, groups: dict[str, PeerGroup]) -> bool:
    """Keep ``groups`` (the computed groups) under today's key, unless they already are.
    Returns True when it wrote. Needs a writable warehouse."""
    if read_computed(warehouse) == groups:
        return False
    con = warehouse.con
    con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key VARCHAR NOT NULL, groups VARCHAR "
                "NOT NULL)")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} VALUES (?, ?)", [computed_groups_key(),
                                                          _to_json(groups)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True
