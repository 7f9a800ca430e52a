"""Bars: vertical bars on a band axis with value labels that never collide, horizontal category
bars with whiskers, and volume bars under a rate line.

Labels sit above their bars, level. When the widest label does not fit its bar's slot they are
turned upright; when even upright labels are wider than a slot, every k-th bar is labelled,
counting back from the latest. Whatever is chosen, each label is placed only where its box is
free (`_labels.place`), so no two labels ever overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._labels import Box, Label, label_width, place
from policeperf.render.charts._layout import (
    PAD,
    TEXT,
    Canvas,
    Rect,
    axis_title_lines,
    tick_count,
    value_plot,
    x_axis,
    x_axis_height,
    y_axis,
    y_axis_width,
)
from policeperf.render.charts._scale import Band, Linear, nice_ticks, tick_formatter
from policeperf.render.charts.inputs import ChartSize, ValueFormat


@dataclass(frozen=True)
class Bar:
    """One bar: its slot's centre and width, its value and the label it carries."""

    centre: float
    width: float
    value: float
    text: str


def label_style(texts: Sequence[str], slot: float, bold: bool = False) -> tuple[float, int]:
    """(angle, every) for labels over bars `slot` px apart: level (0) when the widest fits,
    else upright (-90); `every` k-th bar labelled when upright ones do not fit either."""
    widest = max((label_width(t, TEXT, bold) for t in texts), default=0.0)
    if widest + 2 <= slot:
        return 0.0, 1
    every = 1
    while slot * every < TEXT + 3:
        every += 1
    return -90.0, every


def headroom(texts: Sequence[str], angle: float, bold: bool = False) -> float:
    """Pixels needed above the highest bar for its label."""
    if angle:
        return max((label_width(t, TEXT, bold) for t in texts), default=0.0) + 6
    return TEXT + 6


def bar_labels(bars: Sequence[Bar], y: Linear, bounds: Box, angle: float, every: int,
               bold: bool = False) -> list[str]:
    """Value labels above the bars (upright when `angle` is -90), every k-th from the last,
    each placed only where it overlaps no other label."""
    keep = {len(bars) - 1 - i for i in range(0, len(bars), every)}
    choices: list[list[Label]] = []
    for i, bar in enumerate(bars):
        if i not in keep:
            choices.append([])
            continue
        top = y(max(bar.value, 0.0))
        if angle:
            choices.append([Label(bar.centre + 0.3 * TEXT, top - 3, bar.text, "start", bold=bold,
                                  angle=-90)])
        else:
            choices.append([Label(bar.centre, top - 4, bar.text, "middle", bold=bold),
                            Label(bar.centre, top - 4 - TEXT - 2, bar.text, "middle",
                                  bold=bold)])
    # The latest bar is placed first: it is the one a reader looks for.
    order = list(range(len(bars)))[::-1]
    placed = place([choices[i] for i in order], bounds)
    by_bar = dict(zip(order, placed, strict=True))
    return [lab.svg() for i in range(len(bars)) if (lab := by_bar[i]) is not None]


def slot_estimate(canvas: Canvas, count: int, reserved: float = 60.0) -> float:
    """A band's width before the value axis is laid out (its labels' width is not known)."""
    return (canvas.width - 2 * PAD - reserved) / max(count, 1)


def band_axis(canvas: Canvas, plot: Rect, labels: Sequence[str], shown: Sequence[str],
              inner: float = 0.2) -> Band:
    """A band scale over the plot's width and its axis, labelled at the `shown` labels."""
    band = Band(len(labels), plot.left, plot.right, inner)
    widest = max((_svg.measure(t, TEXT) for t in shown), default=0.0)
    every = 1
    while band.step * every < widest + 8 and every < len(labels):
        every += 1
    if every > 1:  # the axis is narrower than the labels asked for: fewer, evenly spaced
        shown = list(labels)[::-1][::every][::-1]
    where = {label: i for i, label in enumerate(labels)}
    x_axis(canvas, plot, [(band.centre(where[t]), t) for t in shown if t in where])
    return band


def months(labels: Sequence[str], size: ChartSize) -> list[str]:
    """The month labels an axis shows (every k-th, counting back from the latest)."""
    return _theme.thin_labels(list(labels), size)


def draw_categories(canvas: Canvas, rows: list[dict[str, Any]], order: list[str],
                     x_title: str, fmt: ValueFormat) -> Rect:
    """Horizontal bars with whiskers and caps; category names (up to two lines) on the left."""
    column = canvas.width * 0.4
    names = {c: _svg.wrap(c, TEXT, column)[:2] for c in order}
    for c, lines in names.items():
        if len(_svg.wrap(c, TEXT, column)) > 2 or any(_svg.measure(t, TEXT) > column
                                                      for t in lines):
            names[c] = [lines[0], _svg.shorten(c[len(lines[0]):].strip(), TEXT, column)]
    widest = max(_svg.measure(t, TEXT) for lines in names.values() for t in lines)
    bottom = canvas.height - PAD - x_axis_height(x_title)
    uppers = [float(r["upper"]) for r in rows]
    low, high = (0.0, 1.0) if fmt.percent else (0.0, max(uppers + [float(r["rate"])
                                                                   for r in rows]))
    d0, d1, ticks, step = nice_ticks(low, high, max(2, int((canvas.width - widest) / 70)),
                                     nice=not fmt.percent)
    label = tick_formatter(fmt, step)
    right = canvas.width - PAD - _svg.measure(label(ticks[-1]), TEXT) / 2
    plot = Rect(PAD + widest + 8, canvas.top, right, bottom)
    x = Linear((d0, d1), (plot.left, plot.right))
    x_axis(canvas, plot, [(x(t), label(t)) for t in ticks], x_title, grid=True)
    band = Band(len(order), plot.top, plot.bottom, 0.35)
    canvas.add("mark-text role-axis-label", [_svg.text(
        plot.left - 5, band.centre(i) + 0.35 * TEXT - (len(names[c]) - 1) * 6.5, names[c],
        px=TEXT, anchor="end", line_height=13) for i, c in enumerate(order)])
    bars, caps, rules, labels = [], [], [], []
    bounds = Box(plot.left, canvas.top, canvas.width, plot.bottom)
    for i, r in enumerate(rows):
        top, middle = band.left(i), band.centre(i)
        bars.append(_svg.rect(x(0), top, x(r["rate"]) - x(0), band.width, _theme.FORCE, 0.85))
        rules.append(_svg.line(x(r["lower"]), middle, x(r["upper"]), middle, _theme.INK, 1.5))
        caps += [_svg.rect(x(r[k]) - 0.75, middle - 5, 1.5, 10, _theme.INK)
                 for k in ("lower", "upper")]
        text = fmt.text(r["rate"])
        labels.append([Label(x(r["upper"]) + 5, middle + 0.35 * TEXT, text, "start", bold=True),
                       Label(x(r["lower"]) - 5, middle + 0.35 * TEXT, text, "end", bold=True,
                             fill="white")])
    canvas.add("mark-rect role-mark", bars + caps, "data")
    canvas.add("mark-rule role-mark", rules, "data")
    canvas.add("mark-text role-mark", [lab.svg() for lab in place(labels, bounds) if lab],
               "over")
    return plot


def draw_dual(canvas: Canvas, rows: list[dict[str, Any]], labels: list[str], size: ChartSize,
               volume: tuple[str, ValueFormat], rate: tuple[str, ValueFormat]) -> Rect:
    """Volume bars on the left axis, the rate as a line with points on the right axis."""
    bottom = x_axis_height(None)
    height = canvas.height - PAD - bottom - canvas.top
    rates = [float(r["rate"]) for r in rows if r["rate"] is not None]
    r0, r1, rate_ticks, rate_step = nice_ticks(0.0, max(rates + [0.0]), tick_count(height))
    rate_label = tick_formatter(rate[1], rate_step)
    rate_title = axis_title_lines(rate[0], canvas.height - PAD - canvas.top)
    right = y_axis_width([rate_label(t) for t in rate_ticks], len(rate_title))
    plot, y = value_plot(canvas, [float(r["volume"]) for r in rows if r["volume"] is not None],
                         y_title=volume[0], fmt=volume[1], right=right, bottom=bottom)
    y_rate = Linear((r0, r1), (plot.bottom, plot.top))
    y_axis(canvas, plot, rate_ticks, y_rate, rate_label, rate_title, side="right", grid=False)
    band = band_axis(canvas, plot, labels, months(labels, size))
    bars = [_svg.rect(band.left(i), y(0), band.width, y(r["volume"]) - y(0), _theme.VOLUME)
            for i, r in enumerate(rows) if r["volume"] is not None]
    canvas.add("mark-rect role-mark", bars, "data")
    runs: list[list[tuple[float, float]]] = [[]]
    for i, r in enumerate(rows):
        if r["rate"] is None:
            runs.append([])
        else:
            runs[-1].append((band.centre(i), y_rate(r["rate"])))
    canvas.add("mark-line role-mark", [_svg.path(_svg.path_d(run), stroke=_theme.FORCE,
                                                 width=2.5) for run in runs if len(run) > 1],
               "data")
    canvas.add("mark-symbol role-mark", [_svg.circle(px, py, 3.1, _theme.FORCE)
                                         for run in runs for px, py in run], "data")
    return plot
