"""Download published files over HTTP(S): resume, checksums, a manifest, one-line errors.

A file is written to ``NAME.part`` as it arrives (with ``NAME.part.json`` holding the URL and the
server's validators) and renamed to ``NAME`` only when every byte the server announced has come.
The next run resumes a ``.part`` with an HTTP Range request (``If-Range`` makes the server send
the whole file again if it changed meanwhile). Each finished file's SHA-256 and size go into the
folder's manifest (:mod:`policeperf.download.manifest`); a file already there with the same bytes
is not fetched again, and with ``refresh`` the server is asked whether it changed (a changed file
is reported, with both checksums).

Only the standard library is used (``urllib``; proxies from ``HTTPS_PROXY`` and friends).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from policeperf.download.catalogue import Item
from policeperf.download.manifest import Entry, Manifest, now, sha256_of
from policeperf.errors import PolicePerfError

# progress(file name, bytes so far, total bytes or None when the server does not say)
Progress = Callable[[str, int, int | None], None]

USER_AGENT = "policeperf-download/1 (+https://github.com/policeperf)"
CHUNK = 1 << 16
TIMEOUT = 60.0


class DownloadError(PolicePerfError):
    """A file could not be downloaded; the message says which, why and what to do."""


class OfflineError(DownloadError):
    """The publisher's server cannot be reached at all (no network, refused, DNS, timeout)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one file."""

    item: Item
    path: Path
    status: str  # downloaded | resumed | already downloaded | unchanged | changed | failed
    size: int = 0
    sha256: str | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Downloader:
    """Downloads items into ``folder`` and keeps its manifest."""

    folder: Path
    refresh: bool = False
    progress: Progress | None = None
    page: str = ""  # the source's page, named in error messages
    timeout: float = TIMEOUT
    opener: urllib.request.OpenerDirector = field(default_factory=urllib.request.build_opener)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest = Manifest(self.folder)

    def fetch(self, item: Item) -> Outcome:
        """Download one item (or find it already here); DownloadError when it cannot be had."""
        final = self.folder / item.name
        entry = self.manifest.get(item.name)
        conditional: Entry | None = None
        if final.exists():
            sha = sha256_of(final)
            if entry is None:
                if item.sha256 != sha:
                    raise DownloadError(
                        f"{final} is already there and was not downloaded by policeperf: it is "
                        "not overwritten; move it away or choose another --out")
                entry = self._adopt(item, final, sha)
            elif entry.sha256 != sha and not self.refresh:
                raise DownloadError(
                    f"{final} has changed since policeperf downloaded it (the manifest has sha256 "
                    f"{entry.sha256[:12]}..., the file {sha[:12]}...): it is not overwritten; "
                    "delete it, or use --refresh to download it again")
            if not self.refresh:
                return Outcome(item, final, "already downloaded", entry.size, entry.sha256,
                               self._known_notes(item, entry.sha256, entry.size))
            if entry.sha256 == sha:
                conditional = entry
        return self._download(item, final, entry, conditional)

    def _adopt(self, item: Item, final: Path, sha: str) -> Entry:
        entry = Entry(item.url, sha, final.stat().st_size, now())
        self.manifest.record(item.name, entry)
        return entry

    def _download(self, item: Item, final: Path, entry: Entry | None,
                  conditional: Entry | None) -> Outcome:
        part = final.with_name(final.name + ".part")
        meta_path = final.with_name(final.name + ".part.json")
        meta = _read_meta(meta_path)
        offset = part.stat().st_size if part.exists() and meta.get("url") == item.url else 0
        if offset == 0:
            part.unlink(missing_ok=True)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            validator = meta.get("etag") or meta.get("last_modified")
            if validator:
                headers["If-Range"] = validator
        elif conditional is not None:
            if conditional.etag:
                headers["If-None-Match"] = conditional.etag
            if conditional.last_modified:
                headers["If-Modified-Since"] = conditional.last_modified
        try:
            response = self.opener.open(urllib.request.Request(item.url, headers=headers),
                                        timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304 and conditional is not None:
                return Outcome(item, final, "unchanged", conditional.size, conditional.sha256)
            if exc.code == 416 and offset:
                part.unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
                return self._download(item, final, entry, conditional)
            raise DownloadError(self._http_message(item, exc.code, exc.reason)) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise OfflineError(_offline_message(item.url, exc)) from None
        with response:
            status = response.status
            length = response.headers.get("Content-Length")
            if status == 206:
                start, total = _content_range(response.headers.get("Content-Range"))
                if start != offset:
                    raise DownloadError(f"{item.url}: the server resumed at byte {start} instead "
                                        f"of {offset}; delete {part} and run the command again")
            else:
                offset = 0
                total = int(length) if length and length.isdigit() else None
            _write_meta(meta_path, item.url, response.headers, total)
            received = self._stream(response, part, offset, total, item)
        if total is not None and received != total:
            raise DownloadError(
                f"{item.url}: the connection closed after {received:,} of {total:,} bytes; run "
                f"the command again to resume ({part.name} is kept)")
        return self._finish(item, final, part, meta_path, entry, resumed=offset > 0,
                            etag=response.headers.get("ETag"),
                            last_modified=response.headers.get("Last-Modified"))

    def _stream(self, response: http.client.HTTPResponse, part: Path, offset: int,
                total: int | None, item: Item) -> int:
        """Append the body to ``part``; returns the bytes in ``part`` when the body ends."""
        done = offset
        if self.progress:
            self.progress(item.name, done, total)
        with part.open("ab" if offset else "wb") as out:
            while True:
                try:
                    block = response.read(CHUNK)
                except (http.client.IncompleteRead, OSError) as exc:
                    out.flush()
                    raise DownloadError(
                        f"{item.url}: the connection broke after {done:,} bytes "
                        f"({_reason(exc)}); run the command again to resume ({part.name} is "
                        "kept)") from None
                if not block:
                    break
                out.write(block)
                done += len(block)
                if self.progress:
                    self.progress(item.name, done, total)
        return done

    def _finish(self, item: Item, final: Path, part: Path, meta_path: Path,
                entry: Entry | None, *, resumed: bool, etag: str | None,
                last_modified: str | None) -> Outcome:
        sha = sha256_of(part)
        size = part.stat().st_size
        notes = list(self._known_notes(item, sha, size))
        status = "resumed" if resumed else "downloaded"
        if entry is not None:
            if entry.sha256 == sha:
                status = "unchanged"
            else:
                status = "changed"
                notes.append(f"its bytes changed since the download of {entry.downloaded_at}: "
                             f"sha256 {entry.sha256[:12]}... -> {sha[:12]}... "
                             f"({entry.size:,} -> {size:,} bytes)")
        os.replace(part, final)
        meta_path.unlink(missing_ok=True)
        self.manifest.record(item.name, Entry(item.url, sha, size, now(), etag, last_modified))
        return Outcome(item, final, status, size, sha, tuple(notes))

    @staticmethod
    def _known_notes(item: Item, sha: str, size: int) -> tuple[str, ...]:
        """Differences from the bytes policeperf knows for this file, if it knows them."""
        if item.sha256 and item.sha256 != sha:
            return (f"it differs from the copy policeperf knows (sha256 {item.sha256[:12]}..., "
                    f"{item.size or 0:,} bytes; this one {sha[:12]}..., {size:,} bytes): the "
                    "publisher may have revised it",)
        if item.size is not None and item.size != size:
            return (f"its size {size:,} differs from the published size {item.size:,}",)
        return ()

    def _http_message(self, item: Item, code: int, reason: str) -> str:
        page = f" on {self.page}" if self.page else ""
        if code == 404 and item.pattern:
            return (f"{item.url} answered 404 Not Found: that month is not published (yet, or any "
                    f"more); see which are{page}, and choose them with --since")
        if code in (404, 410):
            return (f"{item.url} answered {code} {reason}: the publisher has moved or withdrawn "
                    f"the file; find its current link{page} and give it with --url (or add it to "
                    "a sources file, see docs/download.md)")
        if code in (401, 403):
            return (f"{item.url} answered {code} {reason}: the server refused the download; "
                    f"try again later, or download it in a browser{page} and run "
                    "`policeperf ingest FILE`")
        return (f"{item.url} answered {code} {reason}: try again later; if it persists, check "
                f"the link{page}")


def _content_range(value: str | None) -> tuple[int, int | None]:
    """``bytes 100-199/200`` -> (100, 200); the total is None when given as ``*``."""
    try:
        unit, _, spec = (value or "").partition(" ")
        span, _, total = spec.partition("/")
        start = int(span.split("-")[0])
        if unit != "bytes":
            raise ValueError(unit)
    except ValueError:
        raise DownloadError(
            f"the server sent a partial answer without a usable Content-Range ({value!r}); "
            "delete the .part file and run the command again") from None
    return start, int(total) if total.isdigit() else None


def _read_meta(path: Path) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text("utf-8"))
        return {str(k): str(v) for k, v in raw.items() if v is not None}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_meta(path: Path, url: str, headers: http.client.HTTPMessage, total: int | None) -> None:
    meta = {"url": url, "etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified"),
            "total": total}
    path.write_text(json.dumps(meta), "utf-8")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return _reason(exc.reason) if isinstance(exc.reason, BaseException) else str(exc.reason)
    if isinstance(exc, socket.gaierror):
        return "the host name could not be looked up"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, http.client.IncompleteRead):
        return "the server sent fewer bytes than it announced"
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__


def _offline_message(url: str, exc: BaseException) -> str:
    host = urlsplit(url).hostname or url
    return (f"cannot reach {host} ({_reason(exc)}) for {url}: policeperf download needs an "
            "internet connection (or HTTPS_PROXY set); connect and run the command again "
            "(finished files are kept, a partial one resumes)")
