"""ReportData -> one self-contained HTML file (inline CSS and SVG, no external references).

The Jinja environment autoescapes everything; analysts' Markdown goes through
`policeperf.render.markdown`, which escapes it too. Chart SVG is the only markup passed through
as is: it comes from our own chart functions, not from users.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policeperf.render import markdown
from policeperf.report.data import ReportData

TEMPLATES = Path(__file__).parent / "templates"


def _inline_markdown(text: str) -> Markup:
    return Markup(markdown.inline(text))


@cache
def environment() -> Environment:
    """The report's Jinja environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown.render
    env.filters["inline_markdown"] = _inline_markdown
    return env


def stylesheet() -> str:
    """The report's CSS, inlined into every HTML file."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def render_html(report: ReportData) -> str:
    """Render the whole report to one HTML document.

    Args:
        report: The assembled report.

    Returns:
        The HTML text; the same report always gives the same bytes.
    """
    template = environment().get_template("report.html")
    return template.render(report=report, css=Markup(stylesheet()))
