"""Words that agree with the numbers: the change on a year earlier beside the trend word, and a
plain-words note where the two seem to disagree.

The trend word looks at the latest 8 yearly (or 24 monthly, 8 quarterly) values; the change on
a year earlier compares two single periods. They can honestly differ: one unusual year is not a
trend, a small count can jump by chance, and a long trend can carry on while the latest year
moves the other way. When a reader would see a contradiction, the note says which of these it
is, with the numbers.
"""

from __future__ import annotations

from datetime import date

from policeperf.compute.change import YearChange
from policeperf.report.numbers import (
    format_change,
    format_count,
    format_p,
    significance_words,
)
from policeperf.results import MeasureResult

__all__ = ["LARGE_CHANGE_PCT", "LARGE_CHANGE_POINTS", "change_sentence", "disagreement_note",
           "window_short", "window_words"]

LARGE_CHANGE_PCT = 15.0
"""A change on a year earlier this large (%) looks like a trend to a reader, tested or not."""
LARGE_CHANGE_POINTS = 5.0
"""The same for proportions, in percentage points."""


def change_sentence(result: MeasureResult, change: YearChange | None) -> str:
    """The change under the trend word: "down 2.5 points on a year earlier (significant)"."""
    if change is None:
        return ""
    words = format_change(result, change)
    if words == "Not available":
        return ""
    significance = significance_words(change)
    return f"{words} on a year earlier ({significance})" if significance else words


def _months(d: date) -> int:
    return d.year * 12 + d.month


def window_words(result: MeasureResult) -> str:
    """The trend's window in words: "the latest 8 yearly values (June 2014 to June 2022)"."""
    start, end, n = result.trend_window_start, result.trend_window_end, result.trend_n
    if start is None or end is None or not n:
        return "its window"
    span = f"{start:%B %Y} to {end:%B %Y}"
    if result.trend_method and "baseline" in result.trend_method:
        return f"the {n} values of its pre-COVID baseline ({span})"
    step = (_months(end) - _months(start)) / (n - 1) if n > 1 else 12
    kind = "yearly" if step >= 9 else "quarterly" if step >= 2.5 else "monthly"
    return f"the latest {n} {kind} values ({span})"


def window_short(result: MeasureResult) -> str:
    """The trend's window in a few words: "the latest 8 years", "the latest 24 months", "the
    pre-COVID years 2012-2019"."""
    start, end, n = result.trend_window_start, result.trend_window_end, result.trend_n
    if start is None or end is None or not n:
        return "its window"
    if result.trend_method and "baseline" in result.trend_method:
        return f"the pre-COVID years {start.year}-{end.year}"
    step = (_months(end) - _months(start)) / (n - 1) if n > 1 else 12
    unit = "years" if step >= 9 else "quarters" if step >= 2.5 else "months"
    return f"the latest {n} {unit}"


def _large(change: YearChange) -> bool:
    if change.change is None:
        return False
    limit = LARGE_CHANGE_POINTS if change.unit == "points" else LARGE_CHANGE_PCT
    return abs(change.change) >= limit


def _trend_direction(word: str) -> str:
    lowered = word.lower()
    if "increas" in lowered:
        return "up"
    return "down" if "reduc" in lowered else "flat"


def _why_stable(result: MeasureResult, moderate_pct: float) -> str:
    p = result.trend_p_value
    if p is not None and p >= 0.05:
        return (f"finds no steady rise or fall: the values go up and down ({format_p(p)}, "
                "not significant)")
    slope = result.trend_slope_pct
    if slope is not None:
        way = "rise" if slope > 0 else "fall"
        return (f"finds a steady {way} of only {abs(slope):.1f}% a year, under the "
                f"{moderate_pct:g}% a year the report calls a change")
    return "finds no steady rise or fall"


def _looks_at(result: MeasureResult) -> str:
    """"the trend word looks at ..." in words, saying so when it is a pre-COVID baseline."""
    if result.trend_method and "baseline" in result.trend_method:
        return (f"the outlook is the pre-COVID trend, not the latest years': it looks at "
                f"{window_words(result)}")
    return f"the trend word looks at {window_words(result)}"


def _counts(change: YearChange) -> str:
    """"(13 to 21 events)" for a tested count or rate; "" otherwise."""
    if change.test not in ("poisson_counts", "poisson_rates"):
        return ""
    if change.earlier_count is None or change.latest_count is None:
        return ""
    what = "offences" if change.test == "poisson_rates" else "in the 12 months"
    return (f" ({format_count(change.earlier_count)} to {format_count(change.latest_count)} "
            f"{what})")


def disagreement_note(
    result: MeasureResult, change: YearChange | None, *, moderate_pct: float = 5.0
) -> str | None:
    """A footnote when the trend word and the change on a year earlier seem to disagree.

    They seem to disagree when the word is "Stable" beside a significant or large change
    (15%, or 5 points for proportions), or when the word's direction is the opposite of a
    significant change. None when they agree, or when either is missing.
    """
    if change is None or change.change is None or not result.trend:
        return None
    word = result.trend
    if word.startswith("Insufficient") or word.startswith("Stable ("):
        return None
    moved = f"\u201c{format_change(result, change)}\u201d"
    looks = _looks_at(result)
    quoted = f"\u201c{word}\u201d"
    direction = _trend_direction(word)
    if direction == "flat":
        if change.significant:
            return (f"{quoted} beside {moved} on a year earlier: the change compares two "
                    f"single 12-month periods and is larger than chance "
                    f"({format_p(change.p_value)}); {looks} and "
                    f"{_why_stable(result, moderate_pct)}. One unusual year is not yet a trend.")
        if _large(change):
            chance = ("is within what chance alone gives for figures this small "
                      f"({format_p(change.p_value)}, not significant)"
                      if change.significant is False else
                      "cannot be tested from the figures published")
            return (f"{quoted} beside {moved} on a year earlier: the change looks large"
                    f"{_counts(change)} but {chance}; {looks} and "
                    f"{_why_stable(result, moderate_pct)}.")
        return None
    if change.significant and change.direction != "none" and change.direction != direction:
        return (f"{quoted} beside {moved} on a year earlier: the trend word describes "
                f"{window_words(result)}, which moved {direction} overall; the "
                f"latest year moved the other way, by more than chance "
                f"({format_p(change.p_value)}). Watch whether the next quarters confirm a "
                "turn.")
    return None
