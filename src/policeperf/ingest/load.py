"""Ingest files into the warehouse: all of them in one transaction, read in bounded chunks.

Files are read in order, a chunk of about :data:`CHUNK_BYTES` at a time, and each chunk is inserted
before the next is read, all inside one transaction: memory stays at one chunk's rows, and any
failure (a bad file in any chunk, a database error, an interruption) rolls back everything, so the
warehouse is exactly as it was. Runs of data.police.uk files are read in bulk
(:func:`policeperf.ingest.police_uk_bulk.read_many`: one scan per header, one check pass) and
each table is inserted with one statement per chunk; other files are read one by one by their
adapter.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from policeperf.errors import InputError
from policeperf.ingest import police_uk, police_uk_bulk
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
        chunk_bytes: About how many bytes of data.police.uk CSVs to read at a time (memory bound).
    """
    shas = _digests(files)
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
        else:
            first_of.setdefault(sha, i)
            pending.append(_Pending(source, sha, i))
    new = [p for p in pending if first_of[p.sha] == p.position]
    run = _Run(new, progress)
    try:
        with warehouse.loading() as loader:
            results = run.load(loader, chunk_bytes)
    except InputError as exc:
        raise run.first_error(exc) from exc.__cause__
    ordered = []
    for p in pending:
        first = results[first_of[p.sha]]
        ordered.append(first if first_of[p.sha] == p.position else LoadedSource(
            p.source.display_name, first.format, 0, "already loaded", first.source_id))
    return LoadReport(tuple(skipped) + tuple(ordered))


class _Run:
    """One load of new files: which are read in bulk, their source ids, what has been read."""

    def __init__(self, files: list[_Pending], progress: Progress | None) -> None:
        self.files, self.progress = files, progress
        self.verified: set[int] = set()  # positions read without error
        self.done = 0

    def load(self, loader: Loader, chunk_bytes: int) -> dict[int, LoadedSource]:
        ids = {p.position: loader.next_id + k for k, p in enumerate(self.files)}
        bulk: dict[str, list[_Pending]] = {}  # table -> its data.police.uk files, in order
        others: list[_Pending] = []
        for p in self.files:
            if adapter_for(p.source.path, p.source.display_name) is police_uk:
                fmt = police_uk.file_format(p.source.path)
                bulk.setdefault(police_uk.SPECS[str(fmt)].name, []).append(p)
            else:
                others.append(p)
        results: dict[int, LoadedSource] = {}
        batches: list[tuple[Batch, str]] = []
        for p in others:
            batch = read_file(p.source)
            check_batch(batch)
            batches.append((batch, p.sha))
            self._read([p])
        if batches:
            got = loader.add(batches, ids=[ids[p.position] for p in others])
            results.update(zip((p.position for p in others), got, strict=True))
        sources: list[tuple[int, NewSource]] = []
        for table, members in bulk.items():
            loader.stream(table, self._frames(members, ids, chunk_bytes, sources))
        position_of = {sid: position for position, sid in ids.items()}
        for sid, new in sources:
            results[position_of[sid]] = LoadedSource(new.path, new.format, sum(new.tables.values()),
                                             "loaded", sid)
        loader.add_sources(sorted(sources, key=lambda s: s[0]))
        if self.progress is not None:
            self.progress("load", len(self.files), len(self.files))
        return results

    def _frames(self, members: list[_Pending], ids: dict[int, int], chunk_bytes: int,
                sources: list[tuple[int, NewSource]]) -> Iterator[pl.DataFrame]:
        """Each chunk's rows with their source ids; each file's ``sources`` row is recorded.

        The next chunk is read on a second thread while DuckDB inserts this one (Polars and
        DuckDB both release the GIL), so reading and inserting overlap; at most two chunks are
        held at once.
        """
        chunks = list(_chunks(members, chunk_bytes))

        def read(chunk: list[_Pending]) -> police_uk_bulk.BulkRead:
            (result,) = police_uk_bulk.read_many(
                [(p.source.path, p.source.display_name) for p in chunk])
            return result

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policeperf-read") as pool:
            ahead: Future[police_uk_bulk.BulkRead] | None = (
                pool.submit(read, chunks[0]) if chunks else None)
            for k, chunk in enumerate(chunks):
                assert ahead is not None
                bulk = ahead.result()
                ahead = pool.submit(read, chunks[k + 1]) if k + 1 < len(chunks) else None
                table = police_uk.SPECS[bulk.format].name
                for i, p in enumerate(chunk):
                    sources.append((ids[p.position], NewSource(
                        p.source.display_name, p.sha, bulk.format, bulk.editions[i],
                        {table: bulk.rows[i]})))
                lookup = pl.Series([ids[p.position] for p in chunk], dtype=pl.Int32())
                frame = bulk.table.with_columns(source_id=lookup.gather(bulk.table["file"]))
                self._read(chunk)
                yield frame.drop("file")

    def _read(self, files: list[_Pending]) -> None:
        self.verified.update(p.position for p in files)
        self.done += len(files)
        if self.progress is not None:
            self.progress("read", self.done, len(self.files))

    def first_error(self, exc: InputError) -> InputError:
        """The error of the first bad file in order, as if every file were read in order:
        files before the one that failed and not yet read are read now."""
        for p in self.files:
            if p.source.display_name == exc.file:
                return exc
            if p.position not in self.verified:
                try:
                    read_file(p.source)
                except InputError as earlier:
                    return earlier
        return exc


def _digests(files: Sequence[SourceFile]) -> list[str]:
    """SHA-256 of each file, hashed on a few threads (hashlib releases the GIL)."""
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(_digest, files))


def _digest(source: SourceFile) -> str:
    """A file's SHA-256; a file that cannot be read (no permission, an I/O error on a failing
    disk or a /proc file) is an InputError naming it, not an internal error."""
    try:
        return file_digest(source.path)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"cannot be read: {reason}", file=source.display_name,
                         expected="a file policeperf may read") from exc


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
