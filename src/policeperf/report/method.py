"""The method note: sources, denominators, peer group, comparison, trend and SPC rules, quality.

Everything printed here is read from the results and the settings they were computed with, so
the note always describes the numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policeperf.quality import QualityWarning
from policeperf.reference.areas import by_code
from policeperf.report.data import MethodSection, QualityNote
from policeperf.results import MeasureResult, MeasuresReport


def _sources(used: Sequence[MeasureResult]) -> tuple[str, ...]:
    editions: dict[str, set[str]] = {}
    for result in used:
        for source in result.provenance:
            if source.table == "denominators":
                continue
            eds = editions.setdefault(source.file, set())
            if source.edition:
                eds.add(source.edition.isoformat())
    lines = [f"{file} (edition {', '.join(sorted(eds))})" if eds else file
             for file, eds in sorted(editions.items())]
    return (
        "Recorded crime: ONS Police Force Area data tables (Table P1 counts, Table P3 rates and "
        "denominators), 12-month rolling totals. Force-held series: the force's own files in the "
        "documented force-series format.",
        "Files behind the figures shown: " + ("; ".join(lines) if lines else "none") + ".",
    )


def _denominators(used: Sequence[MeasureResult]) -> tuple[str, ...]:
    notes = sorted({r.denominator_note for r in used if r.denominator_note})
    years = sorted({r.mid_year for r in used if r.mid_year})
    text = ("Rates are per 1,000 residents, or per 1,000 households for residential burglary, "
            "using the mid-year population estimate ONS published with the figures")
    text += f" (mid-{', mid-'.join(map(str, years))})." if years else "."
    return (text, *notes[:3])


COMPUTED_GROUP_NOTE = (
    "No official Most Similar Group (MSG) is loaded for this force, so it is ranked within a "
    "computed group of similar forces: policeperf's 7 forces nearest to it on open data "
    "(deprivation, population density and size, lone-parent households, terraced housing and "
    "household size, standardised; docs/methods/peer-groups.md). It is not the Home Office's "
    "MSG and ranks are labelled 'similar forces (computed)'. Load the official group with "
    "'policeperf peers import' or 'policeperf peers set'."
)


def _peer_group(measures: MeasuresReport, settings: dict[str, Any]) -> tuple[str, ...]:
    members = ", ".join(measures.peer_group) or "none (the force has no Most Similar Group)"
    average = settings.get("average", "simple")
    how = ("the simple mean of the members' rates (the force included)" if average == "simple"
           else "the weighted average: sum of counts over sum of denominators")
    if measures.peer_group_kind == "computed":
        return (
            f"Similar forces, computed ({len(measures.peer_group)} forces): {members}.",
            COMPUTED_GROUP_NOTE,
            f"The group average is {how}. Rank 1 is the best position by each measure's "
            "polarity.",
        )
    return (
        f"Most Similar Group ({len(measures.peer_group)} forces): {members}.",
        f"The MSG average is {how}. Rank 1 is the best position by each measure's polarity; "
        "for most crime rates lower is better, for drug trafficking (found by proactive "
        "policing) higher is better.",
    )


RULE_WORDS = {
    "pct_band": "a rate more than {band_pct:g}% above the {average} MSG mean is 'higher than', "
                "more than {band_pct:g}% below it 'below', and within +/-{band_pct:g}% 'similar "
                "to'",
    "sd_band": "a rate more than {k:g} standard deviations of the MSG members' rates above or "
               "below the {average} MSG mean is 'higher than' or 'below', otherwise 'similar to'",
    "poisson_exact": "an exact Poisson test of the force's count against the count the "
                     "{average} MSG mean rate would give (two-sided, alpha {alpha:g}) decides "
                     "'higher than' or 'below'; otherwise 'similar to'",
    "funnel": "the force's rate outside the {confidence:.0%} funnel limits around the "
              "{average} MSG mean (with overdispersion) is 'higher than' or 'below'; otherwise "
              "'similar to'",
}
RULE_DEFAULTS = {"band_pct": 15.0, "k": 1.0, "alpha": 0.05, "confidence": 0.95}


def _comparison(used: Sequence[MeasureResult], settings: dict[str, Any]) -> tuple[str, ...]:
    rule = settings.get("comparison_rule", "pct_band")
    # Every rule judges against the MSG average printed (compute/benchmarks.py).
    params = {**RULE_DEFAULTS, "average": settings.get("average", "simple"),
              **dict(settings.get("comparison_parameters") or {})}
    words = RULE_WORDS.get(rule)
    first = (f"The words below / similar to / higher than MSG average rates follow the rule "
             f"'{rule}'" + (f": {words.format(**params)}." if words else ".")
             + " No public source states the rule iQuanta uses, so it is a documented choice; "
             "explain (policeperf explain MEASURE) prints each measure's numbers.")
    return (first,
            "Differences from national are printed in the unit of the measure: percentage "
            "points for proportions, absolute values for averages.")


def _trend(used: Sequence[MeasureResult], settings: dict[str, Any]) -> tuple[str, ...]:
    alpha = settings.get("trend_alpha", 0.05)
    moderate = settings.get("trend_moderate_pct", 5.0)
    strong = settings.get("trend_strong_pct", 15.0)
    return (
        f"Trend / Outlook: a Mann-Kendall test on the underlying period values (significance "
        f"level {alpha}) with Sen's slope as a % change per year: 'Stable' when not "
        f"significant or under {moderate}% a year, 'Moderate' from {moderate}% a year, "
        f"'Strong' from {strong}% a year. The Hamed-Rao correction allows for autocorrelation. "
        "Rolling 12-month figures are not tested themselves: ONS figures are tested on "
        "non-overlapping years ending in the report's month, force series on their months or "
        "quarters. The window is the latest 8 values, or two years of values when that is "
        "more: 8 yearly, 8 quarterly or 24 monthly values, counted as values (a missing month "
        "makes the window reach one month further back). Neighbourhood crime uses the pre-COVID "
        "years as its baseline, leaving out April 2020 to March 2021, so its outlook says where "
        "it was heading before the pandemic. 'Insufficient data' means fewer than 5 yearly "
        "(8 monthly or quarterly) values.",
        "Change on a year earlier: the latest figure against the same period a year before, as "
        "a % for counts and rates and in percentage points for proportions. It is called "
        "significant when a two-sided test at the 5% level says it is more than chance: for "
        "counts and rates the exact test of two Poisson counts (the conditional binomial test, "
        "with the two populations as exposures for rates); for proportions the pooled "
        "two-proportion z-test; durations, averages and hours are not tested. Where the trend "
        "word and the change seem to disagree, a note under the table says why.",
    )


def _stand_ins(used: Sequence[MeasureResult]) -> tuple[str, ...]:
    seen = {r.id: r for r in used if r.stand_in}
    if not seen:
        return ("No measure in this report uses a stand-in source.",)
    return tuple(f"{r.stand_in}: {r.stand_in_reason or 'its own source is not loaded.'}"
                 for r in seen.values())


def _spc(settings: dict[str, Any]) -> tuple[str, ...]:
    spc = settings.get("spc", {})
    trend = spc.get("trend_points", 7)
    shift = spc.get("shift_points", 7)
    return (
        "Statistical process control (XmR, as in NHS 'Making Data Count'): limits are the mean "
        "plus or minus 2.66 times the average moving range. Rules in order: a point outside the "
        f"limits; a run of {trend} points each higher (or lower) than the last; two of three "
        f"points beyond two-thirds of the limits on one side; {shift} points in a row on one "
        "side of the mean. Signals are improvement or concern by the measure's polarity.",
    )


def sections(measures: MeasuresReport, used: Sequence[MeasureResult]) -> tuple[MethodSection, ...]:
    """The method note's sections for the measures a report shows."""
    settings = measures.settings
    return (
        MethodSection("Data sources and editions", _sources(used)),
        MethodSection("Denominators", _denominators(used)),
        MethodSection("Peer group and average", _peer_group(measures, settings)),
        MethodSection("Comparison with the MSG and national", _comparison(used, settings)),
        MethodSection("Trend, outlook and change on a year earlier", _trend(used, settings)),
        MethodSection("Stand-in measures", _stand_ins(used)),
        MethodSection("SPC rules", _spc(settings)),
    )


def _area_name(code: str | None) -> str:
    if code is None:
        return "All areas"
    try:
        return by_code(code).name
    except Exception:  # an area outside the reference list is printed by its code
        return code


def relevant_quality(
    warnings: Sequence[QualityWarning], used: Sequence[MeasureResult], measures: MeasuresReport
) -> list[QualityNote]:
    """Keep the warnings about the areas, offences and periods the report's figures use.

    Areas: the force and its peer group. Offences: the ONS offence groups the measures used
    (a warning without an offence, e.g. a missing period, concerns every offence). Periods:
    from the earliest to the latest point of the series shown.
    """
    areas = {measures.force_code} | {p.area_code for r in used for p in r.peers}
    offences = {r.source_used.split()[-1] for r in used
                if r.source_used and r.source_used.startswith("ons_offence")}
    dates = [p.period_end for r in used for p in r.series]
    first, last = (min(dates), max(dates)) if dates else (measures.period_end, measures.period_end)
    kept = [
        w for w in warnings
        if (w.area_code is None or w.area_code in areas)
        and (w.offence is None or w.offence in offences)
        and first <= w.period_end <= last
    ]
    kept.sort(key=lambda w: (w.period_end, _area_name(w.area_code), w.offence or "", w.kind))
    return [
        QualityNote(_area_name(w.area_code), f"{w.period_end:%b %Y}", w.offence or "all",
                    w.kind.replace("_", " "), w.message)
        for w in kept
    ]
