"""Words that agree with the page: the change beside the trend word, and a note where they seem
to disagree."""

from __future__ import annotations

import dataclasses
from datetime import date

from policeperf.compute.change import year_change
from policeperf.report.words import change_sentence, disagreement_note, window_words
from policeperf.results import MeasureResult, SeriesPoint

END, BEFORE = date(2022, 6, 30), date(2021, 6, 30)


def rate(now: int, before: int, trend: str, **fields: object) -> MeasureResult:
    """A rate per 1,000 of a population of 1,000,000 with ``now`` and ``before`` offences."""
    pop = 1_000_000.0
    series = (SeriesPoint(BEFORE, before / pop * 1000, count=before, denominator=pop),
              SeriesPoint(END, now / pop * 1000, count=now, denominator=pop))
    base: dict[str, object] = dict(
        trend=trend, trend_p_value=0.11, trend_slope_pct=2.0, trend_n=8,
        trend_window_start=date(2015, 6, 30), trend_window_end=END,
        trend_method="Mann-Kendall ... (window: latest 8 values)")
    base.update(fields)
    return MeasureResult(id="m", title="M", priority="p", priority_title="P",
                         kind="recorded_crime_rate", unit="per 1,000 residents",
                         polarity="lower_is_better", period_end=END, value=now / pop * 1000,
                         count=now, denominator=pop, series=series,
                         **base)  # type: ignore[arg-type]


def test_the_change_reads_beside_the_trend_word_with_its_significance() -> None:
    # 130 against 100 offences: p = 0.056; 1,300 against 1,000: p < 0.001.
    small, large = rate(130, 100, "Stable"), rate(1300, 1000, "Stable")
    assert change_sentence(small, year_change(small)) == (
        "up 30.0% on a year earlier (not significant)")
    assert change_sentence(large, year_change(large)) == "up 30.0% on a year earlier (significant)"


def test_a_large_change_of_few_offences_beside_stable_is_explained_as_chance() -> None:
    # 13 to 21 homicides: +61.5%, exact test p = 0.23.
    r = rate(21, 13, "Stable")
    note = disagreement_note(r, year_change(r))
    assert note is not None
    assert note.startswith("\u201cStable\u201d beside \u201cup 61.5%\u201d on a year earlier")
    assert "(13 to 21 offences)" in note and "within what chance alone gives" in note
    assert "p = 0.23" in note
    assert "the latest 8 yearly values (June 2015 to June 2022)" in note


def test_a_significant_change_beside_stable_says_one_year_is_not_a_trend() -> None:
    r = rate(1300, 1000, "Stable", trend_p_value=0.02, trend_slope_pct=3.1)
    note = disagreement_note(r, year_change(r))
    assert note is not None
    assert "larger than chance (p < 0.001)" in note
    assert "a steady rise of only 3.1% a year, under the 5% a year" in note
    assert note.endswith("One unusual year is not yet a trend.")


def test_a_baseline_outlook_says_it_is_the_pre_covid_trend() -> None:
    r = rate(1300, 1000, "Stable", trend_method="... (window: baseline Apr 2012 to Mar 2020)",
             trend_window_start=date(2012, 6, 30), trend_window_end=date(2019, 6, 30))
    note = disagreement_note(r, year_change(r))
    assert note is not None and "the outlook is the pre-COVID trend" in note
    assert "the 8 values of its pre-COVID baseline (June 2012 to June 2019)" in note


def test_a_trend_against_a_significant_change_is_explained() -> None:
    r = rate(800, 1000, "Moderate increase", trend_p_value=0.01, trend_slope_pct=8.0)
    note = disagreement_note(r, year_change(r))
    assert note is not None and "the latest year moved the other way" in note


def test_words_that_agree_need_no_note() -> None:
    assert disagreement_note(rate(1010, 1000, "Stable"), year_change(rate(1010, 1000,
                                                                          "Stable"))) is None
    r = rate(1300, 1000, "Moderate increase")
    assert disagreement_note(r, year_change(r)) is None
    small = rate(105, 100, "Insufficient data")
    assert disagreement_note(small, year_change(small)) is None


def test_monthly_and_quarterly_windows_are_named() -> None:
    r = rate(1, 1, "Stable")
    monthly = dataclasses.replace(r, trend_n=24, trend_window_start=date(2020, 7, 31))
    quarterly = dataclasses.replace(r, trend_n=8, trend_window_start=date(2020, 9, 30))
    assert window_words(monthly) == "the latest 24 monthly values (July 2020 to June 2022)"
    assert window_words(quarterly) == "the latest 8 quarterly values (September 2020 to June 2022)"
