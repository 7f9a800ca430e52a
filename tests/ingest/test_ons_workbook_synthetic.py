"""Tests for the ONS workbook adapter on tiny synthetic workbooks written at test time: both layouts
worked by hand, format detection, and every input error naming file, sheet, row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from policeperf.errors import InputError
from policeperf.ingest import ons_workbook

AVON = "E23000036"

Rows = list[list[Any]]


def _p1(*rows: list[Any], header: tuple[str, ...] = ("Robbery", "Homicide")) -> Rows:
    title = "Table P1: Police recorded crime, number of offences, year ending June 2022 [note 1]"
    return [[title], ["Source: Home Office"], ["Area Code", "Area Name", *header], *rows]


def _p3(*rows: list[Any]) -> Rows:
    title = "Table P3: Police recorded crime, rate per 1,000 population, year ending June 2022"
    header = [
        "Area Code",
        "Area Name",
        "Population figures\n (mid-2020) rounded to 100 [note 9]",
        "Household figures\n (mid-2020) rounded to 100",
        "Robbery",
        "Residential burglary (households)\n [note 11, 12]",
    ]
    return [[title], header, *rows]


NEW_P1 = _p1(
    ["E23000036", "Avon and Somerset [note 4]", 1597, 21], ["E23000035", "Devon", "[x]", None]
)
NEW_P3 = _p3(["E23000036", "Avon and Somerset", 1729500, 737300, 0.923, 6.627])


def _workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_synthetic_new_layout_edition_reads_exactly_as_worked_by_hand(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx", {"Table P1": NEW_P1, "Table P3 ": NEW_P3})
    batch = ons_workbook.read(path)
    june = date(2022, 6, 30)
    assert batch.edition == june
    assert batch.tables["recorded_crime"].rows() == [
        (june, AVON, "robbery", 1597, None, "headline", "Table P1", 4, "Robbery"),
        (june, "E23000035", "robbery", None, "[x]", "headline", "Table P1", 5, "Robbery"),
        (june, AVON, "homicide", 21, None, "headline", "Table P1", 4, "Homicide"),
        (june, "E23000035", "homicide", None, "", "headline", "Table P1", 5, "Homicide"),
    ]
    assert batch.tables["denominators"].select(
        "base", "value", "mid_year", "sheet", "row"
    ).rows() == [
        ("population", 1729500, 2020, "Table P3 ", 3),
        ("households", 737300, 2020, "Table P3 ", 3),
    ]
    assert batch.tables["published_rates"].select("offence", "base", "rate").rows() == [
        ("robbery", "population", 0.923),
        ("residential_burglary", "households", 6.627),
    ]
    assert batch.tables["mid_year_estimates"].height == 0


def test_a_synthetic_old_layout_edition_uses_group_headers_units_rows_and_glued_footnotes(
    tmp_path: Path,
) -> None:
    p1 = [
        ["Table P1: Police recorded crime, number of offences, year ending March 181,2,3"],
        [None],
        [None, None, "Total recorded crime (excluding fraud4)", None, "Victim-based crime"],
        ["Area Code", "Area Name", None, None, "Residential burglary6,7"],
        [None, None, "Numbers"],
        [None, "Avon and Somerset9", 137455, "..", 8009],
        [None, "British Transport Police", 59785, None, 3],
        ["Source: Police recorded crime, Home Office"],
        ["1. Police recorded crime data are not designated as National Statistics."],
    ]
    p3 = [
        ["Table P3: rate of offences, year ending March 20181,2,3"],
        ["Area Code", "Area Name", "Population figures\n (mid-2016)4  rounded to 100"],
        ["E23000036", "Avon and Somerset", 1682800],
    ]
    batch = ons_workbook.read(_workbook(tmp_path / "old.xlsx", {"Table P1": p1, "Table P3": p3}))
    assert batch.edition == date(2018, 3, 31)
    crime = batch.tables["recorded_crime"].select(
        "area_code", "offence", "offences", "row", "column"
    )
    assert crime.rows() == [
        (AVON, "total_excluding_fraud", 137455, 6, "Total recorded crime (excluding fraud)"),
        ("X00000001", "total_excluding_fraud", 59785, 7, "Total recorded crime (excluding fraud)"),
        (AVON, "residential_burglary", 8009, 6, "Residential burglary"),
        ("X00000001", "residential_burglary", 3, 7, "Residential burglary"),
    ]
    assert batch.tables["denominators"]["mid_year"].to_list() == [2016]


def test_looks_like_accepts_only_xlsx_files_with_tables_p1_and_p3(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx", {"Table P1 ": NEW_P1, "Table P3": NEW_P3})
    other = _workbook(tmp_path / "other.xlsx", {"Table P1": NEW_P1, "Data": [["x"]]})
    text = tmp_path / "street.csv"
    text.write_text("Crime ID,Month\n")
    assert ons_workbook.looks_like(good)
    assert not ons_workbook.looks_like(other)
    assert not ons_workbook.looks_like(text)


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        ons_workbook.read(path)
    return caught.value


def test_a_workbook_without_table_p3_is_an_error_naming_the_missing_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "no_p3.xlsx", {"Table P1": NEW_P1})
    error = _error(path)
    assert (error.file, error.sheet) == (str(path), "Table P3")
    assert "missing" in str(error)


@pytest.mark.parametrize("content", [b"Area Code,Area Name\n", b"PK\x03\x04 truncated zip"])
def test_a_file_that_is_not_a_workbook_is_an_error_naming_the_file(
    content: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    error = _error(path)
    assert error.file == str(path)
    assert "workbook" in str(error)


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (["E23000036", "Avon and Somerset", "n/a", 21], "Robbery", "'n/a' is not valid"),
        (["E23000036", "Avon and Somerset", 1597, -3], "Homicide", "'-3' is not valid"),
        (["E23000036", "Avon and Somerset", 1597.5, 21], "Robbery", "'1597.5' is not valid"),
    ],
)
def test_a_bad_count_is_an_error_naming_file_sheet_row_and_column(
    bad_row: list[Any], column: str, reason: str, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "bad.xlsx", {"Table P1": _p1(bad_row), "Table P3": NEW_P3})
    error = _error(path)
    assert (error.file, error.sheet, error.row, error.column) == (str(path), "Table P1", 4, column)
    assert reason in str(error)


def test_a_repeated_area_row_is_an_error_naming_the_second_row(tmp_path: Path) -> None:
    p1 = _p1(["E23000036", "Avon and Somerset", 1, 2], ["E23000036", "Avon & Somerset", 3, 4])
    path = _workbook(tmp_path / "dup.xlsx", {"Table P1": p1, "Table P3": NEW_P3})
    error = _error(path)
    assert (error.file, error.sheet, error.row, error.column) == (
        str(path),
        "Table P1",
        5,
        "Area Code",
    )
    assert "appears twice (first on row 4)" in str(error)


def test_an_unknown_offence_header_is_an_error_naming_the_header_cell(tmp_path: Path) -> None:
    p1 = _p1(["E23000036", "Avon and Somerset", 1, 2], header=("Robbery", "Cyber crime [note 5]"))
    path = _workbook(tmp_path / "unknown.xlsx", {"Table P1": p1, "Table P3": NEW_P3})
    error = _error(path)
    assert (error.file, error.sheet, error.row, error.column) == (
        str(path),
        "Table P1",
        3,
        "Cyber crime",
    )


def test_an_unknown_area_is_an_error_naming_the_row(tmp_path: Path) -> None:
    p1 = _p1([None, "Atlantis", 1, 2])
    path = _workbook(tmp_path / "area.xlsx", {"Table P1": p1, "Table P3": NEW_P3})
    error = _error(path)
    assert (error.sheet, error.row, error.column) == ("Table P1", 4, "Area Name")


def test_a_figure_in_a_column_with_no_header_is_an_error_rather_than_lost(tmp_path: Path) -> None:
    p1 = _p1(["E23000036", "Avon and Somerset", 1597, 21, 5])
    path = _workbook(tmp_path / "spacer.xlsx", {"Table P1": p1, "Table P3": NEW_P3})
    error = _error(path)
    assert (error.sheet, error.row, error.column) == ("Table P1", 4, "column 5 of the grid")


def test_tables_p1_and_p3_naming_different_periods_is_an_error(tmp_path: Path) -> None:
    p3 = [[str(NEW_P3[0][0]).replace("June 2022", "March 2022")], *NEW_P3[1:]]
    path = _workbook(tmp_path / "periods.xlsx", {"Table P1": NEW_P1, "Table P3": p3})
    error = _error(path)
    assert (error.sheet, error.row) == ("Table P3", 1)
    assert "2022-03-31" in str(error)
