"""Each force's real relative crime volume by offence group, and the crime-type mix it implies.

Volumes come from ONS Table P1 (police recorded crime by force and offence group) of the edition for
the year ending June 2022, bundled as ``policeperf/data/ons-pfa-tables/pfajun22.xlsx``. A
data.police.uk crime type takes the sum of the ONS groups the taxonomy maps it to
(:func:`policeperf.reference.offences.police_uk_groups`); anti-social behaviour, which is not
recorded crime, gets the share of rows it has in the real street files (:mod:`.profile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import fastexcel
import numpy as np
import numpy.typing as npt

from policeperf.reference.areas import Area, find_area, forces
from policeperf.reference.offences import groups, offence_for_label, police_uk_groups
from policeperf.synthetic.profile import ASB, load_profile

P1_WORKBOOK = "pfajun22.xlsx"
P1_SHEET = "Table P1"


def crime_types() -> tuple[str, ...]:
    """The data.police.uk crime types generated: every type the taxonomy maps, then ASB."""
    types = sorted({t for g in groups() for t in g.police_uk})
    return (*types, ASB)


def _workbook() -> Path:
    return Path(str(resources.files("policeperf.data"))) / "ons-pfa-tables" / P1_WORKBOOK


@cache
def p1_counts() -> dict[str, dict[str, int]]:
    """Table P1 counts: force code -> offence id -> offences in the 12 months to June 2022.

    A private reading of the sheet (header row "Area Code", one row per area); the ONS workbook
    adapter reads the same table into the warehouse with full validation.
    """
    sheet = fastexcel.read_excel(_workbook()).load_sheet_by_name(P1_SHEET, header_row=None)
    frame = sheet.to_polars()
    rows = frame.rows()
    header = next(i for i, r in enumerate(rows) if str(r[0]).strip().lower() == "area code")
    offences = [offence_for_label(str(c)) if c is not None else None for c in rows[header]]
    force_codes = {a.code for a in forces()}
    out: dict[str, dict[str, int]] = {}
    for row in rows[header + 1 :]:
        area: Area | None = find_area(str(row[0])) if row[0] is not None else None
        if area is None or area.code not in force_codes:
            continue
        out[area.code] = {
            off: int(float(str(v).replace(",", "")))
            for off, v in zip(offences, row, strict=True)
            if off is not None and v is not None and str(v).strip() not in ("", "[x]", "..")
        }
    missing = force_codes - set(out)
    if missing:
        raise ValueError(f"{P1_WORKBOOK} {P1_SHEET}: no row for {sorted(missing)}")
    return out


@dataclass(frozen=True)
class Volumes:
    """Relative volumes: ``weights[f, t]`` rows of crime type ``t`` for force ``forces[f]``."""

    forces: tuple[Area, ...]
    crime_types: tuple[str, ...]
    weights: npt.NDArray[np.float64]  # (forces, crime types), P1 counts (ASB scaled)

    @property
    def force_share(self) -> npt.NDArray[np.float64]:
        """Each force's share of all rows."""
        totals = self.weights.sum(axis=1)
        return np.asarray(totals / totals.sum(), dtype=np.float64)

    @property
    def type_probs(self) -> npt.NDArray[np.float64]:
        """For each force, the probability of each crime type."""
        return np.asarray(self.weights / self.weights.sum(axis=1, keepdims=True), np.float64)


@cache
def volumes() -> Volumes:
    """The force x crime type weights from Table P1 (see the module docstring)."""
    counts = p1_counts()
    areas = forces()
    types = crime_types()
    weights = np.zeros((len(areas), len(types)), dtype=np.float64)
    for f, area in enumerate(areas):
        for t, crime_type in enumerate(types[:-1]):
            weights[f, t] = sum(counts[area.code].get(g, 0) for g in police_uk_groups(crime_type))
    share = load_profile().asb_share
    crime = weights[:, :-1].sum(axis=1)
    weights[:, -1] = crime * share / (1.0 - share)
    return Volumes(forces=areas, crime_types=types, weights=weights)


# Where the names in areas.csv differ from what data.police.uk writes in "Reported by".
_POLICE_UK_NAMES = {
    "avon-and-somerset": "Avon and Somerset Constabulary",
    "dyfed-powys": "Dyfed-Powys Police",
}


def display_name(area: Area) -> str:
    """The force name data.police.uk writes in "Reported by" ("Kent Police")."""
    if area.police_uk_id in _POLICE_UK_NAMES:
        return _POLICE_UK_NAMES[area.police_uk_id]
    for alias in area.aliases:
        if alias.endswith(("Police", "Constabulary", "Police Service")):
            return alias
    return f"{area.name} Police"
