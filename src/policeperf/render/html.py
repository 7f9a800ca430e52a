"""ReportData -> one self-contained HTML file (inline CSS and SVG, no external references).

The Jinja environment autoescapes everything; analysts' Markdown goes through
`policeperf.render.markdown`, which escapes it too. Chart SVG is the only markup passed through
as is: it comes from our own chart functions, not from users.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policeperf.render import markdown
from policeperf.render.template_cache import bytecode_cache
from policeperf.report.data import ChartBlock, MethodSection, ReportData

TEMPLATES = Path(__file__).parent / "templates"


def _inline_markdown(text: str) -> Markup:
    return Markup(markdown.inline(text))


@cache
def environment() -> Environment:
    """The report's Jinja environment: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache(),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown.render
    env.filters["inline_markdown"] = _inline_markdown
    env.globals["halves"] = halves
    return env


def halves(sections: tuple[MethodSection, ...]) -> list[tuple[MethodSection, ...]]:
    """The method note's sections in two columns of about equal length (two floated blocks:
    CSS multi-column layout cost WeasyPrint a third of the report's layout time)."""
    sizes = [len(s.heading) + sum(len(p) for p in s.paragraphs) for s in sections]
    total, running, split = sum(sizes), 0, len(sections)
    for n, size in enumerate(sizes):
        if running + size / 2 > total / 2:
            split = n
            break
        running += size
    return [sections[:split], sections[split:]]


def stylesheet() -> str:
    """The report's CSS, inlined into every HTML file."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def _svg_markup(chart: ChartBlock) -> Markup:
    return Markup(chart.svg)


def _img_markup(chart: ChartBlock) -> Markup:
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="chart-img" src="data:image/svg+xml;base64,{}" alt="{}">').format(
        data, chart.alt_text)


def render_html(report: ReportData, *, images: bool = False) -> str:
    """Render the whole report to one HTML document.

    Args:
        report: The assembled report.
        images: Put each chart in as ``<img src="data:image/svg+xml;base64,...">`` instead of
            inline ``<svg>``: the variant printed to PDF. WeasyPrint then draws each chart as
            one vector image instead of styling and laying out its ~60 SVG elements as part
            of the document, which makes printing about 2 s faster. The HTML file keeps the
            inline SVG (searchable, styleable, readable by screen readers).

    Returns:
        The HTML text; the same report always gives the same bytes.
    """
    template = environment().get_template("report.html")
    return template.render(report=report, css=Markup(stylesheet()),
                           chart_markup=_img_markup if images else _svg_markup)
