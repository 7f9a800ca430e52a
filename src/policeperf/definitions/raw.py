"""Read catalogue YAML files into plain entries that remember their file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policeperf.errors import InputError
from policeperf.textfiles import LimitedSafeLoader, load_yaml, read_text, yaml_problem

__all__ = ["LINE_KEY", "RawEntry", "RawFile", "read_raw", "strip_lines"]

#: Key the loader adds to every mapping: the 1-based line where the mapping starts.
LINE_KEY = "__line__"


class _LineLoader(LimitedSafeLoader):
    """A safe YAML loader that records the line of each mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)  # type: ignore[assignment]
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

#: The shipped catalogue's folder. Its files come with the package (not from a user), so they
#: are parsed by libyaml's safe loader when PyYAML has it: the same values and lines, about ten
#: times faster than the pure-Python loader with limits that users' files go through (the
#: shipped catalogue is read by every command that computes or reads a measure).
SHIPPED = Path(__file__).resolve().parent / "catalogue"
_FastSafeLoader: Any = getattr(yaml, "CSafeLoader", None)


class _ShippedLineLoader(_FastSafeLoader or yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader for the shipped files, recording each mapping's line like _LineLoader."""


_ShippedLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                   _construct_mapping)


def _parse(text: str, path: Path | str) -> Any:
    if Path(path).resolve().parent == SHIPPED:
        return yaml.load(text, Loader=_ShippedLineLoader)  # noqa: S506 - a safe loader
    return load_yaml(text, _LineLoader)


@dataclass(frozen=True)
class RawEntry:
    """One priority or measure mapping as written, with where it was written."""

    file: str
    line: int
    section: str  # "priorities" or "measures"
    data: dict[str, Any]

    @property
    def id(self) -> str | None:
        """The entry's ``id`` when it is a string."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class RawFile:
    """A catalogue file: its entries, or the problem that stopped it being read."""

    file: str
    entries: tuple[RawEntry, ...]
    top_keys: tuple[str, ...]
    top_line: int
    error: str | None = None
    error_line: int = 1


def read_raw(path: Path | str) -> RawFile:
    """Parse one catalogue file; YAML errors come back in ``error`` rather than raising."""
    name = str(path)
    try:
        text = read_text(Path(path), name)
    except InputError as exc:
        return RawFile(name, (), (), 1, exc.reason + (f" (expected {exc.expected})"
                                                      if exc.expected else ""))
    try:
        data = _parse(text, path)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        return RawFile(name, (), (), 1, f"invalid YAML: {problem}", line)
    if not isinstance(data, dict):
        return RawFile(name, (), (), 1, "expected a mapping with 'priorities' and/or 'measures'")
    entries: list[RawEntry] = []
    for section in ("priorities", "measures"):
        items = data.get(section) or []
        if not isinstance(items, list):
            return RawFile(name, (), (), 1, f"'{section}' must be a list")
        for item in items:
            if isinstance(item, dict):
                entries.append(RawEntry(name, int(item.get(LINE_KEY, 1)), section, item))
            else:
                entries.append(RawEntry(name, 1, section, {"__invalid__": item}))
    top = tuple(k for k in data if k != LINE_KEY)
    return RawFile(name, tuple(entries), top, int(data.get(LINE_KEY, 1)))


def strip_lines(value: Any) -> Any:
    """A copy of parsed YAML without the ``__line__`` keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
