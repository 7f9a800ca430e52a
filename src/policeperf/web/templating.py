"""Pages as HTML or JSON from one context, Markdown to safe HTML, and data embedded safely.

A page view returns a context: plain, JSON-ready data (strings, numbers, lists, dicts). The HTML
page renders it with a Jinja template (autoescape on: every data-derived string is escaped);
the JSON twin (the same path plus ``.json``) is the same context as JSON.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policeperf.render import markdown
from policeperf.results import json_ready
from policeperf.web.auth import current_session
from policeperf.web.state import state

__all__ = ["environment", "json_attribute", "render_markdown", "respond"]

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """An analyst's Markdown as the report prints it (:mod:`policeperf.render.markdown`:
    CommonMark, raw HTML printed as text, links other than page anchors printed as text, images
    as their description), so the preview shows what the report will say."""
    return markdown.render(text or "")


def json_attribute(value: Any) -> str:
    """JSON as plain text for an HTML attribute: autoescape then escapes every quote, ``<`` and
    ``&`` in it. (A ``<script type="application/json">`` block would be dropped by HTMX when a
    fragment is swapped in; an attribute survives.)"""
    return json.dumps(json_ready(value), separators=(",", ":"), ensure_ascii=False)


@cache
def environment() -> Environment:
    """The dashboard's Jinja environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render_markdown
    env.filters["json_attribute"] = json_attribute
    env.filters["number"] = _number
    return env


def _number(value: float | int | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{places}f}"


def page_globals(request: Request) -> dict[str, Any]:
    """What every page template gets besides its context: who is signed in, their CSRF token."""
    session = current_session(request)
    app_state = state(request)
    return {
        "request_path": request.url.path,
        "user": session.user if session else None,
        "csrf": session.csrf if session else "",
        "can_edit": bool(session and session.user.role.value in ("editor", "admin")),
        "public": app_state.settings.public,
        "projects": sorted(app_state.projects),
    }


def respond(request: Request, template: str, context: dict[str, Any], *, as_json: bool,
            status: int = 200) -> Response:
    """The page as HTML (``template`` with ``context``) or as its JSON twin."""
    if as_json:
        return JSONResponse(json_ready(context), status_code=status)
    html = environment().get_template(template).render(
        **page_globals(request), page=context, json_url=request.url.path + ".json")
    return HTMLResponse(html, status_code=status)


def fragment(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    """An HTML fragment for HTMX (no page around it)."""
    html = environment().get_template(template).render(**page_globals(request), page=context)
    return HTMLResponse(html)
