"""Load catalogue files into a :class:`Catalogue`, validating everything first.

The shipped catalogue is ``definitions/catalogue/*.yaml`` (national.yaml, then local.yaml). Users
add files of their own; a later file's priority or measure replaces an earlier one with the same
id, so a force can change a title, a source or a trend window without copying the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from policeperf.definitions.model import Catalogue, Measure, Priority
from policeperf.definitions.raw import LINE_KEY, RawFile, read_raw, strip_lines
from policeperf.definitions.rules import (
    Issue,
    run_catalogue_rules,
    run_raw_rules,
    sort_issues,
)
from policeperf.errors import PolicePerfError

__all__ = ["CatalogueError", "builtin_paths", "default_catalogue", "load_catalogue", "validate"]

_ORDER = ("national.yaml", "local.yaml")


class CatalogueError(PolicePerfError):
    """Errors found in catalogue files: every one, each with its file and line."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        lines = "\n  ".join(str(i) for i in issues)
        super().__init__(f"invalid measure catalogue ({len(issues)} problems):\n  {lines}")


def builtin_paths() -> list[Path]:
    """The shipped catalogue files: national.yaml, local.yaml, then any other, by name."""
    root = Path(str(resources.files("policeperf.definitions").joinpath("catalogue")))
    files = sorted(root.glob("*.yaml"), key=lambda p: (p.name not in _ORDER, _rank(p.name)))
    return files


def _rank(name: str) -> tuple[int, str]:
    return (_ORDER.index(name) if name in _ORDER else len(_ORDER), name)


def _with_origin(data: dict[str, Any], file: str) -> dict[str, Any]:
    """Entry data with ``origin`` set on the entry and on each of its sources."""
    clean: dict[str, Any] = dict(strip_lines(data))
    clean["origin"] = {"file": file, "line": int(data.get(LINE_KEY, 1))}
    sources = data.get("sources")
    if isinstance(sources, list):
        clean["sources"] = [
            {**strip_lines(s), "origin": {"file": file, "line": int(s.get(LINE_KEY, 1))}}
            if isinstance(s, dict) else s
            for s in sources
        ]
    return clean


def _merge(files: Iterable[RawFile], *, skip_invalid: bool = False
           ) -> tuple[list[Priority], list[Measure]]:
    priorities: dict[str, Priority] = {}
    measures: dict[str, Measure] = {}
    for raw in files:
        for e in raw.entries:
            if "__invalid__" in e.data:
                continue
            data = _with_origin(e.data, raw.file)
            try:
                if e.section == "priorities":
                    p = Priority.model_validate(data)
                    priorities[p.id] = p
                else:
                    m = Measure.model_validate(data)
                    measures[m.id] = m
            except ValidationError:
                if not skip_invalid:
                    raise
    return list(priorities.values()), list(measures.values())


def _paths(paths: Iterable[Path | str] | None, include_builtin: bool) -> list[Path]:
    extra = [Path(p) for p in (paths or [])]
    return [*(builtin_paths() if include_builtin else []), *extra]


def validate(
    paths: Iterable[Path | str] | None = None, *, include_builtin: bool = True
) -> list[Issue]:
    """Every issue in the catalogue files, errors and warnings, sorted by file and line.

    Args:
        paths: Catalogue files to check; they are checked together with the shipped files (which
            they extend or override) unless ``include_builtin`` is False.
        include_builtin: Also read the shipped catalogue.
    """
    raws = [read_raw(p) for p in _paths(paths, include_builtin)]
    issues = run_raw_rules(raws)
    # Every problem at once: the whole-catalogue rules also run over the entries that are valid
    # on their own when others are not (an invalid entry is left out, its errors already listed).
    priorities, measures = _merge(raws, skip_invalid=True)
    found = {(i.file, i.line, i.message) for i in issues}
    more = [i for i in run_catalogue_rules(measures, priorities)
            if (i.file, i.line, i.message) not in found]
    return sort_issues([*issues, *more])


def load_catalogue(
    paths: Iterable[Path | str] | None = None, *, include_builtin: bool = True
) -> Catalogue:
    """The merged catalogue; raises :class:`CatalogueError` listing every error found.

    Warnings (e.g. a force series id not in the documented format) do not stop loading.
    """
    files = _paths(paths, include_builtin)
    issues = [i for i in validate(files, include_builtin=False) if i.level == "error"]
    if issues:
        raise CatalogueError(issues)
    priorities, measures = _merge(read_raw(p) for p in files)
    return Catalogue(
        priorities=tuple(priorities), measures=tuple(measures), files=tuple(map(str, files))
    )


@cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue (cached)."""
    return load_catalogue()
