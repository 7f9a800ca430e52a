"""Edit a report project's narrative safely: versioned saves, atomic writes, a history, conflicts.

The files an editor may change are the project's ``actions/<priority>.md``,
``comments/<priority>.md`` and ``accepted_drafts.yaml`` (see :mod:`policeperf.report.project`).

* **Versions.** A file's version is a hash of its bytes. An edit form carries the version it was
  made from; a save whose version is no longer the file's is refused with a :class:`Conflict`
  that holds both texts (theirs as saved, yours as sent). Nothing is lost: the editor chooses.
  Drafted comments are versioned per measure, so two editors accepting different drafts do not
  collide.
* **Atomic writes.** The new text goes to a temporary file in the same folder, is flushed to
  disk and renamed over the old one: a reader (or ``policeperf report``) sees the old file or the
  new one, never half of one. Saves to one project take turns on a lock file.
* **History.** Every save appends one JSON line to ``history.jsonl`` in the project folder: when,
  who, which file, what (edit, accept, reject), the versions before and after and both texts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policeperf.errors import PolicePerfError
from policeperf.textfiles import load_yaml

__all__ = [
    "DRAFTS_FILE",
    "HISTORY_FILE",
    "Conflict",
    "FileVersion",
    "ProjectFiles",
    "entry_version",
    "version_of",
]

DRAFTS_FILE = "accepted_drafts.yaml"
HISTORY_FILE = "history.jsonl"
LOCK_FILE = ".policeperf-edit.lock"
KINDS = ("actions", "comments")
ABSENT = "absent"


def version_of(data: bytes | None) -> str:
    """A file's version: the first 16 hex digits of the SHA-256 of its bytes ("absent" for none)."""
    return ABSENT if data is None else hashlib.sha256(data).hexdigest()[:16]


def entry_version(entry: dict[str, str] | None) -> str:
    """The version of one measure's entry in accepted_drafts.yaml ("absent" for none)."""
    if entry is None:
        return ABSENT
    return version_of(json.dumps(entry, sort_keys=True).encode())


@dataclass(frozen=True)
class FileVersion:
    """A file's text and the version it had when read."""

    path: str
    text: str
    version: str


@dataclass
class Conflict(Exception):
    """A save made from a version that is no longer current: both versions, nothing written."""

    path: str
    theirs: str
    theirs_version: str
    yours: str
    base_version: str
    changed_by: str | None = None
    changed_at: str | None = None


def _normalise(text: str) -> str:
    """Browser text as a file: "\\n" line ends, one newline at the end (none when empty)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text + "\n" if text.strip() else ""


class ProjectFiles:
    """The editable files of one report project folder."""

    def __init__(self, root: Path, priorities: tuple[str, ...]) -> None:
        self.root = root
        self.priorities = priorities

    def relative(self, kind: str, priority: str) -> str:
        """``actions/<priority>.md`` or ``comments/<priority>.md``; anything else is refused."""
        if kind not in KINDS or priority not in self.priorities:
            raise PolicePerfError(f"no editable file {kind}/{priority}.md in this project "
                                  f"(priorities: {', '.join(self.priorities)})")
        return f"{kind}/{priority}.md"

    def _read_bytes(self, relative: str) -> bytes | None:
        try:
            return (self.root / relative).read_bytes()
        except FileNotFoundError:
            return None

    def read(self, relative: str) -> FileVersion:
        """A file's current text and version."""
        data = self._read_bytes(relative)
        return FileVersion(relative, "" if data is None else data.decode("utf-8"),
                           version_of(data))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        work = path.with_name(f".{path.name}.{os.getpid()}.saving")
        with open(work, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(work, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def _record(self, entry: dict[str, Any]) -> None:
        entry = {"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **entry}
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        with open(self.root / HISTORY_FILE, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def _last_change(self, relative: str, measure: str | None = None
                     ) -> tuple[str | None, str | None]:
        for entry in reversed(self.history(limit=500)):
            if entry.get("file") == relative and (measure is None
                                                  or entry.get("measure") == measure):
                return entry.get("user"), entry.get("at")
        return None, None

    def save(self, relative: str, text: str, base_version: str, user: str) -> FileVersion:
        """Save a file edited from ``base_version``.

        Raises:
            Conflict: The file changed since ``base_version`` (nothing is written).
        """
        text = _normalise(text)
        with self._locked():
            current = self.read(relative)
            if current.version != base_version:
                who, when = self._last_change(relative)
                raise Conflict(relative, current.text, current.version, text, base_version,
                               who, when)
            if text == current.text:
                return current
            self._write(relative, text)
            saved = self.read(relative)
            self._record({"user": user, "file": relative, "action": "edit",
                          "before": current.version, "after": saved.version,
                          "old_text": current.text, "new_text": text})
        return saved

    # -- drafted comments ------------------------------------------------------------------

    def drafts(self) -> dict[str, dict[str, str]]:
        """accepted_drafts.yaml as {measure id: {"key": ..., "text": ...}} (empty if absent)."""
        data = self._read_bytes(DRAFTS_FILE)
        if not data:
            return {}
        raw = load_yaml(data.decode("utf-8")) or {}
        if not isinstance(raw, dict):
            raise PolicePerfError(f"{self.root / DRAFTS_FILE}: expected measure id: "
                                  "{key, text}")
        return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in raw.items()
                if isinstance(v, dict)}

    def decide_draft(self, measure: str, action: str, key: str, text: str | None,
                     base_version: str, user: str) -> None:
        """Accept a drafted comment as drafted ("accept"), with edited wording ("edit"), or
        take an acceptance back so it is a draft again ("reject").

        Raises:
            Conflict: Someone else decided this measure's draft since ``base_version``.
        """
        if action not in ("accept", "edit", "reject"):
            raise PolicePerfError(f"unknown action {action!r}; choose accept, edit or reject")
        wording = _normalise(text or "").strip()
        if action == "edit" and not wording:
            raise PolicePerfError("an edited comment needs some text")
        with self._locked():
            entries = self.drafts()
            current = entries.get(measure)
            if entry_version(current) != base_version:
                who, when = self._last_change(DRAFTS_FILE, measure)
                raise Conflict(f"{DRAFTS_FILE} ({measure})", _entry_text(current),
                               entry_version(current), wording or action, base_version,
                               who, when)
            new: dict[str, str] | None = None
            if action == "accept":
                new = {"key": key}
            elif action == "edit":
                new = {"key": key, "text": wording}
            if new is None:
                entries.pop(measure, None)
            else:
                entries[measure] = new
            before = self._read_bytes(DRAFTS_FILE)
            header = _leading_comments(before) or (
                "# Drafted comments accepted by an analyst (see docs/report.md); "
                "written by the dashboard.\n")
            body = yaml.safe_dump(dict(sorted(entries.items())), sort_keys=True,
                                  allow_unicode=True, width=100) if entries else ""
            self._write(DRAFTS_FILE, header + body)
            self._record({"user": user, "file": DRAFTS_FILE, "measure": measure,
                          "action": f"{action} draft", "before": version_of(before),
                          "after": version_of(self._read_bytes(DRAFTS_FILE)),
                          "old_text": _entry_text(current), "new_text": _entry_text(new)})

    def history(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest ``limit`` changes, oldest first."""
        try:
            lines = (self.root / HISTORY_FILE).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines[-limit:]:
            with contextlib.suppress(json.JSONDecodeError):
                entries.append(json.loads(line))
        return entries


def _leading_comments(data: bytes | None) -> str:
    """The comment lines that open a YAML file (kept when the dashboard rewrites it)."""
    lines = []
    for line in (data or b"").decode("utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


def _entry_text(entry: dict[str, str] | None) -> str:
    if entry is None:
        return "(not accepted: the draft is printed as a draft)"
    if "text" in entry:
        return f"accepted with edited wording: {entry['text']}"
    return "accepted as drafted"
