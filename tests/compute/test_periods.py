"""Reading the periods users type."""

from __future__ import annotations

from datetime import date

import pytest

from policeperf.compute.periods import (
    PeriodError,
    add_months,
    financial_quarter,
    parse_period,
    window_start,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-06", date(2022, 6, 30)),
        ("2022-06-30", date(2022, 6, 30)),
        ("2022/23 Q1", date(2022, 6, 30)),  # Q1 = April-June 2022
        ("2022/23 q2", date(2022, 9, 30)),
        ("2022-23 Q3", date(2022, 12, 31)),
        ("2022/2023 Q4", date(2023, 3, 31)),  # Q4 = January-March of the second year
        ("Q1 2022/23", date(2022, 6, 30)),
        ("June 2022", date(2022, 6, 30)),
        ("Feb 2024", date(2024, 2, 29)),  # leap year
        (" 2022-06 ", date(2022, 6, 30)),
    ],
)
def test_each_accepted_form_gives_the_period_end(text: str, expected: date) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2022-06-15", "2022/24 Q1", "2022-13", "soon", "2022/23 Q5"])
def test_text_that_names_no_month_end_is_refused_with_the_forms_expected(text: str) -> None:
    with pytest.raises(PeriodError, match="2022/23 Q1"):
        parse_period(text)


def test_month_arithmetic_lands_on_month_ends() -> None:
    assert add_months(date(2022, 6, 30), -12) == date(2021, 6, 30)
    assert add_months(date(2023, 3, 31), -1) == date(2023, 2, 28)
    assert window_start(date(2022, 6, 30), 12) == date(2021, 7, 1)


def test_a_quarter_end_is_named_by_its_financial_quarter() -> None:
    assert financial_quarter(date(2022, 6, 30)) == "Q1 2022/23"
    assert financial_quarter(date(2023, 3, 31)) == "Q4 2022/23"
