"""Synthetic Home Office offence-code records consistent with the synthetic street rows.

For every complete financial quarter, CSP and data.police.uk crime type, the street rows generated
are split over Home Office offence codes: first over the ONS subgroups the crime type covers, in
the proportions of the force's real Table P1 counts (so "Burglary" splits into residential and
non-residential as the force's own figures do), then over a few offence codes per subgroup with
fixed illustrative weights (not published ratios). Summed over codes, each quarter's records equal
the street rows of that quarter, CSP and crime type exactly. Anti-social behaviour is not recorded
crime and has no offence code. Descriptions are short forms of the Home Office offence
classification; check the Home Office Counting Rules before using them as reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from policeperf.reference.offences import group
from policeperf.synthetic.geography import Geography
from policeperf.synthetic.volumes import Volumes, p1_counts

# ONS subgroup -> (offence code, description, illustrative weight within the subgroup).
CODES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "homicide": (("1", "Murder", 0.7), ("4.1", "Manslaughter", 0.3)),
    "death_or_serious_injury_unlawful_driving": (
        ("4.4", "Causing death or serious injury by dangerous driving", 0.6),
        ("4.8", "Causing death by careless or inconsiderate driving", 0.4),
    ),
    "violence_with_injury": (
        ("8N", "Assault with injury", 0.85),
        ("8P", "Racially or religiously aggravated assault with injury", 0.02),
        ("5D", "Assault with intent to cause serious harm", 0.1),
        ("5E", "Endangering life", 0.02),
        ("2", "Attempted murder", 0.01),
    ),
    "violence_without_injury": (
        ("105A", "Assault without injury", 0.9),
        ("105B", "Racially or religiously aggravated assault without injury", 0.1),
    ),
    "stalking_and_harassment": (("8Q", "Stalking", 0.3), ("8R", "Harassment", 0.7)),
    "sexual_offences": (
        ("19C", "Rape of a female aged 16 and over", 0.35),
        ("20A", "Sexual assault on a female aged 13 and over", 0.5),
        ("17A", "Sexual assault on a male aged 13 and over", 0.15),
    ),
    "robbery": (
        ("34B", "Robbery of personal property", 0.88),
        ("34A", "Robbery of business property", 0.12),
    ),
    "residential_burglary": (
        ("28E", "Burglary - residential", 0.8),
        ("28F", "Attempted burglary - residential", 0.2),
    ),
    "non_residential_burglary": (
        ("30C", "Burglary - business and community", 0.85),
        ("30D", "Attempted burglary - business and community", 0.15),
    ),
    "vehicle_offences": (
        ("45", "Theft from a vehicle", 0.5),
        ("48", "Theft or unauthorised taking of a motor vehicle", 0.3),
        ("126", "Interfering with a motor vehicle", 0.15),
        ("37.2", "Aggravated vehicle taking", 0.05),
    ),
    "theft_from_the_person": (("39", "Theft from the person", 1.0),),
    "bicycle_theft": (("44", "Theft or unauthorised taking of a pedal cycle", 1.0),),
    "shoplifting": (("46", "Shoplifting", 1.0),),
    "other_theft": (
        ("49", "Other theft or unauthorised taking", 0.8),
        ("40", "Theft in a dwelling other than from an automatic machine or meter", 0.2),
    ),
    "criminal_damage_and_arson": (
        ("58A", "Criminal damage to a dwelling", 0.3),
        ("58B", "Criminal damage to a building other than a dwelling", 0.15),
        ("58C", "Criminal damage to a vehicle", 0.4),
        ("56B", "Arson not endangering life", 0.15),
    ),
    "drug_offences": (
        ("92A", "Trafficking in controlled drugs", 0.2),
        ("92D", "Possession of controlled drugs (excluding cannabis)", 0.2),
        ("92E", "Possession of controlled drugs (cannabis)", 0.6),
    ),
    "possession_of_weapons": (
        ("10D", "Possession of article with blade or point", 0.6),
        ("10C", "Possession of other weapons", 0.4),
    ),
    "public_order": (
        ("9A", "Public fear, alarm or distress", 0.9),
        ("9B", "Racially or religiously aggravated public fear, alarm or distress", 0.1),
    ),
    "miscellaneous_crimes_against_society": (
        ("802", "Dangerous driving", 0.4),
        ("33", "Going equipped for stealing, etc.", 0.6),
    ),
}

# data.police.uk crime type -> the ONS subgroups (keys of CODES) it is split over.
SUBGROUPS: dict[str, tuple[str, ...]] = {
    "Violence and sexual offences": (
        "homicide", "death_or_serious_injury_unlawful_driving", "violence_with_injury",
        "violence_without_injury", "stalking_and_harassment", "sexual_offences",
    ),
    "Burglary": ("residential_burglary", "non_residential_burglary"),
    "Robbery": ("robbery",),
    "Vehicle crime": ("vehicle_offences",),
    "Theft from the person": ("theft_from_the_person",),
    "Bicycle theft": ("bicycle_theft",),
    "Shoplifting": ("shoplifting",),
    "Other theft": ("other_theft",),
    "Criminal damage and arson": ("criminal_damage_and_arson",),
    "Drugs": ("drug_offences",),
    "Possession of weapons": ("possession_of_weapons",),
    "Public order": ("public_order",),
    "Other crime": ("miscellaneous_crimes_against_society",),
}

HEADER = (
    "Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Description",
    "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences",
)


def financial_quarter(month: date) -> tuple[str, int]:
    """``("2022/23", 1)`` for any month April-June 2022."""
    start = month.year if month.month >= 4 else month.year - 1
    return f"{start}/{(start + 1) % 100:02d}", (month.month - 4) % 12 // 3 + 1


def _top_group(subgroup: str) -> str:
    g = group(subgroup)
    while g.parent not in (None, "total_excluding_fraud"):
        g = group(g.parent)
    return g.label


@dataclass(frozen=True)
class _Split:
    codes: tuple[tuple[str, str, str, str], ...]  # (code, description, group, subgroup label)
    probs: npt.NDArray[np.float64]  # (forces, codes)


def _split(vol: Volumes, crime_type: str) -> _Split:
    p1 = p1_counts()
    rows: list[tuple[str, str, str, str]] = []
    probs = np.zeros((len(vol.forces), sum(len(CODES[s]) for s in SUBGROUPS[crime_type])))
    k = 0
    for sub in SUBGROUPS[crime_type]:
        sub_total = np.array([p1[a.code].get(sub, 0) for a in vol.forces], dtype=np.float64)
        for code, description, weight in CODES[sub]:
            rows.append((code, description, _top_group(sub), group(sub).label))
            probs[:, k] = sub_total * weight
            k += 1
    sums = probs.sum(axis=1, keepdims=True)
    probs = np.where(sums > 0, probs / np.where(sums > 0, sums, 1.0), 1.0 / probs.shape[1])
    return _Split(tuple(rows), probs)


def offence_code_records(
    vol: Volumes,
    geo: Geography,
    months: list[date],
    counts: npt.NDArray[np.int64],
    seed: int,
) -> pl.DataFrame:
    """Quarterly records by CSP and offence code from street counts ``counts[month, csp, type]``.

    Only financial quarters whose three months were all generated are written; zero counts are
    left out, as in the published tables.
    """
    by_quarter: dict[tuple[str, int], list[int]] = {}
    for i, month in enumerate(months):
        by_quarter.setdefault(financial_quarter(month), []).append(i)
    frames: list[pl.DataFrame] = []
    force_names = [geo_force.name for geo_force in vol.forces]
    for q_index, ((fy, fq), idx) in enumerate(sorted(by_quarter.items())):
        if len(idx) != 3:
            continue
        quarter = counts[idx].sum(axis=0)  # (csp, type)
        for t, crime_type in enumerate(vol.crime_types):
            if crime_type not in SUBGROUPS:
                continue
            split = _split(vol, crime_type)
            rng = np.random.default_rng([seed, 3, q_index, t])
            drawn = rng.multinomial(quarter[:, t], split.probs[geo.csp_force])  # (csp, codes)
            csp_i, code_i = np.nonzero(drawn)
            if not len(csp_i):
                continue
            codes = split.codes
            frames.append(
                pl.DataFrame(
                    {
                        "Financial Year": [fy] * len(csp_i),
                        "Financial Quarter": [fq] * len(csp_i),
                        "Force Name": [force_names[geo.csp_force[c]] for c in csp_i],
                        "CSP Name": [geo.csp_names[c] for c in csp_i],
                        "Offence Description": [codes[k][1] for k in code_i],
                        "Offence Group": [codes[k][2] for k in code_i],
                        "Offence Subgroup": [codes[k][3] for k in code_i],
                        "Offence Code": [codes[k][0] for k in code_i],
                        "Number of Offences": drawn[csp_i, code_i].astype(np.int64),
                    }
                )
            )
    if not frames:
        return pl.DataFrame(schema={h: pl.Utf8 for h in HEADER})
    return pl.concat(frames).sort(["Financial Year", "Financial Quarter", "Force Name",
                                   "CSP Name", "Offence Code"])
