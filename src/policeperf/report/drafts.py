"""Drafted comments: short factual statements made from a measure's numbers.

A draft states the latest value, the rank in the Most Similar Group and the distance from the MSG
average, the change on the same period a year earlier, the difference from national and the SPC
signal. Each draft carries a key: a hash of exactly those numbers. It is printed "Draft" until an
analyst accepts it in ``accepted_drafts.yaml``::

    homicide:
      key: 3f9a1c0b2e7d        # the key printed in out/data/drafts.csv
      text: Optional edited wording that replaces the draft.

When the numbers change, the key changes and the comment becomes a draft again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from policeperf.report.data import Comment
from policeperf.report.numbers import format_number, is_proportion
from policeperf.report.project import AcceptedDraft
from policeperf.results import MeasureResult, SeriesPoint


@dataclass(frozen=True)
class Draft:
    """A drafted comment for one measure and the key of the numbers it states."""

    measure_id: str
    key: str
    text: str


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _year_earlier(result: MeasureResult) -> SeriesPoint | None:
    target = date(result.period_end.year - 1, result.period_end.month, 1)
    for point in result.series:
        same_month = (point.period_end.year, point.period_end.month) == (target.year, target.month)
        if same_month and point.value is not None:
            return point
    return None


def _facts(result: MeasureResult) -> dict[str, object]:
    earlier = _year_earlier(result)
    return {
        "value": None if result.value is None else round(result.value, 6),
        "rank": result.peer_rank,
        "size": result.peer_group_size,
        "peer_average": None if result.peer_average is None else round(result.peer_average, 6),
        "earlier": None if earlier is None or earlier.value is None else round(earlier.value, 6),
        "national": None if result.national_value is None else round(result.national_value, 6),
        "spc": result.spc_signal,
    }


def draft_key(result: MeasureResult) -> str:
    """A short hash of the numbers a draft states; it changes whenever they change."""
    payload = json.dumps([result.id, _facts(result)], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _change(result: MeasureResult, earlier: float) -> str:
    assert result.value is not None
    if is_proportion(result):
        points = (result.value - earlier) * 100
        word = "up" if points > 0 else "down"
        return f"{word} {abs(points):.1f} points on a year earlier"
    if earlier == 0:
        return ""
    pct = (result.value - earlier) / earlier * 100
    if abs(pct) < 0.05:
        return "unchanged on a year earlier"
    word = "up" if pct > 0 else "down"
    return f"{word} {abs(pct):.1f}% on a year earlier"


def short_title(title: str) -> str:
    """A measure's title without the "Police recorded ... offences" wrapping."""
    short = title.removeprefix("Police recorded ").removesuffix(" offences")
    return short[0].upper() + short[1:] if short else title


def draft_text(result: MeasureResult, force: str) -> str | None:
    """The drafted comment for one measure, or None when there is no value to state.

    Example: "**Residential burglary**: 6.63 per 1,000 households, up 6.9% on a year earlier;
    7th of 8 in the MSG, 15.1% above the MSG average; national 7.87."
    """
    if result.value is None:
        return None
    value = format_number(result, result.value)
    if not is_proportion(result) and result.kind != "count":
        value += " " + result.unit.split(", ")[0]
    parts = [f"**{short_title(result.title)}**: {value}"]
    earlier = _year_earlier(result)
    if earlier is not None and earlier.value is not None:
        change = _change(result, earlier.value)
        if change:
            parts[0] += f", {change}"
    if result.peer_rank and result.peer_group_size and result.peer_group_size > 1:
        rank = f"{'=' if result.peer_rank_tied else ''}{_ordinal(result.peer_rank)}"
        text = f"{rank} of {result.peer_group_size} in the MSG"
        if result.peer_average:
            pct = (result.value - result.peer_average) / result.peer_average * 100
            side = "above" if pct >= 0 else "below"
            text += f", {abs(pct):.1f}% {side} the MSG average"
        parts.append(text)
    if result.national_value is not None:
        parts.append(f"national {format_number(result, result.national_value)}")
    if result.spc_signal in ("improvement", "concern"):
        parts.append(f"SPC: special-cause {result.spc_signal}")
    return "; ".join(parts) + "."


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
