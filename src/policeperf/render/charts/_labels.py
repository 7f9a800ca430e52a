"""Value labels that never collide: each label's box is measured, and a label is placed only
where its box overlaps no label placed before it (nor any obstacle, such as a reference line).

A box is measured from the font's advance widths, and never narrower than a rough
per-character width (0.62 em, bold 0.68 em), so that an estimate from the character count
(as the tests make from the SVG alone) also finds no overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policeperf.render.charts import _svg

GAP = 1.5
"""Pixels kept clear between two labels."""


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in SVG pixels (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = GAP) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0
                    or self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, outer: Box) -> bool:
        return (self.x0 >= outer.x0 - 0.01 and self.x1 <= outer.x1 + 0.01
                and self.y0 >= outer.y0 - 0.01 and self.y1 <= outer.y1 + 0.01)


def label_width(text: str, px: float, bold: bool = False) -> float:
    """The width a label is given: its measured width, at least 0.62 em (bold 0.68 em) a
    character."""
    return max(_svg.measure(text, px, bold), (0.68 if bold else 0.62) * px * len(text))


ASCENT = 0.76
"""Height of DejaVu Sans capitals and digits above the baseline, in em."""
_DESCENDERS = frozenset("gjpqy,;()[]{}|_@$")


def descent(text: str) -> float:
    """How far the text reaches below its baseline, in em: 0.24 with a descender, else 0.02."""
    return 0.24 if any(c in _DESCENDERS for c in text) else 0.02


@dataclass(frozen=True)
class Label:
    """A text at (x, y) (its baseline), anchored start/middle/end, horizontal or upright
    (angle -90: reads bottom to top, starting at (x, y))."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    px: float = 11
    bold: bool = False
    fill: str = "#222222"
    angle: float = 0

    def box(self) -> Box:
        width = label_width(self.text, self.px, self.bold)
        up, down = ASCENT * self.px, descent(self.text) * self.px
        shift = {"start": 0.0, "middle": width / 2, "end": width}[self.anchor]
        if self.angle == -90:
            # Rotated about (x, y): the text runs upwards from y; its glyphs sit left of x.
            return Box(self.x - up, self.y - width + shift, self.x + down, self.y + shift)
        return Box(self.x - shift, self.y - up, self.x - shift + width, self.y + down)

    def svg(self) -> str:
        return _svg.text(self.x, self.y, self.text, px=self.px, anchor=self.anchor,
                         fill=self.fill, bold=self.bold, angle=self.angle)


def place(choices: Sequence[Sequence[Label]], bounds: Box,
          obstacles: Sequence[Box] = ()) -> list[Label | None]:
    """Place each label at its first position that stays inside `bounds` and overlaps neither
    an obstacle nor a label placed before it; None where no position is free.

    Args:
        choices: For each label, its candidate positions, best first (earlier labels win).
        bounds: Where labels may go.
        obstacles: Boxes labels must not cover.
    """
    taken: list[Box] = list(obstacles)
    placed: list[Label | None] = []
    for candidates in choices:
        chosen = None
        for candidate in candidates:
            box = candidate.box()
            if box.inside(bounds) and not any(box.overlaps(t) for t in taken):
                chosen = candidate
                taken.append(box)
                break
        placed.append(chosen)
    return placed


def collisions(labels: Sequence[Label]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap (for checks)."""
    boxes = [(lab.text, lab.box()) for lab in labels]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.overlaps(box_b, gap=0)]
