"""One look for every chart: colour-blind-safe palette (Okabe-Ito), font, sizes, date axes."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from policeperf.render.charts.inputs import MIN_FONT_PX, SIZE_PX, ChartSize, Role

FONT = "DejaVu Sans, Arial, sans-serif"
"""The font stack the SVG names; layout measures text with DejaVu Sans's widths (`_metrics`)."""
MEASURE_FONT = "DejaVu Sans"
"""The one font the Vega-Lite specs name (the dashboard's charts)."""

# Okabe-Ito, "Color Universal Design" (2008): distinguishable with all common colour-vision
# deficiencies. The force is always blue, the MSG average vermillion, national grey.
FORCE = "#0072B2"
MSG = "#D55E00"
NATIONAL = "#6E6E6E"
PEER = "#BDBDBD"
"""Other forces in peer charts: light grey so the force stands out."""
VOLUME = "#A9C9E0"
"""Volume bars under a rate line: a pale tint of the force blue, so the line reads first."""
INK = "#222222"
"""Text and reference lines."""
IMPROVEMENT = "#0072B2"
"""Special cause improvement (blue, as NHS 'Making Data Count' uses)."""
CONCERN = "#E69F00"
"""Special cause concern (orange, as NHS 'Making Data Count' uses)."""
COMMON = "#8C8C8C"
"""Common cause variation (grey)."""

ROLE_COLOUR: dict[Role, str] = {Role.FORCE: FORCE, Role.MSG: MSG, Role.NATIONAL: NATIONAL}
ROLE_DASH: dict[Role, list[int]] = {Role.FORCE: [1, 0], Role.MSG: [6, 3], Role.NATIONAL: [2, 2]}
"""Dash patterns add a second cue besides colour (and survive greyscale printing)."""

SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]
"""Palette for series that are not force/MSG/national (e.g. survey questions), in order."""

LINE_LEGEND: dict[str, Any] = {
    "symbolType": "stroke", "symbolSize": 300, "symbolStrokeWidth": 2.5, "symbolOpacity": 1,
}
"""Legend entries drawn as short line samples (colour and dash) rather than dots."""

DATE_FORMAT = "%b %Y"
"""Dates read 'Jun 2022' on every axis and label (Python strftime and d3 agree on this)."""

_MAX_TICKS: dict[ChartSize, int] = {ChartSize.FULL: 8, ChartSize.TALL: 8, ChartSize.APPENDIX: 6,
                                    ChartSize.HALF: 4}
"""At most this many date labels ("Jun 2022", about 50 px at 11 px) along the x axis."""

TITLE_PX = 13
"""Chart titles: 13 px bold, 9.75 pt at printed size."""
TEXT_PX = MIN_FONT_PX
"""Axis labels and titles, legends and value labels: 11 px, 8.25 pt at printed size."""


def narrow(size: ChartSize) -> bool:
    """A half-width chart: slanted date labels, legends stacked."""
    return ChartSize(size) == ChartSize.HALF


def config() -> dict[str, Any]:
    """Return the Vega-Lite `config` block shared by every chart."""
    return {
        "font": MEASURE_FONT,
        "background": "white",
        "aria": False,
        "view": {"stroke": None},
        "title": {"fontSize": TITLE_PX, "fontWeight": "bold", "anchor": "start", "color": INK,
                  "offset": 8},
        "axis": {
            "labelFontSize": TEXT_PX,
            "titleFontSize": TEXT_PX,
            "titleFontWeight": "normal",
            "labelColor": INK,
            "titleColor": INK,
            "domainColor": "#888888",
            "tickColor": "#888888",
            "gridColor": "#E5E5E5",
        },
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            "labelFontSize": TEXT_PX,
            "title": None,
            "labelLimit": 0,
            "symbolStrokeWidth": 2.5,
            "columnPadding": 16,
        },
    }


_HEIGHT: ContextVar[int | None] = ContextVar("chart_height", default=None)


@contextmanager
def chart_height(height_px: int | None) -> Iterator[None]:
    """Draw the charts made inside the block `height_px` tall instead of their size's height
    (the width, and so the printed size of the text, stays that of the size): a priority page
    gives its charts the height its table leaves free."""
    token = _HEIGHT.set(height_px)
    try:
        yield
    finally:
        _HEIGHT.reset(token)


def current_height() -> int | None:
    """The height `chart_height` set for the charts being drawn, if any."""
    return _HEIGHT.get()


def frame_props(title: str, size: ChartSize) -> dict[str, Any]:
    """Return top-level spec properties: title and a fixed total size including axes."""
    width, height = SIZE_PX[ChartSize(size)]
    height = _HEIGHT.get() or height
    return {
        "title": {"text": wrap_title(title, size)},
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": 6,
    }


def wrap_title(title: str, size: ChartSize) -> list[str]:
    """Break a title into lines that fit the chart width (Vega does not wrap titles)."""
    # About 8 px per character for 13 px bold DejaVu Sans; margins keep a little slack.
    chars = max(20, int((SIZE_PX[ChartSize(size)][0] - 16) / 8.0))
    return textwrap.wrap(title, width=chars) or [""]


def month_index(day: dt.date) -> int:
    """Months since year 0, so that differences count calendar months (Jan 2022 -> 24265)."""
    return day.year * 12 + day.month - 1


def date_ticks(dates: list[dt.date], size: ChartSize) -> list[dict[str, Any]]:
    """`tick_dates` as Vega-Lite DateTime objects (UTC) for an axis's `values`."""
    return [{"year": d.year, "month": d.month, "date": d.day, "utc": True}
            for d in tick_dates(dates, size)]


def tick_dates(dates: list[dt.date], size: ChartSize) -> list[dt.date]:
    """Choose axis tick dates aligned on the latest period, at most a size-dependent count.

    The latest period always gets a tick (the report's reference quarter), and ticks step back
    by a whole number of months (1, 3, 6, 12 or 24) so labels never collide.

    """
    unique = sorted(set(dates))
    if not unique:
        return []
    span = month_index(unique[-1]) - month_index(unique[0])
    step = next(
        (s for s in (1, 3, 6, 12, 24) if span // s + 1 <= _MAX_TICKS[ChartSize(size)]), 48
    )
    last = month_index(unique[-1])
    first = month_index(unique[0])
    wanted = set(range(last, first - 1, -step))
    return [d for d in unique if month_index(d) in wanted]


def time_x(dates: list[dt.date], size: ChartSize, title: str | None = None) -> dict[str, Any]:
    """Return an x encoding for a UTC time axis labelled 'Jun 2022'."""
    return {
        "field": "period_end",
        "type": "temporal",
        "title": title,
        "scale": {"type": "utc"},
        "axis": {
            "format": DATE_FORMAT,
            "values": date_ticks(dates, size),
            "labelAngle": -40 if narrow(size) else 0,
            "labelAlign": "right" if narrow(size) else "center",
            "labelOverlap": True,
            "grid": False,
        },
    }


def iso(day: dt.date) -> str:
    """Return a date as 'YYYY-MM-DD' for the inline data (parsed as UTC by the spec)."""
    return day.isoformat()


def label(day: dt.date) -> str:
    """Return a date as the charts print it: 'Jun 2022'."""
    return day.strftime(DATE_FORMAT)


def thin_labels(labels: list[str], size: ChartSize) -> list[str]:
    """Keep every k-th band label, counting back from the latest, so labels never collide."""
    most = _MAX_TICKS[ChartSize(size)] + (2 if narrow(size) else 4)
    step = next((s for s in (1, 2, 3, 6, 12) if len(labels) / s <= most), 24)
    return labels[::-1][::step][::-1]
