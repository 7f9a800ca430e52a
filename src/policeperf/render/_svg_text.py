"""Faster SVG text for WeasyPrint: shape a chart label as one run instead of letter by letter.

WeasyPrint (up to 70 at least) draws every SVG ``<text>`` one code point at a time: a Pango
layout, a text object and a font look-up per letter, so that per-letter ``x``/``dy``/``rotate``
lists work. Chart labels use none of that, and the ~5,800 letters of the example report's ~700
labels cost about 1.5 s of the PDF's CPU time. For a text node with at most one ``x`` and ``y``
and no ``dx``, ``dy``, ``rotate``, ``letter-spacing`` or ``textLength``, `_text` lays out and
draws the whole label once (Pango then also kerns it, as a browser does); any other node goes
to WeasyPrint's own function unchanged. The same approach was proposed upstream
(Kozea/WeasyPrint pull request 2754, "shape and draw the whole text when there are no
glyph-specific positioning attributes").

`install` swaps the function into WeasyPrint's SVG tag table only for the WeasyPrint versions
it was written against (`SUPPORTED`); with any other version the stock drawing stays and the
PDF is only slower (tests/render/test_svg_text.py fails, so that an upgrade is noticed).
"""

from __future__ import annotations

from math import inf
from typing import Any

SUPPORTED = ("70.",)
"""WeasyPrint versions whose SVG text internals `_text` reproduces."""

_PER_LETTER = ("dx", "dy", "rotate", "textLength", "lengthAdjust")
_stock: Any = None


def _single(value: str | None) -> bool:
    from weasyprint.svg.utils import normalize

    return value is None or " " not in normalize(value)


def _is_simple(node: Any) -> bool:
    """Whether the node's text can be drawn as one run (see the module's docstring)."""
    text = node.text
    return (bool(text) and "\n" not in text and node.tag in ("text", "tspan")
            and not any(key in node.attrib for key in _PER_LETTER)
            and not node.get("letter-spacing")
            and _single(node.attrib.get("x")) and _single(node.attrib.get("y")))


def _style(svg: Any, node: Any, font_size: float) -> Any:
    """The text style WeasyPrint's own SVG text function builds (weasyprint/svg/text.py)."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in
                            node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    weights = {"normal": 400, "bold": 700}
    try:
        style["font_weight"] = weights[weight] if weight in weights else int(weight)
    except ValueError:
        style["font_weight"] = 400
    return style


def _y_align(node: Any, font_size: float, height: float) -> float:
    """Vertical alignment, as WeasyPrint's own function computes it."""
    ascent, descent = font_size * .8, font_size * .2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def _text(svg: Any, node: Any, font_size: float) -> None:
    """Draw a text node: as one run when it is simple, else with WeasyPrint's function."""
    if not _is_simple(node):
        _stock(svg, node, font_size)
        return
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(
        node.text, style, svg.context, inf, 0)
    x = size(node.attrib["x"], font_size, svg.inner_width) if "x" in node.attrib else None
    y = size(node.attrib["y"], font_size, svg.inner_height) if "y" in node.attrib else None
    if x is not None:
        svg.cursor_d_position[0] = 0
    if y is not None:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _y_align(node, font_size, height)
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, (
        (x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none",
                             Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> bool:
    """Use `_text` for SVG text in this process, if WeasyPrint's version is supported.

    Returns:
        Whether the faster text drawing is in use.
    """
    global _stock
    import weasyprint
    import weasyprint.svg as svg_module

    if _stock is not None:
        return True
    if not weasyprint.__version__.startswith(SUPPORTED):
        return False
    _stock = svg_module.text
    # draw_node compares TAGS.get(tag) with the module's `text` to apply text-anchor: swap both.
    for tag, function in list(svg_module.TAGS.items()):
        if function is _stock:
            svg_module.TAGS[tag] = _text
    svg_module.text = _text
    return True
