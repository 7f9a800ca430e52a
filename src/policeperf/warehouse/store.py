"""Open the warehouse and load batches into it: atomically, idempotently, keeping revisions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import polars as pl

from policeperf.errors import InputError, PolicePerfError
from policeperf.ingest.schema import TABLES, Batch
from policeperf.warehouse.ddl import META_DDL, SCHEMA_VERSION, all_ddl
from policeperf.warehouse.location import default_db_path


@dataclass(frozen=True)
class LoadedSource:
    """One file in a load: what happened to it."""

    path: str
    format: str
    rows: int
    status: str  # "loaded" or "already loaded"
    source_id: int


@dataclass(frozen=True)
class LoadReport:
    """What a load did, file by file."""

    sources: tuple[LoadedSource, ...]

    @property
    def rows_added(self) -> int:
        """Rows added to the warehouse by this load."""
        return sum(s.rows for s in self.sources if s.status == "loaded")


def file_digest(path: Path | str, data: bytes | None = None) -> str:
    """SHA-256 of a file's bytes (or of ``data`` when given), which identifies a source."""
    digest = hashlib.sha256()
    if data is not None:
        digest.update(data)
    else:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def check_batch(batch: Batch) -> None:
    """Reject a batch whose tables do not match the canonical schema or repeat a key."""
    for name, frame in batch.tables.items():
        spec = TABLES.get(name)
        if spec is None:
            raise PolicePerfError(f"{batch.path}: adapter produced unknown table {name!r}")
        if frame.schema != spec.schema:
            raise PolicePerfError(
                f"{batch.path}: table {name} has columns {dict(frame.schema)}, "
                f"expected {dict(spec.schema)}"
            )
        key = [c for c in spec.key if c != "row"] if "row" not in spec.key else []
        if key and frame.height:
            dup = frame.filter(frame.select(key).is_duplicated()).head(1)
            if dup.height:
                first = dup.row(0, named=True)
                raise InputError(
                    f"the same {', '.join(key)} appears twice "
                    f"({', '.join(str(first[k]) for k in key)})",
                    file=batch.path,
                    sheet=first["sheet"],
                    row=first["row"],
                    column=first["column"],
                    expected="one row per " + ", ".join(key),
                )


# DuckDB would otherwise download and load extensions on its own (e.g. sqlite_scanner when asked
# to open a SQLite file): policeperf needs none, and a warehouse never reaches the network.
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False, "autoload_known_extensions": False}


def ddl_digest() -> str:
    """A digest of the warehouse's table and view definitions: it changes when the code adds a
    table or view, so that a file made by older code is brought up to date by the next write."""
    return hashlib.sha256("\n".join([META_DDL, *all_ddl()]).encode()).hexdigest()[:16]


class Warehouse:
    """The DuckDB warehouse file. Use as a context manager, or call :meth:`close`.

    Commands do not open the live file read-write themselves: they go through
    :mod:`policeperf.warehouse.access` (``reading`` / ``writing``), so that readers never wait.
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only, config=DUCKDB_CONFIG)
        try:
            if read_only:
                self._check_schema()
            else:
                self._create_schema()
        except BaseException:
            self.con.close()
            raise

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (None when the key or the table is missing)."""
        try:
            found = first_row(self.con, "SELECT value FROM meta WHERE key = ?", [key])
        except duckdb.CatalogException:
            return None
        return None if found is None else str(found[0])

    def _version_error(self, found: str) -> PolicePerfError:
        return PolicePerfError(
            f"{self.path} holds warehouse schema version {found}; this policeperf uses "
            f"version {SCHEMA_VERSION}. Move the file aside and ingest your files again "
            "(bundled data are reloaded automatically)."
        )

    def _check_schema(self) -> None:
        found = self.meta("schema_version")
        if found is None:
            raise PolicePerfError(f"{self.path} is not a policeperf warehouse (it has no "
                                  "schema version); give another file with --db")
        if found != str(SCHEMA_VERSION):
            raise self._version_error(found)

    def up_to_date(self) -> bool:
        """True when the file has every table and view this code defines."""
        return self.meta("ddl_digest") == ddl_digest()

    def _create_schema(self) -> None:
        self.con.execute(META_DDL)
        found = self.meta("schema_version")
        if found is not None and found != str(SCHEMA_VERSION):
            raise self._version_error(found)
        if self.up_to_date():
            return
        for statement in all_ddl():
            self.con.execute(statement)
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('ddl_digest', ?)",
            [str(SCHEMA_VERSION), ddl_digest()],
        )

    def has_source(self, sha256: str, fmt: str) -> int | None:
        """The id of an already loaded source with these bytes and format, or None."""
        row = first_row(
            self.con, "SELECT source_id FROM sources WHERE sha256 = ? AND format = ?", [sha256, fmt]
        )
        return int(str(row[0])) if row else None

    def load(
        self,
        batches: Sequence[tuple[Batch, str]],
        *,
        progress: Callable[[Batch], None] | None = None,
    ) -> LoadReport:
        """Load batches (each with the SHA-256 of its file) in one transaction.

        A batch whose file (same bytes, same format) is already loaded adds nothing. If anything
        fails - a bad batch, a database error, an interruption raised by ``progress`` - the
        transaction is rolled back and the warehouse is exactly as it was.
        """
        for batch, _ in batches:
            check_batch(batch)
        with self.loading() as loader:
            return LoadReport(tuple(loader.add(batches, progress=progress)))

    @contextmanager
    def loading(self) -> Iterator[Loader]:
        """One transaction for many :meth:`Loader.add` calls: committed when the block ends,
        rolled back (the warehouse exactly as it was) if anything in it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield Loader(self.con)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: Iterable[object] | None = None) -> pl.DataFrame:
        """Run a read query and return a Polars frame."""
        table = self.con.sql(sql, params=list(params or [])).to_arrow_table()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def sources(self) -> pl.DataFrame:
        """Every loaded source: file, format, edition, load time and rows per table."""
        return self.query(
            "SELECT source_id, file_name, format, edition, loaded_at, rows, tables, notes, path "
            "FROM sources ORDER BY source_id"
        )

    def fingerprint(self) -> pl.DataFrame:
        """Row counts and a content hash of every table: equal fingerprints mean equal content."""
        parts = []
        for name in ["sources", *TABLES]:
            row = first_row(self.con, f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {name} t",
                            [])
            assert row is not None
            parts.append({"table": name, "rows": int(str(row[0])), "hash": str(row[1])})
        return pl.DataFrame(parts)


def first_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object]
) -> tuple[object, ...] | None:
    """The first row of a query, the result drained (DuckDB 2 keeps a result open otherwise)."""
    rows = con.execute(sql, params).fetchall()
    return tuple(rows[0]) if rows else None


@dataclass(frozen=True)
class NewSource:
    """A file whose rows :meth:`Loader.add_frames` inserts: its ``sources`` row."""

    path: str
    sha256: str
    format: str
    edition: date
    tables: dict[str, int]  # rows per table
    notes: tuple[str, ...] = ()


class Loader:
    """Inserts into the warehouse inside :meth:`Warehouse.loading`'s transaction.

    Each call inserts every table with one statement and all its ``sources`` rows with another;
    source ids are given in the order files are added.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        row = first_row(con, "SELECT coalesce(max(source_id), 0) + 1 FROM sources", [])
        self.next_id = int(str(row[0])) if row else 1
        self.loaded_at = datetime.now().replace(microsecond=0)
        self.seen: dict[tuple[str, str], int] = {}

    def loaded(self, shas: Iterable[str]) -> dict[tuple[str, str], int]:
        """(sha256, format) -> source id, for files already in the warehouse or in this load."""
        found = self.con.execute(
            "SELECT sha256, format, min(source_id) FROM sources WHERE list_contains(?, sha256) "
            "GROUP BY ALL", [sorted(set(shas))]).fetchall()
        return {**{(str(s), str(f)): int(i) for s, f, i in found}, **self.seen}

    def add(self, batches: Sequence[tuple[Batch, str]], *,
            progress: Callable[[Batch], None] | None = None,
            ids: Sequence[int] | None = None) -> list[LoadedSource]:
        """Insert batches (each with its file's SHA-256), skipping files already loaded; the new
        ones get source ids ``ids`` (one per new batch) or else the next ones in order."""
        known = self.loaded(sha for _, sha in batches)
        new: list[NewSource] = []
        frames: dict[str, list[pl.DataFrame]] = {}
        results: list[LoadedSource] = []
        for batch, sha in batches:
            existing = known.get((sha, batch.format))
            if existing is not None:
                results.append(LoadedSource(batch.path, batch.format, 0, "already loaded",
                                            existing))
                continue
            sid = ids[len(new)] if ids is not None else self.next_id + len(new)
            known[(sha, batch.format)] = sid
            counts = {n: f.height for n, f in batch.tables.items() if f.height}
            for name, frame in batch.tables.items():
                if frame.height:
                    frames.setdefault(name, []).append(
                        frame.with_columns(file=pl.lit(len(new), pl.UInt32())))
            results.append(LoadedSource(batch.path, batch.format, sum(counts.values()),
                                        "loaded", sid))
            new.append(NewSource(batch.path, sha, batch.format, batch.edition, counts,
                                 batch.notes))
        self.add_frames(new, {n: pl.concat(f, rechunk=False) for n, f in frames.items()},
                        ids[:len(new)] if ids is not None else None)
        if progress is not None:
            for batch, _ in batches:
                progress(batch)
        return results

    def add_frames(self, files: Sequence[NewSource], tables: dict[str, pl.DataFrame],
                   ids: Sequence[int] | None = None) -> list[int]:
        """Insert new files' rows: ``tables`` in their canonical schema plus ``file`` (UInt32),
        the index of the row's file in ``files``; each table with one statement. Source ids are
        ``ids`` when given, else the next ones in order. Returns the ids."""
        ids = list(ids) if ids is not None else [self.next_id + i for i in range(len(files))]
        lookup = pl.Series(ids, dtype=pl.Int32())
        for name, frame in tables.items():
            with_ids = frame.with_columns(source_id=lookup.gather(frame["file"]))
            self.stream(name, iter([with_ids.drop("file")]))
        self.add_sources(list(zip(ids, files, strict=True)))
        return ids

    def add_sources(self, files: Sequence[tuple[int, NewSource]]) -> None:
        """Insert the ``sources`` rows of new files (source id, file) with one statement."""
        rows = [(i, f.path, Path(f.path.split("!")[-1]).name, f.sha256, f.format, f.edition,
                 self.loaded_at, sum(f.tables.values()), json.dumps(f.tables, sort_keys=True),
                 json.dumps(list(f.notes))) for i, f in files]
        if not rows:
            return
        import pyarrow as pa  # only writes need it (a reader's start-up does not)

        frame = pl.DataFrame(rows, schema=_SOURCES, orient="row")
        self._insert("sources", pa.RecordBatchReader.from_batches(
            frame.to_arrow().schema, frame.to_arrow().to_batches()), list(_SOURCES))
        for i, f in files:
            self.seen[(f.sha256, f.format)] = i
        self.next_id = max(self.next_id, max(i for i, _ in files) + 1)

    def stream(self, table: str, frames: Iterator[pl.DataFrame]) -> int:
        """Insert frames (the table's canonical schema plus ``source_id``) with ONE statement,
        pulling them one at a time: memory stays at one frame, however many there are (many
        INSERT statements in one transaction hold memory until it ends). An exception raised
        while producing a frame is raised here unchanged. Returns the rows inserted."""
        import pyarrow as pa

        spec = TABLES[table]
        expected = pl.Schema({**spec.schema, "source_id": pl.Int32()})
        schema = pl.DataFrame(schema=expected).to_arrow().schema
        failure: list[BaseException] = []
        rows = 0

        def batches() -> Iterator[pa.RecordBatch]:
            nonlocal rows
            try:
                for frame in frames:
                    if frame.schema != expected:
                        raise PolicePerfError(f"table {table} has columns {dict(frame.schema)}, "
                                              f"expected {dict(expected)}")
                    rows += frame.height
                    arrow = frame.to_arrow()
                    if arrow.schema != schema:  # a cast imports pyarrow.compute (0.2 s)
                        arrow = arrow.cast(schema)
                    yield from arrow.to_batches()
            except BaseException as exc:
                failure.append(exc)
                raise

        try:
            self._insert(table, pa.RecordBatchReader.from_batches(schema, batches()),
                         [*spec.schema.names(), "source_id"])
        except Exception:
            if failure:
                raise failure[0] from None
            raise
        return rows

    def _insert(self, table: str, reader: Any, columns: list[str]) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        self.con.register("_incoming", reader)
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")


_SOURCES = {"source_id": pl.Int32(), "path": pl.Utf8(), "file_name": pl.Utf8(),
            "sha256": pl.Utf8(), "format": pl.Utf8(), "edition": pl.Date(),
            "loaded_at": pl.Datetime("us"), "rows": pl.Int64(), "tables": pl.Utf8(),
            "notes": pl.Utf8()}
