"""Vertical bars on a band axis, with value labels that never collide.

Labels sit above their bars, level. When the widest label does not fit its bar's slot they are
turned upright; when even upright labels are wider than a slot, every k-th bar is labelled,
counting back from the latest. Whatever is chosen, each label is placed only where its box is
free (`_labels.place`), so no two labels ever overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policeperf.render.charts import _svg, _theme
from policeperf.render.charts._labels import Box, Label, label_width, place
from policeperf.render.charts._layout import PAD, TEXT, Canvas, Rect, x_axis
from policeperf.render.charts._scale import Band, Linear
from policeperf.render.charts.inputs import ChartSize


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
