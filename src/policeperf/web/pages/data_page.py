"""``/data``: what is loaded (sources, editions) and what is wrong with it (``check``)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from fastapi import Request

from policeperf.web.state import state


def context(request: Request) -> dict[str, Any]:
    """Loaded source files with editions, and every data-quality warning by kind."""
    results = state(request).results
    sources = [dataclasses.asdict(s) for s in results.sources()]
    warnings = [{"kind": w.kind, "period_end": w.period_end.isoformat(),
                 "area_code": w.area_code, "offence": w.offence, "message": w.message}
                for w in results.quality()]
    editions = sorted({s["edition"] for s in sources if s["edition"]}, reverse=True)
    return {
        "title": "Data: sources, editions, gaps and anomalies",
        "warehouse": str(state(request).settings.warehouse.name),
        "sources": sources,
        "editions": editions,
        "periods": [p.isoformat() for p in results.periods()],
        "warning_counts": dict(sorted(Counter(w["kind"] for w in warnings).items())),
        "warnings": warnings,
    }
