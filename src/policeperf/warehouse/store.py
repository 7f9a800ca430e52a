"""Open the warehouse and load batches into it: atomically, idempotently, keeping revisions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

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


def _check_batch(batch: Batch) -> None:
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


class Warehouse:
    """The DuckDB warehouse file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            self._create_schema()

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

    def _create_schema(self) -> None:
        self.con.execute(META_DDL)
        found = first_row(self.con, "SELECT value FROM meta WHERE key = 'schema_version'", [])
        if found is not None and str(found[0]) != str(SCHEMA_VERSION):
            raise PolicePerfError(
                f"{self.path} holds warehouse schema version {found[0]}; this policeperf uses "
                f"version {SCHEMA_VERSION}. Move the file aside and ingest your files again "
                "(bundled data are reloaded automatically)."
            )
        for statement in all_ddl():
            self.con.execute(statement)
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
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
            _check_batch(batch)
        results: list[LoadedSource] = []
        self.con.execute("BEGIN TRANSACTION")
        try:
            next_id = self._next_source_id()
            seen: dict[tuple[str, str], int] = {}
            for batch, sha in batches:
                existing = self.has_source(sha, batch.format) or seen.get((sha, batch.format))
                if existing is not None:
                    results.append(LoadedSource(batch.path, batch.format, 0, "already loaded",
                                                existing))
                else:
                    rows = self._insert(batch, sha, next_id)
                    seen[(sha, batch.format)] = next_id
                    results.append(LoadedSource(batch.path, batch.format, rows, "loaded", next_id))
                    next_id += 1
                if progress is not None:
                    progress(batch)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return LoadReport(tuple(results))

    def _next_source_id(self) -> int:
        row = first_row(self.con, "SELECT coalesce(max(source_id), 0) + 1 FROM sources", [])
        return int(str(row[0])) if row else 1

    def _insert(self, batch: Batch, sha: str, source_id: int) -> int:
        total = 0
        counts: dict[str, int] = {}
        for name, frame in batch.tables.items():
            if frame.height == 0:
                continue
            arrow = frame.with_columns(pl.lit(source_id, pl.Int32).alias("source_id")).to_arrow()
            self.con.register("_incoming", arrow)
            try:
                cols = ", ".join(f'"{c}"' for c in arrow.column_names)
                self.con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _incoming")
            finally:
                self.con.unregister("_incoming")
            counts[name] = frame.height
            total += frame.height
        self.con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source_id,
                batch.path,
                Path(batch.path.split("!")[-1]).name,
                sha,
                batch.format,
                batch.edition,
                datetime.now().replace(microsecond=0),
                total,
                json.dumps(counts, sort_keys=True),
                json.dumps(list(batch.notes)),
            ],
        )
        return total

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
