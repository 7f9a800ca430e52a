"""A real local HTTP server for the download tests: Range requests, If-Range, ETags, 304s,
redirects, 404s, and responses cut short on purpose (to test resuming)."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Wed, 01 Oct 2025 09:30:00 GMT"


@dataclass
class Site:
    """What the server serves; tests change it between runs."""

    files: dict[str, bytes] = field(default_factory=dict)  # request path (with query) -> bytes
    redirects: dict[str, str] = field(default_factory=dict)  # request path -> other path
    cut: dict[str, int] = field(default_factory=dict)  # path -> bytes sent before hanging up, once
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def etag(self, path: str) -> str:
        return '"' + hashlib.sha256(self.files[path]).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        site = self.server.site
        site.requests.append((self.path, dict(self.headers.items())))
        if self.path in site.redirects:
            self.send_response(302)
            self.send_header("Location", site.url + site.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = site.files.get(self.path)
        if data is None:
            self.send_error(404, "Not Found")
            return
        etag = site.etag(self.path)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        start = 0
        wanted = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if wanted and wanted.startswith("bytes=") and if_range in (None, etag, LAST_MODIFIED):
            start = int(wanted[6:].split("-")[0])
            if start >= len(data):
                self.send_error(416, "Range Not Satisfiable")
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        body = data[start:]
        cut = site.cut.pop(self.path, None)
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    """Serve ``site`` on 127.0.0.1 (a free port) while the block runs; ``site.url`` is its root."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = site
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a connection there is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
