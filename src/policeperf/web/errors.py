"""What a user sees when a request fails: a page (or JSON) with one line saying why, never a
traceback. Not signed in on a page: the sign-in form, then back."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from policeperf.errors import PolicePerfError, UnknownNameError
from policeperf.web.auth import AuthError
from policeperf.web.pages.common import NotFound
from policeperf.web.templating import respond

__all__ = ["install"]

log = logging.getLogger("policeperf.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get(
        "accept", "")


def error_response(request: Request, status: int, message: str) -> Response:
    """The error page (or JSON ``{"error": ..., "status": ...}``)."""
    titles = {400: "Cannot do that", 401: "Sign in", 403: "Not allowed", 404: "Not found",
              409: "Conflict", 429: "Too many attempts", 500: "Something went wrong"}
    context: dict[str, Any] = {"title": titles.get(status, "Error"), "status": status,
                               "error": message}
    if _wants_json(request):
        return respond(request, "error.html", context, as_json=True, status=status)
    return respond(request, "error.html", context, as_json=False, status=status)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(AuthError)
    async def _auth(request: Request, exc: AuthError) -> Response:
        if exc.status == 401 and request.method == "GET" and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(UnknownNameError)
    async def _unknown(request: Request, exc: UnknownNameError) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(PolicePerfError)
    async def _user_error(request: Request, exc: PolicePerfError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "request"
                           for e in exc.errors())
        return error_response(request, 400, f"missing or invalid: {fields}")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = {404: "no page at this address", 405: "this address does not take that "
                   "kind of request"}.get(exc.status_code, str(exc.detail))
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error_response(request, 500, "the server failed to build this page; the "
                              "details are in the server's log")
