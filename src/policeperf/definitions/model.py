"""The measure catalogue as strict, frozen objects.

A catalogue file (YAML) declares *priorities* (the report's sections, national or local) and
*measures*. Each YAML entry maps 1:1 onto a model here: unknown keys are rejected, every object is
frozen, and each priority and measure keeps the file and line it was read from (``origin``) so that
every problem and every result can point back to its definition.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BenchmarkKind",
    "Catalogue",
    "DateWindow",
    "Denominator",
    "Measure",
    "MeasureKind",
    "Origin",
    "Part",
    "Polarity",
    "Priority",
    "Source",
    "SourceKind",
    "TrendSpec",
]


class MeasureKind(StrEnum):
    """What a measure computes; each kind has one compute function (compute/engine.py)."""

    RECORDED_CRIME_RATE = "recorded_crime_rate"  # 12-month count per 1,000 residents/households
    COUNT = "count"  # 12-month rolling count, no denominator
    SURVEY_PROPORTION = "survey_proportion"  # positives / respondents, Wilson interval
    PROPORTION = "proportion"  # numerator / denominator (e.g. charge rate), 0-1
    DURATION = "duration"  # days (median or mean) as the force records them
    DIFFERENCE_VS_NATIONAL = "difference_vs_national"  # force value against the national value


class SourceKind(StrEnum):
    """Where a measure's numbers come from."""

    OFFENCE_CODES = "offence_codes"  # a Home Office offence-code set (offence_code_crime)
    ONS_OFFENCE = "ons_offence"  # an ONS offence group (recorded_crime, Table P1)
    POLICE_UK = "police_uk"  # data.police.uk crime types (street_crime)
    FORCE_SERIES = "force_series"  # a force-held series (force_series)


class Denominator(StrEnum):
    """The base of a rate."""

    RESIDENTS = "residents"
    HOUSEHOLDS = "households"
    NONE = "none"


class Polarity(StrEnum):
    """Which direction is better; rank 1 is the best."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


class BenchmarkKind(StrEnum):
    """How the benchmark cell is made."""

    MSG_RANK = "msg_rank"  # "7th/8 MSG (higher than MSG average rates)"
    NATIONAL_DIFFERENCE = "national_difference"  # "-1.5% points compared to national"
    NONE = "none"  # "Not available"


class Part(StrEnum):
    """Part 1 (national Police and Crime Measures) or part 2 (local Police and Crime Plan)."""

    NATIONAL = "national"
    LOCAL = "local"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Origin(_Strict):
    """The file and 1-based line a definition was read from."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


PYTHON_ORIGIN = Origin(file="<python>", line=0)


class DateWindow(_Strict):
    """An inclusive range of dates, e.g. the COVID-19 lockdowns."""

    start: date
    end: date
    reason: str = ""


class Source(_Strict):
    """One source of a measure's figures; a measure lists them in order of preference.

    Attributes:
        kind: Which warehouse table the figures come from.
        id: Offence-code set id, ONS offence group id, force series id, or for ``police_uk`` a
            name for the set of crime types listed in ``crime_types``.
        crime_types: data.police.uk crime types (``police_uk`` sources only).
        category: Breakdown of a force series, e.g. "burglary" (``""`` = none).
        caveat: Printed with the result whenever this source is the one used.
        title: What this source counts, in a few words ("Violence with injury"). When a
            fallback source is used the result is titled "<title> (stand-in for <measure>)"
            wherever it appears; without a title the id is used ("Violence with injury").
    """

    kind: SourceKind
    id: str
    crime_types: tuple[str, ...] = ()
    category: str = ""
    caveat: str | None = None
    title: str | None = None
    origin: Origin = PYTHON_ORIGIN


class TrendSpec(_Strict):
    """How the trend / outlook word is found (see compute/trends.py for the test itself).

    Attributes:
        window_years: Years of values tested (window_years x periods a year, the latest
            values); None = the default rule, the latest 8 values or two years of values when
            that is more (8 yearly, 8 quarterly, 24 monthly; compute/trends.default_window).
        min_points: Fewest values tested; None = 5 for annual values, 8 otherwise.
        baseline: Test this window instead of the latest (e.g. the pre-COVID trend).
        excluded: Windows whose values are dropped (a 12-month value is dropped when any of its
            months falls in an excluded window).
    """

    window_years: int | None = Field(default=None, ge=2)
    min_points: int | None = Field(default=None, ge=3)
    baseline: DateWindow | None = None
    excluded: tuple[DateWindow, ...] = ()


class Priority(_Strict):
    """A priority: one page (section) of the report."""

    id: str
    title: str
    order: int
    part: Part
    origin: Origin = PYTHON_ORIGIN


class Measure(_Strict):
    """One measure of the report.

    Attributes:
        id: Stable public id, e.g. ``residential_burglary``.
        title: The measure as printed in the summary table.
        priority: Id of the priority it belongs to.
        kind: What is computed.
        sources: Sources in order of preference; later ones are fallbacks with a caveat.
        components: Ids of measures whose counts are summed instead (neighbourhood crime).
        denominator: residents, households or none.
        window_months: Months a value covers (12 = rolling year).
        polarity: Which direction is better.
        benchmark: msg_rank, national_difference or none.
        trend: Trend settings.
        unit: The unit label, e.g. "per 1,000 residents".
        description: What the measure is, in plain words.
    """

    id: str
    title: str
    priority: str
    kind: MeasureKind
    sources: tuple[Source, ...] = ()
    components: tuple[str, ...] = ()
    denominator: Denominator = Denominator.NONE
    window_months: int = Field(default=12, ge=1)
    polarity: Polarity = Polarity.LOWER_IS_BETTER
    benchmark: BenchmarkKind = BenchmarkKind.NONE
    trend: TrendSpec = TrendSpec()
    unit: str = ""
    description: str = ""
    origin: Origin = PYTHON_ORIGIN


class Catalogue(_Strict):
    """Priorities and measures after merging every catalogue file (later files override by id)."""

    priorities: tuple[Priority, ...]
    measures: tuple[Measure, ...]
    files: tuple[str, ...] = ()

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id; KeyError listing the known ids otherwise."""
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(f"unknown measure {measure_id!r}; known: {', '.join(self.ids())}")

    def priority(self, priority_id: str) -> Priority:
        """The priority with this id."""
        for p in self.priorities:
            if p.id == priority_id:
                return p
        known = ", ".join(p.id for p in self.priorities)
        raise KeyError(f"unknown priority {priority_id!r}; known: {known}")

    def ids(self) -> tuple[str, ...]:
        """Every measure id, in report order."""
        return tuple(m.id for m in self.ordered())

    def ordered(self) -> tuple[Measure, ...]:
        """Measures in report order: by part, priority order, then file order."""
        rank = {p.id: (p.part != Part.NATIONAL, p.order) for p in self.priorities}
        indexed = list(enumerate(self.measures))
        indexed.sort(key=lambda im: (rank.get(im[1].priority, (True, 10**6)), im[0]))
        return tuple(m for _, m in indexed)
