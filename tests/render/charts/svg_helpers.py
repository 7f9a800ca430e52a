"""Read rendered chart SVG with xml.etree: marks by kind, visible text, colours."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Parse SVG markup (fails the test if it is not well-formed XML)."""
    return ET.fromstring(svg)


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    """All <g> elements whose class attribute starts with `css_class`."""
    return [g for g in root.iter(f"{SVG_NS}g") if g.get("class", "").startswith(css_class)]


def marks(root: ET.Element, kind: str) -> list[ET.Element]:
    """Drawn data marks of one Vega kind ('line', 'rect', 'symbol', 'text', 'area', 'rule')."""
    found: list[ET.Element] = []
    for group in groups(root, f"mark-{kind} role-mark"):
        found.extend(child for child in group if child.tag != f"{SVG_NS}g")
    return found


def texts(root: ET.Element, css_class: str) -> list[str]:
    """Visible text (opacity not 0) inside groups of a class, e.g. 'mark-text role-axis-title'.

    Multi-line text (title lines in <tspan>) is joined with spaces.
    """
    out: list[str] = []
    for group in groups(root, css_class):
        for node in group.iter(f"{SVG_NS}text"):
            if node.get("opacity") == "0":
                continue
            out.append(" ".join(t.strip() for t in node.itertext() if t.strip()))
    return out


def all_text(root: ET.Element) -> str:
    """Every piece of text in the drawing, joined with spaces."""
    return " ".join(texts(root, ""))


def colours(elements: list[ET.Element], attribute: str = "fill") -> list[str]:
    """The fill (or stroke) colour of each element, upper-cased."""
    return [e.get(attribute, "").upper() for e in elements]
