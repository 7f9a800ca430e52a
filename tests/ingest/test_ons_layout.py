"""Tests for the ONS workbook layout helpers: titles, period ranges, labels, markers and tables."""

from __future__ import annotations

from datetime import date

import pytest

from policeperf.errors import InputError
from policeperf.ingest.ons_layout import (
    as_number,
    clean_label,
    is_marker,
    parse_table,
    range_period,
    title_period,
)


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Table P1: ..., number of offences, year ending March 181,2,3", date(2018, 3, 31)),
        ("Table P3: ..., rate of offences, year ending March 20181,2,3", date(2018, 3, 31)),
        ("Table P1: ..., year ending December 181,2", date(2018, 12, 31)),
        ("Table P1: ..., year ending September 20191,2", date(2019, 9, 30)),
        ("Table P1: ..., year ending June 2022 [note 1]", date(2022, 6, 30)),
        ("Table P4: ..., year ending March 2021 [note1]", date(2021, 3, 31)),
    ],
)
def test_title_period_reads_two_and_four_digit_years_with_glued_footnotes(
    title: str, period: date
) -> None:
    assert title_period(title) == period


def test_title_period_is_none_when_the_title_names_no_year_ending() -> None:
    assert title_period("Table P9: Mid-year population estimates, 2002 to 20161") is None


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("July 2021 to\n June 2022", date(2022, 6, 30)),
        ("Apr '20 to Mar '21", date(2021, 3, 31)),
        ("Oct 2022 to\n Sep 2023", date(2023, 9, 30)),
        ("Number of offences", None),
    ],
)
def test_range_period_reads_the_end_of_a_period_range_header(
    label: str, period: date | None
) -> None:
    assert range_period(label) == period


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Total recorded crime (excluding fraud4)", "Total recorded crime (excluding fraud)"),
        ("Residential burglary6,7", "Residential burglary"),
        ("Residential burglary (households) 7,8,10", "Residential burglary (households)"),
        (
            "Population figures\n (mid-2016)4  rounded to 100",
            "Population figures (mid-2016) rounded to 100",
        ),
        (
            " Total recorded crime\n (excluding fraud) [note 2]",
            "Total recorded crime (excluding fraud)",
        ),
        ("Apr '20 to Mar '21", "Apr '20 to Mar '21"),
        ("   ", None),
        (None, None),
    ],
)
def test_clean_label_makes_one_line_without_notes_or_footnote_digits(
    raw: str | None, clean: str | None
) -> None:
    assert clean_label(raw) == clean


@pytest.mark.parametrize("text", ["", "..", "-", "+", "[x]", "[u]", "[u1]", "[z]"])
def test_published_markers_are_recognised(text: str) -> None:
    assert is_marker(text)


@pytest.mark.parametrize("text", ["0", "n/a", "x", "[note 1]", "12"])
def test_figures_and_free_text_are_not_markers(text: str) -> None:
    assert not is_marker(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [("4886", 4886.0), ("6.626738", 6.626738), ("-3", -3.0), ("2,048", 2048.0), ("n/a", None)],
)
def test_as_number_reads_plain_and_grouped_numbers_only(text: str, number: float | None) -> None:
    assert as_number(text) == number


def test_parse_table_finds_header_units_row_and_stops_at_the_source_line() -> None:
    grid: list[tuple[str | None, ...]] = [
        ("Table P1: title", None, None, None),
        (None, None, "Total recorded crime (excluding fraud4)", None),
        ("Area Code", "Area Name", None, "Homicide"),
        (None, None, "Numbers", None),
        ("K04000001", "ENGLAND AND WALES8", "10", "1"),
        (None, None, None, None),
        (None, "British Transport Police", "2", "0"),
        ("Source: Police recorded crime, Home Office", None, None, None),
        ("E23000036", "Avon and Somerset", "99", "9"),  # below the notes: not part of the table
    ]
    table = parse_table("f.xlsx", "Table P1", grid)
    assert table.header_row == 3
    assert [(c.label, c.units) for c in table.columns] == [
        ("Total recorded crime (excluding fraud)", "Numbers"),
        ("Homicide", None),
    ]
    assert [(r.row, r.code, r.name) for r in table.rows] == [
        (5, "K04000001", "ENGLAND AND WALES8"),
        (7, None, "British Transport Police"),
    ]


def test_parse_table_without_an_area_code_cell_is_an_error_naming_the_sheet() -> None:
    with pytest.raises(InputError) as caught:
        parse_table("f.xlsx", "Table P1", [("Code", "Name"), ("E23000036", "Avon")])
    assert (caught.value.file, caught.value.sheet) == ("f.xlsx", "Table P1")
    assert "Area Code" in str(caught.value)
