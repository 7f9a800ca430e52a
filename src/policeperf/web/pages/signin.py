"""``/signin`` and ``/signout``."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from policeperf.web.accounts import Session, SignInRefused
from policeperf.web.auth import (
    ANON_COOKIE,
    SESSION_COOKIE,
    anonymous_csrf,
    check_anonymous_csrf,
    require_signed_in,
    set_cookie,
)
from policeperf.web.state import state
from policeperf.web.templating import respond

__all__ = ["form", "sign_in", "sign_out"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never "//host" or a full URL): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _form(request: Request, next_url: str, error: str | None, status: int) -> Response:
    token = anonymous_csrf(request)
    context: dict[str, Any] = {"title": "Sign in", "next": _safe_next(next_url), "error": error,
                               "signin_csrf": token}
    response = respond(request, "signin.html", context, as_json=False, status=status)
    set_cookie(request, response, ANON_COOKIE, token)
    return response


def form(request: Request, next: str = "/") -> Response:  # noqa: A002 - the query's name
    """The sign-in form."""
    return _form(request, next, None, 200)


def sign_in(request: Request, _: Annotated[None, Depends(check_anonymous_csrf)],
            name: Annotated[str, Form()], password: Annotated[str, Form()],
            next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    """Check the password; on success set the session cookie and go where the user was going."""
    client = request.client.host if request.client else "unknown"
    try:
        opened = state(request).accounts.sign_in(name, password, client)
    except SignInRefused as exc:
        response = _form(request, next, str(exc), 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if opened is None:
        return _form(request, next, "wrong account name or password", 401)
    token, session = opened
    response = RedirectResponse(_safe_next(next), status_code=303)
    max_age = int(session.expires_at - time.time())
    set_cookie(request, response, SESSION_COOKIE, token, max_age=max_age)
    response.delete_cookie(ANON_COOKIE, path="/")
    return response


def sign_out(request: Request, session: Annotated[Session, Depends(require_signed_in)]
             ) -> Response:
    """End the session."""
    state(request).accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
