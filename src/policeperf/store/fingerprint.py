"""The inputs' fingerprint: what the stored results were computed from.

Each measure's results are stored under a fingerprint of everything they depend on:

* the code (policeperf's version and the source of the modules that compute results);
* the sources loaded (every file's SHA-256 and format, from the ``sources`` table), so an
  ingest marks the results stale;
* the measure's definition (and its components' definitions), so a changed or added catalogue
  measure is recomputed and the others are not;
* the peer groups in force (official from the warehouse table, a user's file or the shipped
  file; computed), so ``peers import`` / ``peers set`` marks the results stale;
* the engine settings.

A measure is fresh when its stored fingerprint equals the one worked out now.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from policeperf.compute.context import Settings
from policeperf.definitions.model import Catalogue, Measure
from policeperf.reference.peer_groups import PeerGroup

__all__ = ["Inputs", "code_version", "inputs", "measure_fingerprints"]

#: Packages whose source decides the results (a change of any of their files is a new version).
_CODE = ("compute", "definitions", "reference", "store")
_CODE_FILES = ("results.py",)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


@cache
def code_version() -> str:
    """policeperf's version and a digest of the source that computes results."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(p for pkg in _CODE for p in (root / pkg).rglob("*.py"))
    files += [root / f for f in _CODE_FILES]
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    try:
        version = metadata.version("policeperf")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = "source"
    return f"{version}+{h.hexdigest()[:12]}"


@dataclass(frozen=True)
class Inputs:
    """The fingerprints of the inputs every measure shares."""

    code: str
    sources: str
    groups: str
    settings: str

    def as_dict(self) -> dict[str, str]:
        """The parts, for the store's ``results_meta`` table."""
        return {"code": self.code, "sources": self.sources, "groups": self.groups,
                "settings": self.settings}


def _sources_digest(warehouse: Any) -> str:
    con = getattr(warehouse, "con", warehouse)
    rows = con.execute("SELECT source_id, sha256, format FROM sources ORDER BY source_id"
                       ).fetchall()
    return _digest(*(f"{r[0]}:{r[1]}:{r[2]}" for r in rows))


def _groups_digest(groups: dict[str, PeerGroup]) -> str:
    return _digest(*(f"{code}:{','.join(g.member_codes)}:{g.kind}:{g.source}:{g.origin}"
                     for code, g in sorted(groups.items())))


def inputs(warehouse: Any, groups: dict[str, PeerGroup], settings: Settings) -> Inputs:
    """The shared inputs' fingerprints for a DuckDB warehouse."""
    return Inputs(code_version(), _sources_digest(warehouse), _groups_digest(groups),
                  _digest(json.dumps(settings.to_dict(), sort_keys=True, default=str)))


def _definition(measure: Measure, catalogue: Catalogue) -> str:
    own = measure.model_dump_json()
    priority = catalogue.priority(measure.priority).model_dump_json()
    parts = [_definition(catalogue.measure(c), catalogue) for c in measure.components]
    return _digest(own, priority, *parts)


def measure_fingerprints(catalogue: Catalogue, shared: Inputs) -> dict[str, str]:
    """Each catalogue measure's fingerprint, by id, in report order (a measure's place in the
    report is not part of it: readers put the rows in the catalogue's order)."""
    return {
        m.id: _digest(shared.code, shared.sources, shared.groups, shared.settings,
                      _definition(m, catalogue))
        for m in catalogue.ordered()
    }
