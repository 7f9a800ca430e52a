"""Rates per 1,000 and the denominator rule.

Rate per 1,000 = 1,000 x count / denominator; residential burglary uses households, every other
crime rate residents. Denominators follow ONS:

1. When ONS published the period (Table P3 of that edition), its denominator is used, with the
   mid-year estimate it names. P3 prints denominators rounded to 100 but ONS divides by the
   unrounded estimate, so a rate recomputed from the printed figure can differ from the printed
   rate in the third decimal place. By default (``Settings.denominators = "ons_unrounded"``) the
   unrounded figure is recovered from a rate ONS published for the same area and period:
   1,000 x count / rate, from the total recorded crime rate for residents (the largest count,
   hence the most exact) and the residential burglary rate for households (the only one). The
   recovered figure is used only when it lies within the rounding (+/-50) of the printed one;
   otherwise (e.g. December 2022 regional totals, which exclude Devon and Cornwall) the printed
   figure is used. ``"printed"`` always uses the printed figure.
2. Otherwise (2003-2017 from the CSV, periods between bundled editions, your own periods), the
   mid-year estimate of ``year(period_end - 3 months) - 1`` is used. This is the lag of every
   bundled 2018-2019 edition (Mar 2018 -> mid-2016, Jun 2018 to Mar 2019 -> mid-2017, Jun 2019
   to Dec 2019 -> mid-2018) and of Mar 2021 (mid-2019), Mar 2022 (mid-2020) and Dec 2022 to
   Mar 2024 except Jun 2023. ONS lagged a year more while the Census 2021 based estimates were
   delayed (Jun and Sep 2022 use mid-2020, Jun 2023 mid-2021), and from 2022 kept mid-2020
   households; those periods are published, so rule 1 applies to them.
3. When that estimate is not known, the nearest known year is used and a caveat says so.

Totals that leave a force out: an edition sometimes publishes a national or regional total
without one force (Greater Manchester in September and December 2019, Devon and Cornwall in
December 2022: the force's row is marked ``..`` or ``[x]``). The total's rate must then divide by
the residents or households of the forces it does include. :func:`omitted_forces` detects them
from the counts and :meth:`DenominatorLookup.get` (``omitted=``) finds that denominator; the rule
is in docs/methods/data-oddities.md.

Suppressed rates: ONS prints no rate per 1,000 for City of London (Table P3: "[u1]" or "+",
"suppressed due to the small population size of the police force area"). Its resident population
(8,600 to 10,900 in the bundled editions) is tiny beside the people who work in or visit it, so a
rate per resident (848 per 1,000 for total recorded crime in the year to June 2023) says nothing
about risk. :data:`SUPPRESSED_RATES` lists such areas with the reason: their rate is None (their
counts and denominators stay), so they fall out of every average, rank and funnel plot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import polars as pl

from policeperf.compute.periods import add_months
from policeperf.reference.areas import Area, all_areas, by_code

__all__ = [
    "PER",
    "SUPPRESSED_RATES",
    "Denominator",
    "DenominatorLookup",
    "base_for",
    "constituent_forces",
    "is_omitted",
    "omitted_expr",
    "omitted_forces",
    "rate",
    "rule_mid_year",
    "suppressed_reason",
]

PER = 1000.0
NATIONAL = "K04000001"  # England and Wales
ROUNDING = 50.0  # P3 prints denominators rounded to the nearest 100

#: Areas whose rates per 1,000 ONS suppresses, with the reason printed in place of a rate.
SUPPRESSED_RATES: dict[str, str] = {
    "E23000034": (
        "No rate for City of London: ONS suppresses its rates per 1,000 population \"due to the "
        "small population size of the police force area\" (Table P3). About 10,000 people live "
        "there, far fewer than work in or visit it, so a rate per resident over-represents crime "
        "relative to the real population of potential victims (ONS). Counts "
        "are shown; City of London is left out of every average, rank and funnel plot."
    ),
}


def suppressed_reason(area_code: str) -> str | None:
    """Why an area has no rate per 1,000 (ONS suppresses it), or None when it has one."""
    return SUPPRESSED_RATES.get(area_code)


def rule_mid_year(period_end: date) -> int:
    """The mid-year estimate ONS's usual lag gives a period: year(period_end - 3 months) - 1."""
    return add_months(period_end, -3).year - 1


@cache
def constituent_forces(area_code: str) -> tuple[str, ...]:
    """The forces whose figures make up an area's total (a force: itself).

    England and Wales (K04000001) is every force; England, Wales and the regions are the forces
    below them in ``reference/areas.csv``.
    """
    areas = {a.code: a for a in all_areas()}

    def ancestors(a: Area) -> set[str]:
        out: set[str] = set()
        while a.parent_code is not None:
            out.add(a.parent_code)
            a = areas[a.parent_code]
        return out

    forces = [a for a in all_areas() if a.is_force]
    if area_code == NATIONAL:
        return tuple(a.code for a in forces)
    return tuple(a.code for a in forces if a.code == area_code or area_code in ancestors(a))


_NUMBER = r"^\s*-?\d+(\.\d*)?\s*$"


def is_omitted(count: float | None, marker: str | None) -> bool:
    """Whether a force's figure is missing from the edition (so totals leave it out).

    A null count is missing unless its marker is a number: ONS's negative counts (stored as null
    with the figure as marker, e.g. ``-15``) are still part of the totals.
    """
    return count is None and not (marker is not None and re.match(_NUMBER, marker) is not None)


def omitted_expr() -> pl.Expr:
    """:func:`is_omitted` of the ``count`` and ``marker`` columns, as a Polars expression."""
    return pl.col("count").is_null() & ~pl.col("marker").fill_null("").str.contains(_NUMBER)


def omitted_forces(counts: pl.DataFrame) -> dict[tuple[date, str], tuple[str, ...]]:
    """The forces each aggregate total leaves out, by (period_end, aggregate area code).

    A force is left out of a national or regional total at a period when the total has a count
    and the force's row has none (:func:`is_omitted`: ``[x]``, ``..`` or blank, not a negative
    figure). A force with no row at all is not taken as left out. Only aggregates that leave out
    at least one of their forces are returned.
    """
    if counts.is_empty():
        return {}
    frame = counts.select(
        "period_end", "area_code", "count",
        (pl.col("marker") if "marker" in counts.columns else pl.lit(None, pl.Utf8)).alias(
            "marker"),
    )  # fmt: skip
    forces = [a.code for a in all_areas() if a.is_force]
    is_force = pl.col("area_code").is_in(forces)
    missing: dict[date, set[str]] = {}
    for period_end, area in frame.filter(is_force & omitted_expr()).select(
        "period_end", "area_code"
    ).iter_rows():
        missing.setdefault(period_end, set()).add(area)
    if not missing:
        return {}
    totals = frame.filter(
        ~is_force & pl.col("count").is_not_null() & pl.col("period_end").is_in(list(missing))
    ).select("period_end", "area_code")
    out: dict[tuple[date, str], tuple[str, ...]] = {}
    for period_end, area in totals.iter_rows():
        left_out = missing[period_end].intersection(constituent_forces(area))
        if left_out:
            out[(period_end, area)] = tuple(sorted(left_out))
    return out


def base_for(denominator: str) -> str:
    """Warehouse base for a catalogue denominator: residents -> population."""
    return {"residents": "population", "households": "households"}[denominator]


def rate(count: float | None, denominator: float | None) -> float | None:
    """1,000 x count / denominator, or None when either is missing or the base is not positive."""
    if count is None or denominator is None or denominator <= 0:
        return None
    return PER * count / denominator


@dataclass(frozen=True)
class Denominator:
    """A period's denominator and how it was chosen.

    Attributes:
        value: Residents or households, None when unknown.
        base: "population" or "households".
        mid_year: The mid-year estimate used.
        how: "published" (Table P3 of the period), "rule" (estimate by the lag rule),
            "nearest" (nearest known estimate), "missing", or for a total that leaves out a
            force "published_without" (ONS's unrounded figure for the forces it includes) or
            "sum_without" (the sum of the included forces' denominators).
        note: The choice in plain words, with the file and row.
        caveat: Set when the choice is an approximation.
    """

    value: float | None
    base: str
    mid_year: int | None
    how: str
    note: str
    caveat: str | None = None


class DenominatorLookup:
    """Finds the denominator of any area, period and base from the warehouse's frames."""

    def __init__(
        self,
        published: pl.DataFrame,
        estimates: pl.DataFrame,
        anchors: pl.DataFrame | None = None,
    ) -> None:
        self._published = {
            (r["period_end"], r["area_code"], r["base"]): r
            for r in published.iter_rows(named=True)
        }
        self._anchors = {
            (r["period_end"], r["area_code"], r["base"]): r
            for r in (anchors.iter_rows(named=True) if anchors is not None else ())
        }
        self._estimates: dict[tuple[str, str], dict[int, dict[str, object]]] = {}
        for r in estimates.iter_rows(named=True):
            self._estimates.setdefault((r["area_code"], r["base"]), {})[int(r["mid_year"])] = r

    def get(
        self, period_end: date, area_code: str, base: str, omitted: tuple[str, ...] = ()
    ) -> Denominator:
        """The denominator of one area and period (see the module docstring for the rule).

        ``omitted``: forces the area's total leaves out at this period (:func:`omitted_forces`);
        the denominator then covers only the forces the total includes (:meth:`_without`).
        """
        if omitted:
            return self._without(period_end, area_code, base, omitted)
        row = self._published.get((period_end, area_code, base))
        if row is not None and row["value"] is not None:
            mid = row["mid_year"]
            where = f"{row['file']}, {row['sheet']} row {row['row']}"
            note = f"{base} {row['value']:,.0f} (mid-{mid} estimate as ONS published it: {where})"
            unrounded = self._unrounded(period_end, area_code, base, float(row["value"]))
            if unrounded is not None:
                value, anchor = unrounded
                note = (
                    f"{base} {value:,.0f}, ONS's unrounded mid-{mid} estimate, recovered as "
                    f"1,000 x {anchor['count']:,.0f} / {anchor['rate']:.9g} from its published "
                    f"{anchor['offence']} rate ({anchor['file']}, {anchor['sheet']} row "
                    f"{anchor['row']}); printed rounded as {row['value']:,.0f} ({where})"
                )
                return Denominator(value, base, mid, "published", note)
            return Denominator(float(row["value"]), base, mid, "published", note)
        wanted = rule_mid_year(period_end)
        known = self._estimates.get((area_code, base), {})
        if wanted in known:
            est = known[wanted]
            where = f"{est['file']}, {est['sheet']} row {est['row']}"
            note = (
                f"{base} {est['value']:,.0f} (mid-{wanted} estimate by the ONS lag rule "
                f"year(period end - 3 months) - 1: {where})"
            )
            return Denominator(float(str(est["value"])), base, wanted, "rule", note)
        if not known:
            return Denominator(None, base, None, "missing", f"no {base} estimate is known",
                               f"No {base} estimate is known for this area.")
        nearest = min(known, key=lambda y: (abs(y - wanted), -y))
        est = known[nearest]
        where = f"{est['file']}, {est['sheet']} row {est['row']}"
        note = f"{base} {est['value']:,.0f} (mid-{nearest} estimate, nearest known: {where})"
        caveat = (
            f"No mid-{wanted} {base} estimate is loaded: mid-{nearest} used for periods "
            f"such as {period_end:%b %Y}."
        )
        return Denominator(float(str(est["value"])), base, nearest, "nearest", note, caveat)

    def _unrounded(
        self, period_end: date, area_code: str, base: str, printed: float,
        tolerance: float = ROUNDING + 1.0,  # 566,150 is printed as 566,200
    ) -> tuple[float, dict[str, object]] | None:
        """ONS's unrounded denominator recovered from a published rate, if consistent."""
        anchor = self._anchors.get((period_end, area_code, base))
        if anchor is None:
            return None
        value = PER * float(str(anchor["count"])) / float(str(anchor["rate"]))
        if abs(value - printed) > tolerance:
            return None  # the rate was not computed from this area's count and estimate
        return value, anchor

    def _without(
        self, period_end: date, area_code: str, base: str, omitted: tuple[str, ...]
    ) -> Denominator:
        """The denominator of a total that leaves out ``omitted`` forces.

        1. ``included``: the sum of the other forces' own denominators (each by :meth:`get`).
        2. The area's usual denominator (printed, or the estimate by rule) either already leaves
           the omitted forces out (Greater Manchester in 2019) or still counts them (Devon and
           Cornwall's households in December 2022): it is taken to leave them out when it is
           nearer ``included`` than ``included`` plus the omitted forces' own denominators (or,
           when those are unknown, within ``ROUNDING`` x forces of ``included``). Then the usual
           rule applies unchanged.
        3. Otherwise ONS's unrounded figure, recovered from its published rate for the total, is
           used when it lies within ``ROUNDING`` x forces of ``included``; else ``included``.
        """
        usual = self.get(period_end, area_code, base)
        names = " and ".join(by_code(c).name for c in omitted)
        parts = [self.get(period_end, c, base)
                 for c in constituent_forces(area_code) if c not in omitted]
        if not parts or any(p.value is None for p in parts):
            caveat = (f"This total leaves out {names}, but not every other force has a {base} "
                      "figure, so its denominator may still count them.")
            return replace(usual, caveat=caveat)
        included = sum(float(p.value or 0.0) for p in parts)
        tolerance = ROUNDING * len(parts) + 1.0
        if usual.value is not None:
            others = [self.get(period_end, c, base).value for c in omitted]
            if all(v is not None for v in others):
                with_them = included + sum(float(v or 0.0) for v in others)
                already = abs(usual.value - included) < abs(usual.value - with_them)
            else:
                already = abs(usual.value - included) <= tolerance
            if already:
                return replace(usual, note=f"{usual.note}; it already leaves out {names}, as "
                               "the total's count does")
        mid = parts[0].mid_year if all(p.mid_year == parts[0].mid_year for p in parts) else None
        counted = (f"; the usual figure {usual.value:,.0f} counts them"
                   if usual.value is not None else "")
        why = (f"the total leaves out {names}, so its denominator is the {len(parts)} included "
               f"forces' {base} ({included:,.1f} summed{counted})")
        recovered = self._unrounded(period_end, area_code, base, included, tolerance)
        if recovered is not None:
            value, anchor = recovered
            note = (f"{base} {value:,.1f}: {why}: ONS's unrounded figure, recovered as 1,000 x "
                    f"{anchor['count']:,.0f} / {anchor['rate']:.9g} from its published "
                    f"{anchor['offence']} rate ({anchor['file']}, {anchor['sheet']} row "
                    f"{anchor['row']})")
            return Denominator(value, base, mid, "published_without", note)
        return Denominator(included, base, mid, "sum_without", f"{base} {included:,.1f}: {why}")
