"""The national summary as data to render: words, tables and the method note (no rendering).

:func:`summary_tables` gives the CSVs (the ranks, the rank history, the funnel limits);
:func:`method_note` says how ranks, ties, left-out forces and peer labels are handled, in the
same words as docs/national.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from policeperf.compute.national_ranks import MeasureRanking, NationalSummary
from policeperf.report.data import ChartBlock
from policeperf.report.period import quarter_label, window_label

__all__ = [
    "MeasurePage",
    "NationalView",
    "OverviewRow",
    "method_note",
    "overview_rows",
    "summary_tables",
]

BASIS = (
    "Ranks are national: every force of England and Wales that has a rate for the 12 months, "
    "ranked against all the others (1st = the best: the lowest rate where lower is better, the "
    "highest where higher is better). They are not peer-group ranks. Each force's own "
    "peer-group rank is shown beside it as its report prints it, labelled with its basis: "
    "\"MSG\" for an official Most Similar Group, \"similar forces (computed)\" for a group "
    "policeperf computed from open data (not the Home Office's MSG)."
)


@dataclass(frozen=True)
class MeasurePage:
    """One measure: its ranking, funnel plot and rank small multiples."""

    ranking: MeasureRanking
    decimals: int
    funnel: ChartBlock | None
    multiples: ChartBlock | None
    notes: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The page's id in the HTML."""
        return f"measure-{self.ranking.measure_id.replace('_', '-')}"


@dataclass(frozen=True)
class OverviewRow:
    """One force's national rank on every measure (None where it is not ranked)."""

    force: str
    ranks: tuple[str, ...]
    quintiles: tuple[int | None, ...]  # 1 = best fifth ... 5 = worst fifth, for shading


@dataclass(frozen=True)
class NationalView:
    """Everything the national summary's template shows."""

    title: str
    period_label: str
    window_label: str
    basis: str
    pages: tuple[MeasurePage, ...]
    overview: tuple[OverviewRow, ...]
    left_out: tuple[tuple[str, str], ...]
    method: tuple[tuple[str, str], ...]
    csv_files: tuple[str, ...]


def _quintile(rank: int, of: int) -> int:
    return min(5, 1 + (5 * (rank - 1)) // max(1, of))


def overview_rows(summary: NationalSummary) -> tuple[OverviewRow, ...]:
    """One row per force: its rank label on each measure, forces in name order."""
    names = sorted({r.figure.name for m in summary.rankings for r in m.ranks})
    out = []
    for name in names:
        labels: list[str] = []
        quintiles: list[int | None] = []
        for m in summary.rankings:
            hit = next((r for r in m.ranks if r.figure.name == name), None)
            if hit is None or hit.rank is None:
                labels.append("–")
                quintiles.append(None)
            else:
                labels.append(f"{'=' if hit.tied else ''}{hit.rank}")
                quintiles.append(_quintile(hit.rank, hit.of))
        out.append(OverviewRow(name, tuple(labels), tuple(quintiles)))
    return tuple(out)


def left_out_forces(summary: NationalSummary) -> tuple[tuple[str, str], ...]:
    """Forces left out of at least one ranking, with the reason (first one given)."""
    seen: dict[str, str] = {}
    for m in summary.rankings:
        for r in m.left_out:
            seen.setdefault(r.figure.name, str(r.figure.excluded))
    return tuple(sorted(seen.items()))


def method_note(summary: NationalSummary) -> tuple[tuple[str, str], ...]:
    """The method note's sections: (heading, text)."""
    periods = summary.periods
    history = (f"The rank small multiples show each force's national rank at the {len(periods)} "
               f"latest quarter ends with figures for every measure, {quarter_label(periods[0])} "
               f"to {quarter_label(periods[-1])}; a quarter with no published figures in the "
               "warehouse is skipped, so the steps are not always three months. Each point ranks "
               "the forces with a figure for the 12 months to that quarter end, in the same way "
               "as the latest quarter; a force an edition left out (Greater Manchester for "
               "the year ending December 2019, for example) has no point there." if periods else
               "No earlier quarters are loaded, so there is no rank history.")
    funnels = "; ".join(f"{m.title}: {m.funnel.describe()}" for m in summary.rankings
                        if m.funnel is not None)
    stand_ins = [f"{', '.join(t for _, t in m.stands_in_for)} (ranked as {m.title})"
                 for m in summary.rankings if m.stands_in_for]
    return (
        ("Basis of the ranks", BASIS),
        ("Direction and ties", "Rank 1 is the best, as in the peer-group ranks: for a measure "
         "where lower is better the lowest rate ranks 1st. Rates are compared exactly, to all "
         "the digits computed, not as printed; forces with equal rates share the best rank "
         "they cover, marked \"=\" (two forces tied for 5th are both =5th and the next force "
         "is 7th). The size of each ranking (\"/42\") counts the forces ranked."),
        ("Forces left out", "A force without a rate for the period is not ranked and is listed "
         "with the reason under each table: City of London, whose rates ONS suppresses (about "
         "10,000 residents beside far more people who work in or visit it), and any force an "
         "edition leaves out. A left-out force is also out of the funnel limits and of the "
         "England and Wales comparison drawn; the England and Wales rate is ONS's (when an "
         "edition leaves a force out of the national total, its denominator leaves that force "
         "out too)."),
        ("Funnel plots", "Each force's rate against its residents (or households) with 95% and "
         "99.8% limits around the England and Wales rate, widened for overdispersion between "
         "forces (Spiegelhalter 2005); the colour says where a force falls against the limits "
         "at its own size, not whether that is good. " + funnels + "."),
        ("Rank history", history),
        ("Measures ranked", "Every recorded crime rate the catalogue benchmarks. A measure "
         "whose figures are another measure's stand-in is ranked once, under the measure "
         "whose figures they are: " + ("; ".join(stand_ins) if stand_ins else "none") + ". "
         "Force-held measures (surveys, criminal justice timeliness) are not ranked: each "
         "force holds its own, and no national file of them is loaded."),
        ("Data", "ONS police recorded crime by police force area (Open Government Licence), "
         f"12 months to {summary.period_end:%B %Y}; every figure is in the CSV files beside "
         "this summary."),
    )


def summary_tables(summary: NationalSummary) -> dict[str, pl.DataFrame]:
    """The CSVs written beside the summary, by file name."""
    ranks = [
        {"measure_id": m.measure_id, "measure": m.title, "unit": m.unit, "polarity": m.polarity,
         "period_end": m.period_end, "force_code": r.figure.area_code, "force": r.figure.name,
         "value": r.figure.value, "count": r.figure.count, "denominator": r.figure.denominator,
         "national_rank": r.rank, "ranked_of": r.of, "tied": r.tied, "rank_label": r.label,
         "funnel_band": r.band, "england_and_wales": m.national_value,
         "peer_group_rank": r.figure.peer_label, "left_out_because": r.figure.excluded}
        for m in summary.rankings for r in m.ranks
    ]
    history = [
        {"measure_id": m.measure_id, "measure": m.title, "period_end": p.period_end,
         "force_code": p.area_code, "force": p.name, "value": p.value, "national_rank": p.rank,
         "ranked_of": p.of, "tied": p.tied}
        for m in summary.rankings for p in m.history
    ]
    limits = [
        {"measure_id": m.measure_id, "measure": m.title, "england_and_wales": m.funnel.centre,
         "denominator": n, "lower95": lo95, "upper95": hi95, "lower998": lo998,
         "upper998": hi998, "tau2": m.funnel.tau2}
        for m in summary.rankings if m.funnel is not None
        for n, lo95, hi95, lo998, hi998 in zip(m.funnel.denominators, m.funnel.lower95,
                                               m.funnel.upper95, m.funnel.lower998,
                                               m.funnel.upper998, strict=True)
    ]
    return {"national-ranks.csv": pl.DataFrame(ranks, infer_schema_length=None),
            "rank-history.csv": pl.DataFrame(history, infer_schema_length=None),
            "funnel-limits.csv": pl.DataFrame(limits, infer_schema_length=None)}


def labels(summary: NationalSummary) -> tuple[str, str]:
    """(period label, window label) of the summary's period."""
    return quarter_label(summary.period_end), window_label(summary.period_end)
