"""``policeperf download``: fetch the published files, then ingest them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from policeperf.cli.common import console, err_console, fail, handle_errors
from policeperf.cli.failures import echo_error

if TYPE_CHECKING:
    from rich.progress import Progress

    from policeperf.download import Report

_SOURCE_HELP = (
    "ons (ONS PFA data tables, every edition), police-uk (data.police.uk monthly archive, the "
    "latest) or offence-codes (Home Office prc-pfa open data table, the latest)."
)


class _Progress:
    """Bytes, rate and time left for each file: a live bar on a terminal, else a line every few
    seconds (and one when the file is done), so logs show progress too."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.bar: Progress | None = None
        self.tasks: dict[str, Any] = {}
        self.started: dict[str, tuple[float, int]] = {}
        self.last_line = 0.0

    def __enter__(self) -> _Progress:
        if err_console.is_terminal:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            bar = Progress(TextColumn("{task.description}", style="bold", markup=False),
                           BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                           TimeRemainingColumn(), console=err_console.get())
            bar.start()
            self.bar = bar
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, name: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        first_seen = name not in self.started
        if first_seen:
            self.started[name] = (now, done)
        if self.bar is not None:
            bar = self.bar
            if first_seen:
                self.tasks[name] = bar.add_task(name, total=total, completed=done)
            bar.update(self.tasks[name], completed=done, total=total)
            return
        finished = total is not None and done >= total
        if first_seen or finished or now - self.last_line >= self.every:
            self.last_line = now
            err_console.print(self._line(name, done, total, now))

    def _line(self, name: str, done: int, total: int | None, now: float) -> str:
        start, first = self.started[name]
        rate = (done - first) / (now - start) if now > start else 0.0
        text = f"{name}: {_size(done)}"
        if total:
            text += f" of {_size(total)} ({100 * done / total:.0f}%)"
        if rate > 0:
            text += f", {_size(rate)}/s"
            if total and total > done:
                text += f", {(total - done) / rate:.0f} s left"
        return text


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


@handle_errors
def download_command(
    source: Annotated[str, typer.Argument(help=_SOURCE_HELP)],
    since: Annotated[str | None, typer.Option(help="Only files covering this month (YYYY-MM) or "
                                              "later, every one of them.")] = None,
    until: Annotated[str | None, typer.Option(help="Only files covering up to this month "
                                              "(YYYY-MM).")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the downloads (files go to "
                                             "OUT/SOURCE; default: the policeperf data folder)."
                                             )] = None,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Download only; do not load "
                                            "the files into the warehouse.")] = False,
    url: Annotated[list[str] | None, typer.Option(help="Also fetch this URL (repeatable), e.g. "
                                                  "an edition not yet listed.")] = None,
    sources: Annotated[list[Path] | None, typer.Option(help="Your own sources file (repeatable; "
                                                       "default: $POLICEPERF_SOURCES).")] = None,
    mirror: Annotated[str | None, typer.Option(help="Fetch the listed files from this mirror "
                                               "(MIRROR/host/path; default: "
                                               "$POLICEPERF_DOWNLOAD_MIRROR).")] = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask the server again for files "
                                          "already downloaded, and report any that changed."
                                          )] = False,
    list_only: Annotated[bool, typer.Option("--list", help="Print the URLs that would be "
                                            "fetched, and stop.")] = False,
) -> None:
    """Download the published source files (resuming, checksummed), then ingest them.

    The URLs are listed in one place, policeperf/download/sources.yaml (docs/download.md).
    """
    from policeperf.cli.checks import check_choice
    from policeperf.download import SOURCE_NAMES, default_folder, download, parse_month, plan

    check_choice(source, "SOURCE", SOURCE_NAMES, "source")
    first = parse_month(since) if since else None
    last = parse_month(until, "--until") if until else None
    if list_only:
        for item in plan(source, since=first, until=last, urls=url, source_files=sources,
                         mirror=mirror):
            period = f"{item.period:%Y-%m}" if item.period else "-------"
            console.print(f"{period}  {item.url}", soft_wrap=True)
        return
    folder = out or default_folder()
    with _Progress() as progress:
        report = download(source, folder, since=first, until=last, urls=url,
                          source_files=sources, mirror=mirror, refresh=refresh,
                          progress=progress)
    _print_report(report)
    if report.ready and not no_ingest:
        _ingest(report.ready)
    if report.stopped:
        raise fail(report.stopped)
    if report.failed:
        tried = len(report.outcomes)
        raise fail(str(report.failed[0].error) if tried == 1 else
                   f"{len(report.failed)} of {tried} {source} files not downloaded (see above)")


def _print_report(report: Report) -> None:
    for outcome in report.outcomes:
        if outcome.ok:
            console.print(f"{outcome.status:>18}  {_size(outcome.size):>9}  {outcome.path}",
                          soft_wrap=True)
            for note in outcome.notes:
                console.print(f"{'':>18}  note: {outcome.item.name} {note}", highlight=False,
                              soft_wrap=True)
        elif not report.stopped and len(report.outcomes) > 1:
            echo_error(str(outcome.error))
    manifest = report.folder / "manifest.json"
    if manifest.exists():
        console.print(f"manifest: {manifest}", soft_wrap=True)


def _ingest(paths: list[Path]) -> None:
    """Load each file in one write to the warehouse; a file the ingest cannot read is reported
    and left out, the others are loaded."""
    from policeperf.cli.common import load_callback, open_warehouse, progress_bar
    from policeperf.errors import InputError
    from policeperf.ingest.load import ingest_paths

    problems: list[str] = []
    added = 0
    with open_warehouse(write=True) as warehouse, progress_bar("ingest") as bar:
        callback = load_callback(bar, "files")
        for path in paths:
            try:
                loaded = ingest_paths(warehouse, [path], progress=callback)
            except InputError as exc:
                problems.append(str(exc))
                continue
            added += loaded.rows_added
            for s in loaded.sources:
                console.print(f"{s.status:>18}  {s.format:<22} {s.rows:>10,} rows  {s.path}",
                              highlight=False, soft_wrap=True)
    console.print(f"{added:,} rows added to the warehouse")
    for problem in problems:
        echo_error(f"not ingested: {problem}")
    if problems:
        raise fail(f"{len(problems)} downloaded file(s) could not be ingested (kept on disk)")


def register(app: typer.Typer) -> None:
    """Add this command to the app."""
    app.command("download")(download_command)
