"""Scales: data values to pixels (linear, log, time, bands), nice ticks and their labels."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from policeperf.render.charts.inputs import ValueFormat


def tick_step(start: float, stop: float, count: int) -> float:
    """d3's tick increment: 1, 2 or 5 times a power of ten, about `count` steps over the span."""
    span = abs(stop - start)
    if span == 0 or count <= 0:
        return 1.0
    raw = span / count
    power = math.floor(math.log10(raw))
    error = raw / 10**power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else (
        2 if error >= math.sqrt(2) else 1)
    return float(factor * 10.0**power)


def nice_ticks(low: float, high: float, count: int, *, nice: bool = True
               ) -> tuple[float, float, list[float], float]:
    """A domain covering [low, high] extended to whole steps (when `nice`), and its ticks.

    Returns:
        (domain low, domain high, ticks, step).
    """
    if high < low:
        low, high = high, low
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):  # flat (or all but flat) data
        pad = abs(high) * 0.1 if abs(high) > 1e-9 else 1.0
        low, high = low - pad, high + pad
    step = tick_step(low, high, count)
    if nice:
        low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    ticks = [round(i * step, 12) for i in range(first, last + 1)]
    return low, high, ticks, step


@dataclass(frozen=True)
class Linear:
    """`domain` (low, high) onto `range` (pixel at low, pixel at high)."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        (d0, d1), (r0, r1) = self.domain, self.range
        if d1 == d0:
            return (r0 + r1) / 2
        return r0 + (value - d0) / (d1 - d0) * (r1 - r0)


@dataclass(frozen=True)
class Log:
    """A log scale: `domain` (low, high > 0) onto `range`."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        (d0, d1), (r0, r1) = self.domain, self.range
        low, high = math.log10(d0), math.log10(d1)
        at = math.log10(max(value, d0 * 1e-3))
        return r0 + (at - low) / (high - low) * (r1 - r0) if high != low else (r0 + r1) / 2


def log_ticks(low: float, high: float) -> list[float]:
    """1, 2 and 5 times powers of ten between low and high."""
    return [m * 10.0**e for e in range(0, 10) for m in (1, 2, 5) if low <= m * 10**e <= high]


def time_scale(dates: Sequence[dt.date], left: float, right: float) -> Linear:
    """Dates (as day numbers) from the first to the last onto [left, right]."""
    days = [d.toordinal() for d in dates]
    return Linear((min(days), max(days)), (left, right))


@dataclass(frozen=True)
class Band:
    """`count` equal bands over [start, end], `inner` of each step left as a gap between bands
    and half of it at each end."""

    count: int
    start: float
    end: float
    inner: float = 0.2

    @property
    def step(self) -> float:
        return (self.end - self.start) / max(self.count, 1)

    @property
    def width(self) -> float:
        return self.step * (1 - self.inner)

    def left(self, index: int) -> float:
        return self.start + index * self.step + self.step * self.inner / 2

    def centre(self, index: int) -> float:
        return self.start + (index + 0.5) * self.step


def tick_formatter(fmt: ValueFormat, step: float) -> Callable[[float], str]:
    """Labels for ticks `step` apart: as many decimals as the step needs, thousands separated,
    percentages for proportions (0.05 -> "5%"), never "-0"."""
    scaled = step * 100 if fmt.percent else step
    decimals = min(9, max(0, -math.floor(math.log10(scaled) + 1e-9))) if scaled > 0 else 0

    def label(value: float) -> str:
        shown = value * 100 if fmt.percent else value
        text = f"{shown:,.{decimals}f}"
        text = text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text
        return text + ("%" if fmt.percent else "")
    return label


def short_number(value: float) -> str:
    """Populations on an axis: 0, 500k, 1M, 1.5M."""
    if value == 0:
        return "0"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f}".rstrip("0").rstrip(".") + "M"
    return f"{value / 1e3:,.0f}k"
