"""Analysts' Markdown (CommonMark via markdown-it-py): lists, emphasis, links; nothing
unescaped gets through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from policeperf.render.markdown import inline, render

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "render_markdown_narrative.html"
SOURCE = """\
1. Patrol **hotspots** funded by *Grip*
   and keep going.
2. See [the method note](#method) or [the plan](https://example.org/plan).

A paragraph with <script>alert(1)</script> and snake_case_name.

- a bullet
- another
"""


def test_narrative_renders_like_the_reviewed_snapshot() -> None:
    assert str(render(SOURCE)) + "\n" == SNAPSHOT.read_text(encoding="utf-8")


def test_raw_html_in_narrative_is_escaped() -> None:
    html = str(render("<img src=x onerror=alert(1)> **b**"))
    assert "<img" not in html and "&lt;img" in html and "<strong>b</strong>" in html


def test_external_links_are_text_not_anchors() -> None:
    html = str(render("[plan](https://example.org)"))
    assert "<a " not in html and "(https://example.org)" in html


def test_headings_sit_two_levels_under_the_page_title() -> None:
    assert str(render("# Plan\n\n## Detail")) == "<h3>Plan</h3>\n<h4>Detail</h4>"


def test_images_print_their_description_and_autolinks_their_text_only() -> None:
    html = str(render("![a chart](https://example.org/c.png) <https://example.org>"))
    assert "<img" not in html and "<a " not in html
    assert html == "<p>a chart https://example.org</p>"


def test_a_javascript_link_is_not_a_link() -> None:
    assert "<a " not in str(render("[x](javascript:alert(1))"))


def test_inline_markdown_never_makes_blocks() -> None:
    assert inline("1. first") == "1. first"
    assert inline("# not a heading <b>") == "# not a heading &lt;b&gt;"


def test_markdown_is_commonmark_from_markdown_it() -> None:
    # Emphasis rules of CommonMark: intraword underscores stay as they are.
    assert str(render("snake_case_name and __bold__")) == (
        "<p>snake_case_name and <strong>bold</strong></p>")


def test_the_renderers_import_without_a_cycle() -> None:
    # render/html.py is imported first in a fresh interpreter; the report package loads its
    # build (which imports render/html.py) only on use.
    code = ("import policeperf.render.html, policeperf.render.markdown as m; "
            "assert not [n for n in vars(m) if n.startswith('policeperf')]; "
            "from policeperf.report import build_report")
    subprocess.run([sys.executable, "-c", code], check=True)
