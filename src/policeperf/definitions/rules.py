"""Consistency rules for catalogue files: one small function per check, each returning issues.

Raw rules look at the YAML as written (so they can name unknown keys and lines); catalogue rules
look at the merged, typed catalogue (so they can follow references across files). Every issue
names the file and line of the entry at fault. :func:`validate` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from policeperf.definitions.model import (
    BenchmarkKind,
    DateWindow,
    Denominator,
    Measure,
    MeasureKind,
    Priority,
    Source,
    SourceKind,
    TrendSpec,
)
from policeperf.definitions.raw import LINE_KEY, RawFile, strip_lines
from policeperf.reference import offences
from policeperf.reference.series import SERIES

__all__ = ["CATALOGUE_RULES", "RAW_RULES", "Issue", "known_series_ids"]

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem in a catalogue file."""

    file: str
    line: int
    rule: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message} [{self.rule}]"


def _keys(model: type[BaseModel]) -> set[str]:
    return {k for k in model.model_fields if k != "origin"}


_NESTED: dict[str, type[BaseModel]] = {"trend": TrendSpec}


def _unknown(data: dict[str, Any], model: type[BaseModel], file: str, what: str) -> list[Issue]:
    valid = _keys(model)
    line = int(data.get(LINE_KEY, 1))
    issues = [
        Issue(file, line, "unknown_keys",
              f"{what}: unknown key {key!r}; valid keys are {', '.join(sorted(valid))}")
        for key in data
        if key not in valid and key != LINE_KEY
    ]
    return issues


def rule_file_readable(raw: RawFile) -> list[Issue]:
    """The file is valid YAML with only 'priorities' and 'measures' at the top."""
    if raw.error:
        return [Issue(raw.file, raw.error_line, "file_readable", raw.error)]
    return [
        Issue(raw.file, raw.top_line, "unknown_keys",
              f"unknown top-level key {k!r}; valid keys are measures, priorities")
        for k in raw.top_keys
        if k not in ("priorities", "measures")
    ]


def rule_unknown_keys(raw: RawFile) -> list[Issue]:
    """Every mapping uses only the keys its model declares (and the issue lists the valid ones)."""
    issues: list[Issue] = []
    for e in raw.entries:
        if "__invalid__" in e.data:
            issues.append(Issue(raw.file, e.line, "unknown_keys", f"each {e.section} entry "
                                "must be a mapping"))
            continue
        model: type[BaseModel] = Priority if e.section == "priorities" else Measure
        what = f"{'measure' if e.section == 'measures' else 'priority'} {e.id!r}"
        issues += _unknown(e.data, model, raw.file, what)
        for name, sub in _NESTED.items():
            if isinstance(e.data.get(name), dict):
                issues += _unknown(e.data[name], sub, raw.file, f"{e.id!r} {name}")
        for src in e.data.get("sources") or []:
            if isinstance(src, dict):
                issues += _unknown(src, Source, raw.file, f"{e.id!r} source")
        trend = e.data.get("trend")
        if isinstance(trend, dict):
            windows = [trend.get("baseline"), *(trend.get("excluded") or [])]
            for w in windows:
                if isinstance(w, dict):
                    issues += _unknown(w, DateWindow, raw.file, f"{e.id!r} date window")
    return issues


def rule_field_values(raw: RawFile) -> list[Issue]:
    """Values have the declared types and enum members (pydantic's messages, with the line)."""
    issues: list[Issue] = []
    for e in raw.entries:
        if "__invalid__" in e.data:
            continue
        model: type[BaseModel] = Priority if e.section == "priorities" else Measure
        data = strip_lines(e.data)
        try:
            model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                if err["type"] == "extra_forbidden":
                    continue  # reported by rule_unknown_keys with the valid keys
                where = ".".join(str(p) for p in err["loc"])
                issues.append(Issue(raw.file, e.line, "field_values",
                                    f"{e.id!r} {where}: {err['msg']}"))
    return issues


def rule_duplicate_ids(raw: RawFile) -> list[Issue]:
    """An id appears once per section in a file (a later *file* may override it)."""
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    for e in raw.entries:
        if e.id is None:
            continue
        key = (e.section, e.id)
        if key in seen:
            issues.append(Issue(raw.file, e.line, "duplicate_ids",
                                f"{e.id!r} is already defined at line {seen[key]}"))
        else:
            seen[key] = e.line
    return issues


RAW_RULES: tuple[Callable[[RawFile], list[Issue]], ...] = (
    rule_file_readable,
    rule_unknown_keys,
    rule_field_values,
    rule_duplicate_ids,
)


def known_series_ids() -> frozenset[str]:
    """Force series ids documented by the force-series format (reference/series.py)."""
    return frozenset(SERIES)


def _issue(m: Measure | Priority, rule: str, msg: str, level: Level = "error") -> Issue:
    return Issue(m.origin.file, m.origin.line, rule, msg, level)


def rule_source_ids(measures: Sequence[Measure], priorities: Sequence[Priority]) -> list[Issue]:
    """Each source names an offence group, offence-code set, crime type or series that exists."""
    groups = {g.id for g in offences.groups()}
    sets = {s.id for s in offences.sets()}
    coded = {g.id for g in offences.groups() if g.offence_codes} | sets
    crime_types = set(offences.police_uk_crime_types())
    series = known_series_ids()
    issues: list[Issue] = []
    for m in measures:
        for s in m.sources:
            where = f"{m.id!r} source {s.kind.value} {s.id!r}"
            if s.kind == SourceKind.ONS_OFFENCE and s.id not in groups:
                issues.append(_issue(m, "source_ids", f"{where}: unknown ONS offence group; "
                                     f"known: {', '.join(sorted(groups))}"))
            elif s.kind == SourceKind.OFFENCE_CODES and s.id not in coded:
                issues.append(_issue(m, "source_ids", f"{where}: unknown offence-code set; "
                                     f"known: {', '.join(sorted(coded))}"))
            elif s.kind == SourceKind.POLICE_UK:
                bad = [t for t in s.crime_types if t not in crime_types] or (
                    ["(none listed)"] if not s.crime_types else [])
                if bad:
                    issues.append(_issue(m, "source_ids", f"{where}: unknown crime types {bad}; "
                                         f"known: {', '.join(sorted(crime_types))}"))
            elif s.kind == SourceKind.FORCE_SERIES and series and s.id not in series:
                issues.append(_issue(m, "source_ids", f"{where}: not a documented force series "
                                     "id (see docs/force-series-format.md)", "warning"))
    return issues


_RATE_SOURCES = {SourceKind.OFFENCE_CODES, SourceKind.ONS_OFFENCE, SourceKind.POLICE_UK}


def rule_kind_denominator(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Crime rates have residents or households as base; no other kind has a denominator."""
    issues: list[Issue] = []
    for m in measures:
        is_rate = m.kind == MeasureKind.RECORDED_CRIME_RATE
        if is_rate and m.denominator == Denominator.NONE:
            issues.append(_issue(m, "kind_denominator", f"{m.id!r}: a recorded_crime_rate needs "
                                 "denominator residents or households"))
        if not is_rate and m.denominator != Denominator.NONE:
            issues.append(_issue(m, "kind_denominator", f"{m.id!r}: kind {m.kind.value} takes "
                                 f"no denominator (got {m.denominator.value}); use none"))
    return issues


def rule_kind_sources(measures: Sequence[Measure], priorities: Sequence[Priority]) -> list[Issue]:
    """Sources suit the kind: crime rates read crime tables; force-held kinds read series."""
    issues: list[Issue] = []
    for m in measures:
        if not m.sources and not m.components:
            issues.append(_issue(m, "kind_sources", f"{m.id!r}: no sources and no components"))
        if m.sources and m.components:
            issues.append(_issue(m, "kind_sources", f"{m.id!r}: give sources or components, "
                                 "not both"))
        for s in m.sources:
            crime = s.kind in _RATE_SOURCES
            if m.kind == MeasureKind.RECORDED_CRIME_RATE and not crime:
                issues.append(_issue(m, "kind_sources", f"{m.id!r}: a recorded_crime_rate cannot "
                                     f"use a {s.kind.value} source"))
            if m.kind not in (MeasureKind.RECORDED_CRIME_RATE, MeasureKind.COUNT) and crime:
                issues.append(_issue(m, "kind_sources", f"{m.id!r}: kind {m.kind.value} reads "
                                     f"force series, not {s.kind.value}"))
    return issues


def rule_kind_benchmark(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """MSG ranks need rates or proportions; difference_vs_national needs national_difference."""
    issues: list[Issue] = []
    for m in measures:
        if m.kind == MeasureKind.DIFFERENCE_VS_NATIONAL and (
            m.benchmark != BenchmarkKind.NATIONAL_DIFFERENCE
        ):
            issues.append(_issue(m, "kind_benchmark", f"{m.id!r}: difference_vs_national needs "
                                 "benchmark national_difference"))
        if m.benchmark == BenchmarkKind.MSG_RANK and m.kind in (
            MeasureKind.COUNT, MeasureKind.SURVEY_PROPORTION, MeasureKind.DIFFERENCE_VS_NATIONAL
        ):
            issues.append(_issue(m, "kind_benchmark", f"{m.id!r}: kind {m.kind.value} cannot be "
                                 "ranked in an MSG"))
    return issues


def rule_fallback_order(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Every fallback (a source after the first) says what changes, and no source repeats."""
    issues: list[Issue] = []
    for m in measures:
        seen: set[tuple[str, str]] = set()
        for i, s in enumerate(m.sources):
            if (s.kind.value, s.id) in seen:
                issues.append(_issue(m, "fallback_order", f"{m.id!r}: source {s.kind.value} "
                                     f"{s.id!r} is listed twice"))
            seen.add((s.kind.value, s.id))
            if i > 0 and not s.caveat:
                issues.append(_issue(m, "fallback_order", f"{m.id!r}: fallback source "
                                     f"{i + 1} ({s.kind.value} {s.id!r}) needs a caveat saying "
                                     "what differs from the preferred source"))
    return issues


def rule_priorities_exist(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Each measure's priority is declared."""
    known = {p.id for p in priorities}
    return [
        _issue(m, "priorities_exist", f"{m.id!r}: unknown priority {m.priority!r}; declared: "
               f"{', '.join(sorted(known))}")
        for m in measures
        if m.priority not in known
    ]


def rule_components(measures: Sequence[Measure], priorities: Sequence[Priority]) -> list[Issue]:
    """Components are crime-rate measures that exist and are not themselves composite."""
    by_id = {m.id: m for m in measures}
    issues: list[Issue] = []
    for m in measures:
        if m.components and m.kind != MeasureKind.RECORDED_CRIME_RATE:
            issues.append(_issue(m, "components", f"{m.id!r}: only recorded_crime_rate "
                                 "measures can sum components"))
        for c in m.components:
            comp = by_id.get(c)
            if comp is None:
                issues.append(_issue(m, "components", f"{m.id!r}: unknown component {c!r}"))
            elif comp.components or comp.kind != MeasureKind.RECORDED_CRIME_RATE:
                issues.append(_issue(m, "components", f"{m.id!r}: component {c!r} must be a "
                                     "recorded_crime_rate with sources"))
    return issues


def rule_trend_windows(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Trend baseline and excluded windows start before they end."""
    issues: list[Issue] = []
    for m in measures:
        windows = [*([m.trend.baseline] if m.trend.baseline else []), *m.trend.excluded]
        for w in windows:
            if w.start > w.end:
                issues.append(_issue(m, "trend_windows", f"{m.id!r}: date window {w.start} to "
                                     f"{w.end} starts after it ends"))
    return issues


def rule_priority_order(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Two priorities of the same part do not share an order number."""
    seen: dict[tuple[str, int], str] = {}
    issues: list[Issue] = []
    for p in priorities:
        key = (p.part.value, p.order)
        if key in seen:
            issues.append(_issue(p, "priority_order", f"priority {p.id!r} has the same order "
                                 f"{p.order} as {seen[key]!r} in part {p.part.value}", "warning"))
        seen[key] = p.id
    return issues


CatalogueRule = Callable[[Sequence[Measure], Sequence[Priority]], list[Issue]]

CATALOGUE_RULES: tuple[CatalogueRule, ...] = (
    rule_source_ids,
    rule_kind_denominator,
    rule_kind_sources,
    rule_kind_benchmark,
    rule_fallback_order,
    rule_priorities_exist,
    rule_components,
    rule_trend_windows,
    rule_priority_order,
)


def run_raw_rules(files: Iterable[RawFile]) -> list[Issue]:
    """Every raw rule over every file."""
    return [issue for raw in files for rule in RAW_RULES for issue in rule(raw)]


def run_catalogue_rules(
    measures: Sequence[Measure], priorities: Sequence[Priority]
) -> list[Issue]:
    """Every catalogue rule over the merged catalogue."""
    return [issue for rule in CATALOGUE_RULES for issue in rule(measures, priorities)]


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Issues by file and line."""
    return sorted(issues, key=lambda i: (i.file, i.line, i.rule, i.message))


def as_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Paths as Path objects."""
    return [Path(p) for p in paths]
