"""One function prints every number: thousands, decimals by measure, "no change", no "+27.00"."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from policeperf.compute.change import YearChange
from policeperf.report.numbers import (
    benchmark_cell,
    format_change,
    format_count,
    format_number,
    format_value,
    number_format,
)
from policeperf.results import MeasureResult


def result(kind: str, unit: str, value: float | None, **fields: object) -> MeasureResult:
    return MeasureResult(id="m", title="M", priority="p", priority_title="P", kind=kind,
                         unit=unit, polarity="lower_is_better", period_end=date(2022, 6, 30),
                         value=value, **fields)  # type: ignore[arg-type]


RATE = result("recorded_crime_rate", "per 1,000 households", 6.626738061)
HOMICIDE = result("recorded_crime_rate", "per 1,000 residents", 0.01214249)
COUNT = result("count", "12-month rolling count", 8631.0)
SURVEY = result("survey_proportion", "% satisfied, 12-month rolling", 0.6822429906542056)
DAYS = result("duration", "days (mean)", 301.0, national_value=274.0,
              benchmark_text="+27.00 compared to national")
HOURS = result("count", "hours, 12-month rolling total", 62738.0)
AVERAGE = result("difference_vs_national", "reoffences per reoffender, year ending June", 3.4,
                 national_value=3.45, benchmark_text="-0.05 compared to national")


def change(unit: str, value: float | None, earlier: float = 1.0,
           latest: float = 1.0) -> YearChange:
    return YearChange(date(2021, 6, 30), earlier, latest, value, unit, "none",  # type: ignore[arg-type]
                      None, None, "Not tested.")


@pytest.mark.parametrize(("measure", "value", "printed"), [
    (RATE, 6.626738061, "6.63"),
    (HOMICIDE, 0.01214249, "0.012"),
    (HOMICIDE, 0.0113697, "0.011"),  # the national rate prints like the force's
    (COUNT, 8631.0, "8,631"),
    (SURVEY, 0.6822429906542056, "68.2%"),
    (DAYS, 301.0, "301"),
    (HOURS, 62738.0, "62,738"),
    (AVERAGE, 3.4, "3.40"),
    (RATE, None, "Not available"),
])
def test_each_measure_prints_its_figures_in_one_style(measure: MeasureResult, value: float | None,
                                                      printed: str) -> None:
    assert format_number(measure, value) == printed


def test_a_count_of_people_has_thousands_and_no_decimal_zero() -> None:
    # The "737,316.0": a recovered, unrounded population prints in whole people.
    assert format_count(737316.04) == "737,316"
    assert format_count(1234567) == "1,234,567"


def test_latest_values_carry_their_unit() -> None:
    assert format_value(RATE) == "6.63 per 1,000 households"
    assert format_value(SURVEY) == "68.2%"
    assert format_value(COUNT) == "8,631"
    assert format_value(DAYS) == "301 days"
    assert format_value(HOURS) == "62,738 hours"


def test_a_change_that_rounds_to_zero_is_no_change_not_down_zero_points() -> None:
    assert format_change(SURVEY, change("points", -0.04)) == "no change"
    assert format_change(RATE, change("percent", 0.049)) == "no change"


def test_changes_read_up_or_down_with_percent_or_points() -> None:
    assert format_change(SURVEY, change("points", -2.51)) == "down 2.5 points"
    assert format_change(RATE, change("percent", 6.94)) == "up 6.9%"
    assert format_change(COUNT, change("percent", 1234.5)) == "up 1,234.5%"
    assert format_change(RATE, None) == "Not available"
    assert format_change(COUNT, change("percent", None, 0.0, 5.0)) == "up from zero"


def test_a_difference_in_days_has_no_decimals_it_does_not_have() -> None:
    # The "+27.00 days": whole days print whole.
    assert benchmark_cell(DAYS) == "+27 days compared to national"


def test_proportion_differences_are_percentage_points_and_zero_is_the_same() -> None:
    trial = result("proportion", "%", 0.74, national_value=0.77,
                   benchmark_text="-3.0% points compared to national")
    assert benchmark_cell(trial) == "-3.0% points compared to national"
    level = dataclasses.replace(trial, national_value=0.7404)
    assert benchmark_cell(level) == "same as national"
    assert benchmark_cell(AVERAGE) == "-0.05 compared to national"


def test_msg_benchmarks_print_as_the_engine_wrote_them() -> None:
    ranked = dataclasses.replace(RATE, peer_rank=7, peer_group_size=8,
                                 benchmark_text="7th/8 MSG (higher than MSG average rates)")
    assert benchmark_cell(ranked) == "7th/8 MSG (higher than MSG average rates)"


def test_charts_and_slides_can_ask_a_measure_for_its_decimals() -> None:
    assert number_format(HOMICIDE).decimals == 3
    assert (number_format(SURVEY).decimals, number_format(SURVEY).percent) == (1, True)
    assert number_format(SURVEY).signed(-0.0004) == "0.0% points"
    assert number_format(DAYS).signed(27.0) == "+27"
