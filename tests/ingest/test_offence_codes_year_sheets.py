"""The published prc-pfa tables put each financial year on its own sheet, after notes sheets:
every such sheet is read (hand-written fixture rows in the published layout, not real data)."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from policeperf.errors import InputError
from policeperf.ingest.offence_codes import read
from policeperf.ingest.schema import OFFENCE_CODE_CRIME

FIXTURE = Path(__file__).parents[1] / "fixtures" / "offence_codes" / "prc-pfa-fixture.csv"


def year_sheets(tmp_path: Path, *, repeat_first_year: bool = False) -> Path:
    """The CSV fixture's rows as a workbook: a cover sheet, then one sheet per financial year
    ("2021_22", "2022_23"), the header on row 1 of each as the Home Office publishes it."""
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    years = sorted({r[0] for r in rows})
    if repeat_first_year:
        years.append(years[0])
    path = tmp_path / "prc-pfa-mar2013-onwards-tables.xlsx"
    with xlsxwriter.Workbook(path) as book:
        book.add_worksheet("Cover_sheet").write(0, 0, "Police recorded crime open data tables")
        for k, year in enumerate(years):
            sheet = book.add_worksheet(year.replace("/", "_") + ("_again" if k == 2 else ""))
            sheet.write_row(0, 0, header)
            for i, row in enumerate(r for r in rows if r[0] == year):
                sheet.write_row(i + 1, 0, [*row[:7], int(row[7])])
    return path


def test_every_financial_year_sheet_is_read_as_one_table(tmp_path: Path) -> None:
    from_sheets = read(year_sheets(tmp_path))
    from_csv = read(FIXTURE).tables[OFFENCE_CODE_CRIME.name]
    frame = from_sheets.tables[OFFENCE_CODE_CRIME.name]
    assert frame.height == from_csv.height == 456
    keep = ["period_end", "area_code", "offence_code", "offences"]
    assert frame.select(keep).sort(keep).equals(from_csv.select(keep).sort(keep))
    assert sorted(frame.get_column("sheet").unique()) == ["2021_22", "2022_23"]
    # Rows keep their own sheet's row numbers: each sheet's first data row is row 2.
    assert frame.filter(pl.col("row") == 2).height == 2
    assert from_sheets.edition.isoformat() == "2023-03-31" and "2 sheets" in from_sheets.notes


def test_a_quarter_repeated_on_a_later_sheet_is_named_there(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read(year_sheets(tmp_path, repeat_first_year=True))
    assert caught.value.sheet == "2021_22_again" and caught.value.row == 2
    assert "as a row of an earlier sheet" in str(caught.value)
