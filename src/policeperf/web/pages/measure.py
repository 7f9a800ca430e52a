"""``/forces/{force}/{period}/measures/{measure}``: one number, its charts and its explanation."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from policeperf.explain import explain
from policeperf.web.charts import CHART_NAMES, chart_context, chart_kinds
from policeperf.web.pages.common import (
    NotFound,
    force_from_slug,
    force_slug,
    measure_row,
    number,
    period_from_slug,
    period_texts,
)
from policeperf.web.state import state


def context(request: Request, force: str, period: str, measure: str) -> dict[str, Any]:
    """The measure's headline, peer table, charts (loaded separately) and explain panel."""
    area = force_from_slug(force)
    end = period_from_slug(period)
    try:
        result = state(request).results.measure(area, end, measure)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from None
    base = f"/forces/{force_slug(area)}/{period_texts(end)['slug']}"
    peers = [{"rank": p.rank, "name": p.name, "code": p.area_code, "count": p.count,
              "denominator": p.denominator, "value": p.value,
              "value_text": number(result, p.value), "is_force": p.is_force}
             for p in sorted(result.peers, key=lambda p: (p.rank is None, p.rank or 0))]
    return {
        "title": f"{result.display_title}: {area.name}",
        "force": {"slug": force_slug(area), "name": area.name, "code": area.code},
        "period": period_texts(end),
        "overview_url": base,
        "compare_url": f"/compare/{result.id}/{period_texts(end)['slug']}"
                       f"?force={force_slug(area)}",
        "measure": measure_row(result),
        "priority": result.priority_title,
        "peer_average_text": number(result, result.peer_average),
        "national_text": number(result, result.national_value),
        "peers": peers,
        "charts": [{"name": name, "title": CHART_NAMES[name],
                    "url": f"{base}/measures/{result.id}/charts/{name}"}
                   for name in chart_kinds(result)],
        "explain": explain(result),
        "provenance": [str(p) for p in result.provenance],
        "result": result.to_dict(),
    }


def chart(request: Request, force: str, period: str, measure: str, name: str) -> dict[str, Any]:
    """One chart of the measure page: the browser spec and its data table."""
    area = force_from_slug(force)
    end = period_from_slug(period)
    results = state(request).results
    try:
        result = results.measure(area, end, measure)
        kind = results.measures(area, end).peer_group_kind
        return results.cached(("chart", area.code, end, measure, name),
                              lambda: chart_context(result, name, area.name, kind))
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from None
