"""Engine settings and the per-run context shared by the kind functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from policeperf.compute.rates import DenominatorLookup
from policeperf.compute.spc import SpcSettings
from policeperf.definitions.model import Catalogue, Measure
from policeperf.reference.areas import Area, by_code
from policeperf.reference.peer_groups import PeerGroup

if TYPE_CHECKING:  # ibis, behind sources, costs a second at start-up: imported when used
    from policeperf.compute import sources

__all__ = ["NATIONAL_CODE", "Context", "Settings"]

NATIONAL_CODE = "K04000001"  # England and Wales


@dataclass(frozen=True)
class Settings:
    """How benchmarks, trends and SPC are worked out; every field is printed in the method note.

    Attributes:
        average: "simple" (mean of the group's rates, the force included; the old HMIC
            comparator) or "weighted" (sum of counts / sum of denominators).
        comparison_rule: A rule registered in compute/benchmarks.py: pct_band (default, +/-15%
            of the MSG average printed, simple by default; it reproduces the seed report's
            neighbourhood crime words, not its homicide or serious violence ones:
            docs/methods/statistics.md), sd_band,
            poisson_exact or funnel.
        comparison_parameters: The rule's own settings, e.g. (("band_pct", 15.0),).
        revisions: "first_published" (each period as its own edition published it; default) or
            "latest" (newest revision, e.g. Table P4 of the next year's edition).
        trend_alpha: Mann-Kendall significance level.
        trend_moderate_pct: Smallest % a year called a moderate change.
        trend_strong_pct: Smallest % a year called a strong change.
        spc: XmR chart settings.
        confidence: Confidence level of survey intervals.
        denominators: "ons_unrounded" (default: ONS's unrounded estimate, recovered from a rate
            it published, so that rates match Table P3 exactly) or "printed" (the figure P3
            prints, rounded to 100); see compute/rates.py.
    """

    average: Literal["simple", "weighted"] = "simple"
    comparison_rule: str = "pct_band"
    comparison_parameters: tuple[tuple[str, float], ...] = ()
    revisions: sources.Revisions = "first_published"
    trend_alpha: float = 0.05
    trend_moderate_pct: float = 5.0
    trend_strong_pct: float = 15.0
    spc: SpcSettings = field(default_factory=SpcSettings)
    confidence: float = 0.95
    denominators: Literal["ons_unrounded", "printed"] = "ons_unrounded"

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain data."""
        data = asdict(self)
        data["comparison_parameters"] = dict(self.comparison_parameters)
        return data


@dataclass
class Context:
    """Everything a kind function needs for one force and period; caches warehouse reads."""

    con: Any
    force: Area
    period_end: date
    group: PeerGroup | None
    settings: Settings
    catalogue: Catalogue
    cache: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def denominators(self) -> DenominatorLookup:
        """The denominator lookup (read once per run)."""
        key = ("denominators",)
        if key not in self.cache:
            from policeperf.compute import sources

            anchors = (
                sources.rate_anchors(self.con)
                if self.settings.denominators == "ons_unrounded"
                else None
            )
            self.cache[key] = DenominatorLookup(
                sources.published_denominators(self.con), sources.estimates(self.con), anchors
            )
        lookup: DenominatorLookup = self.cache[key]
        return lookup

    def cached(self, key: tuple[str, ...], make: Any) -> pl.DataFrame:
        """A frame read once per run; ``make()`` reads it.

        A failing read is an error, not "no data": every table in ``sources.TABLES_READ`` exists
        in a warehouse, and a backend that lacks one was set up wrongly.
        """
        if key not in self.cache:
            self.cache[key] = make()
        frame: pl.DataFrame = self.cache[key]
        return frame

    def member_codes(self) -> tuple[str, ...]:
        """The force's MSG (force first), or just the force when it has no group."""
        return self.group.member_codes if self.group else (self.force.code,)

    def member_names(self) -> tuple[str, ...]:
        """Names of the MSG members."""
        return tuple(by_code(c).name for c in self.member_codes())

    def measure(self, measure_id: str) -> Measure:
        """A measure of the catalogue."""
        return self.catalogue.measure(measure_id)
