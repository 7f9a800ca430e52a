"""National ranks on hand-worked cases: direction, ties, left-out forces, stand-ins, history."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from policeperf.compute.funnel import FunnelLimits
from policeperf.compute.national_ranks import (
    NATIONAL_COLUMNS,
    ForceFigure,
    funnel_band,
    national_rankings,
    rank_forces,
)

CITY = "ONS suppresses its rates"
FIGURES = [
    ForceFigure("A", "Alpha", 2.0, 20, 10_000),
    ForceFigure("B", "Bravo", 1.0, 10, 10_000),
    ForceFigure("C", "Charlie", 2.0, 40, 20_000),
    ForceFigure("D", "Delta", 3.0, 30, 10_000),
    ForceFigure("L", "City", None, 5, 100, excluded=CITY),
]


def test_lower_is_better_ranks_the_lowest_rate_first_and_ties_share_the_best_rank() -> None:
    ranks = rank_forces(FIGURES, "lower_is_better")
    got = [(r.figure.name, r.rank, r.tied, r.label) for r in ranks]
    # Bravo 1.0 is best; Alpha and Charlie (2.0) share 2nd; Delta is 4th, not 3rd.
    assert got == [("Bravo", 1, False, "1st/4"), ("Alpha", 2, True, "=2nd/4"),
                   ("Charlie", 2, True, "=2nd/4"), ("Delta", 4, False, "4th/4"),
                   ("City", None, False, "not ranked")]


def test_higher_is_better_ranks_the_highest_rate_first() -> None:
    ranks = rank_forces(FIGURES, "higher_is_better")
    assert [(r.figure.name, r.rank) for r in ranks if r.rank] == [
        ("Delta", 1), ("Alpha", 2), ("Charlie", 2), ("Bravo", 4)]


def test_a_suppressed_force_is_left_out_with_its_reason_and_not_counted_in_the_size() -> None:
    ranks = rank_forces(FIGURES, "lower_is_better")
    city = ranks[-1]
    assert city.rank is None and city.figure.excluded == CITY
    assert {r.of for r in ranks} == {4}


def test_a_force_without_a_figure_or_a_reason_is_said_to_have_no_figure() -> None:
    ranks = rank_forces([ForceFigure("A", "Alpha", 1.0), ForceFigure("B", "Bravo", None)],
                        "lower_is_better")
    assert ranks[1].figure.excluded == "no figure for this period"


def test_funnel_band_places_a_force_against_the_limits_at_its_own_size() -> None:
    # Centre 10 per 1,000, no overdispersion, 100,000 residents:
    # s = sqrt(1,000 x 10 / 100,000) = 0.3162; z(10.7) = 2.21 > 1.96; z(11.0) = 3.16 > 3.09.
    limits = FunnelLimits(10.0, (), (), (), (), (), 1.0, 0.0, False, 3)
    assert funnel_band(10.7, 100_000, limits) == "above 95%"
    assert funnel_band(11.0, 100_000, limits) == "above 99.8%"
    assert funnel_band(9.5, 100_000, limits) == "within 95%"
    assert funnel_band(9.0, 100_000, limits) == "below 99.8%"
    # tau^2 = 1 widens the spread to sqrt(0.1 + 1) = 1.049: 11.0 is within.
    wide = FunnelLimits(10.0, (), (), (), (), (), 1.0, 1.0, True, 3)
    assert funnel_band(11.0, 100_000, wide) == "within 95%"


def _frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    base = {c: None for c in NATIONAL_COLUMNS}
    return pl.DataFrame([{**base, **r} for r in rows], schema=NATIONAL_COLUMNS)


def _rows(measure: str, period: date, values: dict[str, float | None], *, source: str,
          stand_in: str | None = None) -> list[dict[str, object]]:
    names = {"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta", "L": "City"}
    return [{"measure_id": measure, "title": measure.title(), "unit": "per 1,000 residents",
             "polarity": "lower_is_better", "source_used": source, "stand_in": stand_in,
             "area_code": code, "force": names[code], "period_end": period, "value": v,
             "count": None if v is None else v * 100, "denominator": 100_000.0,
             "national_value": 2.0, "excluded": CITY if v is None else None}
            for code, v in values.items()]


JUN, MAR, DEC, NOV = date(2022, 6, 30), date(2022, 3, 31), date(2021, 12, 31), date(2021, 11, 30)


def test_national_rankings_rank_now_and_at_every_quarter_end_of_the_history() -> None:
    frame = _frame(
        _rows("burglary", JUN, {"A": 2.0, "B": 1.0, "C": 3.0, "D": 4.0, "L": None}, source="s1")
        + _rows("burglary", MAR, {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}, source="s1")
        + _rows("burglary", DEC, {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0}, source="s1")
        # November is no quarter end: it is not part of the history.
        + _rows("burglary", NOV, {"A": 9.0, "B": 9.0, "C": 9.0, "D": 9.0}, source="s1"))
    summary = national_rankings(frame, JUN, quarters=2)
    assert summary.periods == (MAR, JUN)  # the last two quarter ends
    ranking = summary.ranking("burglary")
    assert [(r.figure.name, r.rank) for r in ranking.ranked] == [
        ("Bravo", 1), ("Alpha", 2), ("Charlie", 3), ("Delta", 4)]
    assert [r.figure.name for r in ranking.left_out] == ["City"]
    alpha = [(p.period_end, p.rank, p.of) for p in ranking.history if p.name == "Alpha"]
    assert alpha == [(MAR, 1, 4), (JUN, 2, 4)]
    assert ranking.funnel is not None and ranking.funnel.centre == 2.0
    assert ranking.funnel.excluded == (("City", CITY),)


def test_a_stand_in_with_the_same_figures_is_ranked_once_under_the_measure_it_is() -> None:
    values = {"A": 2.0, "B": 1.0, "C": 3.0}
    frame = _frame(_rows("serious_violence", JUN, values, source="ons violence_with_injury",
                         stand_in="Violence with injury (stand-in for serious violence)")
                   + _rows("violence_with_injury", JUN, values, source="ons violence_with_injury")
                   + _rows("robbery", JUN, values, source="ons robbery"))
    summary = national_rankings(frame, JUN)
    assert [r.measure_id for r in summary.rankings] == ["violence_with_injury", "robbery"]
    violence = summary.ranking("serious_violence")
    assert violence.measure_id == "violence_with_injury"
    assert violence.stands_in_for == (("serious_violence", "Serious_Violence"),)


def test_a_measure_no_force_has_a_figure_for_is_not_ranked() -> None:
    frame = _frame(_rows("robbery", JUN, {"A": None, "B": None}, source="s"))
    assert national_rankings(frame, JUN).rankings == ()


def test_national_rankings_say_which_columns_are_missing() -> None:
    with pytest.raises(ValueError, match="needs columns"):
        national_rankings(pl.DataFrame({"measure_id": ["x"]}), JUN)


def test_ranks_compare_rates_exactly_not_as_printed() -> None:
    close = [ForceFigure("A", "Alpha", 1.0004), ForceFigure("B", "Bravo", 1.0001)]
    ranks = rank_forces(close, "lower_is_better")
    assert [(r.figure.name, r.label) for r in ranks] == [("Bravo", "1st/2"), ("Alpha", "2nd/2")]
