"""A report project: ``report.yaml`` plus Markdown narrative, loaded and validated strictly.

Layout of a project folder::

    report.yaml              force, period, title, version, force_series, parts, priorities, mapping
    cover.md                 short text on the cover
    glossary.md              one "- **Term**: definition" line per term
    actions/<priority>.md    planned actions (a numbered list)
    comments/<priority>.md   analyst's comments (each list item or paragraph is one comment)
    accepted_drafts.yaml     optional: drafted comments an analyst accepted (see drafts.py)

Every problem found is reported with its file and line, all at once, in a `ProjectError`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policeperf.errors import InputError
from policeperf.report.model import (
    BUNDLED_PREFIX,
    CHART_KINDS,
    AcceptedDraft,
    ChartConfig,
    ForceSeriesFile,
    Issue,
    MappingRow,
    PartConfig,
    PartName,
    PriorityConfig,
    Project,
    ProjectError,
    ReportConfig,
)
from policeperf.textfiles import LimitedSafeLoader, load_yaml, read_text, yaml_problem

__all__ = [
    "BUNDLED_PREFIX",
    "CHART_KINDS",
    "AcceptedDraft",
    "ChartConfig",
    "ForceSeriesFile",
    "Issue",
    "MappingRow",
    "PartConfig",
    "PartName",
    "PriorityConfig",
    "Project",
    "ProjectError",
    "ReportConfig",
    "load_project",
    "parse_config",
    "parse_glossary",
    "split_items",
]

# A glossary line: "- **Term**: definition" (the dash and the bold are optional).
_GLOSSARY_LINE = re.compile(
    r"^(?:[-*]\s+)?(?:\*\*(?P<bold>[^*]+)\*\*|(?P<plain>[^:]+)):\s*(?P<d>.+)$"
)
# A list item opening: "1. text", "2) text", "- text" or "* text".
_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(?P<text>.*)$")


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """Follow a pydantic error location down the YAML node tree; return a 1-based line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _config_issues(
    config: ReportConfig, node: yaml.Node | None, measure_ids: Collection[str] | None
) -> list[Issue]:
    """Consistency rules pydantic cannot express: unique ids, known measures, mapping targets."""
    issues: list[Issue] = []

    def add(loc: Sequence[int | str], message: str) -> None:
        issues.append(Issue("report.yaml", _line_of(node, loc), message))

    seen: set[str] = set()
    for i, priority in enumerate(config.priorities):
        if priority.id in seen:
            add(("priorities", i, "id"), f"priority id {priority.id!r} is used twice")
        seen.add(priority.id)
        if priority.narrative_only and (priority.measures or priority.charts):
            add(("priorities", i, "narrative_only"), "a narrative-only page lists no measures")
        if not priority.narrative_only and not priority.measures:
            add(("priorities", i), f"priority {priority.id!r} has no measures "
                "(add some, or set narrative_only: true)")
        for j, measure in enumerate(priority.measures):
            if measure_ids is not None and measure not in measure_ids:
                add(("priorities", i, "measures", j), _unknown_measure(measure, measure_ids))
        for j, chart in enumerate(priority.charts):
            for measure in chart.measure_ids:
                if measure_ids is not None and measure not in measure_ids:
                    add(("priorities", i, "charts", j, "measure"),
                        _unknown_measure(measure, measure_ids))
    national = {p.id for p in config.priorities if p.part == "national"}
    for i, row in enumerate(config.mapping):
        if row.national not in national:
            close = difflib.get_close_matches(row.national, sorted(national), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            add(("mapping", i, "national"), f"{row.national!r} is not a national priority id{hint}")
    return issues


def _unknown_measure(measure: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(measure, sorted(known), n=3, cutoff=0.5)
    hint = f"; close ids: {', '.join(close)}" if close else ""
    return f"unknown measure id {measure!r}{hint}"


def parse_config(
    text: str, *, measure_ids: Collection[str] | None = None
) -> tuple[ReportConfig | None, list[Issue]]:
    """Parse and validate the text of ``report.yaml``.

    Args:
        text: The YAML text.
        measure_ids: The catalogue's measure ids; None skips the measure check.

    Returns:
        The config (None when it is invalid) and every issue found.
    """
    try:
        node, raw = _yaml(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        return None, [Issue("report.yaml", line, f"invalid YAML: {problem}")]
    if not isinstance(raw, dict):
        return None, [Issue("report.yaml", 1, "expected a mapping of keys such as force, period")]
    try:
        config = ReportConfig.model_validate(raw)
    except ValidationError as exc:
        issues = []
        for error in exc.errors():
            loc = [p for p in error["loc"] if isinstance(p, int | str)]
            where = ".".join(str(p) for p in loc)
            message = error["msg"].removeprefix("Value error, ")
            issues.append(Issue("report.yaml", _line_of(node, loc), f"{where}: {message}"))
        return None, issues
    return config, _config_issues(config, node, measure_ids)


@lru_cache(maxsize=8)
def _yaml(text: str) -> tuple[Any, Any]:
    """The YAML node tree (for line numbers) and data of a text, parsed once per process: one
    ``report`` command reads the same report.yaml up to four times (series to load, the period
    to check, the build), and YAML parsed in pure Python costs about 0.3 s a time. Callers only
    read both."""
    node = yaml.compose(text, Loader=LimitedSafeLoader)  # noqa: S506 - SafeLoader subclass
    return node, load_yaml(text)


def parse_glossary(
    text: str, file: str = "glossary.md"
) -> tuple[list[tuple[str, str]], list[Issue]]:
    """Read glossary lines ("- **Term**: definition"); blank lines and "#" headings are skipped."""
    entries: list[tuple[str, str]] = []
    issues: list[Issue] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _GLOSSARY_LINE.match(line.strip())
        if match is None:
            issues.append(Issue(file, number, 'expected "- **Term**: definition"'))
            continue
        term = (match.group("bold") or match.group("plain") or "").strip().lstrip("-* ")
        entries.append((term, match.group("d").strip()))
    return entries, issues


def split_items(text: str) -> tuple[str, ...]:
    """Split Markdown into comments: each list item or paragraph is one; numbering is dropped."""
    items: list[list[str]] = []
    fresh = True
    for line in text.splitlines():
        if not line.strip():
            fresh = True
            continue
        match = _ITEM.match(line)
        if match is not None:
            items.append([match.group("text").strip()])
        elif fresh or not items:
            items.append([line.strip()])
        else:
            items[-1].append(line.strip())
        fresh = False
    return tuple(" ".join(parts) for parts in items if " ".join(parts))


def _read_text(root: Path, relative: str, issues: list[Issue], what: str) -> str:
    path = root / relative
    if not path.exists() and not path.is_symlink():
        issues.append(Issue(relative, None, f"missing {what} file (create {relative})"))
        return ""
    try:
        return read_text(path, relative)
    except InputError as exc:
        issues.append(Issue(relative, None, _reason(exc)))
        return ""


def _reason(exc: InputError) -> str:
    return exc.reason + (f" (expected {exc.expected})" if exc.expected else "")


def _read_accepted(root: Path, issues: list[Issue]) -> dict[str, AcceptedDraft]:
    if not (root / "accepted_drafts.yaml").exists():
        return {}
    source = _read_text(root, "accepted_drafts.yaml", issues, "accepted drafts")
    try:
        raw: Any = load_yaml(source) or {}
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        issues.append(Issue("accepted_drafts.yaml", line, f"invalid YAML: {problem}"))
        return {}
    accepted: dict[str, AcceptedDraft] = {}
    if not isinstance(raw, dict):
        issues.append(Issue("accepted_drafts.yaml", 1, "expected measure id: {key, text}"))
        return {}
    for measure, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or set(entry) - {
            "key", "text"
        }:
            issues.append(Issue("accepted_drafts.yaml", None,
                                f"{measure}: expected 'key' (the numbers' hash), optional 'text'"))
            continue
        text = entry.get("text")
        accepted[str(measure)] = AcceptedDraft(str(measure), entry["key"],
                                               str(text) if text else None)
    return accepted


def load_project(root: Path | str, *, measure_ids: Collection[str] | None = None) -> Project:
    """Load and validate a report project folder.

    Args:
        root: The project folder (holding ``report.yaml``).
        measure_ids: The catalogue's measure ids; None skips the measure check.

    Returns:
        The validated project.

    Raises:
        ProjectError: Lists every problem found, each with file and line.
    """
    root = Path(root)
    config_path = root / "report.yaml"
    if not config_path.exists() and not config_path.is_symlink():
        raise ProjectError([Issue(str(config_path), None, "no report.yaml in the project folder")])
    try:
        text = read_text(config_path, "report.yaml")
    except InputError as exc:
        raise ProjectError([Issue("report.yaml", None, _reason(exc))]) from None
    config, issues = parse_config(text, measure_ids=measure_ids)
    if config is None:
        raise ProjectError(issues)
    for i, series in enumerate(config.force_series):
        if not series.resolve(root).is_file():
            issues.append(Issue("report.yaml", None,
                                f"force_series[{i}]: file {series.path!r} not found "
                                "(or not a regular file)"))
    glossary, glossary_issues = parse_glossary(_read_text(root, "glossary.md", issues, "glossary"))
    issues += glossary_issues
    cover = _read_text(root, "cover.md", issues, "cover")
    actions: dict[str, str] = {}
    comments: dict[str, tuple[str, ...]] = {}
    for priority in config.priorities:
        actions[priority.id] = _read_text(root, f"actions/{priority.id}.md", issues, "actions")
        comments[priority.id] = split_items(
            _read_text(root, f"comments/{priority.id}.md", issues, "comments")
        )
    accepted = _read_accepted(root, issues)
    if issues:
        raise ProjectError(issues)
    return Project(config=config, root=root, cover=cover, glossary=tuple(glossary),
                   actions=actions, comments=comments, accepted=accepted)
