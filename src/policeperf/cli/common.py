"""What every command shares: the warehouse option, progress bars, tables and error output.

Nothing heavy is imported here at module level (no Rich, DuckDB or Polars): ``policeperf --help``
must start fast. The consoles are created on first use, with Rich markup **off**, so that text
from data or the user (``[x]``, ``[/x]``, ``[bold]`` in a path, a cell or a force name) is
printed as it is, never parsed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from policeperf.cli.failures import check_warehouse_file, echo_error, warehouse_open_error
from policeperf.errors import PolicePerfError
from policeperf.warehouse.location import default_db_path

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console
    from rich.progress import Progress

    from policeperf.warehouse.store import Warehouse


class _LazyConsole:
    """A Rich console made when used (markup and highlighting off), so that Rich is imported
    only by commands that print with it, and each use sees the current streams and $COLUMNS."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr

    def get(self) -> Console:
        from rich.console import Console

        return Console(stderr=self._stderr, markup=False, highlight=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


console: Any = _LazyConsole(stderr=False)
err_console: Any = _LazyConsole(stderr=True)


@dataclass
class Options:
    """Global options, set by the top-level callback."""

    db: Path | None = None
    peer_groups: Path | None = None
    catalogue: tuple[Path, ...] = ()


OPTIONS = Options()


@contextmanager
def progress_bar(description: str, *, time_left: bool = False) -> Iterator[Progress]:
    """A Rich progress bar on standard error: live on a terminal; elsewhere (a log, a pipe) one
    line per task when the block ends. ``time_left`` adds the estimated time remaining.

    If the block fails, the bar is removed (on a terminal) or nothing is printed (elsewhere), so
    that the error line is the only thing on standard error.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    left = (TextColumn("left"), TimeRemainingColumn()) if time_left else ()
    stream = err_console.get()
    live = stream.is_terminal
    with Progress(
        TextColumn("{task.description}", style="bold", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        *left,
        console=stream,
        transient=False,
        disable=not live,
    ) as bar:
        try:
            yield bar
        except BaseException:
            bar.live.transient = True
            raise
    if not live:
        for task in bar.tasks:
            total = "" if task.total is None else f"/{task.total:,.0f}"
            stream.print(f"{task.description}: {task.completed:,.0f}{total} "
                         f"({task.finished_time or task.elapsed or 0:.1f} s)")


def load_callback(bar: Progress, label: str) -> Callable[[str, int, int], None]:
    """A progress callback for ingest: one task for reading, one for loading."""
    tasks: dict[str, Any] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(f"{label}: {step}", total=total)
        bar.update(tasks[step], completed=done, total=total)

    return update


def warehouse_path() -> Path:
    """The warehouse file named by --db, else $POLICEPERF_DB, else the user data folder."""
    return OPTIONS.db or default_db_path()


def _wait_message(message: str) -> None:
    err_console.print(message)


@contextmanager
def _opened(path: Path, *, write: bool) -> Iterator[Warehouse]:
    """Open the warehouse; a file that cannot be opened is a one-line error, and only errors of
    the opening itself are turned into one (an error in the caller's block passes through)."""
    from contextlib import ExitStack

    from policeperf.warehouse.access import reading, writing

    check_warehouse_file(path, write=write)  # a folder, an empty or foreign file: refused untouched
    with ExitStack() as stack:
        try:
            opener = writing(path, on_wait=_wait_message) if write else reading(path)
            warehouse = stack.enter_context(opener)
        except PolicePerfError:
            raise
        except Exception as exc:
            raise warehouse_open_error(path, write=write, error=exc) from exc
        yield warehouse


_SET_UP: set[tuple[tuple[int, int, int, int], bool]] = set()
"""Warehouse files this process has found set up, by (device, inode, size, modification time):
a command that opens the file again (to read after a write of its own) need not check again,
and any change to the file by anyone else means checking again."""


def _signature(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _needs_setup(path: Path, bootstrap: bool) -> bool:
    """True when the file is new, made by older code (a table missing) or lacks bundled data."""
    from policeperf.warehouse.bootstrap import missing_bundled

    if not path.exists():
        return True
    signature = _signature(path)
    if (signature, bootstrap) in _SET_UP or (signature, True) in _SET_UP:
        return False
    with _opened(path, write=False) as warehouse:
        needed = not warehouse.up_to_date() or (bootstrap and bool(missing_bundled(warehouse)))
    if not needed:
        _SET_UP.add((signature, bootstrap))
    return needed


@contextmanager
def open_warehouse(*, write: bool = False, bootstrap: bool = True) -> Iterator[Warehouse]:
    """The warehouse named by --db / POLICEPERF_DB / the default, built from bundled data if new.

    Read commands get a read-only connection to the live file, which never waits for a writer
    and never changes the file. ``write=True`` gives a writer (see
    :mod:`policeperf.warehouse.access`): its changes appear, all at once, when the block ends
    without error. A new or out-of-date file is set up first, by a write of its own. A file that
    is not a policeperf warehouse (another program's database, a folder, an empty, damaged,
    locked or read-only file where a write is needed) is a one-line error and is left untouched.
    """
    from policeperf.warehouse.bootstrap import ensure_bundled, missing_bundled

    path = warehouse_path()
    if _needs_setup(path, bootstrap):
        with _opened(path, write=True) as warehouse:
            if bootstrap and missing_bundled(warehouse):
                with progress_bar("building the warehouse from bundled ONS data") as bar:
                    ensure_bundled(warehouse, progress=load_callback(bar, "bundled data"))
        _SET_UP.add((_signature(path), bootstrap))
    with _opened(path, write=write) as warehouse:
        yield warehouse
    if write:  # our own write keeps every table and the bundled data: still set up
        _SET_UP.add((_signature(path), bootstrap))


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on standard error (plain text) and return the Exit to raise."""
    echo_error(message)
    return typer.Exit(code)


P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a user error into a message on standard error and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except PolicePerfError as exc:
            raise fail(str(exc)) from None

    return wrapper


def print_frame(frame: pl.DataFrame, title: str | None = None,
                units: dict[str, str] | None = None, caption: str | None = None,
                no_wrap: tuple[str, ...] = ()) -> None:
    """Print a frame as a Rich table with a title; a column with a unit shows it under its name;
    long cells wrap at spaces (never cut with an ellipsis), except the ``no_wrap`` columns."""
    from rich.table import Table

    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for name in frame.columns:
        unit = (units or {}).get(name)
        table.add_column(f"{name}\n({unit})" if unit else name, overflow="fold",
                         no_wrap=name in no_wrap)
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)
