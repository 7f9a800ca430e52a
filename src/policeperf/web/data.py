"""The dashboard's one door to the figures: every page reads results through :class:`Results`.

Results come from the results store (``policeperf.store.measures_report``, issue 10) when this
installation has it, else from :func:`policeperf.compute.engine.compute_measures`; either way
they are kept in memory, keyed by the warehouse file's generation (inode, modification time,
size), the force and the period. A write swaps in a new file, so the next request sees a new
generation and reads again; figures of a replaced file are never served.

Every read opens the live file read-only for that read (:class:`SnapshotWarehouse`): the server
never holds the warehouse, never waits for a writer, and never stops the command line.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from policeperf.compute.engine import compute_measures
from policeperf.quality import QualityWarning, check
from policeperf.reference.areas import Area, forces
from policeperf.reference.peer_groups import peer_group_for
from policeperf.results import MeasureResult, MeasuresReport
from policeperf.warehouse.store import Warehouse
from policeperf.web.snapshot import Generation, SnapshotWarehouse, generation

__all__ = ["Results", "SourceRow", "measures_report"]

T = TypeVar("T")


@dataclass(frozen=True)
class SourceRow:
    """One loaded source file, as the data page lists it."""

    source_id: int
    file_name: str
    format: str
    edition: str | None
    loaded_at: str
    rows: int
    notes: tuple[str, ...]


def _store() -> Any | None:
    """The results store module, or None where it is not installed (yet)."""
    if importlib.util.find_spec("policeperf.store") is None:
        return None
    return importlib.import_module("policeperf.store")


def measures_report(warehouse: Warehouse, force: Area, period: date) -> MeasuresReport:
    """Every measure for one force and period: read from the results store when it is fresh,
    else computed in memory (the store never writes from a reader: ``policeperf results build``
    or ``measures --force all`` brings it up to date)."""
    store = _store()
    if store is None:
        return compute_measures(warehouse, force, period)
    report: MeasuresReport = store.measures_report(warehouse, force, period)
    return report


class Results:
    """Results for the pages, cached per warehouse generation.

    Args:
        warehouse: The live warehouse file.
        max_entries: Cached entries kept (least recently used dropped first).
    """

    def __init__(self, warehouse: Path, max_entries: int = 128) -> None:
        self.warehouse = warehouse
        self.max_entries = max_entries
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._guard = threading.Lock()
        self._building: dict[tuple[Any, ...], threading.Lock] = {}

    def generation(self) -> Generation:
        """The live file's generation (a stat call: no database is opened)."""
        return generation(self.warehouse)

    def cached(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()`` once per key and warehouse generation; concurrent callers of one key share
        one computation (other keys never wait)."""
        full = (self.generation(), *key)
        with self._guard:
            if full in self._cache:
                self._cache.move_to_end(full)
                found: T = self._cache[full]
                return found
            lock = self._building.setdefault(full, threading.Lock())
        with lock:
            with self._guard:
                if full in self._cache:
                    again: T = self._cache[full]
                    return again
            try:
                value = make()
            except BaseException:
                with self._guard:
                    self._building.pop(full, None)
                raise
            with self._guard:
                self._drop_stale(full[0])
                self._cache[full] = value
                self._building.pop(full, None)
                while len(self._cache) > self.max_entries:
                    self._cache.popitem(last=False)
        return value

    def _drop_stale(self, current: Generation) -> None:
        for key in [k for k in self._cache if k[0] != current]:
            del self._cache[key]

    def _read(self, work: Callable[[Warehouse], T]) -> T:
        with SnapshotWarehouse(self.warehouse) as warehouse:
            return work(warehouse)

    def measures(self, force: Area, period: date) -> MeasuresReport:
        """Every catalogue measure for one force and period."""
        return self.cached(("measures", force.code, period), lambda: self._read(
            lambda w: measures_report(w, force, period)))

    def measure(self, force: Area, period: date, measure_id: str) -> MeasureResult:
        """One measure (KeyError names the known ids when it is not in the catalogue)."""
        return self.measures(force, period).measure(measure_id)

    def all_forces(self, measure_id: str, period: date) -> MeasureResult:
        """A result whose ``all_forces`` and ``funnel`` hold every force's figure for the period.

        Every force's result carries the same all-forces table; it is read from the first force
        with a peer group.
        """
        reference = next(f for f in forces() if peer_group_for(f.code) is not None)
        return self.measure(reference, period, measure_id)

    def periods(self) -> tuple[date, ...]:
        """Quarter ends for which recorded crime is loaded, newest first."""
        def read(w: Warehouse) -> tuple[date, ...]:
            rows = w.con.execute(
                "SELECT DISTINCT period_end FROM recorded_crime_current "
                "WHERE month(period_end) IN (3, 6, 9, 12) ORDER BY period_end DESC").fetchall()
            return tuple(r[0] for r in rows)
        return self.cached(("periods",), lambda: self._read(read))

    def sources(self) -> tuple[SourceRow, ...]:
        """Every loaded source file."""
        def read(w: Warehouse) -> tuple[SourceRow, ...]:
            frame = w.sources()
            return tuple(
                SourceRow(int(r["source_id"]), str(r["file_name"]), str(r["format"]),
                          r["edition"].isoformat() if r["edition"] else None,
                          r["loaded_at"].isoformat(sep=" ") if r["loaded_at"] else "",
                          int(r["rows"]), tuple(json.loads(r["notes"] or "[]")))
                for r in frame.iter_rows(named=True))
        return self.cached(("sources",), lambda: self._read(read))

    def quality(self) -> tuple[QualityWarning, ...]:
        """Every data-quality warning (missing periods, gaps, blanks, anomalies)."""
        return self.cached(("quality",), lambda: self._read(lambda w: tuple(check(w))))

    def illustrative_files(self) -> frozenset[str]:
        """Names of loaded files marked illustrative (made-up example figures)."""
        return frozenset(s.file_name for s in self.sources()
                         if any("illustrative" in n.lower() for n in s.notes))
