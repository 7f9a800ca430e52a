"""What several pages share: names in URLs (force slugs, periods), marks and number texts."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from policeperf.compute.periods import parse_period
from policeperf.errors import PolicePerfError
from policeperf.reference.areas import Area, forces, resolve_area
from policeperf.report.numbers import format_number, format_value, trend_cell
from policeperf.report.period import financial_quarter, quarter_label, window_label
from policeperf.results import MeasureResult

__all__ = [
    "NotFound",
    "force_from_slug",
    "force_slug",
    "mark",
    "measure_row",
    "period_from_slug",
    "period_slug",
]


class NotFound(PolicePerfError):
    """A URL that names nothing known (shown as a 404 page with the reason)."""


def force_slug(area: Area) -> str:
    """A force in URLs: its data.police.uk id, e.g. ``avon-and-somerset``."""
    return area.police_uk_id or re.sub(r"[^a-z0-9]+", "-", area.name.lower()).strip("-")


def force_from_slug(slug: str) -> Area:
    """The force a URL names (a slug, a name, an alias or an ONS code)."""
    try:
        return resolve_area(slug, kind="force")
    except PolicePerfError as exc:
        raise NotFound(str(exc)) from None


def period_slug(period: date) -> str:
    """A period in URLs: ``2022-06``."""
    return f"{period:%Y-%m}"


def period_from_slug(slug: str) -> date:
    """The period end a URL names (``2022-06``, or any form ``policeperf`` accepts)."""
    try:
        return parse_period(slug)
    except PolicePerfError as exc:
        raise NotFound(str(exc)) from None


def period_texts(period: date) -> dict[str, str]:
    """The period as the pages print it."""
    texts = {"slug": period_slug(period), "end": period.isoformat(),
             "window": window_label(period)}
    if period.month in (3, 6, 9, 12):
        quarter, year = financial_quarter(period)
        return {**texts, "quarter": quarter_label(period), "financial_quarter":
                f"Q{quarter} {year}"}
    return {**texts, "quarter": f"Month ending {period:%B %Y}", "financial_quarter": ""}


def force_choices() -> list[dict[str, str]]:
    """Every force for a chooser: slug and name, by name."""
    return [{"slug": force_slug(f), "name": f.name} for f in sorted(forces(), key=lambda a: a.name)]


def mark(result: MeasureResult) -> str:
    """"better", "similar", "worse" than the MSG average by the measure's polarity, or
    "not compared" when there is no comparison."""
    word = result.comparison
    if word not in ("below", "higher than", "similar to"):
        return "not compared"
    if word == "similar to":
        return "similar"
    higher_better = result.polarity == "higher_is_better"
    return "better" if (word == "higher than") == higher_better else "worse"


def number(result: MeasureResult, value: float | None) -> str:
    """A value of this measure printed as the report prints it."""
    return format_number(result, value)


def measure_row(result: MeasureResult) -> dict[str, Any]:
    """One measure as a row of the overview and the report preview."""
    trend = trend_cell(result)
    return {
        "id": result.id,
        "title": result.display_title,
        "stand_in_reason": result.stand_in_reason,
        "value": result.value,
        "value_text": format_value(result),
        "unit": result.unit,
        "trend": trend.text,
        "trend_direction": trend.direction,
        "trend_tone": trend.tone,
        "benchmark": result.benchmark_text,
        "comparison": result.comparison,
        "mark": mark(result),
        "peer_rank": result.peer_rank,
        "peer_group_size": result.peer_group_size,
        "peer_average": result.peer_average,
        "national": result.national_value,
        "spc_signal": result.spc_signal,
        "caveats": list(result.caveats),
    }
