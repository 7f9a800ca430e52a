"""Frozen results of computing measures, with their provenance; ``to_dict()`` for JSON.

A :class:`MeasureResult` is made once by the engine and never changed. A measure that cannot be
computed still has a result: ``value`` is None and a caveat says why. :class:`MeasuresReport`
holds every measure for one force and period; the JSON, the table rows, the HTML report and the
dashboard all read it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from policeperf.compute.funnel import FunnelLimits
from policeperf.compute.intervals import ProportionInterval
from policeperf.compute.spc import SpcResult

__all__ = [
    "MeasureResult",
    "MeasuresReport",
    "PeerValue",
    "SeriesPoint",
    "SourceUse",
    "json_ready",
]


@dataclass(frozen=True)
class PeerValue:
    """One force's figure for the period (a peer-group member, or any force for a funnel plot)."""

    area_code: str
    name: str
    count: float | None
    denominator: float | None
    value: float | None
    rank: int | None = None
    is_force: bool = False


@dataclass(frozen=True)
class SeriesPoint:
    """One point of a measure's time series (12-month rolling for crime rates)."""

    period_end: date
    value: float | None
    peer_average: float | None = None
    national: float | None = None
    count: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class SourceUse:
    """A source file behind the result: which file, edition, table and rows."""

    file: str
    edition: date | None
    table: str
    sheet: str | None
    rows: tuple[int, ...]
    what: str

    def __str__(self) -> str:
        rows = f" row{'s' if len(self.rows) > 1 else ''} {', '.join(map(str, self.rows))}"
        sheet = f", sheet {self.sheet!r}" if self.sheet else ""
        edition = f" (edition {self.edition.isoformat()})" if self.edition else ""
        return f"{self.what}: {self.file}{edition}{sheet}{rows if self.rows else ''}"


@dataclass(frozen=True)
class MeasureResult:
    """One measure for one force and period, with everything needed to explain it.

    ``value`` is the figure shown (a rate per 1,000, a count, a proportion 0-1 or days); None
    when it cannot be computed, in which case ``caveats`` says why. ``all_forces`` holds every
    force's figure for the period and ``funnel`` the control limits of a funnel plot of them
    around the England and Wales rate (recorded crime rates; see compute/funnel.py).
    """

    id: str
    title: str
    priority: str
    priority_title: str
    kind: str
    unit: str
    polarity: str
    period_end: date
    value: float | None
    count: float | None = None
    denominator: float | None = None
    denominator_base: str | None = None
    mid_year: int | None = None
    denominator_note: str | None = None
    peer_rank: int | None = None
    peer_group_size: int | None = None
    peer_rank_tied: bool = False
    peer_average: float | None = None
    peer_average_method: str | None = None
    national_value: float | None = None
    comparison: str | None = None
    comparison_rule: str | None = None
    comparison_description: str | None = None
    benchmark_text: str = "Not available"
    trend: str | None = None
    trend_method: str | None = None
    spc_signal: str | None = None
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source_used: str | None = None
    peers: tuple[PeerValue, ...] = ()
    series: tuple[SeriesPoint, ...] = ()
    # The non-overlapping period values (e.g. monthly counts) that trend and SPC run on.
    period_values: tuple[SeriesPoint, ...] = ()
    spc: SpcResult | None = None
    interval: ProportionInterval | None = None
    all_forces: tuple[PeerValue, ...] = ()
    funnel: FunnelLimits | None = None
    provenance: tuple[SourceUse, ...] = ()
    window_months: int = 12
    definition: str = ""
    # Added for the report's words (issue 9); optional, so stored results without them load.
    # stand_in: the honest title when a fallback source stands in for the measure's own, e.g.
    # "Violence with injury (stand-in for serious violence)"; stand_in_reason says why.
    stand_in: str | None = None
    stand_in_reason: str | None = None
    # The trend test behind ``trend``: p-value, Sen's slope in % a year, values tested and the
    # first and last period ends of its window (None when no test was run).
    trend_p_value: float | None = None
    trend_slope_pct: float | None = None
    trend_n: int | None = None
    trend_window_start: date | None = None
    trend_window_end: date | None = None

    @property
    def display_title(self) -> str:
        """The title to print: the stand-in's honest title when a stand-in source was used."""
        return self.stand_in or self.title

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (ISO dates, None for NaN)."""
        data: dict[str, Any] = json_ready(self)
        return data


@dataclass(frozen=True)
class MeasuresReport:
    """Every measure of the catalogue for one force and period."""

    force: str
    force_code: str
    period_end: date
    peer_group: tuple[str, ...]
    measures: tuple[MeasureResult, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    peer_group_kind: str | None = None  # "official" (an MSG), "computed" or None (no group)
    peer_group_source: str | None = None

    def measure(self, measure_id: str) -> MeasureResult:
        """The result of one measure."""
        for m in self.measures:
            if m.id == measure_id:
                return m
        known = ", ".join(m.id for m in self.measures)
        raise KeyError(f"unknown measure {measure_id!r}; known: {known}")

    def to_dict(self) -> dict[str, Any]:
        """``{"force", "period_end", "peer_group": [names], "measures": [...]}``, JSON-ready."""
        data: dict[str, Any] = {
            "force": self.force,
            "force_code": self.force_code,
            "period_end": self.period_end.isoformat(),
            "peer_group": list(self.peer_group),
            "measures": [m.to_dict() for m in self.measures],
            "settings": json_ready(self.settings),
            "caveats": list(self.caveats),
            "peer_group_kind": self.peer_group_kind,
            "peer_group_source": self.peer_group_source,
        }
        return data

    def to_table_rows(self) -> list[dict[str, str | float | int | None]]:
        """One flat row per measure for a table or CSV: the summary-table columns and numbers."""
        return [
            {
                "priority": m.priority_title,
                "measure": m.title,
                "id": m.id,
                "value": m.value,
                "unit": m.unit,
                "count": m.count,
                "denominator": m.denominator,
                "trend": m.trend or "Not available",
                "benchmark": m.benchmark_text,
                "rank": m.peer_rank,
                "group_size": m.peer_group_size,
                "peer_average": m.peer_average,
                "national": m.national_value,
                "source": m.source_used,
                "caveats": " | ".join(m.caveats),
            }
            for m in self.measures
        ]


def json_ready(value: Any) -> Any:
    """Convert dates to ISO strings, NaN/inf to None, enums to values, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # dataclasses.asdict's fields, without its deep copy of every leaf (a date is copied
        # through __reduce_ex__: most of the time of a result's JSON): leaves come back new or
        # immutable either way.
        return {f.name: json_ready(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
