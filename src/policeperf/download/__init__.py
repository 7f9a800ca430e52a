"""Download the published source files: the ONS PFA workbooks, data.police.uk archives and the
Home Office offence-code tables (see docs/download.md).

The URLs live in one place, ``sources.yaml`` beside this module (:mod:`.catalogue` reads it);
:mod:`.fetch` downloads with resume, checksums and a manifest; :func:`.run.download` runs one
source. This package only fetches files: the CLI ingests them with :mod:`policeperf.ingest`.
It imports only the standard library and PyYAML, so the CLI can load it at start-up.
"""

from policeperf.download.catalogue import (
    SOURCE_NAMES,
    Catalogue,
    CatalogueError,
    Item,
    load_catalogue,
    parse_month,
)
from policeperf.download.fetch import Downloader, DownloadError, OfflineError, Outcome
from policeperf.download.run import Report, default_folder, download, plan

__all__ = [
    "SOURCE_NAMES",
    "Catalogue",
    "CatalogueError",
    "DownloadError",
    "Downloader",
    "Item",
    "OfflineError",
    "Outcome",
    "Report",
    "default_folder",
    "download",
    "load_catalogue",
    "parse_month",
    "plan",
]
