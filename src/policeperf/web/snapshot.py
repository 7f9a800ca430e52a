"""Read one generation of the live warehouse file, read-only, from a long-running process.

The warehouse is written by copy and swap (:mod:`policeperf.warehouse.access`): a writer renames
a new file over the live one. A reader that opened the old file keeps reading it; one that opens
after the rename sees the new file. In a long-running process there is a catch: DuckDB keeps one
database instance per *path* while any connection to it is open, so a second
``duckdb.connect(path, read_only=True)`` made while a request still holds the old generation gets
the old generation too. Attaching the file to a fresh in-memory instance opens the file that is
at the path *now*, whatever else the process holds open. Nothing here writes.

A generation is told by the live file's (inode, modification time, size): a swap gives a new
inode, so a cache keyed by :func:`generation` never serves figures of a replaced file.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from policeperf.errors import PolicePerfError
from policeperf.warehouse.store import DUCKDB_CONFIG, Warehouse

__all__ = ["Generation", "SnapshotWarehouse", "generation"]

Generation = tuple[int, int, int]
"""(inode, modification time in ns, size) of the live warehouse file."""


def generation(path: Path) -> Generation:
    """The live file's generation; raises PolicePerfError when there is no warehouse there."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise PolicePerfError(f"{path}: no warehouse file here yet; run any policeperf command "
                              "(for example `policeperf sources`) to build it") from None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class SnapshotWarehouse(Warehouse):
    """A read-only :class:`Warehouse` over the file at ``path`` at the moment of opening.

    It is a Warehouse (``query``, ``sources``, ``con`` for the engine) whose connection is a
    private in-memory DuckDB instance with the file attached read-only and selected by ``USE``.
    """

    def __init__(self, path: Path | str) -> None:  # noqa: D107 - documented on the class
        self.path = Path(path)
        self.read_only = True
        self.con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
        literal = str(self.path).replace("'", "''")
        try:
            self.con.execute(f"ATTACH '{literal}' AS warehouse (READ_ONLY)")
            self.con.execute("USE warehouse")
            self._check_schema()
        except duckdb.Error as exc:
            self.con.close()
            raise PolicePerfError(f"{self.path}: cannot read the warehouse ({exc})") from None
        except BaseException:
            self.con.close()
            raise
