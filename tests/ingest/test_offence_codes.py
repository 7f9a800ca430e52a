"""Reading Home Office offence-code tables (hand-written fixtures in the published layout)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from policeperf.errors import InputError
from policeperf.ingest import offence_codes
from policeperf.ingest.offence_codes import looks_like, normalise_offence_codes, read
from policeperf.ingest.schema import OFFENCE_CODE_CRIME

FIXTURES = Path(__file__).parents[1] / "fixtures" / "offence_codes"
HEADER = (
    "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Number of Offences"
)
GOOD = "2022/23,1,Avon and Somerset,Theft from vehicle,Theft offences,Vehicle offences,45,12"


def table(path: Path) -> pl.DataFrame:
    return read(path).tables[OFFENCE_CODE_CRIME.name]


def write_csv(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "table.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def count(frame: pl.DataFrame, **where: object) -> int:
    return int(frame.filter(**where).get_column("offences").sum())


def test_force_level_fixture_reads_456_rows_with_hand_worked_counts() -> None:
    frame = table(FIXTURES / "prc-pfa-fixture.csv")
    assert frame.schema == OFFENCE_CODE_CRIME.schema
    assert frame.height == 3 * 8 * 19
    assert set(frame.get_column("area_code")) == {"E23000036", "E23000018", "E23000028"}
    # Avon and Somerset (scale 3), 34B (base 20), 2022/23 Q1 (step 4): 20 * 3 + 4.
    assert count(frame, area_code="E23000036", offence_code="34B", financial_year="2022/23",
                 financial_quarter=1) == 64  # fmt: skip
    # Essex (scale 4), code 45 (base 50), all 8 quarters: 8 * 200 + (0 + 1 + ... + 7).
    assert count(frame, area_code="E23000028", offence_code="45") == 1628
    assert frame.get_column("csp_name").null_count() == frame.height
    assert frame.get_column("column").unique().to_list() == ["Number of Offences"]


def test_force_level_fixture_rows_are_numbered_as_lines_with_the_header_as_line_1() -> None:
    frame = table(FIXTURES / "prc-pfa-fixture.csv")
    assert frame.get_column("row").to_list()[:2] == [2, 3]
    assert frame.get_column("row").max() == 457
    assert frame.get_column("sheet").null_count() == frame.height


def test_quarters_become_calendar_periods_with_q1_april_to_june() -> None:
    frame = table(FIXTURES / "prc-pfa-fixture.csv")
    periods = (
        frame.filter(financial_year="2022/23")
        .select("financial_quarter", "period_start", "period_end")
        .unique()
        .sort("financial_quarter")
    )
    assert periods.rows() == [
        (1, date(2022, 4, 1), date(2022, 6, 30)),
        (2, date(2022, 7, 1), date(2022, 9, 30)),
        (3, date(2022, 10, 1), date(2022, 12, 31)),
        (4, date(2023, 1, 1), date(2023, 3, 31)),
    ]
    assert read(FIXTURES / "prc-pfa-fixture.csv").edition == date(2023, 3, 31)


def test_csp_fixture_keeps_csp_names_and_hand_worked_counts() -> None:
    batch = read(FIXTURES / "prc-csp-fixture.csv")
    frame = batch.tables[OFFENCE_CODE_CRIME.name]
    assert frame.height == 32
    assert sorted(set(frame.get_column("csp_name"))) == ["Bristol", "North Somerset"]
    # Bristol (scale 2), 28E (base 40), Q3: 40 * 2 + 3.
    assert count(frame, csp_name="Bristol", offence_code="28E", financial_quarter=3) == 83
    # North Somerset (scale 1), 4.1 (base 0), Q1-Q4: 1 + 2 + 3 + 4.
    assert count(frame, csp_name="North Somerset", offence_code="4.1") == 10
    assert "CSP-level table" in batch.notes


def test_csv_xlsx_and_ods_give_identical_frames_apart_from_the_sheet() -> None:
    frames = [table(FIXTURES / f"small.{ext}") for ext in ("csv", "xlsx", "ods")]
    assert frames[1].get_column("sheet").unique().to_list() == ["Data"]
    assert frames[2].get_column("sheet").unique().to_list() == ["Data"]
    bare = [f.drop("sheet") for f in frames]
    assert bare[0].equals(bare[1])
    assert bare[0].equals(bare[2])


def test_small_fixture_keeps_4_10_distinct_from_4_1_and_drops_leading_zeros() -> None:
    frame = table(FIXTURES / "small.xlsx")
    assert frame.filter(financial_quarter=1).get_column("offence_code").to_list() == [
        "4.1", "4.10", "34B", "45"]  # fmt: skip
    assert count(frame, offence_code="4.10") == 1
    assert count(frame, offence_code="34B") == 61 + 62


def test_offence_codes_normalise_case_zeros_and_whole_number_decimals() -> None:
    raw = pl.Series(["034b", " 34.0", "4.10", "4.1", "1.0", "0", "126", "8Q/8R"])
    out = pl.select(normalise_offence_codes(pl.lit(raw))).to_series().to_list()
    assert out == ["34B", "34", "4.10", "4.1", "1", "0", "126", "8Q/8R"]


def test_non_territorial_bodies_keep_their_pseudo_area_codes(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD.replace("Avon and Somerset", "British Transport Police"))
    assert table(path).get_column("area_code").to_list() == ["X00000001"]


def test_force_names_resolve_through_aliases(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD.replace("Avon and Somerset", "Avon & Somerset Constabulary"))
    assert table(path).get_column("area_code").to_list() == ["E23000036"]


def test_blank_csp_cells_read_as_null(tmp_path: Path) -> None:
    header = HEADER.replace("Force Name,", "Force Name,CSP Name,")
    row = GOOD.replace("Somerset,", "Somerset,,")
    assert table(write_csv(tmp_path, row, header=header)).get_column("csp_name").to_list() == [None]


@pytest.mark.parametrize(
    ("line", "row", "column", "words"),
    [
        (GOOD.replace("2022/23", "2022-23"), 3, "Financial Year", "not in the form"),
        (GOOD.replace("2022/23", "2022/24"), 3, "Financial Year", "do not follow"),
        (GOOD.replace("2022/23,1", "2022/23,5"), 3, "Financial Quarter", "not 1-4"),
        (
            GOOD.replace("Avon and Somerset", "Avon and Somrset"),
            3,
            "Force Name",
            "Avon and Somerset",
        ),
        (GOOD.replace("Avon and Somerset", "South West"), 3, "Force Name", "region"),
        (GOOD.replace(",12", ",twelve"), 3, "Number of Offences", "not a whole number"),
        (GOOD.replace(",12", ",-3"), 3, "Number of Offences", "negative"),
        (GOOD, 3, "Offence Code", "duplicate row"),
    ],
)
def test_bad_rows_raise_naming_file_row_and_column(
    tmp_path: Path, line: str, row: int, column: str, words: str
) -> None:
    path = write_csv(tmp_path, GOOD, line)  # the header is line 1, GOOD line 2, ``line`` line 3
    with pytest.raises(InputError) as caught:
        read(path)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(path), row, column)
    assert words in str(error)


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "2022/23,1,Avon and Somerset,x,y,z,45",
        header=HEADER.replace(",Number of Offences", ""),
    )
    with pytest.raises(InputError, match="missing Number of Offences") as caught:
        read(path)
    assert (caught.value.row, caught.value.column) == (1, "Number of Offences")


def test_workbook_errors_name_the_sheet_and_the_spreadsheet_row(tmp_path: Path) -> None:
    path = tmp_path / "titled.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Table 1")
    sheet.write(0, 0, "Police recorded crime by offence code")  # a title above the header
    sheet.write_row(2, 0, HEADER.split(","))
    sheet.write_row(3, 0, ["2022/23", 1, "Avon and Somerset", "d", "g", "s", "45", 3])
    sheet.write_row(4, 0, ["2022/23", 6, "Avon and Somerset", "d", "g", "s", "48", 3])
    workbook.close()
    with pytest.raises(InputError) as caught:
        read(path)
    error = caught.value
    assert (error.sheet, error.row, error.column) == ("Table 1", 5, "Financial Quarter")


def test_bytes_are_read_and_errors_use_the_display_name(tmp_path: Path) -> None:
    data = (HEADER + "\n" + GOOD.replace(",12", ",x") + "\n").encode()
    with pytest.raises(InputError) as caught:
        read(Path("member.csv"), data=data, display_name="bundle.zip:member.csv")
    assert caught.value.file == "bundle.zip:member.csv"
    assert caught.value.row == 2


def test_looks_like_accepts_the_fixtures_and_rejects_other_files(tmp_path: Path) -> None:
    for name in ("prc-pfa-fixture.csv", "prc-csp-fixture.csv", "small.xlsx", "small.ods"):
        assert looks_like(FIXTURES / name), name
    other = tmp_path / "other.csv"
    other.write_text("force,series,period_type\n", encoding="utf-8")
    assert not looks_like(other)
    assert not looks_like(tmp_path / "absent.csv")
    assert looks_like(Path("x.csv"), data=(HEADER + "\n").encode())


def test_format_name_is_ho_offence_codes() -> None:
    assert read(FIXTURES / "small.csv").format == offence_codes.FORMAT == "ho-offence-codes"
