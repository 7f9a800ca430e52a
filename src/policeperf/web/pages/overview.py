"""``/forces/{force}/{period}``: every priority's measures with trend, benchmark and marks."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from policeperf.web.pages.common import (
    force_from_slug,
    force_slug,
    measure_row,
    period_from_slug,
    period_texts,
)
from policeperf.web.state import state


def context(request: Request, force: str, period: str) -> dict[str, Any]:
    """The force's measures for the period, grouped by priority in catalogue order."""
    area = force_from_slug(force)
    end = period_from_slug(period)
    report = state(request).results.measures(area, end)
    priorities: list[dict[str, Any]] = []
    for result in report.measures:
        if not priorities or priorities[-1]["id"] != result.priority:
            priorities.append({"id": result.priority, "title": result.priority_title,
                               "measures": []})
        row = measure_row(result)
        row["url"] = f"/forces/{force_slug(area)}/{period_texts(end)['slug']}/measures/{result.id}"
        priorities[-1]["measures"].append(row)
    marks = [m["mark"] for p in priorities for m in p["measures"]]
    return {
        "title": f"{area.name}: {period_texts(end)['window']}",
        "force": {"slug": force_slug(area), "name": area.name, "code": area.code},
        "period": period_texts(end),
        "peer_group": list(report.peer_group),
        "summary": {k: marks.count(k) for k in ("better", "similar", "worse", "not compared")},
        "priorities": priorities,
        "caveats": list(report.caveats),
    }
