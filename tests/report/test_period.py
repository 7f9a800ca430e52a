"""Reporting periods: both notations, financial quarters and labels."""

from __future__ import annotations

import datetime as dt

import pytest

from policeperf.report.period import parse_period, period_slug, quarter_label, window_label


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2022-06-30", dt.date(2022, 6, 30)), ("Q1 2022/23", dt.date(2022, 6, 30)),
     ("2022/23 Q4", dt.date(2023, 3, 31)), ("q3 2021/22", dt.date(2021, 12, 31))],
)
def test_period_is_read_in_either_notation(text: str, expected: dt.date) -> None:
    assert parse_period(text) == expected


def test_cover_label_names_month_and_financial_quarter() -> None:
    assert quarter_label(dt.date(2022, 6, 30)) == "Quarter ending June 2022 (Q1 2022/23)"
    assert quarter_label(dt.date(2023, 3, 31)) == "Quarter ending March 2023 (Q4 2022/23)"


def test_window_and_slug_labels() -> None:
    assert window_label(dt.date(2022, 6, 30)) == "12 months to June 2022"
    assert period_slug(dt.date(2022, 6, 30)) == "2022-23-q1"


@pytest.mark.parametrize("bad", ["2022-06-29", "2022-05-31", "Q5 2022/23", "Q1 2022/24", "June"])
def test_anything_but_a_quarter_end_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)
