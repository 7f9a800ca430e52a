"""Find the files behind the paths a user gives, and which adapter reads each.

Paths may be files, folders (searched recursively) or zip archives (members are read without the
user unpacking them; errors name them as ``archive.zip!2023-01/2023-01-kent-street.csv``).
"""

from __future__ import annotations

import codecs
import gzip
import importlib
import lzma
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from policeperf import limits
from policeperf.errors import InputError, InputErrors
from policeperf.ingest.schema import Batch
from policeperf.textfiles import check_readable

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
    "(CSV/XLSX/ODS) or a force series file (CSV/XLSX/ODS); or a folder or zip archive of them"
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
    """The adapter that recognises this file; InputError naming it when none does.

    Text that is not UTF-8-compatible (UTF-16) or whose lines end in a bare CR is named as such;
    a CSV whose header is close to one format's (half its columns or more) gets that format's
    own error, naming the missing or unknown column.
    """
    check_readable(path, display_name)
    _check_text(path, display_name)
    # data.police.uk files come in thousands: recognise them first. The result is the same as
    # trying the adapters in order: a police.uk header is exactly one of three fixed column sets,
    # which is no ONS workbook (a zip) and lacks the rolling-year CSV's columns.
    police_uk = importlib.import_module("policeperf.ingest.police_uk")
    if police_uk.looks_like(path):
        return police_uk
    for module in adapters():
        if module.looks_like(path):
            return module
    _near_miss(path, display_name)
    raise InputError("not a format policeperf reads", file=display_name, expected=FORMAT_HELP)


_SNIFF = 65536


def _head(path: Path) -> bytes:
    """The first 64 KiB of the file's text (decompressed when it is gzip)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as stream:
                head = stream.read(_SNIFF)
        except (OSError, EOFError):
            return b""
    return head


def _check_text(path: Path, name: str) -> None:
    """Refuse UTF-16 text and CR-only line ends, which no CSV reader here would parse."""
    head = _head(path)
    if head[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return  # a workbook
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4096]:
        raise InputError("is UTF-16 text" if b"\x00" in head[:4096] or head[:2] in (
            codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "is binary", file=name,
            expected="UTF-8 CSV text (save it as 'CSV UTF-8')")
    if b"\r" in head and b"\n" not in head:
        raise InputError("lines end with a carriage return only (old Mac format)", file=name,
                         expected="lines ending in LF or CRLF (save it as 'CSV UTF-8')")


def _near_miss(path: Path, name: str) -> None:
    """If the CSV header is close to a format's, raise that format's own header error."""
    from policeperf.ingest import _tabular, force_series, offence_codes, police_uk, rec_crime_csv

    try:
        header = _tabular.csv_header(path)
    except (OSError, EOFError):
        return
    if not header or _tabular.is_spreadsheet(_head(path)[:8]):
        return
    folded_uk = {police_uk.fold(h) for h in header}
    best_uk = max(len(folded_uk & set(cols)) / len(cols) for cols in police_uk.HEADERS.values())
    folded = {_tabular.fold(h) for h in header}
    rec = len({_tabular.fold(c) for c in rec_crime_csv.COLUMNS} & folded) / 5

    def score(wanted: dict[str, tuple[str, ...]], optional: frozenset[str]) -> float:
        required = [n for n in wanted if n not in optional]
        found = [n for n in required if any(_tabular.fold(a) in folded for a in wanted[n])]
        return len(found) / len(required)

    candidates = [
        (best_uk, police_uk), (rec, rec_crime_csv),
        (score(offence_codes.COLUMNS, offence_codes.OPTIONAL), offence_codes),
        (score(force_series.COLUMNS, force_series.OPTIONAL), force_series),
    ]
    best, module = max(candidates, key=lambda c: c[0])
    if best >= 0.5:
        module.read(path, display_name=name)  # raises its own error naming the column


def read_file(source: SourceFile) -> Batch:
    """Read one file with its adapter; errors and the batch name ``source.display_name``."""
    module = adapter_for(source.path, source.display_name)
    try:
        batch: Batch = module.read(source.path)
    except InputErrors as exc:
        if exc.file == str(source.path) and source.display_name != str(source.path):
            raise exc.renamed(source.display_name) from exc
        raise
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
    if not path.exists() and not path.is_symlink():
        raise InputError("no such file or folder", file=str(path))
    check_readable(path, folder_ok=True)
    if path.is_dir():
        out: list[SourceFile] = []
        for file in _walk(path):
            out.extend(_expand_one(file, tmp))
        if not out:
            raise InputError("the folder holds no files to read", file=str(path),
                             expected=FORMAT_HELP)
        return out
    if path.suffix.lower() == ".zip":
        return _expand_zip(path, tmp)
    return [SourceFile(path, str(path))]


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder`` that could be data, sorted; hidden files and folders and
    notes (.md, .txt...) are skipped; symbolic links to folders are not followed. A sub-folder
    that cannot be listed is an error, not silently skipped."""

    def fail(exc: OSError) -> None:
        raise InputError(f"cannot be listed: {exc.strerror}", file=str(exc.filename)) from exc

    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=fail):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() not in _SKIP_SUFFIXES:
                found.append(Path(root) / name)
    return sorted(found)


def _expand_zip(path: Path, tmp: Path) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a valid zip archive ({exc})", file=str(path)) from exc
    target = tmp / f"{len(list(tmp.iterdir()))}-{path.stem}"
    out: list[SourceFile] = []
    with archive:
        members = archive.infolist()
        if len(members) > limits.ZIP_MAX_MEMBERS:
            raise InputError(f"has {len(members):,} members, more than "
                             f"{limits.ZIP_MAX_MEMBERS:,}", file=str(path),
                             expected="an archive within the limits of docs/reliability.md")
        total = 0
        for info in sorted(members, key=lambda i: i.filename):
            name = info.filename
            if info.is_dir() or Path(name).suffix.lower() in _SKIP_SUFFIXES:
                continue
            if Path(name).name.startswith(".") or "__MACOSX" in name:
                continue
            where = f"{path}!{name}"
            _check_member(info, where)
            total += info.file_size
            if total > limits.ZIP_MAX_TOTAL_BYTES:
                raise InputError(f"members add up to more than "
                                 f"{_bytes(limits.ZIP_MAX_TOTAL_BYTES)} uncompressed",
                                 file=str(path), expected="a smaller archive (split it)")
            dest = target / name
            if not dest.resolve().is_relative_to(target.resolve()):
                raise InputError("archive member escapes the archive", file=where)
            dest.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, info, dest, where)
            out.append(SourceFile(dest, where))
    if not out:
        raise InputError("the archive holds no files to read", file=str(path),
                         expected=FORMAT_HELP)
    return out


def _bytes(size: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):g} {unit}"
    return f"{size} bytes"


_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _check_member(info: zipfile.ZipInfo, where: str) -> None:
    """Refuse a member before reading it: encrypted, unknown method, long name, too big."""
    if len(info.filename.encode("utf-8", "replace")) > limits.ZIP_MAX_NAME_BYTES:
        raise InputError(f"member name longer than {limits.ZIP_MAX_NAME_BYTES} bytes",
                         file=where[:200] + "...")
    if info.flag_bits & 0x1:
        raise InputError("member is encrypted", file=where, expected="an archive without a "
                         "password")
    if info.compress_type not in _METHODS:
        raise InputError(f"member uses compression method {info.compress_type}, which "
                         "policeperf cannot unpack", file=where,
                         expected="stored, deflate, bzip2 or LZMA members")
    if info.file_size > limits.ZIP_MAX_MEMBER_BYTES:
        raise InputError(f"member is {info.file_size:,} bytes uncompressed, more than "
                         f"{_bytes(limits.ZIP_MAX_MEMBER_BYTES)}", file=where)
    if (info.file_size > limits.ZIP_RATIO_MIN_BYTES
            and info.file_size > limits.ZIP_MAX_RATIO * max(info.compress_size, 1)):
        raise InputError(f"member inflates {info.file_size // max(info.compress_size, 1):,} "
                         f"times, more than {limits.ZIP_MAX_RATIO} (a zip bomb?)", file=where)


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, where: str) -> None:
    """Copy a member to ``dest`` a megabyte at a time, never more bytes than its header says
    (a member whose data inflate beyond its stated size is refused); a bad CRC or corrupt data
    are one-line errors."""
    written = 0
    try:
        with archive.open(info) as source, dest.open("wb") as sink:
            while block := source.read(1 << 20):
                written += len(block)
                if written > info.file_size:
                    raise InputError("member holds more data than its header says", file=where)
                sink.write(block)
    except InputError:
        raise
    except zipfile.BadZipFile as exc:
        raise InputError(f"member is corrupt ({exc})", file=where) from exc
    except (zlib.error, EOFError, lzma.LZMAError, OSError, ValueError) as exc:
        raise InputError(f"member cannot be unpacked ({exc})", file=where) from exc
    except (NotImplementedError, RuntimeError) as exc:
        raise InputError(f"member cannot be unpacked ({exc})", file=where) from exc
