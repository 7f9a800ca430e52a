"""Boxes of the text drawn in a chart, estimated from the SVG alone (font size, anchor, rotation
and character count), to check that no two labels overlap.

The estimate is independent of the renderer's own measuring: 0.62 em a character (bold 0.68
em; DejaVu Sans digits are 0.64 em, so a run of digits may be 3% wider), 0.72 em above the
baseline and 0.2 em below it for text with a descender.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .svg_helpers import SVG_NS, groups, parse

_ROTATE = re.compile(r"rotate\(([-\d.]+)")
_DESCENDERS = set("gjpqy,;()[]{}|_@$")


@dataclass(frozen=True)
class TextBox:
    """Where a piece of text is drawn (SVG px, y down)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: TextBox) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0
                    or self.y1 <= other.y0 or other.y1 <= self.y0)


def text_box(node: ET.Element) -> TextBox:
    """The estimated box of one single-line `<text>` element."""
    content = "".join(node.itertext())
    size = float(node.get("font-size", "11px").removesuffix("px"))
    bold = node.get("font-weight") == "bold"
    width = len(content) * size * (0.68 if bold else 0.62)
    x, y = float(node.get("x", "0")), float(node.get("y", "0"))
    shift = {"start": 0.0, "middle": width / 2, "end": width}[node.get("text-anchor", "start")]
    up = 0.72 * size
    down = 0.2 * size if set(content) & _DESCENDERS else 0.0
    angle = _ROTATE.match(node.get("transform", ""))
    if angle and float(angle.group(1)) == -90:
        return TextBox(content, x - up, y - width + shift, x + down, y + shift)
    if angle:
        raise AssertionError(f"no box estimate for text rotated {angle.group(1)}: {content}")
    return TextBox(content, x - shift, y - up, x - shift + width, y + down)


def label_boxes(svg: str, css_class: str = "mark-text role-mark") -> list[TextBox]:
    """Boxes of the texts in the chart's groups of a class (value labels by default)."""
    root = parse(svg)
    return [text_box(node) for group in groups(root, css_class)
            for node in group.iter(f"{SVG_NS}text")]


def overlapping(boxes: list[TextBox]) -> list[tuple[str, str]]:
    """The pairs of texts whose boxes overlap."""
    return [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a.overlaps(b)]
