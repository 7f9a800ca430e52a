"""Download fixtures: a local HTTP server serving real published files at their mirror paths."""

from __future__ import annotations

import functools
import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.download.site import Site, serving

from policeperf.download.catalogue import load_catalogue, mirrored

ROOT = Path(__file__).parents[2]
ONS = ROOT / "src" / "policeperf" / "data" / "ons-pfa-tables"
STREET = ROOT / "tests" / "fixtures" / "police_uk" / "2023-01-avon-and-somerset-street.csv.gz"
SMALL_ODS = ROOT / "tests" / "fixtures" / "offence_codes" / "small.ods"


def mirror_path(source: str, name: str) -> str:
    """The path at which a mirror serves the catalogue's file ``name`` of ``source``."""
    for item in load_catalogue().source(source).items:
        if item.name == name:
            return mirrored(item.url, "")
    raise KeyError(name)


@functools.cache
def police_uk_archive() -> bytes:
    """A data.police.uk monthly archive in the published layout (``YYYY-MM/YYYY-MM-force-
    street.csv``) holding one real street file: Avon and Somerset, January 2023, 12,566 crimes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2023-01/2023-01-avon-and-somerset-street.csv",
                         gzip.decompress(STREET.read_bytes()))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server is reached directly, whatever proxy the machine has."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("POLICEPERF_DOWNLOAD_MIRROR", raising=False)
    monkeypatch.delenv("POLICEPERF_SOURCES", raising=False)


@pytest.fixture
def site() -> Iterator[Site]:
    """Two real ONS workbooks (years ending September and December 2023) where ons.gov.uk serves
    them, and a police.uk archive where data.police.uk's archive link redirects (to S3)."""
    archive = "/policeuk-data.s3.amazonaws.com/archive/2023-01.zip"
    files = {
        mirror_path("ons", "pfatablessep23final.xlsx"): (ONS / "pfatablessep23final.xlsx")
        .read_bytes(),
        mirror_path("ons", "pfatablesyedec23.xlsx"): (ONS / "pfatablesyedec23.xlsx").read_bytes(),
        archive: police_uk_archive(),
        "/own/small.ods": SMALL_ODS.read_bytes(),
    }
    redirects = {"/data.police.uk/data/archive/2023-01.zip": archive}
    with serving(Site(files=files, redirects=redirects)) as served:
        yield served


def tree(folder: Path) -> list[str]:
    """The files under ``folder``, relative, sorted (for assertions)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
