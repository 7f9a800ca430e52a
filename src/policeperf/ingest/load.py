"""Ingest files into the warehouse: read everything first, then load in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from policeperf.ingest.detect import SourceFile, expand, read_file
from policeperf.ingest.schema import Batch
from policeperf.warehouse.store import (
    LoadedSource,
    LoadReport,
    Warehouse,
    file_digest,
    first_row,
)

# progress(step, done, total): step is "read" or "load"
Progress = Callable[[str, int, int], None]


def ingest_paths(
    warehouse: Warehouse, paths: list[Path], *, progress: Progress | None = None
) -> LoadReport:
    """Read every file under ``paths`` and load them; nothing is stored if any file is bad.

    Files already in the warehouse (same bytes) are not read again.
    """
    with expand(paths) as files:
        return ingest_files(warehouse, files, progress=progress)


def ingest_files(
    warehouse: Warehouse, files: list[SourceFile], *, progress: Progress | None = None
) -> LoadReport:
    """Read and load already expanded files (see :func:`ingest_paths`)."""
    pending: list[tuple[Batch, str]] = []
    skipped: list[LoadedSource] = []
    for i, source in enumerate(files):
        sha = file_digest(source.path)
        existing = first_row(
            warehouse.con, "SELECT source_id, format FROM sources WHERE sha256 = ?", [sha]
        )
        if existing is not None:
            skipped.append(LoadedSource(source.display_name, str(existing[1]), 0,
                                        "already loaded", int(str(existing[0]))))
        else:
            pending.append((read_file(source), sha))
        if progress is not None:
            progress("read", i + 1, len(files))
    done = 0

    def step(_: Batch) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("load", done, len(pending))

    report = warehouse.load(pending, progress=step)
    return LoadReport(tuple(skipped) + report.sources)
