"""One chart's page furniture: title, legend, plot area, axes, and the finished `<svg>`.

A `Canvas` is laid out top down: the title (wrapped to the width), the legend (entries
wrapped into rows), then the plot area, whose margins come from the measured widths of its
axis labels. Everything is drawn at the chart's printed size (see `inputs.ChartSize`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._labels import Box, Label, place
from policeperf.render.charts._scale import Linear, nice_ticks, tick_formatter
from policeperf.render.charts.inputs import SIZE_PX, ChartSize, ValueFormat

PAD = 6
"""Blank border round the chart."""
TICK = 5
"""Axis tick length."""
TEXT = _theme.TEXT_PX
TITLE = _theme.TITLE_PX
AXIS_INK = "#888888"
GRID = "#E5E5E5"
ROW = 16
MIN_BODY = 115
"""Least room, in px, for plot and x axis under the title and legend (a plot about 85 px tall):
a little less than a full-width chart with a two-line title and a legend has, so charts at the
documented sizes keep them and only a longer title makes a chart taller."""
"""Height of a legend row."""


@dataclass(frozen=True)
class Rect:
    """The plot area (pixels; y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Swatch:
    """A legend entry: its label and how its marks look (`kind` stroke, circle, square or
    line-point)."""

    label: str
    colour: str
    kind: str = "stroke"
    dash: Sequence[float] | None = None


@dataclass
class Canvas:
    """A chart being drawn: its size, title and legend, then layers added in drawing order."""

    title: str
    size: ChartSize
    width: int = 0
    height: int = 0
    title_width: float | None = None
    top: float = 0.0
    layers: list[str] = field(default_factory=list)
    clipped: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)
    _head: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        width, height = SIZE_PX[ChartSize(self.size)]
        self.width = self.width or width
        self.height = self.height or _theme.current_height() or height
        lines = _svg.wrap(self.title, TITLE, self.title_width or self.width - 2 * PAD, bold=True)
        self._head.append(_svg.group("mark-text role-title-text", [_svg.text(
            PAD, PAD + TITLE, lines, px=TITLE, bold=True, line_height=TITLE + 2)]))
        self.top = PAD + TITLE + (len(lines) - 1) * (TITLE + 2) + 10
        self._keep_body()

    def _keep_body(self) -> None:
        """Grow the chart when its title and legend leave less than `MIN_BODY` px under them: a
        long title (three lines in a half-width chart) must not squash the plot to a strip."""
        self.height = max(self.height, math.ceil(self.top + MIN_BODY))

    def legend(self, entries: Sequence[Swatch]) -> None:
        """Draw the legend under the title, entries left to right, wrapping into rows (set
        closer together when that saves a row)."""
        if not entries:
            return
        rows = self._legend_rows(entries, 22.0, 16.0)
        if len(rows) > 1:
            tight = self._legend_rows(entries, 16.0, 10.0)
            rows = tight if len(tight) < len(rows) else rows
        symbols: list[str] = []
        labels: list[str] = []
        for number, row in enumerate(rows):
            middle = self.top + number * ROW + 6
            for x, swatch, entry in row:
                if entry.kind in ("stroke", "line-point"):
                    symbols.append(_svg.line(x, middle, x + swatch, middle, entry.colour, 2.5,
                                             entry.dash))
                    if entry.kind == "line-point":
                        symbols.append(_svg.circle(x + swatch / 2, middle, 3.2, entry.colour))
                elif entry.kind == "circle":
                    symbols.append(_svg.circle(x + 5.5, middle, 5, entry.colour))
                else:
                    symbols.append(_svg.rect(x, middle - 5.5, 11, 11, entry.colour))
                labels.append(_svg.text(x + swatch + 5, middle + 4, entry.label, px=TEXT))
        self._head.append(_svg.group("mark-symbol role-legend-symbol", symbols))
        self._head.append(_svg.group("mark-text role-legend-label", labels))
        self.top += len(rows) * ROW + 10
        self._keep_body()

    def _legend_rows(self, entries: Sequence[Swatch], line: float, gap: float
                     ) -> list[list[tuple[float, float, Swatch]]]:
        rows: list[list[tuple[float, float, Swatch]]] = [[]]
        x = float(PAD)
        for entry in entries:
            swatch = line if entry.kind in ("stroke", "line-point") else 11.0
            width = swatch + 5 + _svg.measure(entry.label, TEXT)
            if rows[-1] and x + width > self.width - PAD:
                rows.append([])
                x = float(PAD)
            rows[-1].append((x, swatch, entry))
            x += width + gap
        return rows

    def add(self, css_class: str, items: Sequence[str], layer: str = "under") -> None:
        """Add a group of marks to a layer: "under" (grid, axes, shading), "data" (kept inside
        the plot area) or "over" (labels and reference lines, drawn last)."""
        {"under": self.layers, "data": self.clipped, "over": self.over}[layer].append(
            _svg.group(css_class, items))

    def svg(self, plot: Rect, alt_text: str) -> str:
        """The finished `<svg>`: sized, labelled for screen readers, self-contained. The clip
        path's id is hashed from the drawing, so equal charts are byte-identical and different
        charts in one page never share an id."""
        head = "".join(self._head)
        body = "".join(self.layers)
        clipped = "".join(self.clipped)
        over = "".join(self.over)
        key = hashlib.sha256((self.title + head + body + clipped + over).encode()).hexdigest()
        clip = ""
        if clipped:
            clip = (f'<clipPath id="pp{key[:10]}-plot"><rect x="{_svg.num(plot.left - 6)}" '
                    f'y="{_svg.num(plot.top - 6)}" width="{_svg.num(plot.width + 12)}" '
                    f'height="{_svg.num(plot.height + 12)}"/></clipPath>'
                    f'<g clip-path="url(#pp{key[:10]}-plot)">{clipped}</g>')
        title = escape(self.title, quote=True)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="{self.width}" '
                f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" role="img" '
                f'aria-label="{title}" font-family="{_theme.FONT}">'
                f"<title>{escape(self.title)}</title><desc>{escape(alt_text)}</desc>"
                f'<rect width="{self.width}" height="{self.height}" fill="white"/>'
                f"{head}{body}{clip}{over}</svg>")


def y_axis_width(labels: Sequence[str], title_lines: int) -> float:
    """Room an axis takes beside the plot: its widest label, tick, and title lines."""
    widest = max((_svg.measure(t, TEXT) for t in labels), default=0.0)
    return widest + TICK + 3 + (title_lines * (TEXT + 2) + 4 if title_lines else 0)


def axis_title_lines(title: str | None, length: float) -> list[str]:
    """An axis title broken into lines no longer than the axis (at most two)."""
    if not title:
        return []
    lines = _svg.wrap(title, TEXT, length)
    if len(lines) > 2:
        lines = [lines[0], _svg.shorten(" ".join(lines[1:]), TEXT, length)]
    return lines


def x_axis_height(title: str | None) -> float:
    """Room under the plot for tick labels and an optional title."""
    return TICK + 3 + TEXT + 3 + (TEXT + 5 if title else 0)


def y_axis(canvas: Canvas, plot: Rect, ticks: Sequence[float], scale: Callable[[float], float],
           label: Callable[[float], str], title_lines: Sequence[str], *, side: str = "left",
           grid: bool = True) -> None:
    """Draw a vertical axis: gridlines across the plot, domain line, ticks, labels, title."""
    left = side == "left"
    x = plot.left if left else plot.right
    direction = -1 if left else 1
    rows = [scale(t) for t in ticks]
    if grid:
        canvas.add("mark-rule role-axis-grid",
                   [_svg.path("".join(f"M{_svg.num(plot.left)},{_svg.num(y)}H{_svg.num(plot.right)}"
                                      for y in rows), stroke=GRID)])
    marks = f"M{_svg.num(x)},{_svg.num(plot.top)}V{_svg.num(plot.bottom)}" + "".join(
        f"M{_svg.num(x)},{_svg.num(y)}h{direction * TICK}" for y in rows)
    canvas.add("mark-rule role-axis-tick", [_svg.path(marks, stroke=AXIS_INK)])
    labels = [_svg.text(x + direction * (TICK + 3), y + 0.35 * TEXT, label(t), px=TEXT,
                        anchor="end" if left else "start") for t, y in zip(ticks, rows,
                                                                          strict=True)]
    canvas.add("mark-text role-axis-label", labels)
    if title_lines:
        longest = max(_svg.measure(t, TEXT) for t in title_lines)
        middle = min(max((plot.top + plot.bottom) / 2, canvas.top + longest / 2),
                     canvas.height - PAD - longest / 2)
        if left:
            item = _svg.text(PAD + 0.8 * TEXT, middle, title_lines, px=TEXT, anchor="middle",
                             angle=-90, line_height=TEXT + 2)
        else:
            item = _svg.text(canvas.width - PAD - 0.8 * TEXT, middle, title_lines, px=TEXT,
                             anchor="middle", angle=90, line_height=TEXT + 2)
        items = [item]
        canvas.add("mark-text role-axis-title", items)


def x_axis(canvas: Canvas, plot: Rect, positions: Sequence[tuple[float, str]],
           title: str | None = None, *, grid: bool = False, ticks: bool = True) -> None:
    """Draw a horizontal axis under the plot. Labels that would overlap a later one are left
    out (the latest, rightmost label always stays)."""
    if grid:
        canvas.add("mark-rule role-axis-grid", [_svg.path("".join(
            f"M{_svg.num(x)},{_svg.num(plot.top)}V{_svg.num(plot.bottom)}"
            for x, _ in positions), stroke=GRID)])
    marks = f"M{_svg.num(plot.left)},{_svg.num(plot.bottom)}H{_svg.num(plot.right)}"
    if ticks:
        marks += "".join(f"M{_svg.num(x)},{_svg.num(plot.bottom)}v{TICK}" for x, _ in positions)
    canvas.add("mark-rule role-axis-tick", [_svg.path(marks, stroke=AXIS_INK)])
    baseline = plot.bottom + TICK + 3 + 0.8 * TEXT
    bounds = Box(0, 0, canvas.width, canvas.height)
    choices = [[Label(x, baseline, text, "middle"), Label(x, baseline, text, "end"),
                Label(x, baseline, text, "start")] for x, text in reversed(positions)]
    chosen = [c for c in place(choices, bounds) if c is not None]
    canvas.add("mark-text role-axis-label",
               [_svg.text(c.x, c.y, c.text, px=TEXT, anchor=c.anchor) for c in reversed(chosen)])
    if title:
        canvas.add("mark-text role-axis-title", [_svg.text(
            (plot.left + plot.right) / 2, baseline + TEXT + 5, title, px=TEXT, anchor="middle")])


def tick_count(length: float) -> int:
    """About one value tick every 40 px (at least 2)."""
    return max(2, round(length / 40))


def value_plot(canvas: Canvas, values: Sequence[float], *, y_title: str | None,
               fmt: ValueFormat, zero: bool = True, pad_px: float = 0.0, headroom: float = 0.0,
               right: float = 0.0, bottom: float = 0.0) -> tuple[Rect, Linear]:
    """Lay out a plot with a value axis on its left, under the canvas's title and legend, and
    draw that axis (gridlines, ticks, labels, title).

    Args:
        values: Every value the axis must cover.
        y_title: The axis title.
        fmt: How the values read (ticks get as many decimals as their step needs).
        zero: The axis starts at zero (counts and rates); False fits the data.
        pad_px: Room kept between the data and the plot's top and bottom edges.
        headroom: Pixels kept free above the highest value (for value labels).
        right: Pixels kept free right of the plot.
        bottom: Pixels kept free under the plot (for the x axis).

    Returns:
        The plot area and the value scale.
    """
    top = canvas.top
    low_edge = canvas.height - PAD - bottom
    height = max(low_edge - top, 20.0)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or abs(high) or 1.0
    usable = max(height - 2 * pad_px - headroom, 10.0)
    floor, ceiling = low, high
    if headroom or pad_px:
        high += span * (pad_px + headroom) / usable
        if pad_px and not (zero and low == 0):
            low -= span * pad_px / usable
    # Padding never takes an axis of non-negative values below zero, nor proportions past 100%.
    if floor >= 0:
        low = max(low, 0.0)
    if fmt.percent and ceiling <= 1 and not headroom:
        high = min(high, 1.0)
    d0, d1, ticks, step = nice_ticks(low, high, tick_count(height))
    if fmt.percent and ceiling <= 1:  # room for labels may run past 100%: no tick says so
        ticks = [t for t in ticks if t <= 1 + 1e-9]
    label = tick_formatter(fmt, step)
    title_lines = axis_title_lines(y_title, canvas.height - PAD - canvas.top)
    left = PAD + y_axis_width([label(t) for t in ticks], len(title_lines))
    plot = Rect(left, top, canvas.width - PAD - right, low_edge)
    y = Linear((d0, d1), (low_edge, top))
    y_axis(canvas, plot, ticks, y, label, title_lines)
    return plot, y
