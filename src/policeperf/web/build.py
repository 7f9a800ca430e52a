"""Build a report project from the dashboard, in the background, one build per project at a time.

A build does what ``policeperf report PROJECT`` does: it loads the project's force series into
the warehouse with a write of its own (copy and swap: pages keep being served from the current
file meanwhile), then builds HTML, PDF (and PowerPoint when the report can) from the file that
write left, read-only.
"""

from __future__ import annotations

import inspect
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from policeperf.errors import PolicePerfError

__all__ = ["DOWNLOADS", "BuildStatus", "Builds"]

DOWNLOADS = ("report.html", "report.pdf", "report.pptx")
"""Files a build may leave that the dashboard offers for download."""


@dataclass(frozen=True)
class BuildStatus:
    """Where a project's build stands."""

    state: str = "none"  # none, running, done, failed
    started: str | None = None
    finished: str | None = None
    message: str = ""
    by: str | None = None
    files: tuple[str, ...] = field(default_factory=tuple)


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class Builds:
    """Report builds of the served projects; output under ``out_root/<project name>``."""

    def __init__(self, warehouse: Path, out_root: Path) -> None:
        self.warehouse = warehouse
        self.out_root = out_root
        self._status: dict[str, BuildStatus] = {}
        self._lock = threading.Lock()

    def out_dir(self, name: str) -> Path:
        """The folder a project's build is written to."""
        return self.out_root / name

    def status(self, name: str) -> BuildStatus:
        """The current or last build of a project (files found on disk after a restart)."""
        with self._lock:
            found = self._status.get(name)
        if found is not None:
            return found
        files = tuple(f for f in DOWNLOADS if (self.out_dir(name) / f).is_file())
        return BuildStatus("done", message="built earlier", files=files) if files else (
            BuildStatus())

    def start(self, name: str, root: Path, user: str) -> bool:
        """Start building; False when a build of this project is already running."""
        with self._lock:
            if self._status.get(name, BuildStatus()).state == "running":
                return False
            self._status[name] = BuildStatus("running", _now(), by=user,
                                             message="loading the force series, then building")
        threading.Thread(target=self._run, args=(name, root), name=f"build-{name}",
                         daemon=True).start()
        return True

    def _run(self, name: str, root: Path) -> None:
        try:
            files = self._build(root, self.out_dir(name))
            final = BuildStatus("done", message="built", files=files)
        except PolicePerfError as exc:
            final = BuildStatus("failed", message=" ".join(str(exc).split()))
        except Exception as exc:  # shown on the page in one line; the traceback goes to the log
            traceback.print_exc()
            final = BuildStatus("failed", message=f"the build failed: {exc}")
        with self._lock:
            started = self._status[name]
            self._status[name] = replace(final, started=started.started, by=started.by,
                                         finished=_now())

    def _build(self, root: Path, out: Path) -> tuple[str, ...]:
        from policeperf.report.build import build_report, load_project_series
        from policeperf.warehouse.access import writing
        from policeperf.web.snapshot import SnapshotWarehouse

        with writing(self.warehouse) as warehouse:
            load_project_series(root, warehouse)
        options: dict[str, bool] = {"pdf": True}
        if "pptx" in inspect.signature(build_report).parameters:
            options["pptx"] = True
        with SnapshotWarehouse(self.warehouse) as warehouse:
            build_report(root, warehouse=warehouse, out_dir=out, **options)  # type: ignore[arg-type]
        return tuple(f for f in DOWNLOADS if (out / f).is_file())
