"""Run the same Ibis expressions on DuckDB, Spark or PostgreSQL.

:func:`connect` returns an Ibis backend holding the warehouse tables the measures read: on DuckDB
the warehouse file itself (read-only); on Spark (``local[2]`` unless a session is given) the
tables exported as typed Parquet and registered as views, so that no CSV type inference happens
(Spark would read ``Month`` as a timestamp); on PostgreSQL the tables copied into a database.

Spark needs the ``[spark]`` extra (``pyspark``, ``ibis-framework[pyspark]``) and Java 17;
PostgreSQL needs ``ibis-framework[postgres]`` (Ibis 10+ drives PostgreSQL with psycopg 3) and a
server: pass ``postgres_url``, or use :class:`LocalPostgres` to start a throwaway one.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb
import ibis

from policeperf.warehouse.store import DUCKDB_CONFIG

Engine = Literal["duckdb", "spark", "postgres"]

# The views and tables record-level measures read.
MEASURE_TABLES = (
    "street_crime_current",
    "offence_code_crime_current",
    "denominators_current",
    "mid_year_estimates_current",
)


LOCAL_CORES = 2
# A local session's settings. The pass sends a few dozen small queries (thousands of rows each):
# Spark's default of 200 shuffle partitions makes every GROUP BY, window and join run 200 tasks
# for a few kilobytes, which is most of the time in local mode; one partition per core is enough
# at this size. Arrow turns results into Python frames in bulk rather than row by row. A session
# you pass (a cluster) keeps its own settings.
LOCAL_SPARK_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": str(LOCAL_CORES),
    "spark.default.parallelism": str(LOCAL_CORES),
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.driver.memory": "2g",
}


# Hadoop's glob characters (GlobPattern): Spark expands any path holding one as a pattern.
_HADOOP_GLOB = re.compile(r"([\\\[\]{}*?])")


def hadoop_literal(path: Path | str) -> str:
    """An absolute local path that Spark's readers take as it is, not as a glob pattern.

    Spark (through Hadoop's ``Globber``) expands every path holding ``[``, ``]``, ``{``, ``}``,
    ``*``, ``?`` or ``\\``; a folder named ``[x]`` then matches a folder named ``x`` or nothing
    ("Path does not exist"), and ``{a,b}`` two others. Each is escaped with a backslash, which
    the pattern reads as that very character (commas and spaces need nothing once ``{`` is
    escaped).
    """
    return _HADOOP_GLOB.sub(r"\\\1", os.path.abspath(path))


def export_parquet(db_path: Path | str, out_dir: Path | str,
                   tables: tuple[str, ...] = MEASURE_TABLES) -> dict[str, Path]:
    """Write each table/view of the warehouse to ``out_dir/<name>.parquet`` with its types."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        paths: dict[str, Path] = {}
        for name in tables:
            target = out / f"{name}.parquet"
            quoted = str(target).replace("'", "''")  # a folder may be named "O'Brien's"
            con.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' (FORMAT parquet)")
            paths[name] = target
        return paths
    finally:
        con.close()


def connect(
    engine: Engine,
    db_path: Path | str,
    *,
    work_dir: Path | str | None = None,
    spark_session: Any = None,
    postgres_url: str | None = None,
    tables: tuple[str, ...] = MEASURE_TABLES,
) -> Any:
    """An Ibis backend on ``engine`` with the warehouse ``tables`` available by name.

    Args:
        engine: "duckdb", "spark" or "postgres".
        db_path: The warehouse file.
        work_dir: Where Spark's Parquet export goes (a temporary folder if None).
        spark_session: An existing SparkSession (for a cluster or Databricks); else local[2].
        postgres_url: ``postgresql://user@host:port/db`` of a server to copy the tables into.
        tables: Which warehouse tables/views to make available.

    Returns:
        The Ibis backend; ``backend.table(name)`` gives each table.
    """
    if engine == "duckdb":
        # The same configuration as Warehouse: DuckDB refuses a second connection to a file that
        # is already open in this process with another configuration.
        return ibis.duckdb.connect(str(db_path), read_only=True, **DUCKDB_CONFIG)
    if engine == "spark":
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(f"local[{LOCAL_CORES}]").appName("policeperf")
        for key, value in LOCAL_SPARK_CONFIG.items():
            builder = builder.config(key, value)
        session = spark_session or builder.getOrCreate()
        folder = Path(work_dir or tempfile.mkdtemp(prefix="policeperf-spark-"))
        backend = ibis.pyspark.connect(session)
        for name, path in export_parquet(db_path, folder, tables).items():
            # What Ibis's read_parquet does, with the path made literal for Hadoop.
            session.read.parquet(hadoop_literal(path)).createOrReplaceTempView(name)
        return backend
    if engine == "postgres":
        if postgres_url is None:
            raise ValueError("postgres needs postgres_url (see LocalPostgres for a local server)")
        backend = ibis.connect(postgres_url)
        source = duckdb.connect(str(db_path), read_only=True)
        try:
            for name in tables:
                arrow = source.sql(f"SELECT * FROM {name}").to_arrow_table()
                backend.create_table(name, arrow)
        finally:
            source.close()
        return backend
    raise ValueError(f"unknown engine {engine!r}: use duckdb, spark or postgres")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LocalPostgres:
    """A throwaway PostgreSQL server in a temporary folder (``initdb`` + ``pg_ctl``).

    PostgreSQL refuses to run as root; as root the server runs as the ``postgres`` user.
    Use as a context manager; ``url`` is the connection URL.
    """

    def __init__(self, bin_dir: Path | str | None = None) -> None:
        found = shutil.which("pg_ctl")
        self.bin = Path(bin_dir) if bin_dir else (Path(found).parent if found else None)
        if self.bin is None or not (self.bin / "initdb").exists():
            raise FileNotFoundError("initdb/pg_ctl not found on PATH")
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="policeperf-pg-"))
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    def __enter__(self) -> LocalPostgres:
        assert self.bin is not None
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(self.dir / "log"),
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self.bin is not None
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
