"""SVG text drawn as one run (policeperf.render._svg_text) lands where WeasyPrint's own
letter-by-letter drawing puts it; text with per-letter positions still goes letter by letter."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import weasyprint

from policeperf.render import _svg_text

# Labels as the charts write them: each text-anchor, bold, a rotated axis label inside a
# translated group, a tspan, a label centred on its y.
_LABELS = """
<text x="20" y="30" font-family="DejaVu Sans" font-size="11px" fill="#222">Start label</text>
<text x="280" y="60" text-anchor="end" font-family="DejaVu Sans" font-size="11px"
  font-weight="bold">End label</text>
<text x="150" y="90" text-anchor="middle" font-family="DejaVu Sans"
  font-size="12px">Middle label</text>
<g transform="translate(40,120)"><text text-anchor="end" transform="rotate(320) translate(0,9)"
  font-family="DejaVu Sans" font-size="11px">Jun 2022</text></g>
<text x="150" y="170" font-family="DejaVu Sans" font-size="11px">Before <tspan font-weight="bold">
  inside</tspan> after</text>
<text x="200" y="190" dominant-baseline="middle" font-family="DejaVu Sans"
  font-size="10px">Centred</text>
"""
_LETTERS = ('<text x="20 60 100" y="40" font-family="DejaVu Sans" font-size="11px">ABC</text>'
            '<text x="20" y="80" dx="0 30 30" font-family="DejaVu Sans" font-size="11px">'
            'DEF</text>')

_RENDER = """
import sys
import weasyprint
from policeperf.render import _svg_text
if sys.argv[1] == "fast":
    assert _svg_text.install()
weasyprint.HTML(string=sys.stdin.read()).write_pdf(sys.argv[2])
"""


def _html(svg_body: str) -> str:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" '
           f'viewBox="0 0 300 200">{svg_body}</svg>')
    data = base64.b64encode(svg.encode()).decode()
    img = f'<img style="width:150mm" src="data:image/svg+xml;base64,{data}">'
    return f"<html><body>{img}</body></html>"


def _words(html: str, how: str, pdf: Path) -> list[tuple[str, float, float]]:
    """Each word of the page and its box's left and bottom edge, drawn in a fresh process
    with WeasyPrint's own text drawing (stock) or the one-run drawing (fast)."""
    # -X faulthandler: a crash of the engine prints the Python stack of every thread, which
    # the assertion shows (one run in a loop of the whole suite died of SIGSEGV here, once).
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", _RENDER, how, str(pdf)],
                          input=html, text=True, capture_output=True)
    assert done.returncode == 0, f"exit {done.returncode}; its error output:\n{done.stderr}"
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    return [(word, float(x), float(y)) for x, y, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>',
        xhtml)]


def test_the_locked_weasyprint_version_gets_the_one_run_text_drawing() -> None:
    assert weasyprint.__version__.startswith(_svg_text.SUPPORTED)
    assert _svg_text.install()


_LEVEL = {"Start", "label", "End", "Middle", "Before", "inside", "after", "Centred"}


def test_chart_labels_drawn_as_one_run_land_where_weasyprint_draws_them(tmp_path: Path) -> None:
    stock = _words(_html(_LABELS), "stock", tmp_path / "stock.pdf")
    fast = _words(_html(_LABELS), "fast", tmp_path / "fast.pdf")
    level = [[w for w in words if w[0] in _LEVEL] for words in (stock, fast)]
    assert [w for w, _, _ in level[1]] == [w for w, _, _ in level[0]]
    assert len(level[1]) == 10
    for (word, x0, y0), (_, x1, y1) in zip(*level, strict=True):
        # Within 1 pt: shaping a run kerns it, so its width can differ a little.
        assert abs(x0 - x1) < 1 and abs(y0 - y1) < 1, word
    # The rotated axis label: pdftotext cuts rotated glyphs into words its own way, so compare
    # its letters and the corner of the box they fill.
    rotated = [[w for w in words if w[0] not in _LEVEL] for words in (stock, fast)]
    assert [sorted("".join(w for w, _, _ in r)) for r in rotated] == [sorted("Jun2022")] * 2
    corners = [(min(x for _, x, _ in r), max(y for _, _, y in r)) for r in rotated]
    assert abs(corners[0][0] - corners[1][0]) < 1 and abs(corners[0][1] - corners[1][1]) < 1


def test_text_with_per_letter_positions_is_still_drawn_letter_by_letter(tmp_path: Path) -> None:
    stock = _words(_html(_LETTERS), "stock", tmp_path / "stock.pdf")
    fast = _words(_html(_LETTERS), "fast", tmp_path / "fast.pdf")
    assert fast == stock
    assert [w for w, _, _ in fast] == ["A", "B", "C", "D", "E", "F"]
