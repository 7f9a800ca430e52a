"""Crash safety: an ingest killed with SIGKILL at random moments, many times. After every kill the
warehouse opens and holds exactly the content it had before the ingest or after it (row counts
and a content hash of every table), and the next write succeeds.

Writers are forked from a forkserver that has imported policeperf once, so each run starts in
milliseconds and the kills land inside the ingest (reading, inserting, checkpointing, renaming),
not inside Python's imports.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from pathlib import Path

import polars as pl

from policeperf.ingest.load import ingest_paths
from policeperf.warehouse.access import reading, writing

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
KILLS = 20  # kills when the machine is quick; past BUDGET_SECONDS only MIN_KILLS
MIN_KILLS = 8
BUDGET_SECONDS = 15.0
SEED = 20221231


def _month_file(folder: Path, month: str, rows: int) -> None:
    lines = [HEADER] + [
        f"id{month}{i},{month},Kent Police,Kent Police,0.{i % 90 + 10},51.{i % 80 + 10},"
        f"On or near Street {i},E0102{i % 1000:04d},Maidstone {i % 50:03d}A,Burglary,"
        "Under investigation," for i in range(rows)]
    (folder / f"{month}-kent-street.csv").write_text("\n".join(lines) + "\n")


def ingest(db: str, folder: str) -> None:
    """The writer: one ingest through the same path as ``policeperf ingest``."""
    with writing(Path(db)) as warehouse:
        ingest_paths(warehouse, [Path(folder)])


def _fingerprint(db: Path) -> pl.DataFrame:
    """Row counts and content hash of every table; for ``sources`` without the load time, which
    differs between two runs of the same ingest."""
    with reading(db) as warehouse:
        tables = warehouse.fingerprint().filter(pl.col("table") != "sources")
        sources = warehouse.con.execute(
            "SELECT count(*), coalesce(sum(hash(source_id, path, sha256, format, edition, rows, "
            "tables)), 0) FROM sources").fetchall()[0]
    return pl.concat([tables, pl.DataFrame(
        {"table": ["sources"], "rows": [int(sources[0])], "hash": [str(sources[1])]})])


def test_an_ingest_killed_at_random_moments_leaves_the_warehouse_before_or_after(
    tmp_path: Path,
) -> None:
    base_data, more_data = tmp_path / "base", tmp_path / "more"
    base_data.mkdir()
    more_data.mkdir()
    _month_file(base_data, "2021-01", 200)
    for m in range(1, 13):
        _month_file(more_data, f"2022-{m:02d}", 500)
    base = tmp_path / "base.duckdb"
    ingest(str(base), str(base_data))
    before = _fingerprint(base)

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["policeperf.ingest.load", "policeperf.warehouse.access"])
    done = tmp_path / "done.duckdb"
    for _ in range(2):  # the second run, with the forkserver warm, is the one timed
        done.write_bytes(base.read_bytes())
        started = time.monotonic()
        full = context.Process(target=ingest, args=(str(done), str(more_data)))
        full.start()
        full.join(60)
        duration = time.monotonic() - started
        assert full.exitcode == 0
    after = _fingerprint(done)
    assert not after.equals(before)

    rng = random.Random(SEED)
    outcomes = {"before": 0, "after": 0}
    live = tmp_path / "live.duckdb"
    deadline = time.monotonic() + BUDGET_SECONDS
    for kill in range(KILLS):
        if kill >= MIN_KILLS and time.monotonic() > deadline:
            # A slow (shared) machine: fewer kills rather than a slow suite, but never fewer
            # than MIN_KILLS (stopping at the deadline alone failed the count under load).
            break
        live.write_bytes(base.read_bytes())
        writer = context.Process(target=ingest, args=(str(live), str(more_data)))
        writer.start()
        time.sleep(rng.uniform(0.0, duration * 1.4))
        writer.kill()  # SIGKILL: no cleanup of any kind runs
        writer.join()
        state = _fingerprint(live)
        if state.equals(before):
            outcomes["before"] += 1
        else:
            assert state.equals(after), "a killed ingest left a third state"
            outcomes["after"] += 1
    assert sum(outcomes.values()) >= MIN_KILLS
    assert outcomes["before"] > 0  # some kills landed inside the ingest
    print(f"{sum(outcomes.values())} kills in a {duration:.2f} s ingest: {outcomes}")
    # The working copy a killed writer left is no obstacle: the next write completes.
    live.write_bytes(base.read_bytes())
    ingest(str(live), str(more_data))
    assert _fingerprint(live).equals(after)
    assert not list(tmp_path.glob(".live.duckdb.writing-*"))
