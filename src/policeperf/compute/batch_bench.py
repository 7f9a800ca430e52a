"""The benchmark of every force and period from the query's rows (compute/batch_ranks.py).

:func:`benches` groups the query's slots by (variant, force, period) in Polars; :class:`Benches`
then gives each force and period the :class:`~policeperf.compute.peers.Bench` that
:func:`policeperf.compute.peers.benchmark_values` would: the same branches (no figure, no other
member, no word), caveats, texts and peers, from the query's numbers. What is left here is
wording (texts with their numbers formatted as the rules format them). The comparison rules that
are not arithmetic the query can do (``poisson_exact``, ``funnel``) run over every row at once
in compute/batch_rules.py.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property, lru_cache
from typing import Any

import polars as pl

from policeperf.compute.batch_ranks import KEYS, SQL_RULES
from policeperf.compute.batch_rules import funnel_columns, poisson_columns
from policeperf.compute.benchmarks import (
    DEFAULT_PCT_BAND,
    Comparison,
    PeerRate,
    benchmark_text,
    compare_to_group,
)
from policeperf.compute.context import Settings
from policeperf.compute.peers import Bench
from policeperf.reference.areas import Area, by_code
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import PeerValue

__all__ = ["VECTOR_RULES", "Benches", "benches"]

#: Comparison rules worded over every group at once by compute/batch_rules.py.
VECTOR_RULES = ("poisson_exact", "funnel")

_GROUP = ["n", "weighted", "average", "series_average", "statistic", "spread", "word"]


def benches(slots: pl.DataFrame) -> pl.DataFrame:
    """One row per (variant, force, period): the group's numbers, the force's rank, the codes
    left out and missing (member order), and the ranked members (by rank, then member order)."""
    if slots.is_empty():
        return pl.DataFrame()
    ranked = pl.col("rank").is_not_null()
    own = pl.col("member_code") == pl.col("force_code")

    def peers(name: str) -> pl.Expr:
        return pl.col(name).filter(ranked)

    # Ranked members by rank then member order; the others (no rank) in member order.
    slots = slots.sort([*KEYS, "rank", "member_index"], nulls_last=True)
    return slots.group_by(KEYS, maintain_order=True).agg(
        *[pl.col(c).first() for c in [*_GROUP, "force_value"]],
        rank=pl.col("rank").filter(own).first(), tied=pl.col("tied").filter(own).first(),
        own_count=pl.col("count").filter(own).first(),
        own_denominator=pl.col("denominator").filter(own).first(),
        excluded=pl.col("member_code").filter(pl.col("excluded")),
        missing=pl.col("member_code").filter(pl.col("missing")),
        codes=peers("member_code"), counts=peers("count"), denominators=peers("denominator"),
        values=peers("value"), ranks=peers("rank"), places=peers("member_index"))


class Benches:
    """Each force and period's benchmark of one pass (:meth:`bench`) and series averages."""

    def __init__(self, frame: pl.DataFrame, settings: Settings) -> None:
        self.settings = settings
        self.rows: dict[tuple[int, str, date], dict[str, Any]] = {}
        self.series: dict[tuple[int, str], dict[date, float]] = {}
        if frame.is_empty():
            return
        params = dict(settings.comparison_parameters)
        if self.rule_error is None and settings.comparison_rule == "poisson_exact":
            frame = poisson_columns(frame, params.get("alpha", 0.05))
        elif self.rule_error is None and settings.comparison_rule == "funnel":
            frame = funnel_columns(frame, self._funnel_limit)
        for row in frame.iter_rows(named=True):
            key = (row["variant"], row["force_code"], row["period_end"])
            self.rows[key] = row
            if row["series_average"] is not None:
                self.series.setdefault(key[:2], {})[key[2]] = row["series_average"]

    def series_averages(self, variant: int, force_code: str) -> dict[date, float]:
        """The force's peer average by period (compute/peers.py's ``peer_average_series``)."""
        return self.series.get((variant, force_code), {})

    @property
    def _funnel_limit(self) -> float:
        from policeperf.compute.normal import ndtri

        confidence = dict(self.settings.comparison_parameters).get("confidence", 0.95)
        return float(ndtri(0.5 + confidence / 2.0))

    @cached_property
    def rule_error(self) -> str | None:
        """Why the configured rule gives no word whatever the figures (unknown rule, bad
        parameter), as compare_to_group says it; None when it can give one."""
        group = [PeerRate("a", "a", 1.0, 1000.0, 1.0), PeerRate("b", "b", 2.0, 1000.0, 2.0)]
        try:
            compare_to_group(group, "a", self.settings.comparison_rule, average="simple",
                             **dict(self.settings.comparison_parameters))
        except ValueError as exc:
            return str(exc)
        return None

    def bench(self, force: Area, group: PeerGroup, variant: int, period: date) -> Bench:
        """``benchmark_values`` of an MSG-ranked measure for a force with a group (the
        measure's polarity is the variant's ``sign`` in the query)."""
        row = self.rows.get((variant, force.code, period))
        label = group.label
        notes = [f"{by_code(c).name} is left out of the {label} average and ranks: ONS "
                 "suppresses its rates (too few residents for a rate per 1,000 to compare)."
                 for c in (row["excluded"] if row else ())]
        n = row["n"] if row and row["n"] is not None else 0
        if row and row["missing"]:
            notes.append(f"No figure for {', '.join(by_code(c).name for c in row['missing'])}: "
                         f"ranked within the {n} {_members(label)} that have one.")
        if row is None or row["force_value"] is None or n == 0:
            return Bench(caveats=tuple(notes))
        if n == 1:
            other = "MSG force" if label == "MSG" else "force of the computed group"
            return Bench(caveats=(f"No other {other} has a figure for this measure, so "
                                  f"{force.name} is not ranked.",))
        rank, size, tied = int(row["rank"]), n, bool(row["tied"])
        centre = "weighted" if row["weighted"] else "simple"
        average = row["average"]
        method = _method(centre, n, label)
        peers = tuple(PeerValue(c, by_code(c).name, cnt, den or None, v, r, c == force.code)
                      for c, cnt, den, v, r in zip(row["codes"], row["counts"],
                                                   row["denominators"], row["values"],
                                                   row["ranks"], strict=True))
        comp, error = self._compare(row, force, centre)
        if comp is None:
            notes.append(f"No comparison word: {error}.")
            text = benchmark_text(rank, size, None, tied=tied, kind=group.kind)
            return Bench(text, rank, size, tied, average, method, peers=peers,
                         caveats=tuple(notes))
        text = benchmark_text(rank, size, comp.word, tied=tied, kind=group.kind)
        description = comp.rule_description
        if group.kind == "computed":  # the rules word their result for an MSG
            description = description.replace("MSG", "group")
        return Bench(text, rank, size, tied, average, method, comp.word, comp.rule_name,
                     description, peers, tuple(notes))

    def _compare(self, row: dict[str, Any], force: Area,
                 centre: str) -> tuple[Comparison | None, str | None]:
        """The comparison, or None and why there is none (compare_to_group's ValueError)."""
        if self.rule_error is not None:
            return None, self.rule_error
        rule = self.settings.comparison_rule
        params = dict(self.settings.comparison_parameters)
        rate, mean, word = row["force_value"], row["average"], row["word"]
        if rule in VECTOR_RULES:
            return self._vector_comparison(row, force, centre)
        if rule not in SQL_RULES:  # a rule registered later: the rule itself, on the group
            order = sorted(range(len(row["codes"])), key=lambda i: row["places"][i])
            group = [PeerRate(row["codes"][i], by_code(row["codes"][i]).name,
                              row["counts"][i], row["denominators"][i], row["values"][i])
                     for i in order]
            try:
                return compare_to_group(group, force.code, rule, average=centre,  # type: ignore[arg-type]
                                        **params), None
            except ValueError as exc:
                return None, str(exc)
        if rule == "pct_band":
            if mean == 0:
                return None, f"the {centre} MSG mean is zero; a % difference is undefined"
            band = params.get("band_pct", DEFAULT_PCT_BAND)
            diff = row["statistic"]
            return Comparison(word, rule, (
                f"{force.name}'s rate {rate:.3f} is {diff:+.1f}% from the {centre} MSG mean "
                f"{mean:.3f}; within +/-{band:g}% counts as similar, so {word} MSG average."),
                diff, band), None
        k, z, sd = params.get("k", 1.0), row["statistic"], row["spread"]
        return Comparison(word, rule, (
            f"{force.name}'s rate {rate:.3f} is {z:+.2f} standard deviations (SD {sd:.3f}) "
            f"from the {centre} MSG mean {mean:.3f}; within +/-{k:g} SD counts as similar, so "
            f"{word} MSG average."), z, k), None


    def _vector_comparison(self, row: dict[str, Any], force: Area,
                           centre: str) -> tuple[Comparison | None, str | None]:
        """The words of compute/batch_rules.py, with the rule's description."""
        if row["problem"] is not None:
            return None, str(row["problem"])
        params = dict(self.settings.comparison_parameters)
        rate, mean, word, stat = (row["force_value"], row["average"], row["word"],
                                  row["statistic"])
        if self.settings.comparison_rule == "poisson_exact":
            alpha = params.get("alpha", 0.05)
            expected, observed = row["detail"]
            return Comparison(word, "poisson_exact", (
                f"{force.name} recorded {int(observed)} against {expected:.1f} expected at the "
                f"{centre} MSG mean rate {mean:.3f}; exact Poisson test p = {stat:.2g} "
                f"(significant below {alpha:g}), so {word} MSG average."), stat, alpha), None
        confidence = params.get("confidence", 0.95)
        phi, tau2, half = row["detail"]
        return Comparison(word, "funnel", (
            f"{force.name}'s rate {rate:.3f} against the {centre} MSG mean {mean:.3f}: "
            f"{confidence:.0%} funnel limits {mean - half:.3f} to {mean + half:.3f} "
            f"(overdispersion phi {phi:.2f}, tau^2 {tau2:.4f}), z = {stat:+.2f}, so {word} MSG "
            "average."), stat, self._funnel_limit), None


def _members(label: str) -> str:
    return "MSG forces" if label == "MSG" else label


@lru_cache(maxsize=256)
def _method(centre: str, n: int, label: str) -> str:
    """compute/peers.py's ``_mean`` wording of the average taken."""
    if centre == "weighted":
        return (f"weighted mean of the {n} {_members(label)} (sum of counts / sum of "
                "denominators x 1,000)")
    if label == "MSG":
        return f"simple mean of the {n} MSG forces' values (force included)"
    return f"simple mean of the values of the {n} {_members(label)} (force included)"
