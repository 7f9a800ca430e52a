"""The dashboard app: its route table. Pages live in ``web/pages/``, one module each.

Every GET page is served twice from one context: as HTML at its path and as JSON at the same
path plus ``.json``. Every POST needs a signed-in editor and the session's CSRF token (sign-in
and sign-out excepted: they need the sign-in form's token, and a session's). See
docs/dashboard.md.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from policeperf.web import errors, security
from policeperf.web.auth import require_admin_reader, require_reader
from policeperf.web.pages import (
    admin,
    compare,
    data_page,
    editing,
    home,
    measure,
    overview,
    reports,
    signin,
)
from policeperf.web.settings import WebSettings
from policeperf.web.state import AppState
from policeperf.web.templating import respond

__all__ = ["PAGES", "create_app"]

STATIC = Path(__file__).parent / "static"

View = Callable[..., dict[str, Any]]

PAGES: list[tuple[str, View, str]] = [
    ("/", home.context, "home.html"),
    ("/forces/{force}/{period}", overview.context, "overview.html"),
    ("/forces/{force}/{period}/measures/{measure}", measure.context, "measure.html"),
    ("/forces/{force}/{period}/measures/{measure}/charts/{name}", measure.chart, "_chart.html"),
    ("/compare/{measure}/{period}", compare.context, "compare.html"),
    ("/data", data_page.context, "data.html"),
    ("/reports/{name}", reports.context, "report.html"),
    ("/reports/{name}/edit/{kind}/{priority}", reports.edit_context, "edit.html"),
]
"""(path, view, template): each is served as HTML at ``path`` and as JSON at ``path.json``."""

ADMIN_PAGES: list[tuple[str, View, str]] = [
    ("/admin/accounts", admin.context, "accounts.html"),
]
"""Pages only a signed-in admin may see (HTML and JSON twin, like ``PAGES``)."""

POSTS: list[tuple[str, Callable[..., Response]]] = [
    ("/reports/{name}/edit/{kind}/{priority}", editing.save_file),
    ("/reports/{name}/drafts/{measure}", editing.decide_draft),
    ("/reports/{name}/preview", editing.preview),
    ("/reports/{name}/build", editing.build),
    ("/admin/accounts", admin.add_account),
    ("/admin/accounts/{account}/role", admin.set_role),
    ("/admin/accounts/{account}/remove", admin.remove_account),
]
"""State-changing routes; each handler depends on ``require_editor`` (editor + CSRF), or for
``/admin`` on ``require_admin`` (admin + CSRF)."""


def _endpoint(view: View, template: str, as_json: bool) -> Callable[..., Response]:
    def endpoint(**kwargs: Any) -> Response:
        request: Request = kwargs["request"]
        return respond(request, template, view(**kwargs), as_json=as_json)

    endpoint.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    endpoint.__name__ = f"{view.__module__.rsplit('.', 1)[-1]}_{view.__name__}" + (
        "_json" if as_json else "")
    endpoint.__doc__ = view.__doc__
    return endpoint


def create_app(settings: WebSettings) -> FastAPI:
    """The dashboard for one warehouse (and the report projects in ``settings``)."""
    app = FastAPI(title="policeperf dashboard", openapi_url=None, docs_url=None,
                  redoc_url=None, lifespan=_lifespan)
    app.state.web = AppState.from_settings(settings)
    app.add_middleware(security.SecurityHeaders)
    errors.install(app)
    reader = [Depends(require_reader)]

    for path, view, template in PAGES:
        json_path = "/.json" if path == "/" else f"{path}.json"
        # The JSON route first: "{period}" would otherwise also match "2022-06.json".
        app.add_api_route(json_path, _endpoint(view, template, True), methods=["GET"],
                          dependencies=reader, tags=["JSON"])
        app.add_api_route(path, _endpoint(view, template, False), methods=["GET"],
                          dependencies=reader, include_in_schema=False)
    admin_only = [Depends(require_admin_reader)]
    for path, view, template in ADMIN_PAGES:
        app.add_api_route(f"{path}.json", _endpoint(view, template, True), methods=["GET"],
                          dependencies=admin_only, tags=["JSON"])
        app.add_api_route(path, _endpoint(view, template, False), methods=["GET"],
                          dependencies=admin_only, include_in_schema=False)
    for path, handler in POSTS:
        app.add_api_route(path, handler, methods=["POST"], include_in_schema=False)

    app.add_api_route("/choose", home.choose, methods=["GET"], dependencies=reader,
                      include_in_schema=False)
    app.add_api_route("/reports/{name}/downloads/{file}", editing.download, methods=["GET"],
                      include_in_schema=False)
    app.add_api_route("/signin", signin.form, methods=["GET"], include_in_schema=False)
    app.add_api_route("/signin", signin.sign_in, methods=["POST"], include_in_schema=False)
    app.add_api_route("/signout", signin.sign_out, methods=["POST"], include_in_schema=False)
    app.add_api_route("/openapi.json", lambda: app.openapi(), methods=["GET"],
                      dependencies=reader, include_in_schema=False)
    app.add_api_route("/static/vega.js", security.vega_bundle, methods=["GET"],
                      include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.web.vega.start()  # the chart library is made in the background at start-up
    yield
