"""What every command shares: the warehouse option, progress bars and error output."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

import polars as pl
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from policeperf.errors import PolicePerfError
from policeperf.warehouse.access import reading, writing
from policeperf.warehouse.bootstrap import ensure_bundled, missing_bundled
from policeperf.warehouse.location import default_db_path
from policeperf.warehouse.store import Warehouse

console = Console()
err_console = Console(stderr=True)


@dataclass
class Options:
    """Global options, set by the top-level callback."""

    db: Path | None = None
    peer_groups: Path | None = None
    catalogue: tuple[Path, ...] = ()


OPTIONS = Options()


@contextmanager
def progress_bar(description: str, *, time_left: bool = False) -> Iterator[Progress]:
    """A Rich progress bar on standard error (it also works when not attached to a terminal);
    ``time_left`` adds the estimated time remaining."""
    left = (TextColumn("left"), TimeRemainingColumn()) if time_left else ()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        *left,
        console=err_console,
        transient=False,
    ) as bar:
        yield bar


def load_callback(bar: Progress, label: str) -> Callable[[str, int, int], None]:
    """A progress callback for ingest: one task for reading, one for loading."""
    tasks: dict[str, TaskID] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(f"{label}: {step}", total=total)
        bar.update(tasks[step], completed=done, total=total)

    return update


def warehouse_path() -> Path:
    """The warehouse file named by --db, else $POLICEPERF_DB, else the user data folder."""
    return OPTIONS.db or default_db_path()


def _needs_setup(path: Path, bootstrap: bool) -> bool:
    """True when the file is new, made by older code (a table missing) or lacks bundled data."""
    if not path.exists():
        return True
    with reading(path) as warehouse:
        return not warehouse.up_to_date() or (bootstrap and bool(missing_bundled(warehouse)))


def _wait_message(message: str) -> None:
    err_console.print(message, highlight=False, markup=False)


@contextmanager
def open_warehouse(*, write: bool = False, bootstrap: bool = True) -> Iterator[Warehouse]:
    """The warehouse named by --db / POLICEPERF_DB / the default, built from bundled data if new.

    Read commands get a read-only connection to the live file, which never waits for a writer.
    ``write=True`` gives a writer (see :mod:`policeperf.warehouse.access`): its changes appear,
    all at once, when the block ends without error. A new or out-of-date file is set up first,
    by a write of its own.
    """
    path = warehouse_path()
    if _needs_setup(path, bootstrap):
        with writing(path, on_wait=_wait_message) as warehouse:
            if bootstrap and missing_bundled(warehouse):
                with progress_bar("building the warehouse from bundled ONS data") as bar:
                    ensure_bundled(warehouse, progress=load_callback(bar, "bundled data"))
    if write:
        with writing(path, on_wait=_wait_message) as warehouse:
            yield warehouse
    else:
        with reading(path) as warehouse:
            yield warehouse


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error on standard error and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
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


def print_frame(frame: pl.DataFrame, title: str | None = None) -> None:
    """Print a frame as a Rich table."""
    table = Table(title=title)
    for name in frame.columns:
        table.add_column(name)
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)
