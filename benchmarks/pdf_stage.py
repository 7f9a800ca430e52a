"""The report's PDF stage alone: WeasyPrint's CPU time on the example report's HTML, and what
each kind of SVG chart element costs it.

    uv run python -m benchmarks.pdf_stage stage [--runs 3] [--html FILE]
    uv run python -m benchmarks.pdf_stage svg-costs

``stage`` builds the example report once without a PDF (or takes ``--html``, the HTML printed to
PDF: ``render_html(report, images=True)``), then prints it to PDF in fresh processes, with
WeasyPrint's own SVG text drawing ("stock") and with ``policeperf.render._svg_text`` ("one run")
alternately, and prints each run's CPU seconds for layout (``HTML.render``) and drawing
(``write_pdf``) and the load average. ``svg-costs`` prints the drawing cost per SVG element of
each kind, over 5 images of 200 elements each (relative figures: compare them with each other).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_ONE_RUN = """
import sys, time
import weasyprint
from policeperf.render import _svg_text, pdf
if sys.argv[1] == "one run":
    _svg_text.install()
html = open(sys.argv[2], encoding="utf-8").read()
c0 = time.process_time()
document = weasyprint.HTML(string=html, url_fetcher=pdf._RefuseAll(), base_url=None).render(
    pdf_variant=pdf.PDF_VARIANT)
c1 = time.process_time()
document.write_pdf(sys.argv[3], pdf_variant=pdf.PDF_VARIANT)
print(c1 - c0, time.process_time() - c1, len(document.pages))
"""


def _example_html(work: Path) -> Path:
    from policeperf.render.html import render_html
    from policeperf.report.build import build_report
    from policeperf.warehouse.store import Warehouse

    example = Path(__file__).resolve().parents[1] / "examples" / "avon-and-somerset-2022-q1"
    with Warehouse(os.environ.get("POLICEPERF_DB", str(work / "w.duckdb"))) as warehouse:
        from policeperf.warehouse.bootstrap import ensure_bundled

        ensure_bundled(warehouse)
        out = build_report(example, warehouse=warehouse, out_dir=work / "out", pdf=False)
    html = work / "pdf.html"
    html.write_text(render_html(out.report, images=True), encoding="utf-8")
    return html


def stage(html: Path, runs: int, work: Path) -> None:
    """Print the PDF stage's CPU seconds, stock and one-run SVG text, alternately."""
    totals: dict[str, list[float]] = {"stock": [], "one run": []}
    for _ in range(runs):
        for mode in totals:
            load = Path("/proc/loadavg").read_text().split()[0]
            out = subprocess.run([sys.executable, "-c", _ONE_RUN, mode, str(html),
                                  str(work / "out.pdf")], check=True, capture_output=True,
                                 text=True).stdout.split()
            layout, drawing, pages = float(out[0]), float(out[1]), out[2]
            totals[mode].append(layout + drawing)
            print(f"{mode:8s} layout {layout:5.2f} s  drawing {drawing:5.2f} s  "
                  f"total {layout + drawing:5.2f} s CPU  ({pages} pages, load {load})")
    for mode, values in totals.items():
        print(f"{mode:8s} median {statistics.median(values):5.2f} s, min {min(values):5.2f} s")


_FONT = 'font-family="DejaVu Sans" font-size="11px"'
_CASES = {
    "text, 8 letters": lambda i: f'<text x="{i % 300}" y="{i % 200}" {_FONT}>Jun 2022</text>',
    "text, end-anchored": lambda i: (f'<text x="{i % 300}" y="{i % 200}" text-anchor="end" '
                                     f'{_FONT}>Jun 2022</text>'),
    "text, rotated in a translated g": lambda i: (
        f'<g transform="translate(5,5)"><text text-anchor="end" transform="translate({i % 300},'
        f'7) rotate(320) translate(0,9)" {_FONT}>Jun 2022</text></g>'),
    "line": lambda i: f'<line x1="{i % 300}" y1="0" x2="{i % 300}" y2="200" stroke="#888"/>',
    "line, transform + opacity=1": lambda i: (f'<line transform="translate({i % 300},0)" '
                                              f'x2="0" y2="200" stroke="#888" opacity="1"/>'),
    "line in 3 nested g": lambda i: (f'<g><g transform="translate(0.5,0.5)"><g><line '
                                     f'x1="{i % 300}" x2="{i % 300}" y2="200" stroke="#888"/>'
                                     '</g></g></g>'),
    "dashed line": lambda i: (f'<line x1="{i % 300}" x2="{i % 300}" y2="200" stroke="#888" '
                              'stroke-dasharray="4,2"/>'),
    "circle": lambda i: f'<circle cx="{i % 300}" cy="{i % 200}" r="2" fill="#0072B2"/>',
    "circle as a translated arc path": lambda i: (
        f'<path transform="translate({i % 300},{i % 200})" '
        'd="M2,0A2,2,0,1,1,-2,0A2,2,0,1,1,2,0" fill="#0072B2"/>'),
    "rect": lambda i: f'<rect x="{i % 300}" y="{i % 200}" width="5" height="9" fill="#bbb"/>',
    "rect, opacity=0.5": lambda i: (f'<rect x="{i % 300}" y="{i % 200}" width="5" height="9" '
                                    'fill="#bbb" opacity="0.5"/>'),
    "rect, fill-opacity=0.5": lambda i: (f'<rect x="{i % 300}" y="{i % 200}" width="5" '
                                         'height="9" fill="#bbb" fill-opacity="0.5"/>'),
    "point of a 200-point polyline": lambda i: ("" if i else '<polyline fill="none" '
                                                'stroke="#0072B2" points="' + " ".join(
                                                    f"{k * 1.5},{k * 7 % 200}"
                                                    for k in range(200)) + '"/>'),
}


def svg_costs() -> None:
    """Print milliseconds of CPU per element of each kind, stock and one-run text."""
    import weasyprint

    from policeperf.render import _svg_text, pdf

    def cpu(body: str) -> float:
        svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" '
               f'viewBox="0 0 300 200">{body}</svg>')
        src = base64.b64encode(svg.encode()).decode()
        img = f'<img style="width:100mm" src="data:image/svg+xml;base64,{src}">'
        start = time.process_time()
        weasyprint.HTML(string=f"<html><body>{img * 5}</body></html>",
                        url_fetcher=pdf._RefuseAll()).write_pdf(pdf_variant=pdf.PDF_VARIANT)
        return time.process_time() - start

    cpu("")
    empty = cpu("")
    for text_mode in ("stock", "one run"):
        if text_mode == "one run":
            _svg_text.install()
        for name, element in _CASES.items():
            if text_mode == "one run" and not name.startswith("text"):
                continue
            seconds = cpu("".join(element(i) for i in range(200))) - empty
            print(f"{name:34s} {text_mode:8s} {1000 * seconds / (5 * 200):6.3f} ms an element")
    print(f"load average {Path('/proc/loadavg').read_text().split()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["stage", "svg-costs"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--html", type=Path, help="the report's PDF HTML (else built)")
    args = parser.parse_args()
    if args.what == "svg-costs":
        svg_costs()
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        stage(args.html or _example_html(work), args.runs, work)


if __name__ == "__main__":
    main()
