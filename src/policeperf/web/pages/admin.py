"""``/admin/accounts``: what an admin may do beyond an editor — manage the dashboard's accounts
(add, change role, remove) and see who changed which narrative file when.

Every route here depends on :func:`policeperf.web.auth.require_admin_reader` (a signed-in admin)
and every change also on :func:`policeperf.web.auth.require_admin` (an admin and the session's
CSRF token). An admin cannot remove their own account or take away the last admin, so the
dashboard can never be left with nobody able to manage it. Passwords set here follow the same
rules as ``policeperf users add``; a role change ends the account's sessions at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from policeperf.errors import PolicePerfError
from policeperf.web.accounts import Role, Session
from policeperf.web.auth import require_admin, require_admin_reader
from policeperf.web.narrative import ProjectFiles
from policeperf.web.pages.common import NotFound
from policeperf.web.state import state

__all__ = ["add_account", "context", "remove_account", "set_role"]

Admin = Annotated[Session, Depends(require_admin)]
AdminReader = Annotated[Session, Depends(require_admin_reader)]
HISTORY_LIMIT = 100


def context(request: Request, session: AdminReader) -> dict[str, Any]:
    """Every account with its role, and the latest narrative changes of every served project."""
    app_state = state(request)
    accounts = [{"name": u.name, "role": u.role.value, "created_at": u.created_at,
                 "changed_at": u.changed_at, "you": u.name == session.user.name}
                for u in app_state.accounts.users()]
    history: list[dict[str, Any]] = []
    for name, root in sorted(app_state.projects.items()):
        for entry in ProjectFiles(root, ()).history(limit=HISTORY_LIMIT):
            history.append({"project": name, "at": str(entry.get("at", "")),
                            "user": str(entry.get("user", "")),
                            "file": str(entry.get("file", "")),
                            "what": " ".join(filter(None, (str(entry.get("action", "edit")),
                                                           entry.get("measure"))))})
    history.sort(key=lambda e: e["at"], reverse=True)
    return {
        "title": "Accounts",
        "accounts": accounts,
        "roles": [r.value for r in Role],
        "history": history[:HISTORY_LIMIT],
    }


def add_account(request: Request, session: Admin, name: Annotated[str, Form()],
                role: Annotated[str, Form()], password: Annotated[str, Form()]) -> Response:
    """Create an account (the same rules as ``policeperf users add``)."""
    state(request).accounts.add(name, role, password)
    return RedirectResponse("/admin/accounts", status_code=303)


def set_role(request: Request, session: Admin, account: str,
             role: Annotated[str, Form()]) -> Response:
    """Change an account's role; never the last admin's away from admin."""
    accounts = state(request).accounts
    target = accounts.get(account)
    if target is None:
        raise NotFound(f"no account named {account!r}")
    if target.role is Role.ADMIN and role != Role.ADMIN.value:
        _keep_an_admin(request, account)
    accounts.set_role(account, role)
    return RedirectResponse("/admin/accounts", status_code=303)


def remove_account(request: Request, session: Admin, account: str) -> Response:
    """Delete an account (not your own, not the last admin)."""
    if account == session.user.name:
        raise PolicePerfError("you cannot remove your own account while signed in with it")
    accounts = state(request).accounts
    target = accounts.get(account)
    if target is None:
        raise NotFound(f"no account named {account!r}")
    if target.role is Role.ADMIN:
        _keep_an_admin(request, account)
    accounts.remove(account)
    return RedirectResponse("/admin/accounts", status_code=303)


def _keep_an_admin(request: Request, leaving: str) -> None:
    others = [u for u in state(request).accounts.users()
              if u.role is Role.ADMIN and u.name != leaving]
    if not others:
        raise PolicePerfError(f"{leaving} is the last admin: make another account admin first")
