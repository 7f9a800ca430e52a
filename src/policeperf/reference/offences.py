"""The offence taxonomy: ONS offence groups, offence-code sets and data.police.uk crime types."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from policeperf.errors import UnknownNameError


@dataclass(frozen=True)
class OffenceGroup:
    """An ONS offence group or subgroup."""

    id: str
    label: str
    parent: str | None
    labels: tuple[str, ...]
    police_uk: tuple[str, ...]
    offence_codes: tuple[str, ...]


@dataclass(frozen=True)
class OffenceSet:
    """A named set of Home Office offence codes (or of other sets) that a measure uses."""

    id: str
    label: str
    offence_codes: tuple[str, ...]
    components: tuple[str, ...]


def _fold(label: str) -> str:
    """Fold a column label for matching: "Violence with\\n injury" -> "violence with injury"."""
    text = label.lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"\[note[^\]]*\]", " ", text)
    text = re.sub(r"(?<=[a-z)])\d+(,\d+)*", "", text)  # footnote digits: "fraud4" -> "fraud"
    return re.sub(r"[^a-z]+", " ", text).strip()


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("policeperf.reference").joinpath("offences.yaml").read_text("utf-8")
    # A shipped file, read by every command that computes a measure: libyaml's safe loader when
    # PyYAML has it (the same data, about ten times faster; definitions/raw.py does the same).
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return data


@cache
def groups() -> tuple[OffenceGroup, ...]:
    """Every offence group, in Table P1 column order."""
    return tuple(
        OffenceGroup(
            id=g["id"],
            label=g["label"],
            parent=g.get("parent"),
            labels=tuple(g.get("labels", ())),
            police_uk=tuple(g.get("police_uk", ())),
            offence_codes=tuple(str(c) for c in g.get("offence_codes", ())),
        )
        for g in _raw()["groups"]
    )


@cache
def sets() -> tuple[OffenceSet, ...]:
    """Offence-code sets used by measures (personal robbery, drug trafficking, serious violence)."""
    return tuple(
        OffenceSet(
            id=s["id"],
            label=s["label"],
            offence_codes=tuple(str(c) for c in s.get("offence_codes", ())),
            components=tuple(s.get("components", ())),
        )
        for s in _raw()["sets"]
    )


def group(offence_id: str) -> OffenceGroup:
    """The group with this id."""
    for g in groups():
        if g.id == offence_id:
            return g
    raise UnknownNameError("offence group", offence_id, difflib.get_close_matches(
        offence_id, [g.id for g in groups()], n=3))


@cache
def _label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for g in groups():
        for label in (g.label, *g.labels):
            index[_fold(label)] = g.id
    return index


def offence_for_label(label: str) -> str | None:
    """The offence id an ONS column label or CSV offence label denotes, or None if unknown."""
    return _label_index().get(_fold(label))


def police_uk_groups(crime_type: str) -> tuple[str, ...]:
    """The offence groups a data.police.uk crime type falls in (empty for anti-social behaviour)."""
    return tuple(g.id for g in groups() if crime_type in g.police_uk)


def police_uk_crime_types() -> tuple[str, ...]:
    """Every data.police.uk crime type the taxonomy knows, ASB included."""
    known = {t for g in groups() for t in g.police_uk}
    known.update(_raw().get("police_uk_not_crime", ()))
    return tuple(sorted(known))


def codes_for(offence_id: str) -> tuple[str, ...]:
    """The Home Office offence codes behind a group or set id (empty if none are declared)."""
    for s in sets():
        if s.id == offence_id:
            if s.components:
                return tuple(c for comp in s.components for c in codes_for(comp))
            return s.offence_codes
    return group(offence_id).offence_codes
