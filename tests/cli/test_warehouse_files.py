"""Read commands open the warehouse read-only and never change it; a file that is not a usable
warehouse (another program's, a folder, empty, truncated, damaged, locked, read-only for a
write) is a one-line error and is left exactly as it was."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner, Result

from policeperf.cli import app

STREET = Path(__file__).parents[1] / "fixtures" / "police_uk" / (
    "2023-01-avon-and-somerset-street.csv.gz")

READ_COMMANDS = [
    ["sources"],
    ["sources", "--format", "json"],
    ["forces"],
    ["check", "--force", "kent"],
    ["revisions", "--force", "kent"],
    ["export", "recorded-crime"],
    ["measures", "--force", "kent", "--period", "2022-06", "--format", "json"],
    ["explain", "residential_burglary", "--force", "kent", "--period", "2022-06"],
    ["peers", "show", "kent"],
]


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in the folder with a hash of its bytes and its modification time."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "other",
                     p.lstat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def _one_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_a_read_command_leaves_the_warehouse_folder_unchanged(args: list[str], db: Path) -> None:
    before = _state(db.parent)
    result = _run(db, *args)
    assert result.exit_code == 0, result.output
    assert _state(db.parent) == before


def test_a_read_only_warehouse_in_a_read_only_folder_can_be_listed(db: Path) -> None:
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        result = _run(db, "sources", "--format", "json")
        assert result.exit_code == 0, result.output
        assert "pfajun22.xlsx" in result.stdout
        refused = _one_error(_run(db, "ingest", str(STREET)))
        assert "read-only" in refused and "read commands still work" in refused
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _folder(path: Path) -> None:
    path.mkdir()


def _sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (x)")


def _foreign_duckdb(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.close()


def _text(path: Path) -> None:
    path.write_text("month,force\n2023-01,Kent\n")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    # A FIFO and /dev/zero were called "an empty file (0 bytes)".
    "FIFO": (_fifo, "is a FIFO (named pipe), not a file"),
    "character device": (_device, "is a character device, not a file"),
    "zero-byte": (_empty, "empty file (0 bytes)"),
    "folder": (_folder, "is a folder"),
    "sqlite": (_sqlite, "is a SQLite database"),
    "another duckdb": (_foreign_duckdb, "not a policeperf warehouse"),
    "text": (_text, "not a DuckDB file"),
}


@pytest.mark.parametrize("command", [["sources"], ["ingest", str(STREET)]], ids=" ".join)
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_a_warehouse_is_refused_untouched(
    kind: str, command: list[str], tmp_path: Path
) -> None:
    make, words = BAD_FILES[kind]
    path = tmp_path / "warehouse.duckdb"
    make(path)
    before = _state(tmp_path)
    line = _one_error(_run(path, *command))
    assert words in line and str(path) in line
    assert _state(tmp_path) == before


def test_a_truncated_warehouse_is_a_one_line_error(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    before = _state(db.parent)
    line = _one_error(_run(db, "sources"))
    assert "damaged or truncated" in line
    assert _state(db.parent) == before


@pytest.mark.parametrize("offset", [5000, 1_000_000])
def test_a_damaged_warehouse_is_a_one_line_error(offset: int, db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xff" * 200_000)
    before = _state(db.parent)
    line = _one_error(_run(db, "measures", "--force", "kent", "--period", "2022-06"))
    assert "damaged" in line
    assert _state(db.parent) == before


@pytest.fixture
def locked(db: Path) -> Iterator[Path]:
    """The warehouse held open read-write by another program (a DuckDB lock)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time\n"
         f"con = duckdb.connect({str(db)!r})\nprint('open', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield db
    finally:
        holder.kill()
        holder.wait()
        time.sleep(0.1)


def test_a_locked_warehouse_is_a_one_line_error(locked: Path) -> None:
    line = _one_error(_run(locked, "sources"))
    assert "locked by another program" in line


def test_a_missing_warehouse_is_not_built_to_list_forces(tmp_path: Path) -> None:
    path = tmp_path / "new" / "warehouse.duckdb"
    result = _run(path, "forces", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not path.exists()
