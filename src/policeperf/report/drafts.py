"""Drafted comments: what a measure's numbers mean, in a few sentences an analyst can accept.

A draft says which way the measure moved on a year earlier and by how much, whether that is more
than chance and whether it is better or worse (by the measure's polarity), where the force
stands in its Most Similar Group (or against national), what the trend over its window says,
and any SPC signal. Each draft carries a key: a hash of exactly the numbers and words it
states. It is printed "Draft" until an analyst accepts it in ``accepted_drafts.yaml``::

    homicide:
      key: 3f9a1c0b2e7d        # the key printed in out/data/drafts.csv
      text: Optional edited wording that replaces the draft.

When the numbers change, the key changes and the comment becomes a draft again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass

from policeperf.compute.change import YearChange, year_change
from policeperf.report.data import Comment
from policeperf.report.numbers import (
    format_number,
    format_p,
    format_value,
    number_format,
    unit_label,
)
from policeperf.report.project import AcceptedDraft
from policeperf.report.words import window_short
from policeperf.results import MeasureResult

__all__ = ["Draft", "as_comment", "draft_for", "draft_key", "draft_text", "md_escape",
           "short_title"]


@dataclass(frozen=True)
class Draft:
    """A drafted comment for one measure and the key of the numbers it states."""

    measure_id: str
    key: str
    text: str


# Markdown's special characters, escaped so that a title prints as written.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|~])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown's special characters in data-derived text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _facts(result: MeasureResult) -> dict[str, object]:
    change = year_change(result)
    return {
        "value": _round(result.value),
        "rank": result.peer_rank,
        "size": result.peer_group_size,
        "peer_average": _round(result.peer_average),
        "comparison": result.comparison,
        "earlier": None if change is None else _round(change.earlier),
        "significant": None if change is None else change.significant,
        "national": _round(result.national_value),
        "trend": result.trend,
        "spc": result.spc_signal,
        "title": result.display_title,
    }


def draft_key(result: MeasureResult) -> str:
    """A short hash of the numbers a draft states; it changes whenever they change."""
    payload = json.dumps([result.id, _facts(result)], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def short_title(title: str) -> str:
    """A measure's title without the "Police recorded ... offences" wrapping."""
    if not title.startswith("Police recorded "):
        return title
    short = title.removeprefix("Police recorded ").removesuffix(" offences")
    return short[0].upper() + short[1:] if short else title


def _better(result: MeasureResult, direction: str) -> str:
    """"better" or "worse" for a move up or down, by the measure's polarity."""
    up_is_better = result.polarity == "higher_is_better"
    return "better" if (direction == "up") == up_is_better else "worse"


def _change_sentence(result: MeasureResult, change: YearChange | None) -> str:
    title = f"**{md_escape(short_title(result.display_title))}**"
    value = format_value(result)
    if change is None:
        return f"{title}: {value} (no figure a year earlier to compare with)."
    fmt = number_format(result)
    if change.direction == "none" or fmt.rounds_to_zero(change.latest - change.earlier):
        return f"{title} is unchanged on a year earlier at {value}."
    verb = "rose" if change.direction == "up" else "fell"
    if change.change is None:
        size = f"from {format_number(result, change.earlier)}"
    elif change.unit == "points":
        size = f"{abs(change.change):.1f} percentage points"
    else:
        size = f"{abs(change.change):.1f}%"
    text = f"{title} {verb} {size} on a year earlier to {value}"
    better = _better(result, "up" if change.direction == "up" else "down")
    if change.significant:
        return (f"{text}, a real change for the {better} (more than chance: "
                f"{format_p(change.p_value)}).")
    if change.significant is False:
        return f"{text}, within chance ({format_p(change.p_value)}): not a real change yet."
    return f"{text}, a move for the {better} (no counts to test it)."


def _position(result: MeasureResult) -> str | None:
    if result.value is None:
        return None
    if result.peer_rank and result.peer_group_size and result.peer_group_size > 1:
        rank = f"{'=' if result.peer_rank_tied else ''}{_ordinal(result.peer_rank)}"
        text = f"{rank} of {result.peer_group_size} in the MSG"
        if result.peer_average:
            pct = (result.value - result.peer_average) / result.peer_average * 100
            side = "above" if pct >= 0 else "below"
            text += f", {abs(pct):.1f}% {side} its average"
        if result.comparison == "similar to":
            text += ": similar to the group"
        elif result.comparison in ("higher than", "below"):
            better = _better(result, "up" if result.comparison == "higher than" else "down")
            text += f": {better} than the group"
        if result.national_value is not None:
            text += f" (national {format_number(result, result.national_value)})"
        return text + "."
    if result.national_value is not None:
        difference = result.value - result.national_value
        national = format_value(dataclasses.replace(result, value=result.national_value))
        if number_format(result).rounds_to_zero(difference):
            return f"It is the same as national ({national})."
        better = _better(result, "up" if difference > 0 else "down")
        size = format_number(result, abs(difference))
        if number_format(result).percent:
            size = f"{size.removesuffix('%')} percentage points"
        elif unit_label(result):
            size = f"{size} {unit_label(result)}"
        if "day" in result.unit:
            side = "longer than" if difference > 0 else "shorter than"
        else:
            side = "above" if difference > 0 else "below"
        return f"It is {size} {side} national ({national}): {better} than national."
    return None


def _trend(result: MeasureResult) -> str | None:
    word = result.trend
    if not word or word.startswith("Insufficient") or word == "Not available":
        return None
    return f"Trend over {window_short(result)}: {word.lower()}."


def _spc(result: MeasureResult) -> str | None:
    signal = result.spc_signal or ""
    if "improvement" in signal or "concern" in signal:
        kind = "improvement" if "improvement" in signal else "concern"
        return f"SPC: special-cause {kind} at the latest point."
    return None


def draft_text(result: MeasureResult, force: str) -> str | None:
    """The drafted comment for one measure, or None when there is no value to state.

    Example: "**Residential burglary** rose 6.9% on a year earlier, to 6.63 per 1,000
    households, within what chance alone gives (p = 0.09): not yet a real change. It ranks 7th
    of 8 in the Most Similar Group, 15.1% above the MSG average: worse than the group (national
    7.00)."
    """
    if result.value is None:
        return None
    parts = [_change_sentence(result, year_change(result)), _position(result), _trend(result),
             _spc(result)]
    return " ".join(p for p in parts if p)


def draft_for(result: MeasureResult, force: str) -> Draft | None:
    """The draft for one measure with its key, or None when there is nothing to state."""
    text = draft_text(result, force)
    if text is None:
        return None
    return Draft(result.id, draft_key(result), text)


def as_comment(draft: Draft, accepted: AcceptedDraft | None) -> Comment:
    """The draft as a numbered comment: accepted (with any edited text) or still a draft."""
    if accepted is not None and accepted.key == draft.key:
        return Comment(accepted.text or draft.text, draft=False, measure_id=draft.measure_id,
                       key=draft.key)
    return Comment(draft.text, draft=True, measure_id=draft.measure_id, key=draft.key)
