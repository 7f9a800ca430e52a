"""MSG benchmarks for one measure and period: the peers' figures, average, rank and word.

The statistics themselves (means, rank, comparison rules, benchmark text) live in
compute/benchmarks.py; this module picks the figures and turns the outcome into result fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute.benchmarks import (
    Average,
    DifferenceUnit,
    GroupRank,
    PeerRate,
    benchmark_text,
    compare_to_group,
    national_difference_text,
    rank_in_group,
    simple_mean,
    weighted_mean,
)
from policeperf.compute.context import NATIONAL_CODE, Context
from policeperf.compute.rates import SUPPRESSED_RATES
from policeperf.compute.similar_forces import NO_GROUP
from policeperf.definitions.model import BenchmarkKind, Measure
from policeperf.reference.areas import by_code
from policeperf.results import PeerValue

__all__ = [
    "Bench",
    "benchmark",
    "benchmark_values",
    "national_bench",
    "peer_average_series",
    "peer_mean",
]


@dataclass(frozen=True)
class Bench:
    """The benchmark part of a result."""

    text: str = "Not available"
    rank: int | None = None
    size: int | None = None
    tied: bool = False
    average: float | None = None
    average_method: str | None = None
    word: str | None = None
    rule: str | None = None
    description: str | None = None
    peers: tuple[PeerValue, ...] = ()
    caveats: tuple[str, ...] = field(default=())

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for :class:`~policeperf.results.MeasureResult`."""
        return {
            "benchmark_text": self.text,
            "peer_rank": self.rank,
            "peer_group_size": self.size,
            "peer_rank_tied": self.tied,
            "peer_average": self.average,
            "peer_average_method": self.average_method,
            "comparison": self.word,
            "comparison_rule": self.rule,
            "comparison_description": self.description,
            "peers": self.peers,
        }


def _mean(
    group: list[PeerRate], method: str, label: str = "MSG"
) -> tuple[float, str, Average]:
    """The MSG average printed, how it was taken in words, and which ("simple"/"weighted").

    The weighted mean needs every member's denominator; without them the simple mean is used
    (and said). The comparison word is judged against the same average (``compare_to_group``).
    """
    n = len(group)
    if method == "weighted" and all(m.denominator > 0 for m in group):
        return weighted_mean(group), (
            f"weighted mean of the {n} {_members(label)} (sum of counts / sum of denominators x "
            "1,000)"
        ), "weighted"
    if label == "MSG":  # the wording of every official-group result so far
        return (simple_mean(group), f"simple mean of the {n} MSG forces' values (force "
                "included)", "simple")
    return (simple_mean(group), f"simple mean of the values of the {n} {_members(label)} "
            "(force included)", "simple")


def peer_mean(group: list[PeerRate], method: str) -> float:
    """The MSG average of a series point (:func:`peer_average_series`)."""
    return _mean(group, method)[0]


def _members(label: str) -> str:
    """ "MSG forces" or "similar forces (computed)"."""
    return "MSG forces" if label == "MSG" else label


def peer_average_series(rates: pl.DataFrame, members: tuple[str, ...], method: str) -> dict[
    date, float
]:  # fmt: skip
    """The MSG average of every period where all members have a value.

    Members whose rates ONS suppresses (City of London) never have one: they are left out of
    the group, as in :func:`benchmark`.
    """
    out: dict[date, float] = {}
    members = tuple(m for m in members if m not in SUPPRESSED_RATES)
    # Sorted so that the sum runs in the same order whatever order the backend returned rows in:
    # floating-point addition is not associative, and engines must agree to the last digit.
    mine = rates.filter(
        pl.col("area_code").is_in(list(members)) & pl.col("value").is_not_null()
    ).sort("period_end", "area_code")
    for (period_end,), part in mine.group_by("period_end", maintain_order=True):
        if part.height != len(members):
            continue
        group = [
            PeerRate(r["area_code"], r["area_code"], r["count"] or 0.0, r["denominator"] or 0.0,
                     r["value"])
            for r in part.iter_rows(named=True)
        ]
        out[period_end] = _mean(group, method)[0]
    return out


def _ranks(group: list[PeerRate], polarity: str) -> dict[str, GroupRank]:
    """:func:`rank_in_group` of every member (one loop over the group, not one per member)."""
    if polarity not in ("lower_is_better", "higher_is_better"):
        return {m.area_code: rank_in_group(group, m.area_code, polarity)  # type: ignore[arg-type]
                for m in group}
    rates = [m.rate for m in group]
    lower = polarity == "lower_is_better"
    out: dict[str, GroupRank] = {}
    for m in group:
        r = m.rate
        better = sum(1 for x in rates if (x < r if lower else x > r))
        out.setdefault(m.area_code, GroupRank(better + 1, len(group), rates.count(r) > 1))
    return out


def national_bench(
    measure: Measure, value: float | None, national: float | None, *, proportion: bool
) -> Bench:
    """"-1.5% points compared to national" (proportions) or "-0.05 compared to national"."""
    diff = None if value is None or national is None else value - national
    unit: DifferenceUnit = "percentage_points" if proportion else "absolute"
    decimals = 3 if measure.denominator.value != "none" else 2
    return Bench(text=national_difference_text(diff, unit, decimals))


def benchmark(
    measure: Measure, ctx: Context, now: pl.DataFrame, caveats: list[str],
    *, proportion: bool = False,
) -> Bench:  # fmt: skip
    """Benchmark one period's figures (``now``: area_code, count, denominator, value)."""
    if measure.benchmark == BenchmarkKind.NONE:
        return Bench()
    return benchmark_values(measure, ctx, {r["area_code"]: r for r in now.iter_rows(named=True)},
                            proportion=proportion)


def benchmark_values(
    measure: Measure, ctx: Context, values: Mapping[str, Mapping[str, Any]],
    *, proportion: bool = False,
) -> Bench:  # fmt: skip
    """:func:`benchmark` of figures by area code (each with count, denominator and value).

    The one pass gets the same benchmark for every force and period at once from one query
    (compute/batch_ranks.py, compute/batch_bench.py); tests/compute/test_batch_ranks.py keeps
    the two equal."""
    if measure.benchmark == BenchmarkKind.NONE:
        return Bench()
    force = values.get(ctx.force.code)
    national = values.get(NATIONAL_CODE)
    nat_value = national["value"] if national else None
    force_value = force["value"] if force else None
    if measure.benchmark == BenchmarkKind.NATIONAL_DIFFERENCE:
        return national_bench(measure, force_value, nat_value, proportion=proportion)
    if ctx.group is None:
        bench = national_bench(measure, force_value, nat_value, proportion=proportion)
        reason = NO_GROUP.get(ctx.force.code)
        note = (f"{ctx.force.name} has no peer group ({reason}): compared with England and "
                "Wales instead." if reason else
                f"No peer group is known for {ctx.force.name}: compared with England and Wales "
                "instead (add a group with policeperf peers set or a peer-groups file).")
        return Bench(text=bench.text, caveats=(note,))
    label = ctx.group.label
    kind = ctx.group.kind
    group: list[PeerRate] = []
    missing: list[str] = []
    notes: list[str] = []
    for code in ctx.group.member_codes:
        r = values.get(code)
        name = by_code(code).name
        if code in SUPPRESSED_RATES and code != ctx.force.code:
            notes.append(f"{name} is left out of the {label} average and ranks: ONS suppresses "
                         "its rates (too few residents for a rate per 1,000 to compare).")
            continue
        if r is None or r["value"] is None:
            missing.append(name)
            continue
        group.append(PeerRate(code, name, float(r["count"] or 0.0),
                              float(r["denominator"] or 0.0), float(r["value"])))
    if missing:
        notes.append(f"No figure for {', '.join(missing)}: ranked within the "
                     f"{len(group)} {_members(label)} that have one.")
    if force_value is None or not group:
        return Bench(caveats=tuple(notes))
    if not any(m.area_code != ctx.force.code for m in group):
        # A rank among one ("1st/1 MSG") compares nothing: no benchmark at all.
        other = "MSG force" if label == "MSG" else "force of the computed group"
        return Bench(caveats=(f"No other {other} has a figure for this measure, so "
                              f"{ctx.force.name} is not ranked.",))
    polarity = measure.polarity.value
    ranks = _ranks(group, polarity)
    mine = ranks[ctx.force.code]
    average, method, centre = _mean(group, ctx.settings.average, label)
    peers = tuple(
        PeerValue(m.area_code, m.name, m.count, m.denominator or None, m.rate,
                  ranks[m.area_code].rank, m.area_code == ctx.force.code)
        for m in sorted(group, key=lambda m: ranks[m.area_code].rank)
    )
    params = dict(ctx.settings.comparison_parameters)
    try:
        # Judged against the average printed beside the word (simple or weighted).
        comp = compare_to_group(group, ctx.force.code, ctx.settings.comparison_rule,
                                average=centre, **params)
    except ValueError as exc:
        notes.append(f"No comparison word: {exc}.")
        text = benchmark_text(mine.rank, mine.size, None, tied=mine.tied, kind=kind)
        return Bench(text, mine.rank, mine.size, mine.tied, average, method, peers=peers,
                     caveats=tuple(notes))
    text = benchmark_text(mine.rank, mine.size, comp.word, tied=mine.tied, kind=kind)
    description = comp.rule_description
    if kind == "computed":  # the rules word their result for an MSG
        description = description.replace("MSG", "group")
    return Bench(text, mine.rank, mine.size, mine.tied, average, method, comp.word,
                 comp.rule_name, description, peers, tuple(notes))
