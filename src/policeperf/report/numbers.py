"""How the report prints a measure's numbers, and reads its trend word: one place for both."""

from __future__ import annotations

from policeperf.report.data import Direction, Tone, TrendCell
from policeperf.results import MeasureResult

PROPORTION_KINDS = frozenset({"survey_proportion", "proportion"})


def is_proportion(result: MeasureResult) -> bool:
    """True when the value is a proportion in [0, 1], printed as a percentage."""
    return result.kind in PROPORTION_KINDS or result.unit.startswith("%")


def format_number(result: MeasureResult, value: float | None) -> str:
    """Print one value of a measure in its unit's style (no unit label).

    Rates per 1,000 get 2 decimals (3 below 0.1, e.g. homicide 0.012); proportions are percentages
    with 1 decimal; counts are whole numbers with thousands separators; days 1 decimal.
    """
    if value is None:
        return "Not available"
    if is_proportion(result):
        return f"{value * 100:.1f}%"
    if "per 1,000" in result.unit:
        return f"{value:.3f}" if abs(value) < 0.1 else f"{value:,.2f}"
    if result.kind == "count" or value == int(value) and abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def format_value(result: MeasureResult) -> str:
    """The latest value with its unit, e.g. "6.63 per 1,000 households" or "80.4%"."""
    text = format_number(result, result.value)
    if result.value is None or is_proportion(result):
        return text
    unit = result.unit.split(", ")[0].strip()
    if result.kind == "count" and "rolling" in unit:
        return text
    return f"{text} {unit}".strip()


def trend_cell(result: MeasureResult) -> TrendCell:
    """The Trend / Outlook cell: the engine's word, an arrow and its tone by polarity."""
    word = result.trend or "Not available"
    lowered = word.lower()
    direction: Direction
    if "increas" in lowered or "rising" in lowered:
        direction = "up"
    elif "reduc" in lowered or "decreas" in lowered or "falling" in lowered:
        direction = "down"
    elif "stable" in lowered:
        direction = "flat"
    else:
        direction = "none"
    tone: Tone = "neutral"
    if direction in ("up", "down"):
        better_up = result.polarity == "higher_is_better"
        tone = "good" if (direction == "up") == better_up else "bad"
    return TrendCell(text=word, direction=direction, tone=tone)
