"""SVG elements as strings: numbers, measured text, escaped markup, groups of marks.

The charts are written directly as SVG text (no drawing library, no JavaScript engine). Marks
are grouped the way Vega groups them (`<g class="mark-line role-mark">`, `mark-text
role-axis-label`, ...), so the markup reads the same to tests and style sheets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from policeperf.render.charts import _metrics

_INDEX = {c: i for i, c in enumerate(_metrics.CHARS)}

Point = tuple[float, float]


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: 12.5, 3, -0.25."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def measure(text: str, px: float, bold: bool = False) -> float:
    """Width in px of `text` set in DejaVu Sans `px` tall (bold or regular)."""
    table = _metrics.BOLD if bold else _metrics.REGULAR
    total = 0
    for char in text:
        index = _INDEX.get(char)
        total += table[index] if index is not None else _metrics.DEFAULT
    return total * px / 1000


def wrap(text: str, px: float, width: float, bold: bool = False) -> list[str]:
    """Break `text` at spaces into lines no wider than `width` (a longer word stays whole)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and measure(trial, px, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current or not lines else lines


def shorten(text: str, px: float, width: float, bold: bool = False) -> str:
    """`text`, cut with an ellipsis to fit `width` px."""
    if measure(text, px, bold) <= width:
        return text
    while text and measure(text + "…", px, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {k}="{v}"' for k, v in pairs if v is not None)


def _opacity(opacity: float | None, fill: bool, stroke: bool) -> tuple[tuple[str, str | None], ...]:
    """`fill-opacity`/`stroke-opacity` rather than `opacity`: the same look for one shape, but
    `opacity` makes WeasyPrint draw each shape in a transparency group of its own (about twice
    the cost of a plain shape, measured in benchmarks/pdf_stage.py)."""
    value = num(opacity) if opacity is not None else None
    return (("fill-opacity", value if fill else None),
            ("stroke-opacity", value if stroke else None))


def path_d(points: Sequence[Point]) -> str:
    """`M x,y L x,y ...` through the points."""
    return "M" + "L".join(f"{num(x)},{num(y)}" for x, y in points)


def path(d: str, *, stroke: str | None = None, fill: str = "none", width: float | None = None,
         dash: Sequence[float] | None = None, opacity: float | None = None) -> str:
    """A `<path>`; a dash of [1, 0] (solid) is left out."""
    dashes = ",".join(num(v) for v in dash) if dash and list(dash) != [1, 0] else None
    return "<path" + _attrs((("d", d), ("fill", fill), ("stroke", stroke),
                             ("stroke-width", num(width) if width is not None else None),
                             ("stroke-dasharray", dashes),
                             *_opacity(opacity, fill != "none", stroke is not None))) + "/>"


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
         dash: Sequence[float] | None = None) -> str:
    """A straight `<line>`."""
    dashes = ",".join(num(v) for v in dash) if dash and list(dash) != [1, 0] else None
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{stroke}" stroke-width="{num(width)}"'
            + (f' stroke-dasharray="{dashes}"' if dashes else "") + "/>")


def rect(x: float, y: float, w: float, h: float, fill: str,
         opacity: float | None = None) -> str:
    """A `<rect>` (negative sizes are turned round)."""
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{fill}"'
            + (f' fill-opacity="{num(opacity)}"' if opacity is not None else "") + "/>")


def circle(cx: float, cy: float, r: float, fill: str, *, stroke: str | None = None,
           stroke_width: float | None = None, opacity: float | None = None) -> str:
    """A `<circle>`."""
    return "<circle" + _attrs((
        ("cx", num(cx)), ("cy", num(cy)), ("r", num(r)), ("fill", fill), ("stroke", stroke),
        ("stroke-width", num(stroke_width) if stroke_width is not None else None),
        *_opacity(opacity, True, stroke is not None))) + "/>"


def text(x: float, y: float, content: str | Sequence[str], *, px: float = 11,
         anchor: str = "start", fill: str = "#222222", bold: bool = False,
         angle: float = 0, line_height: float | None = None) -> str:
    """A `<text>` whose baseline is at `y`; several lines become `<tspan>`s below each other.

    `anchor` is the SVG text-anchor (start, middle, end); `angle` rotates about (x, y).
    """
    lines = [content] if isinstance(content, str) else list(content)
    attrs = _attrs((
        ("x", num(x)), ("y", num(y)), ("font-size", f"{num(px)}px"),
        ("font-weight", "bold" if bold else None),
        ("text-anchor", anchor if anchor != "start" else None), ("fill", fill),
        ("transform", f"rotate({num(angle)},{num(x)},{num(y)})" if angle else None)))
    if len(lines) == 1:
        return f"<text{attrs}>{escape(lines[0], quote=False)}</text>"
    step = line_height or px * 1.25
    spans = "".join(
        f'<tspan x="{num(x)}" y="{num(y + i * step)}">{escape(t, quote=False)}</tspan>'
        for i, t in enumerate(lines))
    return f"<text{attrs}>{spans}</text>"


def group(css_class: str, items: Sequence[str], extra: str = "") -> str:
    """`<g class="...">` around the items ('' when there are none)."""
    if not items:
        return ""
    return f'<g class="{css_class}"{extra}>' + "".join(items) + "</g>"
