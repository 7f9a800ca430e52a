"""``/compare/{measure}/{period}``: every force ranked, with the funnel plot."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from policeperf.reference.areas import forces
from policeperf.web.charts import chart_context, highlight
from policeperf.web.pages.common import (
    NotFound,
    force_from_slug,
    force_slug,
    number,
    period_from_slug,
    period_texts,
)
from policeperf.web.state import state


def context(request: Request, measure: str, period: str, force: str | None = None
            ) -> dict[str, Any]:
    """All forces' figures for one measure and period, ranked 1 = best by polarity.

    ``force`` (a query parameter) picks the force the funnel plot and the table highlight;
    the best-ranked force when not given.
    """
    end = period_from_slug(period)
    results = state(request).results
    try:
        result = results.all_forces(measure, end)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from None
    slugs = {f.code: force_slug(f) for f in forces()}
    valued = [p for p in result.all_forces if p.value is not None]
    sign = -1.0 if result.polarity == "higher_is_better" else 1.0
    valued.sort(key=lambda p: sign * (p.value or 0.0))
    rows: list[dict[str, Any]] = []
    for i, p in enumerate(valued):
        rank = i + 1 if i == 0 or p.value != valued[i - 1].value else rows[-1]["rank"]
        rows.append({"rank": rank, "name": p.name, "slug": slugs.get(p.area_code, ""),
                     "code": p.area_code, "count": p.count, "denominator": p.denominator,
                     "value": p.value, "value_text": number(result, p.value)})
    missing = sorted(p.name for p in result.all_forces if p.value is None)
    chosen = force_from_slug(force) if force else None
    if chosen is None and rows:
        chosen = force_from_slug(rows[0]["code"])
    funnel = None
    if result.funnel is not None and chosen is not None:
        code = chosen.code
        funnel = results.cached(
            ("compare-funnel", measure, end, code),
            lambda: chart_context(highlight(result, code), "funnel", chosen.name))
    for row in rows:
        row["highlight"] = chosen is not None and row["code"] == chosen.code
    if not rows:
        raise NotFound(f"no force has a figure for {measure} in the period ending {end:%B %Y}")
    return {
        "title": f"{result.display_title}: every force, {period_texts(end)['window']}",
        "measure": {"id": result.id, "title": result.display_title, "unit": result.unit,
                    "polarity": result.polarity},
        "period": period_texts(end),
        "highlight": {"slug": force_slug(chosen), "name": chosen.name} if chosen else None,
        "national_text": number(result, result.national_value),
        "rows": rows,
        "without_figure": missing,
        "funnel": funnel,
    }
