"""Computed peer groups ("similar forces"): each force's 7 nearest forces on open data.

Not the Home Office's Most Similar Groups, which are not published in a form we can ship: a
documented stand-in, labelled "computed" wherever it appears. The method, every variable and
every choice are in docs/methods/peer-groups.md; the data and where each file came from in
``policeperf/data/peer-variables/SOURCE.md``.

1. Variables by police force area, aggregated from local authorities (or LSOAs) with the ONS
   local authority to police force area lookup (:data:`VARIABLES`).
2. Each variable is standardised (z-score: mean and sample SD over the 42 forces that have it;
   City of London is left out).
3. Distance between two forces: Euclidean over the variables both have, scaled by
   sqrt(variables / variables used) so that distances over fewer variables (Welsh forces have no
   English IMD) are on the same scale.
4. Each force's group is the force and its 7 nearest forces (ties broken by force code).
   City of London gets no group and is nobody's peer (:data:`NO_GROUP`).

Deterministic and cheap (milliseconds): computed from the bundled files on first use and cached.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from policeperf.reference.areas import forces, resolve_area

__all__ = [
    "GROUP_PEERS",
    "NO_GROUP",
    "VARIABLES",
    "ComputedPeer",
    "Variable",
    "computed_peers",
    "force_variables",
    "standardised",
]

GROUP_PEERS = 7
DATA = "peer-variables"

#: Forces that get no computed group and are nobody's peer, with the reason.
NO_GROUP: dict[str, str] = {
    "E23000034": (
        "its resident population (about 10,000) is tiny beside the people who work in or visit "
        "it, so its rates per resident compare with no other force's (ONS suppresses them), and "
        "the Home Office gives it no Most Similar Group either"
    ),
}


@dataclass(frozen=True)
class Variable:
    """One variable of the distance.

    Attributes:
        id: Short name, e.g. "imd_rank".
        label: What it is, in words.
        unit: The unit of the raw value.
        log: Whether the raw value is log-transformed before standardising.
        source: Where it comes from (file and table).
    """

    id: str
    label: str
    unit: str
    log: bool
    source: str


VARIABLES: tuple[Variable, ...] = (
    Variable("imd_rank", "Index of Multiple Deprivation 2019, average rank (England only; "
             "lower = more deprived)", "rank of 32,844", False,
             "MHCLG English Indices of Deprivation 2019, Files 1 and 6 (LSOA ranks and "
             "mid-2015 populations), population-weighted mean over the force area"),
    Variable("density", "Population density", "residents per km2", True,
             "ONS Census 2021 TS006 and TS001 by local authority"),
    Variable("population", "Usual residents", "residents", True,
             "ONS Census 2021 TS001 by local authority"),
    Variable("lone_parents", "Lone-parent households with dependent children", "% of households",
             False, "ONS Census 2011 QS116EW (household type) by local authority"),
    Variable("terraced", "Households living in terraced houses", "% of households", False,
             "ONS Census 2011 QS402EW (accommodation type) by local authority"),
    Variable("household_size", "Usual residents per household", "residents", False,
             "ONS Census 2011: usual residents (QS201EW total, by police force area) over "
             "households (QS116EW total, by local authority)"),
)


@dataclass(frozen=True)
class ComputedPeer:
    """One peer of a computed group, with the numbers behind its place.

    Attributes:
        code: The peer's ONS code.
        distance: Its distance from the force (standardised units).
        variables_used: The variables the distance was taken over.
    """

    code: str
    distance: float
    variables_used: tuple[str, ...]


def _text(name: str) -> str:
    data = resources.files("policeperf.data").joinpath(DATA).joinpath(name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(name))))


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@cache
def lad_to_force() -> dict[str, str]:
    """Local authority code -> force code: ONS's 2016 lookup plus later successor authorities."""
    out = {r["LAD16CD"]: r["PFA16CD"] for r in _rows("lad16-csp16-pfa16-lookup.csv")}
    for r in _rows("lad-successors.csv"):
        parents = {out[p] for p in r["predecessors"].split("|")}
        if len(parents) != 1:  # a successor must lie within one force area
            raise ValueError(f"{r['code']} spans force areas {sorted(parents)}")
        out[r["code"]] = parents.pop()
    return out


def _sum_by_force(pairs: Iterable[tuple[str, float]]) -> dict[str, float]:
    lookup = lad_to_force()
    out: dict[str, float] = {}
    for lad, value in pairs:
        force = lookup[lad]
        out[force] = out.get(force, 0.0) + value
    return out


def _imd_rank() -> dict[str, float]:
    import polars as pl  # fast for the 32,844 LSOA rows

    def frame(name: str, columns: dict[str, str]) -> pl.DataFrame:
        raw = resources.files("policeperf.data").joinpath(DATA).joinpath(name).read_bytes()
        data = pl.read_csv(gzip.decompress(raw), columns=list(columns), infer_schema=False,
                           encoding="utf8-lossy")
        return data.rename(columns)

    lsoa = "LSOA code (2011)"
    ranks = frame("imd2019-file1-lsoa.csv.gz", {
        lsoa: "lsoa", "Index of Multiple Deprivation (IMD) Rank": "rank",
        "Local Authority District code (2019)": "lad"})
    people = frame("imd2019-file6-population-lsoa.csv.gz", {
        lsoa: "lsoa", "Total population: mid 2015 (excluding prisoners)": "pop"})
    number = {c: pl.col(c).str.replace_all(",", "").cast(pl.Float64) for c in ("rank", "pop")}
    joined = ranks.join(people, on="lsoa", how="inner", validate="1:1").with_columns(**number)
    if joined.height != ranks.height:
        raise ValueError("IoD 2019 Files 1 and 6 do not list the same LSOAs")
    by_lad = joined.group_by("lad").agg((pl.col("rank") * pl.col("pop")).sum().alias("w"),
                                        pl.col("pop").sum())
    weighted = _sum_by_force((lad, w) for lad, w, _ in by_lad.iter_rows())
    total = _sum_by_force((lad, p) for lad, _, p in by_lad.iter_rows())
    return {f: weighted[f] / total[f] for f in total}


def _census_2021() -> tuple[dict[str, float], dict[str, float]]:
    residents = {r["LTLA"]: _number(r["ts0010001"])
                 for r in _rows("census2021-ts001-residents-ltla.csv")}
    density = {r["LTLA"]: _number(r["ts0060001"])
               for r in _rows("census2021-ts006-density-ltla.csv")}
    population = _sum_by_force(residents.items())
    area = _sum_by_force((lad, residents[lad] / d) for lad, d in density.items())
    return population, {f: population[f] / area[f] for f in population}


def _census_2011_share(name: str, numerator: str) -> dict[str, float]:
    rows = _rows(name)
    total_key = next(k for k in rows[0] if "All categories" in k)
    key = next(k for k in rows[0] if numerator in k)
    totals = _sum_by_force((r["geography code"], _number(r[total_key])) for r in rows)
    parts = _sum_by_force((r["geography code"], _number(r[key])) for r in rows)
    return {f: 100.0 * parts[f] / totals[f] for f in totals}


def _household_size_2011() -> dict[str, float]:
    rows = _rows("census2011-qs116ew-household-type-lad.csv")
    total_key = next(k for k in rows[0] if "All categories" in k)
    households = _sum_by_force((r["geography code"], _number(r[total_key])) for r in rows)
    people = _rows("census2011-qs201ew-ethnic-group-pfa.csv")
    residents_key = next(k for k in people[0] if "All categories" in k)
    residents = {resolve_area(r["PFA16NM"], kind="force").code: _number(r[residents_key])
                 for r in people}
    return {f: residents[f] / households[f] for f in households}


@cache
def force_variables() -> dict[str, dict[str, float | None]]:
    """Raw values of every variable, by force code (None where a force has none)."""
    population, density = _census_2021()
    by_variable = {
        "imd_rank": _imd_rank(),
        "density": density,
        "population": population,
        "lone_parents": _census_2011_share("census2011-qs116ew-household-type-lad.csv",
                                           "Lone parent household: With dependent children"),
        "terraced": _census_2011_share("census2011-qs402ew-accommodation-type-lad.csv",
                                       "Terraced"),
        "household_size": _household_size_2011(),
    }
    return {f.code: {v.id: by_variable[v.id].get(f.code) for v in VARIABLES} for f in forces()}


@cache
def standardised() -> dict[str, dict[str, float | None]]:
    """z-scores of every variable (log first where the variable says so), by force code.

    Mean and sample standard deviation are over the forces that have the variable, City of
    London (:data:`NO_GROUP`) left out.
    """
    raw = force_variables()
    out: dict[str, dict[str, float | None]] = {code: {} for code in raw}
    for v in VARIABLES:
        values = {c: (math.log(x) if v.log else x) for c, row in raw.items()
                  if (x := row[v.id]) is not None}
        pool = [x for c, x in values.items() if c not in NO_GROUP]
        mean = sum(pool) / len(pool)
        sd = math.sqrt(sum((x - mean) ** 2 for x in pool) / (len(pool) - 1))
        for code in raw:
            x = values.get(code)
            out[code][v.id] = None if x is None else (x - mean) / sd
    return out


def distance(a: str, b: str) -> tuple[float, tuple[str, ...]]:
    """Distance between two forces over the variables both have, and those variables."""
    z = standardised()
    used = tuple(v.id for v in VARIABLES if z[a][v.id] is not None and z[b][v.id] is not None)
    total = sum((float(z[a][u] or 0.0) - float(z[b][u] or 0.0)) ** 2 for u in used)
    return math.sqrt(total * len(VARIABLES) / len(used)), used


@cache
def computed_peers() -> dict[str, tuple[ComputedPeer, ...]]:
    """Each force's 7 nearest forces, nearest first (City of London: none)."""
    codes = [f.code for f in forces() if f.code not in NO_GROUP]
    out: dict[str, tuple[ComputedPeer, ...]] = {}
    for a in codes:
        ranked = sorted(
            (ComputedPeer(b, *distance(a, b)) for b in codes if b != a),
            key=lambda p: (p.distance, p.code),
        )
        out[a] = tuple(ranked[:GROUP_PEERS])
    return out
