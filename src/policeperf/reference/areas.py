"""The police force areas of England and Wales, their regions and nations, and every alias.

``areas.csv`` beside this module lists each area once: its ONS code (E23/W15 for forces, E12 for
regions, E92/W92/K04 for nations, X for non-territorial bodies such as British Transport Police),
canonical name, kind, parent, data.police.uk id and extra aliases. Names are matched after
normalisation, so "Avon & Somerset Constabulary", "avon-and-somerset", "AVON AND SOMERSET9" and
"E23000036" all resolve to the same area.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from policeperf.errors import UnknownNameError


@dataclass(frozen=True)
class Area:
    """One area: a police force area, a region, a nation or another reporting body."""

    code: str
    name: str
    kind: str  # "force", "region", "nation" or "other"
    parent_code: str | None
    police_uk_id: str | None
    aliases: tuple[str, ...]

    @property
    def is_force(self) -> bool:
        """True for the 43 territorial police force areas."""
        return self.kind == "force"


# Footnote markers ONS appends to names: "Avon and Somerset9", "Lancashire 8", "Essex [note 4]",
# "Greater Manchester7,8". A trailing run of digits and commas after a letter is a footnote.
_FOOTNOTE = re.compile(r"(\s*\[note[^\]]*\])+\s*$|(?<=[A-Za-z])\s*\d+(,\d+)*\s*$", re.IGNORECASE)
# Words that distinguish a force from its area in data.police.uk names ("Kent Police").
_SUFFIXES = ("police service", "constabulary", "police")


def strip_footnotes(name: str) -> str:
    """Remove ONS footnote markers: ``"Avon and Somerset9"`` -> ``"Avon and Somerset"``."""
    return _FOOTNOTE.sub("", name.replace("\n", " ")).strip()


def normalise(name: str) -> str:
    """Fold a name for matching: case, '&', hyphens, punctuation and force suffixes."""
    text = strip_footnotes(name).lower().replace("&", " and ")
    text = re.sub(r"\(.*?\)", " ", text)  # "ENGLAND (exc. Devon and Cornwall)"
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1].strip()
            break
    return text


@cache
def all_areas() -> tuple[Area, ...]:
    """Every area in ``areas.csv``, in the order ONS tables list them."""
    text = resources.files("policeperf.reference").joinpath("areas.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Area(
            code=r["code"],
            name=r["name"],
            kind=r["kind"],
            parent_code=r["parent_code"] or None,
            police_uk_id=r["police_uk_id"] or None,
            aliases=tuple(a for a in r["aliases"].split("|") if a),
        )
        for r in rows
    )


def forces() -> tuple[Area, ...]:
    """The 43 territorial police force areas of England and Wales."""
    return tuple(a for a in all_areas() if a.is_force)


@cache
def _index() -> dict[str, Area]:
    index: dict[str, Area] = {}
    # Forces are indexed last so that a bare name shared by a force and a region
    # ("West Midlands") resolves to the force; the region is "West Midlands region".
    ordered = sorted(all_areas(), key=lambda a: a.kind == "force")
    for area in ordered:
        keys = {area.code.lower(), normalise(area.name), *(normalise(a) for a in area.aliases)}
        if area.police_uk_id:
            keys.add(normalise(area.police_uk_id))
        for key in keys:
            index[key] = area
    return index


@cache
def force_name_variants() -> dict[str, str]:
    """Exact texts that name a force, mapped to its code, for matching whole columns at once.

    Each force's aliases as written, and its name (also with "&") bare and with every force
    suffix ("Kent Police", "Avon and Somerset Constabulary"). Every text here resolves, through
    :func:`find_area`, to the same force; a text not here may still resolve there.
    """
    variants: dict[str, str] = {}
    for area in forces():
        variants.update(dict.fromkeys(area.aliases, area.code))
        suffixes = ("", *(" " + s.title() for s in _SUFFIXES))
        if area.name.lower().endswith(_SUFFIXES):  # "Metropolitan Police" takes no more
            suffixes = ("",)
        for name in (area.name, area.name.replace(" and ", " & ")):
            for suffix in suffixes:
                variants[name + suffix] = area.code
    return variants


def by_code(code: str) -> Area:
    """The area with this ONS code (or X pseudo code)."""
    area = _by_code().get(code)
    if area is None:
        raise UnknownNameError("area code", code, _suggest(code))
    return area


@cache
def _by_code() -> dict[str, Area]:
    """Every area by code (the first of a code, as a search in file order finds it)."""
    out: dict[str, Area] = {}
    for area in all_areas():
        out.setdefault(area.code, area)
    return out


def find_area(name: str) -> Area | None:
    """The area a name, alias, data.police.uk id or code denotes, or None."""
    return _index().get(name.strip().lower()) or _index().get(normalise(name))


def resolve_area(name: str, *, kind: str | None = None) -> Area:
    """Like :func:`find_area` but raises :class:`UnknownNameError` with suggestions.

    ``kind="force"`` accepts only the 43 territorial forces.
    """
    area = find_area(name)
    if area is None or (kind is not None and area.kind != kind):
        raise UnknownNameError(kind or "area", name, _suggest(name, kind))
    return area


def _suggest(name: str, kind: str | None = None) -> list[str]:
    names = {a.name: a for a in all_areas() if kind is None or a.kind == kind}
    folded = {normalise(n): n for n in names}
    close = difflib.get_close_matches(normalise(name), list(folded), n=3, cutoff=0.5)
    return [folded[c] for c in close]
