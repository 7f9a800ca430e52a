"""Vega-Lite spec -> inline SVG, the only module that calls vl-convert.

vl-convert numbers clip-path ids with a process-wide counter, so the same chart rendered twice
gets different ids, and two charts inlined in one HTML page could share one. We renumber ids per
chart with a prefix taken from a hash of the spec: byte-identical output for identical input and
no collisions between different charts in a page.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

import polars as pl
import vl_convert as vlc

from policeperf.render.charts import _theme

# An id attribute and its references: id="clip3", url(#clip3), href="#clip3".
_ID = re.compile(r'\bid="([^"]+)"')
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart, ready to inline in HTML and to export as CSV.

    Attributes:
        svg: `<svg>` markup without an XML declaration; references nothing external.
        alt_text: What the chart shows and its latest values, for screen readers.
        title: The caller's title, also drawn in the SVG.
        data: The data behind the chart (the validated input columns), for CSV export.
        spec: The Vega-Lite spec the SVG was rendered from (useful for PNG previews).
        notes: Footnotes to print under the chart (e.g. the periods a gap leaves out).
    """

    svg: str
    alt_text: str
    title: str
    data: pl.DataFrame
    spec: dict[str, Any] = field(repr=False)
    notes: tuple[str, ...] = ()


def vegalite_to_svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to SVG with vl-convert (typed wrapper)."""
    svg: str = vlc.vegalite_to_svg(spec)
    return svg


def vegalite_to_png(spec: dict[str, Any], scale: float = 1.0) -> bytes:
    """Render a Vega-Lite spec to PNG with vl-convert (typed wrapper), for previews."""
    png: bytes = vlc.vegalite_to_png(spec, scale=scale)
    return png


def finish_svg(raw: str, spec_key: str, title: str, alt_text: str) -> str:
    """Make vl-convert output deterministic and inline-able.

    Drops any XML declaration, renumbers ids with a chart-specific prefix, drops the unused
    xlink namespace, and gives the root `role="img"`, an `aria-label` and `<title>`/`<desc>`.
    """
    svg = _XML_DECL.sub("", raw).replace(f'font-family="{_theme.MEASURE_FONT}"',
                                         f'font-family="{_theme.FONT}"')
    ids = list(dict.fromkeys(_ID.findall(svg)))
    for number, old in enumerate(ids, start=1):
        new = f"pp{spec_key}-{number}"
        svg = re.sub(rf'\bid="{re.escape(old)}"', f'id="{new}"', svg)
        svg = re.sub(rf"#{re.escape(old)}\b(?=[)\"])", f"#{new}", svg)
    if "xlink:" not in svg.split(">", 1)[1]:
        svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    opening = _SVG_OPEN.search(svg)
    if opening is None:
        raise RuntimeError("vl-convert returned no <svg> element")
    head = opening.group(0)[:-1] + f' role="img" aria-label="{escape(title, quote=True)}">'
    head += f"<title>{escape(title)}</title><desc>{escape(alt_text)}</desc>"
    return svg[: opening.start()] + head + svg[opening.end() :]


def render(
    spec: dict[str, Any], *, title: str, alt_text: str, data: pl.DataFrame,
    notes: tuple[str, ...] = (),
) -> Chart:
    """Add the shared config to a spec, render it and wrap it as a `Chart`."""
    full = dict(spec)
    full["config"] = _theme.config()
    key = hashlib.sha256(json.dumps(full, sort_keys=True).encode()).hexdigest()[:10]
    svg = finish_svg(vegalite_to_svg(full), key, title, alt_text)
    return Chart(svg=svg, alt_text=alt_text, title=title, data=data, spec=full, notes=notes)
