"""The `Chart` every chart function returns, and the step that wraps a drawing as one.

Charts are drawn straight to SVG text by this package (`_layout`, `_svg`), with no JavaScript
engine: about 1 ms a chart where vl-convert took 150 ms. Each chart also carries the Vega-Lite
spec of the same chart, which the dashboard renders interactively in the browser; vl-convert is
imported only to make PNG previews from a spec (`vegalite_to_png`), never to draw a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from policeperf.render.charts import _theme
from policeperf.render.charts._layout import Canvas, Rect


@dataclass(frozen=True, eq=False)
class Chart:
    """A rendered chart, ready to inline in HTML and to export as CSV.

    Attributes:
        svg: `<svg>` markup without an XML declaration; references nothing external.
        alt_text: What the chart shows and its latest values, for screen readers.
        title: The caller's title, also drawn in the SVG.
        data: The data behind the chart (the validated input columns), for CSV export.
        spec: A Vega-Lite spec of the same chart, for the dashboard's interactive charts (and
            PNG previews); the SVG is not drawn from it.
        notes: Footnotes to print under the chart (e.g. the periods a gap leaves out).
    """

    svg: str
    alt_text: str
    title: str
    data: pl.DataFrame
    spec: dict[str, Any] = field(repr=False)
    notes: tuple[str, ...] = ()


def vegalite_to_png(spec: dict[str, Any], scale: float = 1.0) -> bytes:
    """Render a Vega-Lite spec to PNG with vl-convert (imported here only), for previews."""
    import vl_convert as vlc

    png: bytes = vlc.vegalite_to_png(spec, scale=scale)
    return png


def finish(canvas: Canvas, plot: Rect, spec: dict[str, Any], *, alt_text: str,
           data: pl.DataFrame, notes: tuple[str, ...] = ()) -> Chart:
    """Wrap a drawn canvas and its Vega-Lite spec (given the shared config) as a `Chart`."""
    full = dict(spec)
    full["config"] = _theme.config()
    return Chart(svg=canvas.svg(plot, alt_text), alt_text=alt_text, title=canvas.title,
                 data=data, spec=full, notes=notes)

