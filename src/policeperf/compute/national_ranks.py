"""National ranks: every force ranked on every benchmarked measure, now and over time.

Input is one long frame (:data:`NATIONAL_COLUMNS`): a row per measure, force and period end,
as :func:`policeperf.report.national_data.national_frame` (or, later, the results store) gives
it. The statistics here are the peer ranks' (:func:`~policeperf.compute.benchmarks.rank_in_group`)
applied to all forces at once, so that a national rank and a group rank never disagree on
direction or ties:

- **Direction**: rank 1 is the best, as in a peer group: the lowest rate for a
  ``lower_is_better`` measure (most crime rates), the highest for ``higher_is_better`` (e.g.
  drug offences, which rise with proactive policing).
- **Ties**: rates are compared exactly; tied forces share the best rank they cover ("=5th"),
  and the next force is ranked after all of them (5th, 5th, 7th).
- **Left out**: a force with no rate for the period is not ranked, and ``excluded`` says why:
  City of London, whose rates ONS suppresses, or a force an edition leaves out. The size of
  the ranking ("12th/42") counts the ranked forces only.
- **Stand-ins**: a measure whose figures are another measure's (e.g. serious violence shown
  with violence with injury, its stand-in) is ranked once, under the measure it is, and says
  which measures it stands in for.

Funnel limits come from :func:`policeperf.compute.funnel.funnel_limits` around the England and
Wales rate, and each force's place against them is given as a band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from policeperf.compute.benchmarks import PER, PeerRate, ordinal, rank_in_group
from policeperf.compute.funnel import Z95, Z998, FunnelLimits, funnel_limits

__all__ = [
    "NATIONAL_COLUMNS",
    "ForceFigure",
    "MeasureRanking",
    "NationalRank",
    "NationalSummary",
    "RankPoint",
    "funnel_band",
    "national_rankings",
    "rank_forces",
]

#: The input frame's columns. ``peer_label`` is the force's own group rank as its report
#: prints it ("3rd/8 similar forces (computed) (...)"), at the ranked period only;
#: ``excluded`` is why the force has no rate (null when it has one).
NATIONAL_COLUMNS: dict[str, type[pl.DataType] | pl.DataType] = {
    "measure_id": pl.Utf8, "title": pl.Utf8, "unit": pl.Utf8, "polarity": pl.Utf8,
    "source_used": pl.Utf8, "stand_in": pl.Utf8, "area_code": pl.Utf8, "force": pl.Utf8,
    "period_end": pl.Date, "value": pl.Float64, "count": pl.Float64, "denominator": pl.Float64,
    "national_value": pl.Float64, "peer_label": pl.Utf8, "excluded": pl.Utf8,
}


@dataclass(frozen=True)
class ForceFigure:
    """One force's figure for one measure and period (value None: not ranked, see excluded)."""

    area_code: str
    name: str
    value: float | None
    count: float | None = None
    denominator: float | None = None
    excluded: str | None = None
    peer_label: str | None = None


@dataclass(frozen=True)
class NationalRank:
    """A force's place among all ranked forces; ``rank`` None when it is left out."""

    figure: ForceFigure
    rank: int | None
    of: int
    tied: bool = False
    band: str | None = None  # place against the funnel limits, see funnel_band

    @property
    def label(self) -> str:
        """ "=5th/42", "12th/42", or "not ranked"."""
        if self.rank is None:
            return "not ranked"
        return f"{'=' if self.tied else ''}{ordinal(self.rank)}/{self.of}"


@dataclass(frozen=True)
class RankPoint:
    """One point of a force's national rank over time."""

    period_end: date
    area_code: str
    name: str
    value: float
    rank: int
    of: int
    tied: bool


@dataclass(frozen=True)
class MeasureRanking:
    """Every force ranked on one measure: the period's table, the history and the funnel."""

    measure_id: str
    title: str
    unit: str
    polarity: str
    period_end: date
    national_value: float | None
    ranks: tuple[NationalRank, ...]  # ranked forces best first, then those left out
    history: tuple[RankPoint, ...]
    funnel: FunnelLimits | None
    stands_in_for: tuple[tuple[str, str], ...] = ()  # (measure id, title) shown with these

    @property
    def ranked(self) -> tuple[NationalRank, ...]:
        """The forces that have a rank, best first."""
        return tuple(r for r in self.ranks if r.rank is not None)

    @property
    def left_out(self) -> tuple[NationalRank, ...]:
        """The forces that are not ranked, each with its reason."""
        return tuple(r for r in self.ranks if r.rank is None)


@dataclass(frozen=True)
class NationalSummary:
    """Every benchmarked measure ranked nationally for one period."""

    period_end: date
    rankings: tuple[MeasureRanking, ...]
    periods: tuple[date, ...]  # the period ends of the rank history, oldest first

    def ranking(self, measure_id: str) -> MeasureRanking:
        """The ranking of one measure (also found by a measure it stands in for)."""
        for r in self.rankings:
            if measure_id == r.measure_id or measure_id in dict(r.stands_in_for):
                return r
        raise KeyError(f"no national ranking for {measure_id!r}; ranked: "
                       f"{', '.join(r.measure_id for r in self.rankings)}")


def rank_forces(figures: Sequence[ForceFigure], polarity: str) -> tuple[NationalRank, ...]:
    """Rank forces on their values: 1 is best, ties share the best rank they cover.

    Forces without a value are kept at the end, unranked, in name order, with ``excluded``
    saying why ("no figure for this period" when the caller gave no reason).
    """
    have = [f for f in figures if f.value is not None and math.isfinite(f.value)]
    group = [PeerRate(f.area_code, f.name, f.count or 0.0, f.denominator or 0.0,
                      float(f.value or 0.0)) for f in have]
    ranked = []
    for f in have:
        r = rank_in_group(group, f.area_code, polarity)  # type: ignore[arg-type]
        ranked.append(NationalRank(f, r.rank, r.size, r.tied))
    ranked.sort(key=lambda r: (r.rank or 0, r.figure.name))
    missing = sorted((f for f in figures if f not in have), key=lambda f: f.name)
    left = [NationalRank(f if f.excluded else ForceFigure(
        f.area_code, f.name, None, f.count, f.denominator, "no figure for this period",
        f.peer_label), None, len(have)) for f in missing]
    return (*ranked, *left)


def funnel_band(value: float, denominator: float, limits: FunnelLimits) -> str:
    """Where a force falls against the funnel limits at its own denominator.

    One of "above 99.8%", "above 95%", "within 95%", "below 95%", "below 99.8%" (the same
    limits as drawn: the England and Wales rate +/- z x sqrt(1,000 x theta / n + tau^2)).
    """
    spread = math.sqrt(PER * limits.centre / denominator + limits.tau2)
    z = (value - limits.centre) / spread
    if z > Z998:
        return "above 99.8%"
    if z > Z95:
        return "above 95%"
    if z < -Z998:
        return "below 99.8%"
    if z < -Z95:
        return "below 95%"
    return "within 95%"


def _figures(rows: pl.DataFrame) -> list[ForceFigure]:
    return [ForceFigure(r["area_code"], r["force"], r["value"], r["count"], r["denominator"],
                        r["excluded"], r["peer_label"])
            for r in rows.sort("force").iter_rows(named=True)]


def _with_bands(ranks: tuple[NationalRank, ...],
                limits: FunnelLimits | None) -> tuple[NationalRank, ...]:
    if limits is None:
        return ranks
    return tuple(
        NationalRank(r.figure, r.rank, r.of, r.tied,
                     funnel_band(r.figure.value, r.figure.denominator, limits))
        if r.rank is not None and r.figure.value is not None and r.figure.denominator
        else r
        for r in ranks
    )


def _history(rows: pl.DataFrame, periods: Sequence[date], polarity: str) -> tuple[RankPoint, ...]:
    points: list[RankPoint] = []
    for period in periods:
        ranks = rank_forces(_figures(rows.filter(pl.col("period_end") == period)), polarity)
        points.extend(RankPoint(period, r.figure.area_code, r.figure.name,
                                float(r.figure.value or 0.0), r.rank, r.of, r.tied)
                      for r in ranks if r.rank is not None)
    return tuple(points)


def _history_periods(frame: pl.DataFrame, period_end: date, quarters: int) -> tuple[date, ...]:
    """The last ``quarters`` quarter ends up to the period where at least three forces have a
    rate on every measure, oldest first."""
    ends = (frame.filter((pl.col("period_end") <= period_end) & pl.col("value").is_not_null()
                         & pl.col("period_end").dt.month().is_in([3, 6, 9, 12]))
            .group_by("period_end", "measure_id").agg(pl.len().alias("n"))
            .group_by("period_end").agg(pl.col("n").min())
            .filter(pl.col("n") >= 3).sort("period_end"))
    return tuple(ends["period_end"].to_list()[-quarters:])


def _measure_groups(frame: pl.DataFrame) -> list[tuple[str, tuple[str, ...]]]:
    """(measure ranked, measures it stands in for) in catalogue order: measures with the same
    figures (the same source) are ranked once, under the one that is not a stand-in."""
    info = frame.select("measure_id", "source_used", "stand_in").unique(
        "measure_id", keep="first", maintain_order=True)
    groups: dict[str, list[tuple[str, bool]]] = {}
    for mid, source, stand_in in info.iter_rows():
        groups.setdefault(str(source), []).append((mid, stand_in is not None))
    out = []
    for members in groups.values():
        main = next((m for m, s in members if not s), members[0][0])
        out.append((main, tuple(m for m, _ in members if m != main)))
    order = {m: i for i, m in enumerate(info["measure_id"].to_list())}
    return sorted(out, key=lambda g: order[g[0]])


def national_rankings(frame: pl.DataFrame, period_end: date, *,
                      quarters: int = 8) -> NationalSummary:
    """Rank every force on every measure of the frame, at ``period_end`` and over time.

    Args:
        frame: Rows with :data:`NATIONAL_COLUMNS` (a row per measure, force and period end).
        period_end: The period ranked in the table and the funnel plot.
        quarters: How many quarter ends (up to ``period_end``) the rank history covers.

    Returns:
        One ranking per measure, in the frame's order; measures with no force ranked at the
        period are left out.
    """
    missing = set(NATIONAL_COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"national_rankings needs columns {sorted(missing)}")
    periods = _history_periods(frame, period_end, quarters)
    rankings: list[MeasureRanking] = []
    for measure_id, also in _measure_groups(frame):
        rows = frame.filter(pl.col("measure_id") == measure_id)
        now = rows.filter(pl.col("period_end") == period_end)
        if now.filter(pl.col("value").is_not_null()).is_empty():
            continue
        head = now.row(0, named=True)
        polarity = str(head["polarity"])
        ranks = rank_forces(_figures(now), polarity)
        national = now["national_value"].drop_nulls()
        centre = float(national[0]) if len(national) else None
        shown = [r.figure for r in ranks if r.rank is not None and r.figure.denominator]
        limits = funnel_limits([float(f.value or 0.0) for f in shown],
                               [float(f.denominator or 0.0) for f in shown], centre,
                               excluded=[(r.figure.name, str(r.figure.excluded))
                                         for r in ranks if r.rank is None])
        titles = {str(m): str(t) for m, t in frame.filter(pl.col("measure_id").is_in(list(also)))
                  .select("measure_id", "title").unique("measure_id").iter_rows()}
        rankings.append(MeasureRanking(
            measure_id, str(head["stand_in"] or head["title"]), str(head["unit"]), polarity,
            period_end, centre,
            _with_bands(ranks, limits), _history(rows, periods, polarity), limits,
            tuple((m, titles[m]) for m in also if m in titles)))
    return NationalSummary(period_end, tuple(rankings), periods)
