"""How processes share the warehouse file: readers never wait, writers take turns.

DuckDB lets one process open a file read-write, or many open it read-only, never both: a second
process (the dashboard, or ``policeperf sources`` while an ingest runs) would die on DuckDB's
lock. policeperf therefore never opens the live file read-write:

* **Readers** open the live file read-only (:func:`reading`). Any number of processes can.
* **A writer** (:func:`writing`) takes an exclusive lock on ``<file>.lock`` (writers take turns),
  copies the live file to a private working copy next to it, opens the copy read-write, and when
  its block ends without error checkpoints and closes the copy, flushes it to disk and renames it
  over the live file (``os.replace``, atomic on POSIX). Readers that opened the old file keep
  reading it, whole and unchanged, until they close it; readers that open after the rename see
  the new one. If the writer fails, is interrupted or is killed at any moment, the live file is
  untouched: the warehouse is always exactly as it was before the write or after it. A working
  copy left behind by a killed writer is removed by the next writer.

The copy costs one file copy per write (the bundled ONS data make a file of about 3 MB; 20
million record-level rows about 1 GB, copied in about a second on this machine); a write into a
new warehouse copies nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from policeperf.errors import PolicePerfError
from policeperf.warehouse.store import Warehouse

__all__ = ["WarehouseBusy", "reading", "writing"]

_WORKING = ".writing-"


class WarehouseBusy(PolicePerfError):
    """Another process is writing the warehouse and did not finish in time."""


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_copies(path: Path) -> None:
    """Working copies of writers that were killed (we hold the lock, so none is in use)."""
    for stale in path.parent.glob(f".{path.name}{_WORKING}*"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextmanager
def _exclusive(lock: Path, *, timeout: float | None,
               on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (created if needed) for the block."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            if on_wait is not None:
                on_wait(f"waiting for {holder} to finish writing the warehouse")
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise WarehouseBusy(
                            f"{lock.with_suffix('')}: {holder} is writing the warehouse; try "
                            "again when it has finished") from None
                    time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"policeperf process {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def writing(
    path: Path | str,
    *,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Warehouse]:
    """Open the warehouse for a write; the write becomes visible when the block ends.

    Args:
        path: The live warehouse file (created by the write if it does not exist).
        timeout: Seconds to wait for another writer; None waits as long as it takes.
        on_wait: Called once with a message when another writer must be waited for.

    Yields:
        A read-write :class:`Warehouse` on a private working copy; its ``path`` is the live file.

    Raises:
        WarehouseBusy: Another writer held the lock for longer than ``timeout``.
    """
    live = Path(path)
    live.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(_lock_path(live), timeout=timeout, on_wait=on_wait):
        _remove_stale_copies(live)
        work = live.with_name(f".{live.name}{_WORKING}{os.getpid()}")
        try:
            if live.exists():
                shutil.copyfile(live, work)
            with Warehouse(work) as warehouse:
                warehouse.path = live
                yield warehouse
                warehouse.con.execute("CHECKPOINT")
            _fsync(work)
            os.replace(work, live)
            _fsync(live.parent)
        finally:
            for leftover in (work, work.with_name(work.name + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


@contextmanager
def reading(path: Path | str) -> Iterator[Warehouse]:
    """Open the live warehouse read-only: never waits for a writer, never changes the file."""
    with Warehouse(path, read_only=True) as warehouse:
        yield warehouse
