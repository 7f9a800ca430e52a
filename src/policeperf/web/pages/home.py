"""``/``: choose a force and a period."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse

from policeperf.web.pages.common import (
    force_choices,
    force_from_slug,
    force_slug,
    period_from_slug,
    period_slug,
    period_texts,
)
from policeperf.web.state import state


def context(request: Request) -> dict[str, Any]:
    """The forces, the loaded quarter ends and the report projects to choose from."""
    app = state(request)
    periods = app.results.periods()
    return {
        "title": "Choose a force and a period",
        "forces": force_choices(),
        "periods": [period_texts(p) for p in periods],
        "latest_period": period_slug(periods[0]) if periods else None,
        "reports": [{"name": name, "url": f"/reports/{name}"} for name in sorted(app.projects)],
    }


def choose(force: str, period: str) -> RedirectResponse:
    """The chooser's form goes to the overview of what was chosen."""
    area = force_from_slug(force)
    end = period_from_slug(period)
    return RedirectResponse(f"/forces/{force_slug(area)}/{period_slug(end)}", status_code=303)
