"""Who may do what: sessions from the cookie, CSRF tokens, and the checks routes depend on.

* Reading pages: anyone when the server runs with ``--public``, else any signed-in account.
* Every state-changing request (every POST) needs a signed-in editor (or admin) and the
  session's CSRF token, sent as the form field ``csrf_token`` or the ``X-CSRF-Token`` header.
  Managing accounts (``/admin/accounts``) needs a signed-in admin (and the token to change
  anything).
  Signing in needs the anonymous CSRF token of the sign-in form (double-submit cookie), and
  signing out needs the session's token.
* Cookies are HttpOnly and SameSite=Lax, and Secure when the request came over HTTPS.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request, Response

from policeperf.web.accounts import Role, Session
from policeperf.web.state import state

__all__ = [
    "ANON_COOKIE",
    "SESSION_COOKIE",
    "AuthError",
    "anonymous_csrf",
    "check_anonymous_csrf",
    "current_session",
    "require_admin",
    "require_admin_reader",
    "require_editor",
    "require_reader",
    "require_signed_in",
    "set_cookie",
]

SESSION_COOKIE = "policeperf_session"
ANON_COOKIE = "policeperf_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class AuthError(Exception):
    """A request refused: 401 (not signed in) or 403 (not allowed, or no valid CSRF token)."""

    status: int
    message: str


def current_session(request: Request) -> Session | None:
    """The signed-in session of this request, or None (looked up once per request)."""
    if not hasattr(request.state, "session"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = state(request).accounts.session(token)
    found: Session | None = request.state.session
    return found


def require_reader(request: Request) -> None:
    """Pages are public only when configured; otherwise a signed-in account is needed."""
    if state(request).settings.public or current_session(request) is not None:
        return
    raise AuthError(401, "sign in to see this page")


async def _sent_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette keeps the parsed form for the route itself
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def require_signed_in(request: Request) -> Session:
    """Any signed-in account, with the session's CSRF token on the request."""
    session = current_session(request)
    if session is None:
        raise AuthError(401, "sign in first")
    if not secrets.compare_digest(await _sent_token(request), session.csrf):
        raise AuthError(403, "this form has expired or did not come from this site (no valid "
                        "CSRF token): reload the page and try again")
    return session


async def require_editor(request: Request) -> Session:
    """A signed-in editor or admin, with the session's CSRF token on the request."""
    session = current_session(request)
    if session is None:
        raise AuthError(401, "sign in as an editor to change anything")
    if not session.user.role.at_least(Role.EDITOR):
        raise AuthError(403, f"{session.user.name} is a {session.user.role.value}: only "
                        "editors and admins can change the narrative")
    return await require_signed_in(request)


def require_admin_reader(request: Request) -> Session:
    """A signed-in admin (to see the accounts page), whatever ``--public`` says."""
    session = current_session(request)
    if session is None:
        raise AuthError(401, "sign in as an admin to manage accounts")
    if not session.user.role.at_least(Role.ADMIN):
        raise AuthError(403, f"{session.user.name} is a {session.user.role.value}: only admins "
                        "manage accounts")
    return session


async def require_admin(request: Request) -> Session:
    """A signed-in admin, with the session's CSRF token on the request."""
    require_admin_reader(request)
    return await require_signed_in(request)


def anonymous_csrf(request: Request) -> str:
    """The sign-in form's CSRF token: the visitor's cookie value, or a new one."""
    return request.cookies.get(ANON_COOKIE) or secrets.token_urlsafe(32)


async def check_anonymous_csrf(request: Request) -> None:
    """The sign-in form must send back the token of its cookie (double-submit)."""
    cookie = request.cookies.get(ANON_COOKIE, "")
    sent = await _sent_token(request)
    if not cookie or not secrets.compare_digest(sent, cookie):
        raise AuthError(403, "this sign-in form has expired (no valid CSRF token): reload the "
                        "page and try again")


def set_cookie(request: Request, response: Response, name: str, value: str,
               max_age: int | None = None) -> None:
    """Set a cookie the way every policeperf cookie is set: HttpOnly, SameSite=Lax, Path=/,
    Secure over HTTPS."""
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")
