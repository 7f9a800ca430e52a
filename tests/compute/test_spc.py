"""Tests for policeperf.compute.spc: the Making Data Count XmR chart.

Hand-worked cases first, then oracle comparisons against two independent implementations on real
ONS series (rolling 12-month totals, 2003-2018, and their quarter-to-quarter changes):

* pyqicharts 2.0 ``qic_table(chart="i")``: sigma = AMR / 1.128 and limits = mean +/- 3 sigma,
  i.e. 2.6596 AMR, not MDC's rounded 2.66; so we compare the centre and the AMR recovered from
  its limits (AMR = (UCL - centre) x 1.128 / 3), and rule 1 on points well clear of the limits.
  Its MR screening (``exclude_mr_outliers``) also drops the screened points from the mean, unlike
  MDC, so we compare with screening off on both sides. Its shift rule skips points on the centre
  and its trend rule skips ties (MDC: both break the run), and its two-sigma rule counts points
  outside the limits (NHSRplotthedots does not), so its other rules are not used as an oracle.
* abspc 1.1: ``detect_special_causes`` hard-codes shift 8 and trend 6, so we call its rule
  helpers with run_length=7; their conventions (strict comparisons, ties and points on the mean
  break runs, two-in-three as NHSRplotthedots) are MDC's. Its limits use 3 / 1.128 too, so we feed
  it our limits.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from abspc import spc as abspc_spc  # type: ignore[import-untyped]
from pyqicharts.tables import qic_table  # type: ignore[import-untyped]

from policeperf.compute.spc import Polarity, SpcResult, SpcSettings, xmr_chart

REC_CRIME = Path(__file__).parents[2] / "src/policeperf/data/ons-rec-crime-pfa/rec-crime-pfa.csv.gz"


def month_ends(n: int, year: int = 2021, month: int = 1) -> list[date]:
    out = []
    for i in range(n):
        y, m = divmod(year * 12 + month - 1 + i, 12)
        out.append(date(y, m + 1, calendar.monthrange(y, m + 1)[1]))
    return out


def chart(
    values: Sequence[float],
    polarity: Polarity = "lower_is_better",
    target: float | None = None,
    **settings: Any,
) -> SpcResult:
    """XmR chart of monthly values from January 2021."""
    points: list[tuple[date, float | None]] = list(
        zip(month_ends(len(values)), values, strict=True)
    )
    return xmr_chart(points, polarity, SpcSettings(**settings), target=target)


def rules(result: SpcResult) -> list[str | None]:
    return [p.rule for p in result.points]


def test_limits_are_mean_plus_minus_266_average_moving_ranges() -> None:
    # 10, 14, 12, 16, 12: mean = 64/5 = 12.8; MR = 4, 2, 4, 4 -> AMR = 3.5 (none >= 11.43)
    # limits = 12.8 +/- 2.66 x 3.5 = 12.8 +/- 9.31 -> 3.49 to 22.11
    # near   = 12.8 +/- (2/3 x 2.66) x 3.5 = 12.8 +/- 6.2067 -> 6.5933 to 19.0067
    result = chart([10, 14, 12, 16, 12])
    p = result.points[0]
    assert p.centre == pytest.approx(12.8)
    assert p.lower == pytest.approx(3.49)
    assert p.upper == pytest.approx(22.11)
    assert p.near_lower == pytest.approx(6.59333, abs=1e-5)
    assert p.near_upper == pytest.approx(19.00667, abs=1e-5)
    assert rules(result) == [None] * 5
    assert result.variation == "common cause"


def test_fewer_than_twelve_points_give_trial_limits() -> None:
    assert all(p.trial for p in chart([10, 14, 12, 16, 12]).points)
    assert not any(p.trial for p in chart([10, 14] * 6).points)


def test_large_moving_ranges_are_screened_before_the_limits() -> None:
    # 10,13,10,13,10,40,10,13,10,13,10,13: MR = 3,3,3,3,30,30,3,3,3,3,3 -> AMR = 87/11 = 7.909
    # screen at 3.267 x 7.909 = 25.84 removes both 30s -> AMR = 27/9 = 3.0
    # mean = (6x10 + 5x13 + 40)/12 = 13.75 (all points); limits 13.75 +/- 7.98 -> 40 is outside
    result = chart([10, 13, 10, 13, 10, 40, 10, 13, 10, 13, 10, 13])
    seg = result.segments[0]
    assert seg.amr == pytest.approx(3.0)
    assert (seg.screened_ranges, seg.mean) == (2, 13.75)
    assert result.points[0].upper == pytest.approx(13.75 + 7.98)
    assert rules(result) == [None] * 5 + ["outside_limits"] + [None] * 6
    assert result.points[5].signal == "concern"  # high in a lower-is-better measure
    unscreened = chart([10, 13, 10, 13, 10, 40, 10, 13, 10, 13, 10, 13], screen_outliers=False)
    assert unscreened.segments[0].amr == pytest.approx(87 / 11)


def test_seven_rising_points_fire_the_trend_rule_as_concern_when_lower_is_better() -> None:
    # 0,5,-5,5,-5,1,2,3,4,5,6,7: mean = 28/12 = 2.333; MR = 5,10,10,10,6,1,1,1,1,1,1 -> 47/11
    # limits 2.333 +/- 11.365; near +/- 7.577 (-5.24 to 9.91): nothing near or outside.
    # -5,1,2,...,7 is 8 strictly rising points (index 4..11): trend, rising -> concern, even
    # for the points below the mean.
    result = chart([0, 5, -5, 5, -5, 1, 2, 3, 4, 5, 6, 7])
    assert rules(result) == [None] * 4 + ["trend"] * 8
    assert {p.signal for p in result.points[4:]} == {"concern"}
    assert result.variation == "special cause concern"
    assert chart([0, 5, -5, 5, -5, 1, 2, 3, 4, 5, 6, 7], "higher_is_better").variation == (
        "special cause improvement"
    )


def test_a_tie_breaks_the_trend() -> None:
    # 1,2,3,3,4,5,6: the repeated 3 splits it into runs of 3 and 4 rising points.
    assert rules(chart([0, 5, -5, 5, -5, 1, 2, 3, 3, 4, 5, 6])) == [None] * 12


def test_trend_length_six_is_a_setting() -> None:
    # 0,5,-5,5,-5,-4,1,2,3,4,3,2: -5,-4,1,2,3,4 is 6 rising points (index 4..9).
    values = [0, 5, -5, 5, -5, -4, 1, 2, 3, 4, 3, 2]
    assert "trend" not in rules(chart(values))
    assert rules(chart(values, trend_points=6))[4:10] == ["trend"] * 6


def test_outside_limits_takes_precedence_over_trend() -> None:
    # 0,5,-5,5,-5,1,2,3,4,5,6,30: mean = 51/12 = 4.25; MR = 5,10,10,10,6,1,1,1,1,1,24 (70/11);
    # screen at 20.79 drops 24 -> AMR = 46/10 = 4.6; limits 4.25 +/- 12.236 -> 30 is outside.
    # The rising run -5..30 (index 4..11) is a trend; its last point reports rule 1.
    result = chart([0, 5, -5, 5, -5, 1, 2, 3, 4, 5, 6, 30])
    assert rules(result) == [None] * 4 + ["trend"] * 7 + ["outside_limits"]


def test_seven_points_on_each_side_of_the_mean_are_two_shifts() -> None:
    # 1,5,1,5,1,5,1 then -1,-5,-1,-5,-1,-5,-1: mean 0; MR = 4 x6, 2, 4 x6 -> AMR = 50/13 = 3.846
    # limits +/- 10.23, near +/- 6.82: every point inside; 7 above then 7 below.
    result = chart([1, 5, 1, 5, 1, 5, 1, -1, -5, -1, -5, -1, -5, -1])
    assert rules(result) == ["shift"] * 14
    assert [p.signal for p in result.points] == ["concern"] * 7 + ["improvement"] * 7
    assert result.variation == "special cause improvement"


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    # 1,5,1,0,5,1,5,-1,-5,-1,-5,-1,-5: sum 0 -> mean 0; the 0 splits the run above into 3 + 3;
    # six points below: a shift only when shift_points = 6.
    values = [1, 5, 1, 0, 5, 1, 5, -1, -5, -1, -5, -1, -5]
    assert rules(chart(values)) == [None] * 13
    assert rules(chart(values, shift_points=6)) == [None] * 7 + ["shift"] * 6


def test_two_of_three_near_the_upper_limit_flags_the_two_near_points() -> None:
    # 0,2,-2,0,2,-2,0,13,3,13,-2,0: mean = 27/12 = 2.25; MR = 2,4,2,2,4,2,13,10,10,15,2 -> AMR 6
    # limits 2.25 +/- 15.96 (-13.71 to 18.21); near 2.25 +/- 10.64 (-8.39 to 12.89)
    # 13, 3, 13 are all above the mean and two are beyond 12.89: those two fire rule 3; the 3 in
    # between is not flagged (as NHSRplotthedots). The first seven points are all below 2.25: a
    # shift (improvement for a lower-is-better measure).
    result = chart([0, 2, -2, 0, 2, -2, 0, 13, 3, 13, -2, 0])
    assert result.points[0].near_upper == pytest.approx(12.89)
    assert rules(result) == ["shift"] * 7 + ["two_of_three", None, "two_of_three", None, None]
    assert result.points[7].signal == "concern"
    assert result.points[0].signal == "improvement"


def test_rebasing_recalculates_limits_per_segment() -> None:
    # 10,12 x3 then 20,22 x3, rebased at July: segment means 11 and 21, AMR 2 in both,
    # limits 11 +/- 5.32 and 21 +/- 5.32. Without the rebase the jump would signal.
    values = [10, 12, 10, 12, 10, 12, 20, 22, 20, 22, 20, 22]
    result = chart(values, rebase_dates=(date(2021, 7, 1),))
    assert [s.mean for s in result.segments] == [11.0, 21.0]
    assert result.points[5].upper == pytest.approx(16.32)
    assert result.points[6].lower == pytest.approx(15.68)
    assert rules(result) == [None] * 12
    assert all(p.trial for p in result.points)  # 6 points each
    assert any(r is not None for r in rules(chart(values)))


def test_fixed_limits_come_from_the_first_k_points() -> None:
    # First 12 points alternate 10, 14: mean 12, AMR 4, limits 12 +/- 10.64 (1.36 to 22.64).
    # Points 13-15 (30, 31, 32) are judged against those limits, not their own.
    values = [10, 14] * 6 + [30, 31, 32]
    result = chart(values, fix_after=12)
    seg = result.segments[0]
    assert (seg.limit_points, seg.mean, seg.amr, seg.trial) == (12, 12.0, 4.0, False)
    assert rules(result)[12:] == ["outside_limits"] * 3


def test_target_assurance_by_polarity() -> None:
    # Latest segment: mean 21, limits 15.68 to 26.32.
    values = [10, 12, 10, 12, 10, 12, 20, 22, 20, 22, 20, 22]
    rebase = (date(2021, 7, 1),)

    def assurance(target: float, polarity: Polarity) -> str | None:
        return chart(values, polarity, rebase_dates=rebase, target=target).assurance

    assert assurance(30, "lower_is_better") == "consistently pass"  # target above the limit
    assert assurance(15, "lower_is_better") == "consistently fail"
    assert assurance(21, "lower_is_better") == "hit and miss"
    assert assurance(30, "higher_is_better") == "consistently fail"
    assert assurance(15, "higher_is_better") == "consistently pass"
    assert assurance(30, "neutral") is None
    assert chart(values, rebase_dates=rebase).assurance is None  # no target


def test_neutral_polarity_marks_signals_neutral() -> None:
    result = chart([1, 5, 1, 5, 1, 5, 1, -1, -5, -1, -5, -1, -5, -1], "neutral")
    assert {p.signal for p in result.points} == {"neutral"}
    assert result.variation == "special cause neutral"


def test_missing_values_are_dropped_and_counted() -> None:
    points = list(zip(month_ends(4), [10.0, None, 14.0, 12.0], strict=True))
    result = xmr_chart(points, "lower_is_better")
    assert result.missing_points == 1
    assert [p.value for p in result.points] == [10.0, 14.0, 12.0]


def test_a_single_point_has_no_limits_and_a_constant_series_no_signal() -> None:
    single = chart([5.0])
    assert single.points[0].upper is None and single.points[0].rule is None
    constant = chart([3.0] * 12)  # AMR 0: limits collapse on the mean; nothing lies beyond
    assert rules(constant) == [None] * 12
    assert constant.variation == "common cause"


def test_method_text_names_the_rules_and_limits() -> None:
    text = chart([10, 14, 12, 16, 12]).method
    assert "trend 7, shift 7" in text
    assert "limits 3.49 to 22.11" in text
    assert "trial limits" in text


def test_an_empty_series_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        xmr_chart([(date(2021, 1, 31), None)], "lower_is_better")


# ---- oracle comparisons on real ONS series ---------------------------------------------------

FORCES = ["Avon and Somerset", "Essex", "Kent", "Hampshire", "Sussex"]
OFFENCES = ["Vehicle offences", "Theft from the person", "Robbery", "Shoplifting", "Homicide"]


def real_series() -> list[tuple[str, list[date], np.ndarray]]:
    frame = pl.read_csv(REC_CRIME).with_columns(
        pl.col("12 months ending").str.strptime(pl.Date, "%d/%m/%Y").alias("end")
    )
    out = []
    for force in FORCES:
        for offence in OFFENCES:
            rows = frame.filter((pl.col("PFA") == force) & (pl.col("Offence") == offence))
            rows = rows.sort("end")
            dates = rows["end"].to_list()
            totals = rows["Rolling year total number of offences"].cast(pl.Float64).to_numpy()
            out.append((f"{force} {offence} rolling", dates, totals))
            out.append((f"{force} {offence} change", dates[1:], np.diff(totals)))
    return out


SERIES = real_series()


@pytest.mark.parametrize(("name", "dates", "values"), SERIES, ids=[s[0] for s in SERIES])
def test_centre_limits_and_rule_one_agree_with_pyqicharts(
    name: str, dates: list[date], values: np.ndarray
) -> None:
    ours = xmr_chart(
        list(zip(dates, values.tolist(), strict=True)),
        "lower_is_better",
        SpcSettings(screen_outliers=False),
    )
    table = qic_table(
        pd.DataFrame({"i": range(len(values)), "y": values}),
        "i",
        "y",
        chart="i",
        improvement="low is good",
    )
    seg = ours.segments[0]
    assert seg.mean == pytest.approx(float(table["centre"].iloc[0]))
    amr_pyqi = (float(table["ucl"].iloc[0]) - float(table["centre"].iloc[0])) * 1.128 / 3
    assert seg.amr == pytest.approx(amr_pyqi)
    # Rule 1 agrees wherever the two multipliers (2.66 vs 2.6596) do not straddle a point.
    assert seg.amr is not None
    clear = np.abs(np.abs(values - seg.mean) - 2.66 * seg.amr) > 0.001 * seg.amr
    theirs = (table["outside_ucl"] | table["outside_lcl"]).to_numpy()
    mine = np.array([p.rule == "outside_limits" for p in ours.points])
    assert (mine[clear] == theirs[clear]).all()


@pytest.mark.parametrize(("name", "dates", "values"), SERIES, ids=[s[0] for s in SERIES])
def test_flagged_points_agree_with_abspc_rule_helpers(
    name: str, dates: list[date], values: np.ndarray
) -> None:
    ours = xmr_chart(list(zip(dates, values.tolist(), strict=True)), "lower_is_better")
    seg = ours.segments[0]
    assert seg.amr is not None
    n = len(values)
    mean = np.full(n, seg.mean)
    ucl, lcl = mean + 2.66 * seg.amr, mean - 2.66 * seg.amr
    uwl, lwl = mean + 2 / 3 * 2.66 * seg.amr, mean - 2 / 3 * 2.66 * seg.amr
    rule_sets = {
        "outside_limits": abspc_spc._rule1_astronomical(values, ucl, lcl),
        "trend": abspc_spc._rule3_trend(values, run_length=7),
        "two_of_three": abspc_spc._rule4_two_in_three(values, mean, ucl, lcl, uwl, lwl),
        "shift": abspc_spc._rule2_shift(values, mean, run_length=7),
    }
    expected: list[str | None] = []
    for i in range(n):
        fired = [rule for rule, flags in rule_sets.items() if flags[i]]  # precedence order
        expected.append(fired[0] if fired else None)
    assert rules(ours) == expected


def test_the_real_series_exercise_every_rule() -> None:
    # Guard against a vacuous oracle: across the series above, each rule is the reported rule
    # for some point.
    seen = set()
    for _, dates, values in SERIES:
        result = xmr_chart(list(zip(dates, values.tolist(), strict=True)), "lower_is_better")
        seen.update(rules(result))
    assert {"outside_limits", "trend", "two_of_three", "shift"} <= seen
