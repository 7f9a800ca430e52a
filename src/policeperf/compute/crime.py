"""Recorded crime measures: 12-month counts, rates per 1,000 and MSG benchmarks.

Source choice: the first source (in the catalogue's order of preference) that has a figure for
the force at the period is used, for the force, its peers, the national figure and the series
alike, so that everything compared comes from the same source. A fallback prints its caveat.

Trend and SPC: ONS publishes 12-month totals at quarter ends, which overlap and so are
autocorrelated by construction; quarterly values cannot be recovered from them (a difference of
two rolling totals is q_t - q_(t-4), not q_t). The trend and the XmR chart therefore use the
non-overlapping 12-month values ending in the same month as the period, one a year (June 2022,
June 2021, ...). The same method is used whatever the source, so a fallback never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute import sources
from policeperf.compute.common import (
    annual_points,
    base_fields,
    run_spc,
    run_trend,
    spc_signal,
    stand_in_fields,
    trend_fields,
    unavailable,
)
from policeperf.compute.context import NATIONAL_CODE, Context
from policeperf.compute.funnel import FUNNEL_EXCLUDED, funnel_of
from policeperf.compute.national_sum import needed_for_national_sum, with_summed_national
from policeperf.compute.peers import benchmark, peer_average_series
from policeperf.compute.rates import (
    SUPPRESSED_RATES,
    base_for,
    omitted_expr,
    omitted_forces,
    rate,
)
from policeperf.definitions.model import (
    BenchmarkKind,
    Denominator,
    Measure,
    Source,
    SourceKind,
)
from policeperf.reference import offences
from policeperf.reference.areas import forces
from policeperf.results import MeasureResult, PeerValue, SeriesPoint, SourceUse

assert set(FUNNEL_EXCLUDED) == set(SUPPRESSED_RATES)

__all__ = [
    "FUNNEL_EXCLUDED",
    "Counts",
    "compute_count",
    "compute_rate",
    "funnel_of",
    "measure_counts",
    "rate_frame",
]


@dataclass(frozen=True)
class Counts:
    """12-month counts of every area and period from the chosen source(s)."""

    frame: pl.DataFrame  # period_end, area_code, count (+ file, edition, sheet, row if known)
    used: str
    caveats: tuple[str, ...]


def source_counts(ctx: Context, src: Source) -> pl.DataFrame:
    """Counts from one source (read once per run)."""
    con, rev = ctx.con, ctx.settings.revisions
    if src.kind == SourceKind.ONS_OFFENCE:
        return ctx.cached(("ons", src.id, rev), lambda: sources.crime_counts(con, src.id, rev))
    if src.kind == SourceKind.OFFENCE_CODES:
        codes = offences.codes_for(src.id)
        return ctx.cached(("codes", src.id), lambda: sources.offence_code_counts(con, codes))
    if src.kind == SourceKind.POLICE_UK:
        types = src.crime_types
        return ctx.cached(("puk", src.id), lambda: sources.police_uk_counts(con, types))
    return pl.DataFrame()


def _force_count(frame: pl.DataFrame, ctx: Context) -> float | None:
    if frame.is_empty():
        return None
    hit = frame.filter(
        (pl.col("period_end") == ctx.period_end) & (pl.col("area_code") == ctx.force.code)
    )
    return None if hit.is_empty() else hit["count"][0]


def _with_marker(frame: pl.DataFrame) -> pl.DataFrame:
    """period_end, area_code, count and marker (null where the source has no markers)."""
    marker = pl.col("marker") if "marker" in frame.columns else pl.lit(None, pl.Utf8)
    return frame.select("period_end", "area_code", "count", marker.alias("marker"))


def measure_counts(ctx: Context, measure: Measure) -> Counts | None:
    """Counts for a measure: its first source with a figure for the force, or summed components."""
    if measure.components:
        parts = [measure_counts(ctx, ctx.measure(c)) for c in measure.components]
        if any(p is None for p in parts):
            return None
        used = " + ".join(f"{c}: {p.used}" for c, p in zip(measure.components, parts, strict=True)
                          if p)
        caveats = tuple(c for p in parts if p for c in p.caveats)
        # The same sum serves every force and period that chose the same sources (one run).
        frame = ctx.cached(("sum", measure.id, used), lambda: _summed(
            [_with_marker(p.frame) for p in parts if p]))
        return Counts(frame, used, caveats)
    for i, src in enumerate(measure.sources):
        frame = source_counts(ctx, src)
        if _force_count(frame, ctx) is not None:
            caveats = (src.caveat,) if src.caveat and i > 0 else ()
            return Counts(frame, f"{src.kind.value} {src.id}", caveats)
    return None


def _summed(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The sum of components' counts by period and area (missing when any part is missing)."""
    omitted = pl.col("_omitted")
    total = pl.concat(frames).with_columns(_omitted=omitted_expr())
    total = total.group_by("period_end", "area_code").agg(
        pl.col("count").sum(), pl.col("count").null_count().alias("_nulls"),
        pl.len().alias("_n"),
        # A component missing from the edition makes the sum missing in the same way, so
        # that totals leaving a force out are still detected (rates.omitted_forces).
        pl.when(omitted.any()).then(pl.col("marker").filter(omitted).first())
        .otherwise(pl.col("marker").filter(pl.col("count").is_null()).first())
        .alias("marker"),
    )  # fmt: skip
    total = total.filter(pl.col("_n") == len(frames)).with_columns(
        count=pl.when(pl.col("_nulls") == 0).then(pl.col("count"))
    )
    return total.drop("_n", "_nulls")


def rate_frame(ctx: Context, counts: pl.DataFrame, base: str,
               only: tuple[date, tuple[str, ...]] | None = None) -> pl.DataFrame:
    """Counts with their denominator, mid-year estimate and rate per 1,000.

    ``only=(period, areas)`` keeps the rows one force's result reads (every area in that period;
    those areas in every period), each computed exactly as in the whole frame.

    A national or regional total that an edition publishes without some force
    (``rates.omitted_forces``) is divided by the residents or households of the forces it
    includes (``DenominatorLookup.get(..., omitted)``).

    A period with no England and Wales row (the 2003-2018 CSV has none) gets one summed from
    the 43 forces (:func:`policeperf.compute.national_sum.with_summed_national`).

    An area whose rates ONS suppresses (``rates.SUPPRESSED_RATES``: City of London) keeps its
    count and denominator but gets no rate, and the reason as its caveat.
    """
    lookup = ctx.denominators()
    # A national or regional total that leaves a force out divides by the forces it includes.
    omitted = omitted_forces(counts)
    # Measures share periods and areas: look each denominator up once per run.
    memo: dict[tuple[date, str, str, tuple[str, ...]], Any] = ctx.cache.setdefault(
        ("denominator_memo",), {})
    rows: list[tuple[Any, ...]] = []
    wanted = None if only is None else (
        (pl.col("period_end") == only[0]) | pl.col("area_code").is_in(list(only[1])))
    # A restricted frame still reads every force in periods with no national row: the summed
    # national figure (with_summed_national) needs all of them; the extra rows go afterwards.
    kept = counts if wanted is None else counts.filter(wanted | needed_for_national_sum(counts))
    for period_end, area_code, count in kept.select(
        "period_end", "area_code", "count"
    ).iter_rows():
        left_out = omitted.get((period_end, area_code), ())
        key = (period_end, area_code, base, left_out)
        d = memo.get(key)
        if d is None:
            d = memo[key] = lookup.get(period_end, area_code, base, left_out)
        suppressed = SUPPRESSED_RATES.get(area_code)
        if suppressed is not None:
            rows.append((period_end, area_code, count, d.value, d.mid_year, d.how, d.note,
                         suppressed, None))
            continue
        rows.append((period_end, area_code, count, d.value, d.mid_year, d.how, d.note, d.caveat,
                     rate(count, d.value)))
    frame = pl.DataFrame(
        rows,
        schema={"period_end": pl.Date, "area_code": pl.Utf8, "count": pl.Float64,
                "denominator": pl.Float64, "mid_year": pl.Int64, "how": pl.Utf8,
                "note": pl.Utf8, "caveat": pl.Utf8, "value": pl.Float64},
        orient="row",
    )  # fmt: skip
    # Periods whose source has no England and Wales row get the 43 forces' sum (national_sum).
    frame = with_summed_national(frame, base)
    return frame if wanted is None else frame.filter(wanted)


def _at(frame: pl.DataFrame, period_end: date, code: str) -> dict[str, object] | None:
    hit = frame.filter((pl.col("period_end") == period_end) & (pl.col("area_code") == code))
    return None if hit.is_empty() else hit.row(0, named=True)


def _provenance(
    counts: Counts, ctx: Context, denominator_note: str | None
) -> tuple[SourceUse, ...]:
    uses: list[SourceUse] = []
    f = counts.frame
    if "file" in f.columns:
        hit = f.filter(
            (pl.col("period_end") == ctx.period_end)
            & pl.col("area_code").is_in(list(ctx.member_codes()))
        )
        for (file, edition, sheet), part in hit.group_by("file", "edition", "sheet"):
            rows = tuple(sorted(int(r) for r in part["row"].drop_nulls()))
            uses.append(SourceUse(str(file), edition, "recorded_crime", sheet, rows,
                                  "12-month counts of the force and its peers"))
    if denominator_note:
        uses.append(SourceUse(denominator_note, None, "denominators", None, (), "denominator"))
    return tuple(sorted(uses, key=str))


def _series(ctx: Context, rates: pl.DataFrame, members: tuple[str, ...],
            key: tuple[str, ...]) -> tuple[SeriesPoint, ...]:
    """The force's points up to the period, with the peer average and national figure of each.

    The whole series of a rates frame (``key``: its cache key) is made once per force and
    group, and each period takes its points from it: a report asks for two quarters.
    """
    whole_key = ("series_points", *key, ctx.force.code, str(ctx.group is not None), *members)
    if whole_key not in ctx.cache:
        mine = rates.filter(pl.col("area_code") == ctx.force.code).sort("period_end")
        avg = peer_average_series(rates, members, ctx.settings.average) if ctx.group else {}
        nat = {
            r["period_end"]: r["value"]
            for r in rates.filter(pl.col("area_code") == "K04000001").iter_rows(named=True)
        }
        ctx.cache[whole_key] = tuple(
            SeriesPoint(r["period_end"], r["value"], avg.get(r["period_end"]),
                        nat.get(r["period_end"]), r["count"], r["denominator"])
            for r in mine.iter_rows(named=True)
        )
    whole: tuple[SeriesPoint, ...] = ctx.cache[whole_key]
    return tuple(p for p in whole if p.period_end <= ctx.period_end)


def compute_rate(measure: Measure, ctx: Context) -> MeasureResult:
    """A recorded crime rate per 1,000 residents or households, benchmarked against the MSG."""
    counts = measure_counts(ctx, measure)
    if counts is None:
        tried = "; ".join(base_fields(measure, ctx)["sources"])
        return unavailable(measure, ctx, f"No figure for {ctx.force.name} for the 12 months to "
                           f"{ctx.period_end:%B %Y} in any source ({tried}).")
    base = base_for(measure.denominator.value if measure.denominator != Denominator.NONE
                    else "residents")
    key = ("rates", counts.used, base)
    # Only the rows this result reads: the quarter's figures of every area (ranks, funnel), and
    # the force's, its peers' and the nation's series (a fifth of the rows of the whole frame).
    areas = (ctx.force.code, *ctx.member_codes(), NATIONAL_CODE)
    rates = ctx.cached((*key, "for", ctx.period_end.isoformat(), *areas),
                       lambda: rate_frame(ctx, counts.frame, base, (ctx.period_end, areas)))
    row = _at(rates, ctx.period_end, ctx.force.code)
    assert row is not None  # measure_counts found the force's count
    caveats = list(counts.caveats)
    if row["caveat"]:
        caveats.append(str(row["caveat"]))
    now = rates.filter(pl.col("period_end") == ctx.period_end)
    force_codes = {f.code: f.name for f in forces()}
    all_forces = tuple(
        PeerValue(r["area_code"], force_codes[r["area_code"]], r["count"], r["denominator"],
                  r["value"], None, r["area_code"] == ctx.force.code)
        for r in now.sort("area_code").iter_rows(named=True)
        if r["area_code"] in force_codes
    )
    bench = benchmark(measure, ctx, now, caveats)
    series = _series(ctx, rates, ctx.member_codes(), key)
    points = [(p.period_end, p.value) for p in series]
    annual = annual_points(points, ctx.period_end)
    trend = run_trend(measure, ctx, annual, 1)
    spc = run_spc(measure, ctx, annual)
    national = _at(rates, ctx.period_end, "K04000001")
    funnel = None
    if measure.benchmark != BenchmarkKind.NONE:
        funnel = funnel_of(all_forces, ctx.force.code,
                           national["value"] if national else None)  # type: ignore[arg-type]
    return MeasureResult(
        **base_fields(measure, ctx),
        value=row["value"],  # type: ignore[arg-type]
        count=row["count"],  # type: ignore[arg-type]
        denominator=row["denominator"],  # type: ignore[arg-type]
        denominator_base=base,
        mid_year=row["mid_year"],  # type: ignore[arg-type]
        denominator_note=str(row["note"]),
        national_value=national["value"] if national else None,  # type: ignore[arg-type]
        **trend_fields(trend),
        **stand_in_fields(measure, ctx, counts.used),
        spc=spc,
        spc_signal=spc_signal(spc),
        series=series,
        all_forces=all_forces,
        funnel=funnel,
        source_used=counts.used,
        provenance=_provenance(counts, ctx, str(row["note"])),
        **bench.fields(),
        caveats=tuple(dict.fromkeys([*caveats, *bench.caveats])),
    )


def compute_count(measure: Measure, ctx: Context) -> MeasureResult:
    """A 12-month count from a crime source (e.g. Action Fraud referrals as ONS publishes them)."""
    counts = measure_counts(ctx, measure)
    if counts is None:
        return unavailable(measure, ctx, f"No figure for {ctx.force.name} for the 12 months to "
                           f"{ctx.period_end:%B %Y}.")
    mine = counts.frame.filter(pl.col("area_code") == ctx.force.code).sort("period_end")
    series = tuple(
        SeriesPoint(r["period_end"], r["count"], count=r["count"])
        for r in mine.iter_rows(named=True)
        if r["period_end"] <= ctx.period_end
    )
    annual = annual_points([(p.period_end, p.value) for p in series], ctx.period_end)
    trend = run_trend(measure, ctx, annual, 1)
    spc = run_spc(measure, ctx, annual)
    value = _force_count(counts.frame, ctx)
    return MeasureResult(
        **base_fields(measure, ctx),
        value=value,
        count=value,
        **trend_fields(trend),
        **stand_in_fields(measure, ctx, counts.used),
        spc=spc,
        spc_signal=spc_signal(spc),
        series=series,
        source_used=counts.used,
        provenance=_provenance(counts, ctx, None),
        caveats=counts.caveats,
    )
