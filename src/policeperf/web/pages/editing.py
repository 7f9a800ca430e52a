"""The narrative's state-changing requests: save a file, decide a draft, preview, build.

Every handler here is mounted with :func:`policeperf.web.auth.require_editor` (a signed-in
editor or admin, and the session's CSRF token). A save over a stale version answers 409 with
a page showing both versions, and writes nothing.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from policeperf.web.accounts import Session
from policeperf.web.auth import require_editor, require_reader
from policeperf.web.build import DOWNLOADS
from policeperf.web.narrative import Conflict
from policeperf.web.pages.common import NotFound
from policeperf.web.pages.reports import project_files, project_root
from policeperf.web.state import state
from policeperf.web.templating import fragment, render_markdown, respond

__all__ = ["build", "decide_draft", "download", "preview", "save_file"]

Editor = Annotated[Session, Depends(require_editor)]


def _conflict(request: Request, conflict: Conflict, save_url: str, back_url: str,
              extra: dict[str, str]) -> Response:
    diff = list(difflib.unified_diff(conflict.theirs.splitlines(), conflict.yours.splitlines(),
                                     "saved (theirs)", "yours", lineterm=""))
    context: dict[str, Any] = {
        "title": "Not saved: someone else changed this since you opened it",
        "file": conflict.path,
        "theirs": conflict.theirs,
        "theirs_version": conflict.theirs_version,
        "theirs_html": str(render_markdown(conflict.theirs)),
        "yours": conflict.yours,
        "yours_html": str(render_markdown(conflict.yours)),
        "base_version": conflict.base_version,
        "changed_by": conflict.changed_by,
        "changed_at": conflict.changed_at,
        "diff": diff,
        "save_url": save_url,
        "back_url": back_url,
        "fields": extra,
    }
    as_json = "application/json" in request.headers.get("accept", "")
    return respond(request, "conflict.html", context, as_json=as_json, status=409)


def save_file(request: Request, session: Editor, name: str, kind: str, priority: str,
              text: Annotated[str, Form()], version: Annotated[str, Form()]) -> Response:
    """Save actions or comments edited from ``version``; 409 with both versions if stale."""
    files = project_files(request, name)
    try:
        relative = files.relative(kind, priority)
    except Exception as exc:
        raise NotFound(str(exc)) from None
    try:
        files.save(relative, text, version, session.user.name)
    except Conflict as conflict:
        return _conflict(request, conflict, f"/reports/{name}/edit/{kind}/{priority}",
                         f"/reports/{name}/edit/{kind}/{priority}", {})
    return RedirectResponse(f"/reports/{name}#{priority}", status_code=303)


def decide_draft(request: Request, session: Editor, name: str, measure: str,
                 action: Annotated[str, Form()], key: Annotated[str, Form()],
                 version: Annotated[str, Form()], text: Annotated[str, Form()] = "",
                 priority: Annotated[str, Form()] = "") -> Response:
    """Accept, edit or reject a drafted comment; 409 with both decisions if stale."""
    files = project_files(request, name)
    try:
        files.decide_draft(measure, action, key, text, version, session.user.name)
    except Conflict as conflict:
        return _conflict(request, conflict, f"/reports/{name}/drafts/{measure}",
                         f"/reports/{name}#{priority}",
                         {"action": action, "key": key, "text": text, "priority": priority})
    return RedirectResponse(f"/reports/{name}#{priority}", status_code=303)


def preview(request: Request, session: Editor, name: str,
            text: Annotated[str, Form()] = "") -> HTMLResponse:
    """The Markdown as it will print (for the editor's live preview)."""
    project_root(request, name)
    return fragment(request, "_preview.html", {"html": str(render_markdown(text))})


def build(request: Request, session: Editor, name: str) -> Response:
    """Start building the project's report (HTML, PDF and, when available, PowerPoint)."""
    root = project_root(request, name)
    state(request).builds.start(name, root, session.user.name)
    return RedirectResponse(f"/reports/{name}#build", status_code=303)


def download(request: Request, name: str, file: str,
             _: Annotated[None, Depends(require_reader)]) -> Response:
    """A file of the project's last build. The built HTML is served with a CSP of its own that
    allows its inline styles and no script at all."""
    project_root(request, name)
    if file not in DOWNLOADS:
        raise NotFound(f"no download {file!r}; a build leaves {', '.join(DOWNLOADS)}")
    path = state(request).builds.out_dir(name) / file
    if not path.is_file():
        raise NotFound(f"{file} has not been built yet: build the report first")
    headers = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
               "img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}
    disposition = "inline" if file.endswith(".html") else "attachment"
    return FileResponse(path, headers=headers, content_disposition_type=disposition,
                        filename=f"{name}-{file}")
