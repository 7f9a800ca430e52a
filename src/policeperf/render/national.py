"""The national summary -> one self-contained HTML file (its own templates, same safety rules).

Autoescape is on and names are strict, as for the force report (:mod:`policeperf.render.html`);
chart SVG from our own chart functions is the only markup passed through.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policeperf.render.html import _img_markup, _svg_markup
from policeperf.render.template_cache import bytecode_cache
from policeperf.report.national_view import NationalView

__all__ = ["render_national_html", "short_title"]

TEMPLATES = Path(__file__).parent / "templates" / "national"


def short_title(title: str) -> str:
    """A column heading from a measure title: "Police recorded robbery offences (personal and
    business)" -> "Robbery (personal and business)"."""
    text = re.sub(r"^Police recorded ", "", title)
    if not text.lower().startswith("drug "):  # "Drug offences" keeps its noun
        text = re.sub(r" offences\b", "", text, count=1)
    return text[:1].upper() + text[1:]


def _number(value: float | None, decimals: int) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def _count(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


@cache
def environment() -> Environment:
    """The summary's Jinja environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache(),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["short"] = short_title
    env.filters["number"] = _number
    env.filters["count"] = _count
    return env


def render_national_html(view: NationalView, *, images: bool = False) -> str:
    """Render the national summary to one HTML document.

    Args:
        view: The assembled summary.
        images: Charts as ``<img>`` data URIs (the variant printed to PDF), as for the report.
    """
    css = (TEMPLATES / "national.css").read_text(encoding="utf-8")
    return environment().get_template("summary.html").render(
        view=view, css=Markup(css), chart_markup=_img_markup if images else _svg_markup)
