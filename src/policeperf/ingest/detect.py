"""Find the files behind the paths a user gives, and which adapter reads each.

Paths may be files, folders (searched recursively) or zip archives (members are read without the
user unpacking them; errors name them as ``archive.zip!2023-01/2023-01-kent-street.csv``).
"""

from __future__ import annotations

import importlib
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from policeperf.errors import InputError
from policeperf.ingest.schema import Batch

# Adapter modules in the order they are tried; each has looks_like(path) and read(path).
ADAPTER_MODULES = (
    "policeperf.ingest.ons_workbook",
    "policeperf.ingest.rec_crime_csv",
    "policeperf.ingest.police_uk",
    "policeperf.ingest.offence_codes",
    "policeperf.ingest.force_series",
)

FORMAT_HELP = (
    "an ONS Police Force Area data tables workbook (.xlsx), the ONS 2003-2018 PFA CSV, a "
    "data.police.uk street/outcomes/stop-and-search CSV, a Home Office offence-code table "
    "(CSV/XLSX/ODS) or a force series file (CSV/XLSX); or a folder or zip archive of them"
)

_SKIP_SUFFIXES = {".md", ".txt", ".json", ".yaml", ".yml", ".py", ".pdf", ".png"}


@dataclass(frozen=True)
class SourceFile:
    """A file to read: where it is on disk now, and the name to show the user."""

    path: Path
    display_name: str


def adapters() -> list[ModuleType]:
    """The adapter modules, imported."""
    return [importlib.import_module(name) for name in ADAPTER_MODULES]


def adapter_for(path: Path, display_name: str) -> ModuleType:
    """The adapter that recognises this file; InputError naming it when none does."""
    if not path.is_file():
        raise InputError("no such file", file=display_name)
    # data.police.uk files come in thousands: recognise them first. The result is the same as
    # trying the adapters in order: a police.uk header is exactly one of three fixed column sets,
    # which is no ONS workbook (a zip) and lacks the rolling-year CSV's columns.
    police_uk = importlib.import_module("policeperf.ingest.police_uk")
    if police_uk.looks_like(path):
        return police_uk
    for module in adapters():
        if module.looks_like(path):
            return module
    raise InputError("not a format policeperf reads", file=display_name, expected=FORMAT_HELP)


def read_file(source: SourceFile) -> Batch:
    """Read one file with its adapter; errors and the batch name ``source.display_name``."""
    module = adapter_for(source.path, source.display_name)
    try:
        batch: Batch = module.read(source.path)
    except InputError as exc:
        if exc.file == str(source.path) and source.display_name != str(source.path):
            raise InputError(exc.reason, file=source.display_name, sheet=exc.sheet, row=exc.row,
                             column=exc.column, expected=exc.expected) from exc
        raise
    return replace(batch, path=source.display_name)


@contextmanager
def expand(paths: list[Path]) -> Iterator[list[SourceFile]]:
    """Yield every readable file under ``paths``, unpacking zip archives to a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="policeperf-") as tmp:
        found: list[SourceFile] = []
        for path in paths:
            found.extend(_expand_one(path, Path(tmp)))
        yield found


def _expand_one(path: Path, tmp: Path) -> list[SourceFile]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        out: list[SourceFile] = []
        for file in files:
            if file.suffix.lower() not in _SKIP_SUFFIXES:
                out.extend(_expand_one(file, tmp))
        return out
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    if path.suffix.lower() == ".zip":
        return _expand_zip(path, tmp)
    return [SourceFile(path, str(path))]


def _expand_zip(path: Path, tmp: Path) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError("not a valid zip archive", file=str(path)) from exc
    target = tmp / f"{len(list(tmp.iterdir()))}-{path.stem}"
    out: list[SourceFile] = []
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = info.filename
            if info.is_dir() or Path(name).suffix.lower() in _SKIP_SUFFIXES:
                continue
            if Path(name).name.startswith(".") or "__MACOSX" in name:
                continue
            dest = target / name
            if not dest.resolve().is_relative_to(target.resolve()):
                raise InputError("archive member escapes the archive", file=f"{path}!{name}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(archive.read(info))
            out.append(SourceFile(dest, f"{path}!{name}"))
    return out
