"""The one pass for recorded crime measures: every force and period from whole tables.

What the per-force path (compute/crime.py) does for one force and period, this module does for
all of them at once, with the same rules and the same functions for every figure and word:

1. **Source choice.** For each measure, the (period, force) pairs each source has a figure for
   are read from the source's whole table; each pair takes the first source that has one (a sum
   of measures takes each component's choice). Pairs that chose the same source(s) share one
   *variant*.
2. **Whole tables per variant.** The variant's counts for every area and period, its
   denominators and rates (:func:`policeperf.compute.crime.rate_frame`, once), each force's
   series with the national figure, and every area's figure for each period (the funnel
   plot's and the national pack's table).
3. **Peer benchmarks of every variant, force and period in one query**
   (compute/batch_ranks.py: Ibis window functions and aggregates over every rate variant's
   figures joined to the peer groups; compute/batch_bench.py words them): the group average,
   rank, ties, size, comparison word, peers and the series points' peer averages.
4. **Per force and period** only the caveats and the provenance (and, for a force with no
   group or a measure benchmarked against the national figure,
   :func:`policeperf.compute.peers.benchmark_values`, which reads two figures).
5. **Trend and SPC** for every window at once (compute/batch_stats.py), then the words.

The rows are those :func:`policeperf.compute.batch_rows.result_rows` makes from a
:class:`~policeperf.results.MeasureResult`; tests/compute/test_batch.py compares them with the
per-force path value by value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl

from policeperf.compute import batch_bench
from policeperf.compute.batch_bench import Benches
from policeperf.compute.batch_ranks import RATES_SCHEMA, peer_members, peer_ranks
from policeperf.compute.batch_rows import MEASURE_COLUMNS, SeriesRows, peers_json
from policeperf.compute.batch_trends import Pending, finish_statistics
from policeperf.compute.common import base_fields, describe_source, stand_in_fields
from policeperf.compute.context import NATIONAL_CODE, Context, Settings
from policeperf.compute.crime import _summed, _with_marker, rate_frame, source_counts
from policeperf.compute.peers import benchmark_values
from policeperf.compute.periods import add_months
from policeperf.compute.rates import base_for
from policeperf.definitions.model import (
    BenchmarkKind,
    Catalogue,
    Denominator,
    Measure,
    MeasureKind,
    Polarity,
    SourceKind,
)
from policeperf.reference.areas import Area
from policeperf.reference.peer_groups import PeerGroup

__all__ = ["crime_rows", "is_crime_measure"]

_EMPTY = {f: None for f in MEASURE_COLUMNS}


def is_crime_measure(measure: Measure) -> bool:
    """True for the measures this module computes (compute_rate and compute_count's)."""
    if measure.kind == MeasureKind.RECORDED_CRIME_RATE:
        return True
    return measure.kind == MeasureKind.COUNT and not (
        measure.sources and measure.sources[0].kind == SourceKind.FORCE_SERIES)


@dataclass(frozen=True)
class Choice:
    """The source(s) a (period, force) pair takes its counts from."""

    used: str
    caveats: tuple[str, ...]
    frame: pl.DataFrame


def _available(frame: pl.DataFrame) -> set[tuple[date, str]]:
    if frame.is_empty():
        return set()
    return set(frame.filter(pl.col("count").is_not_null()).select("period_end", "area_code")
               .iter_rows())


def choices(ctx: Context, measure: Measure) -> dict[tuple[date, str], Choice]:
    """Each (period, force)'s source choice (crime.measure_counts for every pair at once)."""
    key = ("choices", measure.id)
    if key in ctx.cache:
        found: dict[tuple[date, str], Choice] = ctx.cache[key]
        return found
    out: dict[tuple[date, str], Choice] = {}
    if measure.components:
        parts = [choices(ctx, ctx.measure(c)) for c in measure.components]
        common = set.intersection(*(set(p) for p in parts)) if parts else set()
        for pair in common:
            picked = [p[pair] for p in parts]
            used = " + ".join(f"{c}: {p.used}" for c, p in zip(measure.components, picked,
                                                                strict=True))
            frame = ctx.cached(("sum", measure.id, used), lambda picked=picked: _summed(
                [_with_marker(p.frame) for p in picked]))
            out[pair] = Choice(used, tuple(c for p in picked for c in p.caveats), frame)
    else:
        for i, src in enumerate(measure.sources):
            frame = source_counts(ctx, src)
            choice = Choice(f"{src.kind.value} {src.id}",
                            (src.caveat,) if src.caveat and i > 0 else (), frame)
            for pair in _available(frame):
                out.setdefault(pair, choice)
    ctx.cache[key] = out
    return out


def _by_period(frame: pl.DataFrame) -> dict[date, dict[str, dict[str, Any]]]:
    out: dict[date, dict[str, dict[str, Any]]] = {}
    for r in frame.iter_rows(named=True):
        out.setdefault(r["period_end"], {})[r["area_code"]] = r
    return out


def _provenance(choice: Choice, by_period: dict[date, dict[str, dict[str, Any]]], period: date,
                members: Sequence[str], note: str | None) -> str:
    """crime._provenance as the store's JSON."""
    uses: list[dict[str, Any]] = []
    if "file" in choice.frame.columns:
        groups: dict[tuple[Any, Any, Any], list[int]] = {}
        rows = by_period.get(period, {})
        for code in members:
            r = rows.get(code)
            if r is not None:
                part = groups.setdefault((r["file"], r["edition"], r["sheet"]), [])
                if r["row"] is not None:
                    part.append(int(r["row"]))
        for (file, edition, sheet), found in groups.items():
            uses.append({"file": str(file), "edition": edition.isoformat() if edition else None,
                         "table": "recorded_crime",
                         "sheet": sheet, "rows": sorted(found),
                         "what": "12-month counts of the force and its peers"})
    if note:
        uses.append({"file": note, "edition": None, "table": "denominators", "sheet": None,
                     "rows": [], "what": "denominator"})
    uses.sort(key=_source_text)
    return json.dumps(uses, ensure_ascii=False)


def _source_text(u: dict[str, Any]) -> str:
    rows = u["rows"]
    text = f" row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}"
    sheet = f", sheet {u['sheet']!r}" if u["sheet"] else ""
    edition = f" (edition {u['edition']})" if u["edition"] else ""
    return f"{u['what']}: {u['file']}{edition}{sheet}{text if rows else ''}"


@lru_cache(maxsize=4096)
def _caveats_json(caveats: tuple[str, ...]) -> str:
    return json.dumps(list(caveats), ensure_ascii=False)


class _Measure:
    """What every row of one measure shares."""

    def __init__(self, measure: Measure, ctx: Context, position: int) -> None:
        self.measure = measure
        fields = base_fields(measure, ctx)
        self.template = {**_EMPTY, **{k: v for k, v in fields.items() if k != "sources"},
                         "sources": json.dumps(list(fields["sources"]), ensure_ascii=False),
                         "position": position, "all_forces": False, "funnel": False,
                         "benchmark_text": "Not available", "peer_rank_tied": False,
                         "peers": "[]", "provenance": "[]", "caveats": "[]"}
        self.rate = measure.kind == MeasureKind.RECORDED_CRIME_RATE
        self.tried = "; ".join(describe_source(measure))

    def row(self, force: Area, period: date, **fields: Any) -> dict[str, Any]:
        return {**self.template, "force_code": force.code, "period_end": period, **fields}

    def unavailable(self, force: Area, period: date, reason: str) -> dict[str, Any]:
        return self.row(force, period, caveats=json.dumps([reason], ensure_ascii=False))


def crime_rows(
    measures_out: list[dict[str, Any]], series_out: SeriesRows, values_out: SeriesRows,
    con: Any, measures: Sequence[tuple[int, Measure]], periods: Sequence[date], *,
    areas: Sequence[Area], catalogue: Catalogue, groups: dict[str, PeerGroup],
    settings: Settings, cache: dict[tuple[str, ...], Any],
) -> None:  # fmt: skip
    """Rows of every crime measure (with its report position) for ``areas`` x ``periods``."""
    ctx = Context(con, areas[0], periods[0], None, settings, catalogue, cache)
    contexts = {a.code: Context(con, a, periods[0], groups.get(a.code), settings, catalogue,
                                cache) for a in areas}
    wanted_years = {p: {add_months(p, -12 * k) for k in range(40)} for p in periods}
    # First every variant's table, then one query for every peer benchmark, then the rows (in
    # the order they always came: measure by measure).
    jobs: list[dict[str, Any] | _Variant] = []
    tables = _VariantTables()
    for position, measure in measures:
        shared = _Measure(measure, ctx, position)
        picked = choices(ctx, measure)
        variants: dict[str, list[tuple[Area, date]]] = {}
        for area in areas:
            for period in periods:
                choice = picked.get((period, area.code))
                if choice is None:
                    reason = (f"No figure for {area.name} for the 12 months to {period:%B %Y}"
                              + (f" in any source ({shared.tried})." if shared.rate else "."))
                    jobs.append(shared.unavailable(area, period, reason))
                else:
                    variants.setdefault(choice.used, []).append((area, period))
        for pairs in variants.values():
            choice = picked[(pairs[0][1], pairs[0][0].code)]
            jobs.append(tables.add(shared, choice, pairs, ctx))
    benches = Benches(batch_bench.benches(peer_ranks(
        con, tables.frame(), peer_members(groups, [a.code for a in areas]), settings)), settings)
    pending: list[Pending] = []
    for job in jobs:
        if isinstance(job, dict):
            measures_out.append(job)
        else:
            _variant_rows(measures_out, series_out, values_out, pending, job, ctx, contexts,
                          wanted_years, benches)
    finish_statistics(measures_out, pending, settings)


@dataclass(frozen=True)
class _Variant:
    """One measure's (force, period) pairs that chose the same source(s), with its table."""

    shared: _Measure
    choice: Choice
    pairs: list[tuple[Area, date]]
    table: pl.DataFrame
    base: str | None
    key: int  # the variant's number in the benchmark query (compute/batch_ranks.py)


class _VariantTables:
    """Each rate variant's table, numbered for the benchmark query (one number per table and
    polarity: measures sharing both share their ranks)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, str], int] = {}
        self.frames: list[pl.DataFrame] = []

    def add(self, shared: _Measure, choice: Choice, pairs: list[tuple[Area, date]],
            ctx: Context) -> _Variant:
        measure, used = shared.measure, choice.used
        if not shared.rate:
            return _Variant(shared, choice, pairs, choice.frame, None, -1)
        base = base_for(measure.denominator.value if measure.denominator != Denominator.NONE
                        else "residents")
        table = ctx.cached(("rates", used, base), lambda: rate_frame(ctx, choice.frame, base))
        sign = 1 if measure.polarity == Polarity.LOWER_IS_BETTER else -1
        found = (used, base, measure.polarity.value)
        if found not in self.keys:
            self.keys[found] = len(self.keys)
            self.frames.append(table.select(
                pl.lit(self.keys[found], pl.Int64).alias("variant"),
                pl.lit(sign, pl.Int64).alias("sign"),
                "period_end", "area_code", "value", "count", "denominator"))
        return _Variant(shared, choice, pairs, table, base, self.keys[found])

    def frame(self) -> pl.DataFrame:
        """Every rate variant's figures (compute/batch_ranks.py's ``rates``)."""
        return (pl.concat(self.frames, how="vertical") if self.frames
                else pl.DataFrame(schema=RATES_SCHEMA))


def _variant_rows(
    measures_out: list[dict[str, Any]], series_out: SeriesRows, values_out: SeriesRows,
    pending: list[Pending], variant: _Variant, ctx: Context, contexts: dict[str, Context],
    wanted_years: dict[date, set[date]], benches: Benches,
) -> None:  # fmt: skip
    shared, choice, pairs, table, base = (variant.shared, variant.choice, variant.pairs,
                                          variant.table, variant.base)
    measure, used = shared.measure, choice.used
    stand_in = stand_in_fields(measure, ctx, used)
    by_period = _by_period(table)
    counts_by_period = by_period if not shared.rate else _by_period(choice.frame)
    national = {p: rows[NATIONAL_CODE]["value"] for p, rows in by_period.items()
                if NATIONAL_CODE in rows} if shared.rate else {}
    if shared.rate:
        for period in {p for _, p in pairs}:
            for code, r in by_period.get(period, {}).items():
                values_out.setdefault((measure.id, used, period, code),
                                      (r["count"], r["denominator"], r["value"]))
    points: dict[str, list[tuple[date, float | None]]] = {}
    funnel = shared.rate and measure.benchmark != BenchmarkKind.NONE
    ranked = measure.benchmark == BenchmarkKind.MSG_RANK
    for area, period in pairs:
        fctx = contexts[area.code]
        if area.code not in points:
            averages = (benches.series_averages(variant.key, area.code)
                        if shared.rate and fctx.group else {})
            points[area.code] = _force_series(series_out, measure.id, used, area.code,
                                              by_period, averages, national, shared.rate)
        row = by_period[period][area.code]
        caveats = list(choice.caveats)
        fields: dict[str, Any] = {"variant": used, "source_used": used, **stand_in}
        members = fctx.member_codes()
        if shared.rate:
            if row["caveat"]:
                caveats.append(str(row["caveat"]))
            # The peer group's benchmark from the one query; without a group (or an MSG rank)
            # benchmark_values reads only the force's and the national figure.
            bench = (benches.bench(area, fctx.group, variant.key, period)
                     if ranked and fctx.group is not None
                     else benchmark_values(measure, fctx, by_period[period]))
            caveats = list(dict.fromkeys([*caveats, *bench.caveats]))
            value = row["value"]
            fields.update(
                value=value, count=row["count"], denominator=row["denominator"],
                denominator_base=base, mid_year=row["mid_year"], denominator_note=str(row["note"]),
                national_value=national.get(period), all_forces=True, funnel=funnel,
                benchmark_text=bench.text, peer_rank=bench.rank, peer_group_size=bench.size,
                peer_rank_tied=bench.tied, peer_average=bench.average,
                peer_average_method=bench.average_method, comparison=bench.word,
                comparison_rule=bench.rule, comparison_description=bench.description,
                peers=peers_json(bench.peers),
                provenance=_provenance(choice, counts_by_period, period, members,
                                       str(row["note"])))
            if value is None and not caveats:
                measures_out.append(shared.unavailable(area, period,
                                                       "No figure could be computed."))
                continue
        else:
            fields.update(value=row["count"], count=row["count"],
                          provenance=_provenance(choice, counts_by_period, period, members,
                                                 None))
        fields["caveats"] = _caveats_json(tuple(caveats))
        out = shared.row(area, period, **fields)
        measures_out.append(out)
        wanted = wanted_years[period]
        annual = [(d, v) for d, v in points[area.code] if d in wanted and d <= period]
        pending.append(Pending(out, measure, annual, period))


def _force_series(
    series_out: SeriesRows, measure_id: str, used: str, code: str,
    by_period: dict[date, dict[str, dict[str, Any]]], averages: dict[date, float],
    national: dict[date, Any], rate: bool,
) -> list[tuple[date, float | None]]:  # fmt: skip
    """Store a force's series of a variant; return its (period, value) points, oldest first."""
    out: list[tuple[date, float | None]] = []
    for period in sorted(by_period):
        r = by_period[period].get(code)
        if r is None:
            continue
        if rate:
            point = (r["value"], averages.get(period), national.get(period), r["count"],
                     r["denominator"])
        else:
            point = (r["count"], None, None, r["count"], None)
        series_out.setdefault((measure_id, used, code, "series", period), point)
        out.append((period, point[0]))
    return out

