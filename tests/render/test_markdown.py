"""The narrative Markdown subset: lists, emphasis, links; nothing unescaped gets through."""

from __future__ import annotations

from pathlib import Path

from policeperf.render.markdown import render

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
