"""How the report prints numbers: one place for every renderer (HTML, CSV text, charts, slides).

`number_format(result)` decides, once per measure, how its figures print; every other function
here uses it, so a measure's latest value, its peers, the national figure and its change all
print alike:

* proportions (0-1): percentages with 1 decimal, "80.4%";
* rates per 1,000: 2 decimals, or 3 when the rate is under 0.1 (homicide "0.012");
* counts and hours: whole numbers with thousands separators, "8,631";
* days: whole days when the figure is whole ("301"), else 1 decimal;
* other averages: 2 decimals under 10, 1 under 100, whole numbers above.

Changes print as words: "up 6.9%", "down 2.5 points", and "no change" when the change rounds
to zero at the printed precision (never "down 0.0 points"). Signed differences never carry
decimals a whole-number measure does not have ("+27 days", not "+27.00").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from policeperf.compute.change import YearChange
from policeperf.compute.change import is_proportion as _is_proportion
from policeperf.report.data import Direction, Tone, TrendCell
from policeperf.results import MeasureResult

__all__ = [
    "NumberFormat",
    "benchmark_cell",
    "format_change",
    "format_count",
    "format_difference",
    "format_number",
    "format_p",
    "format_value",
    "honest",
    "is_proportion",
    "number_format",
    "significance_words",
    "trend_cell",
    "unit_label",
]

NOT_AVAILABLE = "Not available"


@dataclass(frozen=True)
class NumberFormat:
    """How one measure's figures print.

    Attributes:
        decimals: Decimal places (of the percentage, for proportions).
        percent: The figures are proportions (0-1) printed as percentages.
    """

    decimals: int
    percent: bool = False

    def __call__(self, value: float | None) -> str:
        """The figure as printed, e.g. "6.63", "80.4%", "8,631"; "Not available" for None."""
        if value is None:
            return NOT_AVAILABLE
        shown = value * 100 if self.percent else value
        text = f"{_zero(shown, self.decimals):,.{self.decimals}f}"
        return f"{text}%" if self.percent else text

    def rounds_to_zero(self, difference: float) -> bool:
        """True when a difference prints as zero at this precision."""
        shown = difference * 100 if self.percent else difference
        return round(abs(shown), self.decimals) == 0

    def signed(self, difference: float) -> str:
        """A difference with its sign, in the measure's units: "+27", "-1.5% points", "0"."""
        shown = difference * 100 if self.percent else difference
        if self.rounds_to_zero(difference):
            text = f"{0:.{self.decimals}f}"
        else:
            text = f"{shown:+,.{self.decimals}f}"
        return f"{text}% points" if self.percent else text


def _zero(value: float, decimals: int) -> float:
    """Avoid "-0.0": a value that rounds to zero prints without a sign."""
    return 0.0 if round(value, decimals) == 0 else value


def is_proportion(result: MeasureResult) -> bool:
    """True when the value is a proportion in [0, 1], printed as a percentage."""
    return _is_proportion(result)


def number_format(result: MeasureResult) -> NumberFormat:
    """How this measure's figures print (decided once per measure from its kind, unit and size).

    Charts and slides can use ``number_format(result).decimals`` for their axes and labels.
    """
    if is_proportion(result):
        return NumberFormat(1, percent=True)
    unit = result.unit.lower()
    size = abs(result.value) if result.value is not None else None
    if "per 1,000" in unit:
        return NumberFormat(3 if size is not None and size < 0.1 else 2)
    if result.kind == "count" or "hour" in unit:
        return NumberFormat(0)
    if "day" in unit:
        whole = size is None or size == int(size)
        return NumberFormat(0 if whole else 1)
    if size is None or size < 10:
        return NumberFormat(2)
    return NumberFormat(1 if size < 100 else 0)


def format_number(result: MeasureResult, value: float | None) -> str:
    """One figure of a measure in its style, without the unit ("6.63", "80.4%", "8,631")."""
    return number_format(result)(value)


def format_count(value: float | None) -> str:
    """A count of events: "8,631" ("Not available" for None)."""
    return NumberFormat(0)(value)


def unit_label(result: MeasureResult) -> str:
    """The unit printed after a value: "per 1,000 households", "days"; "" for proportions and
    rolling counts (their unit is in the column heading or the title)."""
    if is_proportion(result):
        return ""
    unit = result.unit.split(", ")[0].strip()
    if result.kind == "count" and "rolling" in unit:
        return ""
    return unit.replace(" (median)", "").replace(" (mean)", "") if "day" in unit else unit


def format_value(result: MeasureResult) -> str:
    """The latest value with its unit, e.g. "6.63 per 1,000 households", "80.4%", "301 days"."""
    text = format_number(result, result.value)
    unit = unit_label(result)
    if result.value is None or not unit:
        return text
    return f"{text} {unit}"


def format_change(result: MeasureResult, change: YearChange | None) -> str:
    """The change on a year earlier in words: "up 6.9%", "down 2.5 points", "no change".

    A % of the earlier figure for counts, rates and averages; percentage points for proportions.
    A change that rounds to zero at 1 decimal is "no change".
    """
    if change is None:
        return NOT_AVAILABLE
    if change.change is None:
        return "up from zero" if change.latest > 0 else "no change"
    if round(abs(change.change), 1) == 0:
        return "no change"
    word = "up" if change.change > 0 else "down"
    suffix = " points" if change.unit == "points" else "%"
    return f"{word} {abs(change.change):,.1f}{suffix}"


def format_p(p_value: float | None) -> str:
    """A p-value as printed: "p = 0.03", "p < 0.001"; "" when there is none."""
    if p_value is None:
        return ""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.2g}"


def significance_words(change: YearChange | None) -> str:
    """"significant", "not significant" or "not tested" (no change: "")."""
    if change is None:
        return ""
    if change.significant is None:
        return "not tested"
    return "significant" if change.significant else "not significant"


def format_difference(result: MeasureResult, difference: float | None) -> str:
    """A difference in the measure's units: "-1.5% points", "+27 days", "-0.05"."""
    if difference is None:
        return NOT_AVAILABLE
    fmt = number_format(result)
    text = fmt.signed(difference)
    unit = unit_label(result)
    return f"{text} {unit}" if unit == "days" else text


def benchmark_cell(result: MeasureResult) -> str:
    """The Benchmark cell: the MSG rank text as computed, or the difference from national
    printed by `format_difference` ("+27 days compared to national")."""
    text = result.benchmark_text
    national = result.national_value
    if (text.endswith("compared to national") and result.peer_rank is None
            and result.value is not None and national is not None):
        difference = result.value - national
        if number_format(result).rounds_to_zero(difference):
            return "same as national"
        return f"{format_difference(result, difference)} compared to national"
    return text


def trend_cell(result: MeasureResult) -> TrendCell:
    """The Trend / Outlook cell: the engine's word, an arrow and its tone by polarity."""
    word = result.trend or NOT_AVAILABLE
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


def honest(result: MeasureResult) -> MeasureResult:
    """The result with its honest title as ``title``, for code that prints ``title`` (chart
    titles and alt text): a stand-in then says so everywhere it appears."""
    if result.stand_in is None or result.title == result.stand_in:
        return result
    return dataclasses.replace(result, title=result.stand_in)
