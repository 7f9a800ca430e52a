"""Ingest files into the warehouse: all of them in one transaction, read in bounded chunks.

Files are read in order, a chunk of about :data:`CHUNK_BYTES` at a time, and each chunk is inserted
before the next is read, all inside one transaction: memory stays at one chunk's rows, and any
failure (a bad file in any chunk, a database error, an interruption) rolls back everything, so the
warehouse is exactly as it was. Runs of data.police.uk files are read in bulk
(:func:`policeperf.ingest.police_uk.read_many`: one scan per header, one check pass) and each table
is inserted with one statement per chunk; other files are read one by one by their adapter.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from policeperf.ingest import police_uk
from policeperf.ingest.detect import SourceFile, adapter_for, expand, read_file
from policeperf.ingest.schema import Batch
from policeperf.warehouse.store import (
    LoadedSource,
    Loader,
    LoadReport,
    NewSource,
    Warehouse,
    check_batch,
    file_digest,
)

# progress(step, done, total): step is "read" or "load"
Progress = Callable[[str, int, int], None]

# About how many bytes of CSV text are read (and held in memory) at a time; a gzip file counts as
# GZIP_RATIO times its size.
CHUNK_BYTES = 128 << 20
GZIP_RATIO = 6


def ingest_paths(
    warehouse: Warehouse, paths: list[Path], *, progress: Progress | None = None
) -> LoadReport:
    """Read every file under ``paths`` and load them; nothing is stored if any file is bad.

    Files already in the warehouse (same bytes) are not read again.
    """
    with expand(paths) as files:
        return ingest_files(warehouse, files, progress=progress)


@dataclass(frozen=True)
class _Pending:
    source: SourceFile
    sha: str
    position: int  # index in the files given


def ingest_files(
    warehouse: Warehouse,
    files: list[SourceFile],
    *,
    progress: Progress | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> LoadReport:
    """Read and load already expanded files (see :func:`ingest_paths`).

    Args:
        chunk_bytes: About how many bytes of files to read before inserting them (memory bound).
    """
    shas = _digests([f.path for f in files])
    stored = {
        str(sha): (int(sid), str(fmt))
        for sha, sid, fmt in warehouse.con.execute(
            "SELECT sha256, min(source_id), arg_min(format, source_id) FROM sources "
            "WHERE list_contains(?, sha256) GROUP BY sha256", [sorted(set(shas))]).fetchall()
    }
    skipped: list[LoadedSource] = []
    pending: list[_Pending] = []
    first_of: dict[str, int] = {}  # sha -> position of its first file in this load
    for i, (source, sha) in enumerate(zip(files, shas, strict=True)):
        if sha in stored:
            sid, fmt = stored[sha]
            skipped.append(LoadedSource(source.display_name, fmt, 0, "already loaded", sid))
        elif sha in first_of:
            pending.append(_Pending(source, sha, i))  # same bytes as an earlier file: not read
        else:
            first_of[sha] = i
            pending.append(_Pending(source, sha, i))
    results: dict[int, LoadedSource] = {}
    read_done = load_done = 0
    with warehouse.loading() as loader:
        for chunk in _chunks([p for p in pending if first_of[p.sha] == p.position], chunk_bytes):
            for run, bulk in _runs(chunk):
                got = _load_bulk(loader, run) if bulk else _load_one_by_one(loader, run)
                results.update(zip((p.position for p in run), got, strict=True))
            read_done += len(chunk)
            load_done += len(chunk)
            if progress is not None:
                progress("read", read_done, len(first_of))
                progress("load", load_done, len(first_of))
    ordered = []
    for p in pending:
        first = results[first_of[p.sha]]
        if first_of[p.sha] == p.position:
            ordered.append(first)
        else:
            ordered.append(LoadedSource(p.source.display_name, first.format, 0, "already loaded",
                                        first.source_id))
    return LoadReport(tuple(skipped) + tuple(ordered))


def _digests(paths: Sequence[Path]) -> list[str]:
    """SHA-256 of each file, hashed on a few threads (hashlib releases the GIL)."""
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(file_digest, paths))


def _size(path: Path) -> int:
    size = path.stat().st_size
    return size * GZIP_RATIO if path.suffix.lower() == ".gz" else size


def _chunks(pending: list[_Pending], chunk_bytes: int) -> Iterator[list[_Pending]]:
    """Consecutive files of about ``chunk_bytes`` together (at least one file per chunk)."""
    chunk: list[_Pending] = []
    size = 0
    for p in pending:
        chunk.append(p)
        size += _size(p.source.path)
        if size >= chunk_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _runs(chunk: list[_Pending]) -> Iterator[tuple[list[_Pending], bool]]:
    """Consecutive files read the same way: (files, True) for data.police.uk CSVs read in bulk.

    Files are classified in order, so a file no adapter reads raises where today's order says.
    """
    run: list[_Pending] = []
    bulk = False
    for p in chunk:
        is_bulk = adapter_for(p.source.path, p.source.display_name) is police_uk
        if run and is_bulk != bulk:
            yield run, bulk
            run = []
        run.append(p)
        bulk = is_bulk
    if run:
        yield run, bulk


def _load_bulk(loader: Loader, run: list[_Pending]) -> list[LoadedSource]:
    """Read data.police.uk files in bulk and insert each table once."""
    reads = police_uk.read_many([(p.source.path, p.source.display_name) for p in run])
    fmt: dict[int, str] = {}
    rows: dict[int, int] = {}
    tables = {}
    editions = {}
    for read in reads:
        tables[police_uk.SPECS[read.format].name] = read.table
        for i, edition in read.editions.items():
            fmt[i], rows[i], editions[i] = read.format, read.rows[i], edition
    table_of = {f: police_uk.SPECS[f].name for f in fmt.values()}
    new = [NewSource(p.source.display_name, p.sha, fmt[i], editions[i],
                     {table_of[fmt[i]]: rows[i]}) for i, p in enumerate(run)]
    base = loader.add_frames(new, tables)
    return [LoadedSource(p.source.display_name, fmt[i], rows[i], "loaded", base + i)
            for i, p in enumerate(run)]


def _load_one_by_one(loader: Loader, run: list[_Pending]) -> list[LoadedSource]:
    """Read files with their adapters, then insert them together."""
    batches: list[tuple[Batch, str]] = []
    for p in run:
        batch = read_file(p.source)
        check_batch(batch)
        batches.append((batch, p.sha))
    return loader.add(batches)
