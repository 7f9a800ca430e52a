"""One ``policeperf download`` run: choose the files, fetch each, and say what happened."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from policeperf.download.catalogue import (
    Catalogue,
    CatalogueError,
    Item,
    load_catalogue,
    mirrored,
    user_item,
)
from policeperf.download.fetch import Downloader, DownloadError, OfflineError, Outcome, Progress

SOURCES_ENV = "POLICEPERF_SOURCES"
MIRROR_ENV = "POLICEPERF_DOWNLOAD_MIRROR"


@dataclass(frozen=True)
class Report:
    """Every file's outcome, in the order tried; ``stopped`` says why the run ended early."""

    source: str
    folder: Path
    outcomes: tuple[Outcome, ...]
    skipped: tuple[Item, ...] = ()  # not tried because the server could not be reached
    stopped: str | None = None

    @property
    def ready(self) -> list[Path]:
        """The files now on disk, complete (downloaded now or before)."""
        return [o.path for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def default_folder() -> Path:
    """``$XDG_DATA_HOME/policeperf/downloads`` (``~/.local/share/policeperf/downloads``)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policeperf" / "downloads"


def user_source_files(given: list[Path] | None) -> list[Path]:
    """Sources files given with --sources, else the one named by ``$POLICEPERF_SOURCES``."""
    if given:
        return given
    env = os.environ.get(SOURCES_ENV)
    return [Path(p).expanduser() for p in env.split(os.pathsep) if p] if env else []


def plan(source: str, *, since: dt.date | None = None, until: dt.date | None = None,
         urls: list[str] | None = None, source_files: list[Path] | None = None,
         mirror: str | None = None, today: dt.date | None = None,
         catalogue: Catalogue | None = None) -> list[Item]:
    """The files a run would fetch, without fetching anything.

    Args:
        mirror: Fetch the catalogue's files from this mirror instead of the publishers (see
            :func:`~policeperf.download.catalogue.mirrored`); default
            ``$POLICEPERF_DOWNLOAD_MIRROR``. URLs given with ``urls`` are fetched as given.
    """
    cat = catalogue or load_catalogue(user_source_files(source_files))
    mirror = mirror or os.environ.get(MIRROR_ENV) or None
    items = cat.select(source, since=since, until=until, today=today)
    if mirror:
        items = [replace(i, url=mirrored(i.url, mirror)) for i in items]
    items += [user_item(source, u) for u in urls or []]
    names: dict[str, str] = {}
    for item in items:
        if names.setdefault(item.name, item.url) != item.url:
            raise CatalogueError(f"two {source} files would be saved as {item.name} "
                                 f"({names[item.name]} and {item.url}); give one a name: in a "
                                 "sources file")
    return items


def download(source: str, folder: Path, *, since: dt.date | None = None,
             until: dt.date | None = None, urls: list[str] | None = None,
             source_files: list[Path] | None = None, mirror: str | None = None,
             refresh: bool = False, progress: Progress | None = None,
             today: dt.date | None = None, catalogue: Catalogue | None = None) -> Report:
    """Fetch ``source``'s files into ``folder/source``; a failed file does not stop the others,
    but a server that cannot be reached at all ends the run (the rest are listed as skipped).
    Arguments as for :func:`plan`."""
    cat = catalogue or load_catalogue(user_source_files(source_files))
    items = plan(source, since=since, until=until, urls=urls, mirror=mirror, today=today,
                 catalogue=cat)
    target = folder / source
    downloader = Downloader(target, refresh=refresh, progress=progress,
                            page=cat.source(source).page)
    outcomes: list[Outcome] = []
    for k, item in enumerate(items):
        try:
            outcomes.append(downloader.fetch(item))
        except OfflineError as exc:
            outcomes.append(Outcome(item, target / item.name, "failed", error=str(exc)))
            return Report(source, target, tuple(outcomes), tuple(items[k + 1:]), str(exc))
        except DownloadError as exc:
            outcomes.append(Outcome(item, target / item.name, "failed", error=str(exc)))
    return Report(source, target, tuple(outcomes))
