"""The report project's model: ``report.yaml`` as pydantic models, and the loaded `Project`.

Loading and validation (files, lines, every issue at once) live in `policeperf.report.project`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from policeperf.errors import PolicePerfError
from policeperf.report.period import parse_period

CHART_KINDS = (
    "rolling_rate_lines",
    "rolling_count_quarterly",
    "monthly_count_bars",
    "survey_rate_lines",
    "category_bars",
    "dual_axis_volume_rate",
    "paired_bars",
    "force_vs_national_series",
    "spc_chart",
    "peer_ranking",
    "funnel_plot",
)
"""Chart kinds a project may ask for (one chart function each in `policeperf.render.charts`)."""

BUNDLED_PREFIX = "bundled:"

# A priority id doubles as a file name: words joined by "_" or "-", e.g. "reduce_homicide".
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

PartName = Literal["national", "local"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChartConfig(_Strict):
    """One chart on a priority page: its kind and the measure(s) whose series it draws.

    ``measure`` is one id, or a list for charts that combine measures (survey questions on one
    set of axes, latest rates by category, charge volume with charge rate).
    """

    kind: str
    measure: str | list[str]
    title: str | None = None
    size: Literal["full", "half"] | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in CHART_KINDS:
            close = difflib.get_close_matches(value, CHART_KINDS, n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            known = ", ".join(CHART_KINDS)
            raise ValueError(f"unknown chart kind {value!r}{hint} (known: {known})")
        return value

    @property
    def measure_ids(self) -> list[str]:
        """The measure ids the chart draws, in order."""
        return [self.measure] if isinstance(self.measure, str) else list(self.measure)


class ForceSeriesFile(_Strict):
    """A force-held series file to ingest.

    ``path`` is relative to the project folder, or ``bundled:<path>`` for a file shipped in
    ``policeperf/data`` (e.g. ``bundled:force-series/example-avon-and-somerset.csv``).
    ``illustrative: true`` puts an "Illustrative data" banner, with ``note``, on every page
    whose measures come from force-held series.
    """

    path: str
    illustrative: bool = False
    note: str | None = None

    def resolve(self, root: Path | None) -> Path:
        """The file's location on disk."""
        if self.path.startswith(BUNDLED_PREFIX):
            data = Path(str(resources.files("policeperf.data")))
            return data / self.path.removeprefix(BUNDLED_PREFIX)
        return (root or Path.cwd()) / self.path


class PriorityConfig(_Strict):
    """One priority page."""

    id: str
    part: Literal["national", "local"]
    title: str
    measures: list[str] = Field(default_factory=list)
    charts: list[ChartConfig] = Field(default_factory=list)
    narrative_only: bool = False

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(f"{value!r} must be lower-case words joined by '_' or '-'")
        return value


class PartConfig(_Strict):
    """The divider page that opens a part of the report."""

    title: str
    subtitle: str = ""


def _default_parts() -> dict[PartName, PartConfig]:
    return {
        "national": PartConfig(
            title="National Police and Crime Measures",
            subtitle="Priorities for Policing: the force's contribution",
        ),
        "local": PartConfig(title="Police and Crime Plan", subtitle="Local priorities"),
    }


class MappingRow(_Strict):
    """A national priority (by id) and the local area of focus it supports."""

    national: str
    local: str


class ReportConfig(_Strict):
    """The contents of ``report.yaml``."""

    force: str
    period: dt.date
    title: str = "Performance Report"
    version: str = "v1"
    force_series: list[ForceSeriesFile] = Field(default_factory=list)
    parts: dict[PartName, PartConfig] = Field(default_factory=_default_parts)
    priorities: list[PriorityConfig]
    mapping: list[MappingRow] = Field(default_factory=list)
    chart_years: int = Field(default=6, ge=1, le=30)
    """Time-series charts show this many years up to the report's quarter."""

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: object) -> dt.date:
        return parse_period(value)


@dataclass(frozen=True)
class Issue:
    """One problem in a project, located by file and (when known) line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ProjectError(PolicePerfError):
    """A report project that cannot be used; lists every issue with file and line."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(f"the report project has {len(self.issues)} problem(s):\n{lines}")


@dataclass(frozen=True)
class AcceptedDraft:
    """A drafted comment an analyst accepted for the numbers whose hash is `key`."""

    measure: str
    key: str
    text: str | None = None  # edited text replaces the draft; None keeps the drafted wording


@dataclass(frozen=True)
class Project:
    """A loaded, validated report project (or the default one built from the catalogue)."""

    config: ReportConfig
    root: Path | None = None
    cover: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    actions: dict[str, str] = field(default_factory=dict)
    comments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accepted: dict[str, AcceptedDraft] = field(default_factory=dict)

    @property
    def measure_ids(self) -> list[str]:
        """Every measure id the report shows, in page order, without repeats."""
        ids = [m for p in self.config.priorities for m in p.measures]
        ids += [m for p in self.config.priorities for c in p.charts for m in c.measure_ids]
        return list(dict.fromkeys(ids))
