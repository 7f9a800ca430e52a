"""Most Similar Groups (MSG): the peer forces each force is benchmarked against.

Groups are data: the shipped ``peer_groups.yaml`` plus any file a user supplies. Every problem in a
file is reported with its line before any group is used.

A group is "official" (a published Most Similar Group: shipped, imported or set by the user) or
"computed" (policeperf's stand-in, the 7 nearest forces on open data: compute/similar_forces.py).
Which group is in force for a force is decided in one place, compute/groups.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from policeperf.errors import InputError, PolicePerfError, UnknownNameError
from policeperf.reference.areas import Area, resolve_area
from policeperf.textfiles import LimitedSafeLoader, load_yaml, read_text, yaml_problem

ENV_VAR = "POLICEPERF_PEER_GROUPS"


GroupKind = Literal["official", "computed"]


@dataclass(frozen=True)
class PeerDistance:
    """A peer of a computed group: its distance from the force and the variables behind it."""

    code: str
    distance: float
    variables: tuple[str, ...]


@dataclass(frozen=True)
class PeerGroup:
    """A force's peer group: the force first, then its peers (codes).

    Attributes:
        force_code: The force.
        member_codes: The force, then its peers.
        source: Where the group comes from, in words.
        origin: The file (or command) the group was read from.
        kind: "official" (a published Most Similar Group) or "computed" (policeperf's similar
            forces, never the official MSG).
        published: Date of the source (ISO), when known.
        distances: For a computed group, each peer's distance, nearest first.
    """

    force_code: str
    member_codes: tuple[str, ...]
    source: str
    origin: str
    kind: GroupKind = "official"
    published: str | None = None
    distances: tuple[PeerDistance, ...] = ()

    @property
    def size(self) -> int:
        """Number of forces in the group, the force included."""
        return len(self.member_codes)

    @property
    def label(self) -> str:
        """How ranks in this group are labelled: "MSG" or "similar forces (computed)"."""
        return "MSG" if self.kind == "official" else "similar forces (computed)"


class PeerGroupError(PolicePerfError):
    """Problems found in a peer-group file: every one, each with its line."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{file}: invalid peer groups:\n  " + "\n  ".join(problems))


class _LineLoader(LimitedSafeLoader):
    """A YAML loader that records the line of each mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node)  # type: ignore[assignment]
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _resolve(name: object, where: str, problems: list[str]) -> Area | None:
    try:
        return resolve_area(str(name), kind="force")
    except UnknownNameError as exc:
        problems.append(f"{where}: {exc}")
        return None


def parse_peer_groups(text: str, origin: str) -> dict[str, PeerGroup]:
    """Parse and validate a peer-group file; raise PeerGroupError listing every problem."""
    problems: list[str] = []
    try:
        data = load_yaml(text, _LineLoader)
    except yaml.YAMLError as exc:
        line, problem = yaml_problem(exc)
        raise PeerGroupError(origin, [f"line {line}: invalid YAML: {problem}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise PeerGroupError(origin, ["line 1: expected a mapping with a 'groups' list"])
    result: dict[str, PeerGroup] = {}
    allowed = {"force", "size", "members", "source", "__line__"}
    for entry in data["groups"]:
        where = f"line {entry.get('__line__', '?') if isinstance(entry, dict) else '?'}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: each group must be a mapping")
            continue
        unknown = sorted(str(k) for k in set(entry) - allowed)
        if unknown:
            problems.append(f"{where}: unknown keys {unknown}; valid keys are force, size, "
                            "members, source")
        force = _resolve(entry.get("force"), where, problems)
        members_raw = entry.get("members")
        if not isinstance(members_raw, list) or not members_raw:
            problems.append(f"{where}: 'members' must be a non-empty list of forces")
            continue
        members = [_resolve(m, where, problems) for m in members_raw]
        codes = [m.code for m in members if m is not None]
        if len(set(codes)) != len(codes):
            problems.append(f"{where}: a force is listed twice in members")
        size = entry.get("size")
        if not isinstance(size, int) or size != len(members_raw):
            problems.append(f"{where}: size {size!r} does not match the {len(members_raw)} "
                            "members listed")
        if force is None:
            continue
        if force.code not in codes:
            problems.append(f"{where}: the group of {force.name} must include {force.name}")
            continue
        if force.code in result:
            problems.append(f"{where}: a second group for {force.name}")
        ordered = (force.code, *[c for c in codes if c != force.code])
        result[force.code] = PeerGroup(force.code, ordered, str(entry.get("source", "")), origin)
    if problems:
        raise PeerGroupError(origin, problems)
    return result


@cache
def _shipped() -> dict[str, PeerGroup]:
    text = resources.files("policeperf.reference").joinpath("peer_groups.yaml").read_text("utf-8")
    return parse_peer_groups(text, "policeperf/reference/peer_groups.yaml")


def shipped_peer_groups() -> dict[str, PeerGroup]:
    """The official groups shipped in peer_groups.yaml."""
    return dict(_shipped())


def user_peer_groups(extra: Path | None = None) -> dict[str, PeerGroup]:
    """Groups of the user's file: ``extra``, else the file named by POLICEPERF_PEER_GROUPS."""
    path = extra or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if path is None:
        return {}
    try:
        text = read_text(path)
    except InputError as exc:
        raise PeerGroupError(str(path), [exc.reason + (f" (expected {exc.expected})"
                                                       if exc.expected else "")]) from None
    return parse_peer_groups(text, str(path))


def load_peer_groups(extra: Path | None = None) -> dict[str, PeerGroup]:
    """The shipped groups overridden by ``extra`` (or the file named by POLICEPERF_PEER_GROUPS).

    Official groups only; the groups in force (with the warehouse's and the computed ones) come
    from :func:`policeperf.compute.groups.peer_groups_in_force`.
    """
    groups = dict(_shipped())
    groups.update(user_peer_groups(extra))
    return groups


def peer_group_for(force_code: str, extra: Path | None = None) -> PeerGroup | None:
    """The MSG of a force, or None when no group is known for it."""
    return load_peer_groups(extra).get(force_code)
