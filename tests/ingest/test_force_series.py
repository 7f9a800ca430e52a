"""Reading a force's own series in the documented long format."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from policeperf.errors import InputError
from policeperf.ingest.force_series import COLUMN_NAMES, FORMAT, looks_like, read
from policeperf.ingest.schema import FORCE_SERIES
from policeperf.reference.series import SERIES

DATA = Path(str(resources.files("policeperf.data").joinpath("force-series")))
EXAMPLE = DATA / "example-avon-and-somerset.csv"
DOC = Path(__file__).parents[2] / "docs" / "force-series-format.md"
HEADER = ",".join(COLUMN_NAMES)
# force,series,period_type,period_end,window_months,category,comparator,value,numerator,
# denominator,unit,statistic,note
SMALL = [
    "Avon and Somerset,drug_disruptions,month,2022-06-30,,,,52,,,count,total,",
    "Avon & Somerset Constabulary,victim_satisfaction_whole_experience,month,2022-06,,burglary,,,"
    "30,40,proportion,,",
    "E23000036,feel_safe_after_dark,quarter,2022-06-30,,,,76,,,percent,,",
    "Avon and Somerset,cjs_days_at_crown_court,year,2021-12-31,,,cps_area,301,,,days,mean,",
    "Avon and Somerset,reoffences_per_reoffender,year,2021-06-30,,,national,,349180,102700,count,"
    "mean,",
    "Avon and Somerset,drug_disruptions,month,2022-06-30,12,,,610,,,count,total,",
]


def write_csv(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "series.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def frame_of(path: Path) -> pl.DataFrame:
    return read(path).tables[FORCE_SERIES.name]


def test_example_file_reads_cleanly_and_says_it_is_illustrative() -> None:
    batch = read(EXAMPLE)
    frame = batch.tables[FORCE_SERIES.name]
    assert frame.schema == FORCE_SERIES.schema
    assert frame.height == 1415
    assert batch.notes == ("illustrative data: 1415 rows marked illustrative",)
    assert batch.edition == date(2022, 6, 30)
    assert batch.format == FORMAT == "force-series"
    assert frame.get_column("area_code").unique().to_list() == ["E23000036"]


def test_example_file_covers_every_documented_series_id() -> None:
    frame = frame_of(EXAMPLE)
    assert set(frame.get_column("series_id")) == set(SERIES)
    documented = DOC.read_text(encoding="utf-8")
    for series_id in SERIES:
        assert f"`{series_id}`" in documented, series_id


def test_example_file_spans_the_periods_the_charts_need() -> None:
    frame = frame_of(EXAMPLE)
    monthly = frame.filter(series_id="drug_disruptions")
    assert (monthly.height, monthly.get_column("period_end").min()) == (75, date(2016, 4, 30))
    satisfaction = frame.filter(series_id="victim_satisfaction_follow_up")
    assert set(satisfaction.get_column("category")) == set(SERIES[
        "victim_satisfaction_follow_up"].categories)  # fmt: skip
    reoffending = frame.filter(series_id="reoffending_proportion", comparator="national")
    assert reoffending.get_column("period_end").to_list() == [
        date(y, 6, 30) for y in range(2016, 2022)]  # fmt: skip
    cjs = frame.filter(series_id="cjs_days_at_crown_court")
    assert sorted(set(cjs.get_column("comparator"))) == ["cps_area", "national"]


def test_template_is_the_header_row_alone() -> None:
    lines = (DATA / "template.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [HEADER]
    assert looks_like(DATA / "template.csv")


def test_small_file_reads_with_hand_worked_values_and_defaults(tmp_path: Path) -> None:
    frame = frame_of(write_csv(tmp_path, *SMALL))
    rows = frame.drop("sheet", "column").rows()
    assert rows == [
        ("E23000036", "drug_disruptions", "month", date(2022, 6, 30), 1, "", "force", 52.0,
         None, None, "count", "total", 2),
        ("E23000036", "victim_satisfaction_whole_experience", "month", date(2022, 6, 30), 1,
         "burglary", "force", 0.75, 30.0, 40.0, "proportion", "proportion", 3),
        ("E23000036", "feel_safe_after_dark", "quarter", date(2022, 6, 30), 3, "", "force", 0.76,
         None, None, "proportion", "proportion", 4),
        ("E23000036", "cjs_days_at_crown_court", "year", date(2021, 12, 31), 12, "", "cps_area",
         301.0, None, None, "days", "mean", 5),
        ("E23000036", "reoffences_per_reoffender", "year", date(2021, 6, 30), 12, "", "national",
         3.4, 349180.0, 102700.0, "count", "mean", 6),
        ("E23000036", "drug_disruptions", "month", date(2022, 6, 30), 12, "", "force", 610.0,
         None, None, "count", "total", 7),
    ]  # fmt: skip
    assert frame.get_column("column").to_list()[:2] == ["value", "numerator"]
    assert read(write_csv(tmp_path, *SMALL)).notes == ()


def test_xlsx_with_date_cells_gives_the_same_frame_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "series.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Series")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, COLUMN_NAMES)
    for r, line in enumerate(SMALL, start=1):
        for c, cell in enumerate(line.split(",")):
            if c == 3 and len(cell) == 10:
                sheet.write_datetime(r, c, date.fromisoformat(cell), date_format)
            elif cell and cell.replace(".", "").isdigit():
                sheet.write_number(r, c, float(cell))
            elif cell:
                sheet.write_string(r, c, cell)
    workbook.close()
    from_xlsx = frame_of(path)
    assert from_xlsx.get_column("sheet").unique().to_list() == ["Series"]
    assert from_xlsx.drop("sheet").equals(frame_of(write_csv(tmp_path, *SMALL)).drop("sheet"))


GOOD = "Avon and Somerset,drug_disruptions,month,2022-06-30,,,,52,,,count,total,"
SAT = "Avon and Somerset,victim_satisfaction_follow_up,month,2022-06,,burglary,,,3,4,proportion,,"
PROP = "Avon and Somerset,feel_informed,quarter,2022-06-30,,,,,30,40,proportion,,"


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        (GOOD.replace("Avon and Somerset", "Avon and Somrset"), "force", "Avon and Somerset"),
        (GOOD.replace("drug_disruptions", "Drug Disruptions"), "series", "snake_case"),
        (GOOD.replace("month", "week"), "period_type", "unknown period_type"),
        (GOOD.replace("2022-06-30", "2022-06-29"), "period_end", "not a month end"),
        (GOOD.replace("2022-06-30", "30/06/2022"), "period_end", "not a date"),
        (GOOD.replace(",,,,52", ",6,,,52"), "window_months", "not 1, 3 or 12"),
        (GOOD.replace("month,2022-06-30,", "quarter,2022-06-30,1"), "window_months", "shorter"),
        (GOOD.replace(",,,,52", ",,,region,52"), "comparator", "unknown comparator"),
        (GOOD.replace(",52,", ",lots,"), "value", "not a number"),
        (GOOD.replace(",52,", ",-52,"), "value", "negative"),
        (GOOD.replace(",52,", ",,"), "value", "value is blank"),
        (GOOD.replace("count,total", "days,"), "statistic", "statistic is blank"),
        (GOOD.replace("count,total", "proportion,proportion"), "unit", "measured in count"),
        (GOOD, "series", "duplicate row"),
        (PROP.replace(",30,40,", ",50,40,"), "numerator", "larger than denominator"),
        (PROP.replace(",,30,40,", ",1.2,,,"), "value", "proportion above 1"),
        (PROP.replace(",,30,40,", ",0.9,30,40,"), "value", "disagrees"),
        (PROP.replace(",30,40,", ",30,,"), "denominator", "together"),
        (PROP.replace(",30,40,", ",30,0,"), "denominator", "zero"),
        (SAT.replace("burglary", "robbery"), "category", "unknown category"),
    ],
)
def test_bad_rows_raise_naming_file_row_and_column(
    tmp_path: Path, line: str, column: str, words: str
) -> None:
    path = write_csv(tmp_path, GOOD, line)  # the header is line 1, GOOD line 2, ``line`` line 3
    with pytest.raises(InputError) as caught:
        read(path)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(path), 3, column)
    assert words in str(error)


def test_unknown_columns_are_rejected_listing_the_valid_ones(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GOOD + ",x", header=HEADER + ",colour")
    with pytest.raises(InputError, match="unknown column 'colour'") as caught:
        read(path)
    assert (caught.value.row, caught.value.column) == (1, "colour")
    assert caught.value.expected is not None and "window_months" in caught.value.expected


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Avon and Somerset,drug_disruptions,month,2022-06-30,52",
        header="force,series,period_type,period_end,value",
    )
    with pytest.raises(InputError, match="missing unit") as caught:
        read(path)
    assert (caught.value.row, caught.value.column) == (1, "unit")


def test_bytes_are_read_and_errors_use_the_display_name() -> None:
    data = (HEADER + "\n" + GOOD.replace("2022-06-30", "2022-06-15") + "\n").encode()
    with pytest.raises(InputError) as caught:
        read(Path("series.csv"), data=data, display_name="bundle.zip:series.csv")
    assert (caught.value.file, caught.value.row) == ("bundle.zip:series.csv", 2)


def test_looks_like_tells_force_series_from_offence_code_tables() -> None:
    assert looks_like(EXAMPLE)
    fixtures = Path(__file__).parents[1] / "fixtures" / "offence_codes"
    assert not looks_like(fixtures / "small.csv")
    assert not looks_like(fixtures / "small.xlsx")
