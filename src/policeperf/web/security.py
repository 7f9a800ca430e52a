"""Response headers that keep pages from being framed, sniffed or made to run foreign script.

The Content-Security-Policy allows script only from this server (no inline script, no eval:
charts are drawn by Vega's expression interpreter), styles only from this server, images from
this server or data: URLs, and no framing (``frame-ancestors 'none'``).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policeperf.web.state import state

__all__ = ["CSP", "SecurityHeaders", "vega_bundle"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"cross-origin-opener-policy": b"same-origin",
}


class SecurityHeaders:
    """ASGI middleware: security headers on every response; no caching of pages (they may hold
    a signed-in user's data), an hour for static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(k, v) for k, v in _HEADERS.items() if k not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control",
                                    b"public, max-age=3600" if static else b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)


def vega_bundle(request: Request) -> Response:
    """Vega, Vega-Lite and Vega-Embed in one script, made locally by vl-convert (see vendor.py)."""
    return Response(state(request).vega.get(), media_type="text/javascript")
