"""Peer-group averages, ranks and comparison words of every force and period, as one Ibis query.

The one pass (compute/batch_crime.py) needs, for every rate variant (a measure's figures from
one source), every force with a peer group and every period, what
:func:`policeperf.compute.peers.benchmark_values` works out for one force and period: the
group's average, the force's rank (ties and group size), the comparison word, and the average
of its series point (:func:`policeperf.compute.peers.peer_average_series`). Here they come from
one expression over whole tables, run on the pass's backend (DuckDB, PostgreSQL or Spark):

* ``rates`` (variant, sign, period_end, area_code, value, count, denominator): every rate
  variant's figures, ``sign`` 1 where a lower rate ranks first, -1 where a higher one does;
* ``members`` (force_code, member_code, member_index, suppressed): each force's peer group,
  the force first (:func:`peer_members`).

Each force's row of a period is joined to its group's members and their figures of that period
(a *slot* per member). A member whose rates ONS suppresses (City of London) is left out
(``excluded``) unless it is the force; a member without a figure is ``missing``; the others are
ranked. Window functions over (variant, force, period) give each ranked member its rank
(``RANK()`` on sign x rate: ties share the best rank they cover), whether it is tied (a window
over equal rates) and its place in the group (member order, and code order for the series
average). An aggregate over the same key gives the group size, the average and the word:

* **Average.** ``Settings.average``: "simple" (mean of the rates) or "weighted" (1,000 x sum of
  counts / sum of denominators, when every ranked member has a positive denominator; else the
  simple mean, as compute/peers.py's ``_mean``). The sums are written out in the order NumPy
  and Python add (compute/float_sums.py), each member's figure picked by its place, so that the
  average is the per-force path's to the last digit on every engine.
* **Word.** The comparison rules that are pure arithmetic are ``CASE WHEN`` in the query:
  ``pct_band`` (% difference from the average against the band) and ``sd_band`` (standard
  deviations, NumPy's ``std`` written out). ``poisson_exact`` (SciPy's Poisson distribution) and
  ``funnel`` (percentiles of the members' z-scores) run over every row at once in
  compute/batch_rules.py.

compute/batch_bench.py turns a force's row into the :class:`~policeperf.compute.peers.Bench`
``benchmark_values`` gives (words, caveats and peers); tests/compute/test_batch_ranks.py checks
both on a hand-worked group and against ``benchmark_values`` on the bundled data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from policeperf.compute.benchmarks import DEFAULT_PCT_BAND
from policeperf.compute.context import Settings
from policeperf.compute.float_sums import numpy_sum, python_sum
from policeperf.compute.rates import SUPPRESSED_RATES
from policeperf.reference.peer_groups import PeerGroup

__all__ = ["KEYS", "RATES_SCHEMA", "SQL_RULES", "peer_members", "peer_ranks", "ranks_expr"]

#: A force's benchmark is keyed by these.
KEYS = ["variant", "force_code", "period_end"]

RATES_SCHEMA: dict[str, Any] = {
    "variant": pl.Int64, "sign": pl.Int64, "period_end": pl.Date, "area_code": pl.Utf8,
    "value": pl.Float64, "count": pl.Float64, "denominator": pl.Float64,
}
MEMBERS_SCHEMA: dict[str, Any] = {
    "force_code": pl.Utf8, "member_code": pl.Utf8, "member_index": pl.Int64,
    "suppressed": pl.Boolean,
}

#: Comparison rules the query words itself.
SQL_RULES = ("pct_band", "sd_band")


def peer_members(groups: Mapping[str, PeerGroup], force_codes: Sequence[str]) -> pl.DataFrame:
    """Each force's group as rows (force_code, member_code, member_index, suppressed)."""
    rows = [(code, member, i, member in SUPPRESSED_RATES)
            for code in force_codes if (group := groups.get(code)) is not None
            for i, member in enumerate(group.member_codes)]
    return pl.DataFrame(rows, schema=MEMBERS_SCHEMA, orient="row")


def peer_ranks(con: Any, rates: pl.DataFrame, members: pl.DataFrame,
               settings: Settings) -> pl.DataFrame:
    """:func:`ranks_expr` run on ``con`` (the pass's backend), one row per slot, sorted."""
    if rates.is_empty() or members.is_empty():
        return pl.DataFrame()
    import ibis

    from policeperf.compute.sources import to_polars
    from policeperf.compute.sources_sql import DuckDBSQL

    backend = con.ibis if isinstance(con, DuckDBSQL) else con
    size = int(members.group_by("force_code").len()["len"].max())  # type: ignore[arg-type]
    expr = ranks_expr(ibis.memtable(rates.cast(RATES_SCHEMA)),  # type: ignore[arg-type]
                      ibis.memtable(members.cast(MEMBERS_SCHEMA)), settings, size)  # type: ignore[arg-type]
    frame = to_polars(backend, expr)
    return frame.sort([*KEYS, "member_index"])


def ranks_expr(rates: Any, members: Any, settings: Settings, size: int) -> Any:
    """The slots of every force's group in every period of every variant, with the group's
    rank, tie, size, average and word columns (module docstring)."""
    import ibis

    forces = rates.select("variant", "sign", "period_end", force_code=rates.area_code,
                          force_value=rates.value)
    figures = rates.select("variant", "period_end", member_code=rates.area_code, value=rates.value,
                           count=rates["count"], denominator=rates.denominator)
    slots = forces.join(members, "force_code")
    slots = _left(slots, figures, ["variant", "period_end", "member_code"])
    slots = slots.select(
        *KEYS, "sign", "force_value", "member_code", "member_index", "value",
        count=slots["count"].fill_null(0.0), denominator=slots.denominator.fill_null(0.0),
        excluded=slots.suppressed & (slots.member_code != slots.force_code),
        kept_missing=~slots.suppressed & slots.value.isnull())
    slots = slots.mutate(missing=~slots.excluded & slots.value.isnull())
    ranked = slots.filter(~slots.excluded & slots.value.notnull())
    group = ibis.window(group_by=KEYS, order_by="member_index")
    ranked = ranked.mutate(
        place=ibis.row_number().over(group),
        code_place=ibis.row_number().over(ibis.window(group_by=KEYS, order_by="member_code")),
        rank=ibis.rank().over(ibis.window(group_by=KEYS,
                                          order_by=ranked.sign * ranked.value)) + 1,
        tied=ranked.value.count().over(ibis.window(group_by=[*KEYS, "value"])) > 1)
    stats = _group_stats(ranked, slots, settings, size)
    out = _left(slots, ranked.select(*KEYS, "member_code", "rank", "tied"),
                [*KEYS, "member_code"])
    return _left(out, stats, KEYS).drop("sign", "kept_missing")


def _left(left: Any, right: Any, keys: list[str]) -> Any:
    """``left`` with ``right``'s other columns where the keys match (a left join, keys once)."""
    joined = left.left_join(right, keys)
    return joined.select(*[left[c] for c in left.columns],
                         *[right[c] for c in right.columns if c not in keys])


def _pick(t: Any, column: str, place: str, size: int) -> list[Any]:
    """Each member's ``column`` by its ``place``: one aggregate column per place."""
    import ibis

    return [ibis.cases((t[place] == k, t[column])).max() for k in range(size)]


def _by_size(n: Any, size: int, make: Any) -> Any:
    """``make(k)`` for a group of k ranked members (one CASE branch per size)."""
    import ibis

    return ibis.cases(*[(n == k, make(k)) for k in range(1, size + 1)])


def _group_stats(ranked: Any, slots: Any, settings: Settings, size: int) -> Any:
    """Per (variant, force, period): size, averages and the comparison word's numbers."""
    import ibis

    picks: dict[str, Any] = {"n": ranked.count(),
                             "min_denominator": ranked.denominator.min(),
                             "own": ibis.cases((ranked.member_code == ranked.force_code,
                                                ranked.value)).max()}
    for name, column, place in (("v", "value", "place"), ("sv", "value", "code_place"),
                                ("c", "count", "place"), ("d", "denominator", "place"),
                                ("sc", "count", "code_place"), ("sd", "denominator", "code_place")):
        if name in ("v", "sv") or settings.average == "weighted":
            for k, expr in enumerate(_pick(ranked, column, place, size)):
                picks[f"{name}{k}"] = expr
    agg = ranked.group_by(KEYS).aggregate(**picks)
    kept_missing = slots.group_by(KEYS).aggregate(
        series_missing=slots.kept_missing.cast("int64").sum())
    g = agg.join(kept_missing, KEYS)
    n = g.n

    def col(prefix: str, k: int) -> list[Any]:
        return [g[f"{prefix}{i}"] for i in range(k)]

    def simple(prefix: str) -> Any:
        return _by_size(n, size, lambda k: numpy_sum(col(prefix, k)) / float(k))

    def weighted(counts: str, denominators: str) -> Any:
        return _by_size(n, size, lambda k: 1000.0 * python_sum(col(counts, k))
                        / python_sum(col(denominators, k)).nullif(0.0))

    if settings.average == "weighted":
        use = g.min_denominator > 0
        average = use.ifelse(weighted("c", "d"), simple("v"))
        series = use.ifelse(weighted("sc", "sd"), simple("sv"))
    else:
        use, average, series = ibis.literal(False), simple("v"), simple("sv")
    g = g.mutate(weighted=use, average=average,
                 series_average=(g.series_missing == 0).ifelse(series, ibis.null("float64")))
    params = dict(settings.comparison_parameters)
    if settings.comparison_rule == "pct_band":
        band = float(params.get("band_pct", DEFAULT_PCT_BAND))
        diff = 100.0 * (g.own - g.average) / g.average.nullif(0.0)
        word = _word(diff > band, diff < -band)
        g = g.mutate(statistic=diff, spread=ibis.null("float64"), word=word)
    elif settings.comparison_rule == "sd_band":
        k_sd = float(params.get("k", 1.0))

        def std(k: int) -> Any:
            values = col("v", k)
            mean = numpy_sum(values) / float(k)
            return (numpy_sum([(v - mean) * (v - mean) for v in values])
                    / float(max(k - 1, 0))).sqrt() if k > 1 else ibis.null("float64")

        sd = _by_size(n, size, std)
        z = (sd == 0).ifelse(0.0, (g.own - g.average) / sd.nullif(0.0))
        g = g.mutate(statistic=z, spread=sd, word=_word(z > k_sd, z < -k_sd))
    else:
        g = g.mutate(statistic=ibis.null("float64"), spread=ibis.null("float64"),
                     word=ibis.null("string"))
    return g.select(*KEYS, "n", "weighted", "average", "series_average", "statistic", "spread",
                    "word")


def _word(higher: Any, lower: Any) -> Any:
    """compute/benchmarks.py's ``_word`` as CASE WHEN (null when the statistic is)."""
    import ibis

    return ibis.cases((higher, "higher than"), (lower, "below"),
                      (higher.notnull(), "similar to"), else_=ibis.null("string"))
