"""The manifest kept next to the downloads: each file's URL, SHA-256, size and when it came.

``manifest.json`` in the download folder::

    {"format": "policeperf-downloads/1",
     "files": {"pfajun22.xlsx": {"url": "...", "sha256": "...", "size": 287712,
                                 "downloaded_at": "2026-12-02T05:13:27+00:00",
                                 "etag": "...", "last_modified": "...",
                                 "previous": [{"sha256": "...", "size": 1, ...}]}}}

It is written atomically (a temporary file renamed over it), so an interrupted run leaves either
the old or the new manifest, never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from policeperf.errors import PolicePerfError

FILE_NAME = "manifest.json"
FORMAT = "policeperf-downloads/1"


@dataclass(frozen=True)
class Entry:
    """What is known of one downloaded file."""

    url: str
    sha256: str
    size: int
    downloaded_at: str
    etag: str | None = None
    last_modified: str | None = None
    previous: tuple[dict[str, Any], ...] = field(default=())


class Manifest:
    """The manifest of one download folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.entries: dict[str, Entry] = {}
        if self.path.exists():
            self._read()

    def _read(self) -> None:
        try:
            raw = json.loads(self.path.read_text("utf-8"))
            files = raw["files"] if raw.get("format") == FORMAT else None
            if not isinstance(files, dict):
                raise ValueError("no files")
            for name, entry in files.items():
                entry["previous"] = tuple(entry.get("previous") or ())
                self.entries[name] = Entry(**entry)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PolicePerfError(
                f"{self.path} is not a policeperf download manifest ({exc}); move it away and "
                "run the command again (the downloads will be checked afresh)") from None

    def get(self, name: str) -> Entry | None:
        return self.entries.get(name)

    def record(self, name: str, entry: Entry) -> None:
        """Set a file's entry (keeping the old checksum in ``previous`` if the bytes changed) and
        save the manifest."""
        old = self.entries.get(name)
        if old is not None and old.sha256 != entry.sha256:
            history = (*old.previous, {"sha256": old.sha256, "size": old.size,
                                       "downloaded_at": old.downloaded_at, "url": old.url})
            entry = Entry(**{**asdict(entry), "previous": history})
        elif old is not None:
            entry = Entry(**{**asdict(entry), "previous": old.previous})
        self.entries[name] = entry
        self.save()

    def save(self) -> None:
        files = {name: {k: (list(v) if k == "previous" else v) for k, v in asdict(e).items()}
                 for name, e in sorted(self.entries.items())}
        text = json.dumps({"format": FORMAT, "files": files}, indent=2) + "\n"
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
