"""Readers never wait for writers; a write is all or nothing, whatever happens to its process."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from policeperf.errors import PolicePerfError
from policeperf.warehouse.access import WarehouseBusy, reading, writing


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _new_warehouse(path: Path) -> None:
    with writing(path) as warehouse:
        warehouse.con.execute("CREATE TABLE notes (n INTEGER)")
        warehouse.con.execute("INSERT INTO notes VALUES (1)")


def _notes(path: Path) -> list[int]:
    with reading(path) as warehouse:
        rows = warehouse.con.execute("SELECT n FROM notes ORDER BY n").fetchall()
    return [int(r[0]) for r in rows]


def test_a_write_appears_when_its_block_ends(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    with writing(db) as warehouse:
        warehouse.con.execute("INSERT INTO notes VALUES (2)")
        assert _notes(db) == [1]  # not yet visible to a reader
    assert _notes(db) == [1, 2]


def test_a_reader_open_before_a_write_keeps_reading_the_old_file(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    with reading(db) as before:
        with writing(db) as warehouse:
            warehouse.con.execute("INSERT INTO notes VALUES (2)")
        assert before.con.execute("SELECT count(*) FROM notes").fetchone() == (1,)
    assert _notes(db) == [1, 2]


def test_a_failed_write_leaves_the_file_byte_for_byte_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    before = _digest(db)
    with pytest.raises(RuntimeError), writing(db) as warehouse:
        warehouse.con.execute("INSERT INTO notes VALUES (2)")
        raise RuntimeError("interrupted")
    assert _digest(db) == before
    assert [p.name for p in tmp_path.iterdir() if ".writing-" in p.name] == []


def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    before, mtime = _digest(db), db.stat().st_mtime_ns
    for _ in range(3):
        assert _notes(db) == [1]
    assert (_digest(db), db.stat().st_mtime_ns) == (before, mtime)


def test_a_duckdb_file_that_is_not_a_warehouse_is_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE accounts (id INTEGER)")
    con.close()
    before = _digest(foreign)
    with pytest.raises(PolicePerfError, match="not a policeperf warehouse"), reading(foreign):
        pass
    assert _digest(foreign) == before


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    messages: list[str] = []
    with writing(db), pytest.raises(WarehouseBusy, match="is writing the warehouse"):
        with writing(db, timeout=0.3, on_wait=messages.append):
            pass
    assert messages and messages[0].startswith("waiting for policeperf process")


_SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from policeperf.warehouse.access import writing
    with writing(sys.argv[1]) as warehouse:
        warehouse.con.execute("INSERT INTO notes SELECT range FROM range(100, 200)")
        print("writing", flush=True)
        time.sleep(60)
""")


def test_readers_in_other_processes_work_while_a_write_is_open_and_a_killed_writer_changes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    _new_warehouse(db)
    before = _digest(db)
    writer = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        reader = subprocess.run(
            [sys.executable, "-c", "import sys; from policeperf.warehouse.access import reading\n"
             "with reading(sys.argv[1]) as w: print(w.con.execute('SELECT count(*) FROM notes')"
             ".fetchone()[0])", str(db)],
            capture_output=True, text=True, timeout=60, check=True)
        assert reader.stdout.strip() == "1"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert _digest(db) == before
    start = time.monotonic()
    with writing(db, timeout=10) as warehouse:  # the dead writer's lock is gone with it
        warehouse.con.execute("INSERT INTO notes VALUES (2)")
    assert time.monotonic() - start < 10
    assert _notes(db) == [1, 2]
    assert [p.name for p in tmp_path.iterdir() if ".writing-" in p.name] == []
