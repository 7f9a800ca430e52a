"""The rolling-year PFA CSV adapter: the bundled 2003-2018 file and small hand-made files."""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.errors import InputError
from policeperf.ingest import rec_crime_csv
from policeperf.ingest.schema import RECORDED_CRIME

REAL = (
    Path(__file__).parents[2] / "src/policeperf/data/ons-rec-crime-pfa/rec-crime-pfa.csv.gz"
)
STREET = Path(__file__).parents[1] / "fixtures/police_uk/2023-01-avon-and-somerset-street.csv.gz"
HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
AVON = "E23000036"


@pytest.fixture(scope="module")
def raw_lines() -> list[dict[str, str]]:
    """The bundled file read independently with the csv module."""
    with gzip.open(REAL, "rt", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def real() -> pl.DataFrame:
    return rec_crime_csv.read(REAL).tables["recorded_crime"]


def write(tmp_path: Path, body: str, name: str = "rec.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def value(frame: pl.DataFrame, period: date, area: str, offence: str) -> int | None:
    hit = frame.filter(
        (pl.col("period_end") == period) & (pl.col("area_code") == area)
        & (pl.col("offence") == offence)
    )
    assert hit.height == 1
    result: int | None = hit["offences"][0]
    return result


def test_the_bundled_file_has_46469_data_lines(raw_lines: list[dict[str, str]]) -> None:
    assert len(raw_lines) == 46_469


def test_reading_the_bundled_file_keeps_every_line_except_summed_burglary_pairs(
    raw_lines: list[dict[str, str]], real: pl.DataFrame
) -> None:
    new_labels = {"Residential burglary", "Non-residential burglary"}
    pairs = sum(1 for r in raw_lines if r["Offence"] in new_labels)
    assert pairs == 2 * 748
    assert real.height == 46_469 - pairs == 44_973
    assert real.schema == RECORDED_CRIME.schema


def test_no_key_appears_twice_in_the_bundled_file(real: pl.DataFrame) -> None:
    assert not real.select(pl.struct(RECORDED_CRIME.key).is_duplicated().any()).item()


def test_edition_is_the_latest_period_and_the_format_is_named() -> None:
    batch = rec_crime_csv.read(REAL)
    assert batch.edition == date(2018, 12, 31)
    assert batch.format == "ons-rec-crime-csv"
    assert batch.path == str(REAL)


def test_avon_and_somerset_year_ending_december_2018_matches_the_raw_csv(
    raw_lines: list[dict[str, str]], real: pl.DataFrame
) -> None:
    # Written down from the raw CSV (they equal ONS Table P1, year ending December 2018).
    expected = {
        "Homicide": ("homicide", 15),
        "Robbery": ("robbery", 1447),
        "Violence with injury": ("violence_with_injury", 12804),
        "Residential burglary": ("residential_burglary", 6791),
        "Non-residential burglary": ("non_residential_burglary", 3275),
        "Shoplifting": ("shoplifting", 10663),
    }
    raw = {
        r["Offence"]: int(r["Rolling year total number of offences"])
        for r in raw_lines
        if r["12 months ending"] == "31/12/2018" and r["PFA"] == "Avon and Somerset"
    }
    for label, (offence, count) in expected.items():
        assert raw[label] == count
        assert value(real, date(2018, 12, 31), AVON, offence) == count
    # The old label carries 0 in 2018, so the sum is the new label's count.
    assert raw["Domestic burglary"] == 0


def test_30_december_2017_is_stored_as_the_month_end_and_noted(real: pl.DataFrame) -> None:
    batch = rec_crime_csv.read(REAL)
    assert real.filter(pl.col("period_end") == date(2017, 12, 30)).height == 0
    assert real.filter(pl.col("period_end") == date(2017, 12, 31)).height > 0
    assert (
        "12 months ending 30/12/2017 as published, stored as 2017-12-31 (927 rows)" in batch.notes
    )


def test_domestic_burglary_before_2014_is_residential_burglary(
    raw_lines: list[dict[str, str]], real: pl.DataFrame
) -> None:
    raw = next(
        int(r["Rolling year total number of offences"])
        for r in raw_lines
        if r["12 months ending"] == "31/03/2010"
        and r["PFA"] == "Avon and Somerset"
        and r["Offence"] == "Domestic burglary"
    )
    assert value(real, date(2010, 3, 31), AVON, "residential_burglary") == raw


def test_both_burglary_labels_for_one_period_and_area_are_summed_at_the_new_label_row(
    raw_lines: list[dict[str, str]], real: pl.DataFrame
) -> None:
    rows = {
        r["Offence"]: (line, int(r["Rolling year total number of offences"]))
        for line, r in enumerate(raw_lines, start=2)
        if r["12 months ending"] == "30/12/2017" and r["PFA"] == "Avon and Somerset"
    }
    old_line, old = rows["Domestic burglary"]
    new_line, new = rows["Residential burglary"]
    assert (old, new) == (1210, 6337)
    hit = real.filter(
        (pl.col("period_end") == date(2017, 12, 31)) & (pl.col("area_code") == AVON)
        & (pl.col("offence") == "residential_burglary")
    )
    assert hit["offences"].to_list() == [1210 + 6337]
    assert hit["row"].to_list() == [new_line]
    assert old_line != new_line


def test_fraud_bodies_are_fraud_totals_of_their_pseudo_areas(real: pl.DataFrame) -> None:
    bodies = real.filter(pl.col("area_code").is_in(["X00000002", "X00000003", "X00000004"]))
    assert bodies.group_by("area_code", "offence").len().sort("area_code").rows() == [
        ("X00000002", "fraud", 31),
        ("X00000003", "fraud", 31),
        ("X00000004", "fraud", 31),
    ]


def test_british_transport_police_is_read_as_its_pseudo_area(real: pl.DataFrame) -> None:
    assert real.filter(pl.col("area_code") == "X00000001").height > 0


def test_negative_published_totals_become_null_with_the_text_as_marker(real: pl.DataFrame) -> None:
    # Line 4485: 30/06/2007,Cheshire,...,Death or serious injury caused by illegal driving,-1
    hit = real.filter(pl.col("row") == 4485)
    assert hit.select("period_end", "area_code", "offences", "marker").rows() == [
        (date(2007, 6, 30), "E23000006", None, "-1")
    ]
    assert real.filter(pl.col("marker").is_not_null()).height == 24
    assert real["offences"].min() == 0


def test_provenance_is_the_csv_line_and_the_count_header(real: pl.DataFrame) -> None:
    first = real.row(0, named=True)
    assert (first["row"], first["sheet"], first["column"]) == (
        2, None, "Rolling year total number of offences"
    )
    assert (first["period_end"], first["offence"], first["offences"]) == (
        date(2003, 3, 31), "other_theft", 25959
    )


def test_a_small_file_reads_to_hand_worked_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "31/03/2016,Kent,South East,Robbery,1200\n"
        "30/06/2016,Kent Police,South East,Domestic burglary,\n"
        "30/06/2016,British Transport Police,,Homicide,3\n",
    )
    batch = rec_crime_csv.read(path)
    table = batch.tables["recorded_crime"]
    columns = ("period_end", "area_code", "offence", "offences", "marker", "row")
    assert table.select(columns).rows() == [
        (date(2016, 3, 31), "E23000032", "robbery", 1200, None, 2),
        (date(2016, 6, 30), "E23000032", "residential_burglary", None, "", 3),
        (date(2016, 6, 30), "X00000001", "homicide", 3, None, 4),
    ]
    assert batch.edition == date(2016, 6, 30)
    assert batch.notes == ()


def test_gzip_bytes_are_read_under_their_display_name(tmp_path: Path) -> None:
    data = gzip.compress((HEADER + "31/12/2018,Essex,East,Shoplifting,7000\n").encode())
    batch = rec_crime_csv.read(
        Path("rec.csv.gz"), data=data, display_name="archive.zip!rec-crime-pfa.csv.gz"
    )
    assert batch.path == "archive.zip!rec-crime-pfa.csv.gz"
    assert batch.tables["recorded_crime"]["offences"].to_list() == [7000]


def test_errors_in_bytes_name_the_display_name() -> None:
    data = (HEADER + "31/12/2018,Essex,East,Shoplifting,lots\n").encode()
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(Path("x.csv"), data=data, display_name="a.zip!x.csv")
    assert err.value.file == "a.zip!x.csv"


def test_looks_like_recognises_the_header_only(tmp_path: Path) -> None:
    assert rec_crime_csv.looks_like(REAL)
    assert not rec_crime_csv.looks_like(STREET)
    assert rec_crime_csv.looks_like(Path("x.csv"), data=HEADER.encode())
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(b"\x1f\x8bnot really gzip")
    assert not rec_crime_csv.looks_like(garbage)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("31/02/2010,Kent,South East,Robbery,5\n", 2, "12 months ending", "not a valid date"),
        ("2010-03-31,Kent,South East,Robbery,5\n", 2, "12 months ending", "not a valid date"),
        ("15/03/2010,Kent,South East,Robbery,5\n", 2, "12 months ending", "not the last day"),
        ("31/03/2010,Kent,South East,Robbery,5\n31/03/2010,Avon and Somerst,South West,Robbery,5\n",
         3, "PFA", "did you mean 'Avon and Somerset'"),
        ("31/03/2010,Kent,South East,Robbery,5\n31/03/2010,Kent,South East,Burgling,5\n",
         3, "Offence", "unknown offence label 'Burgling'"),
        ("31/03/2010,Kent,South East,Robbery,12a\n", 2, "Rolling year total number of offences",
         "not a whole number: '12a'"),
        ("31/03/2010,Kent,South East,Robbery,1.5\n", 2, "Rolling year total number of offences",
         "not a whole number"),
        ("31/03/2010,Kent,South East,Robbery,5\n31/03/2010,Kent,South East,Homicide,1\n"
         "31/03/2010,Kent Police,South East,Robbery,6\n", 4, "Offence", "duplicate of row 2"),
        ("31/03/2010,Kent,South East,Domestic burglary,5\n"
         "31/03/2010,Kent,South East,Domestic burglary,5\n", 3, "Offence", "duplicate of row 2"),
        ("30/12/2017,Kent,South East,Robbery,5\n31/12/2017,Kent,South East,Robbery,5\n",
         3, "Offence", "duplicate of row 2"),
    ],
)
def test_bad_lines_are_reported_with_row_and_column(
    tmp_path: Path, body: str, row: int, column: str, words: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)
    assert words in str(err.value)


def test_a_negative_count_is_not_an_error_but_is_noted(tmp_path: Path) -> None:
    batch = rec_crime_csv.read(write(tmp_path, "31/12/2013,Essex,East,Fraud offences,-22\n"))
    table = batch.tables["recorded_crime"]
    assert table.select("offences", "marker").rows() == [(None, "-22")]
    assert any("1 negative published totals" in note for note in batch.notes)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rec.csv"
    path.write_text("12 months ending,PFA,Region,Offence\n31/03/2010,Kent,South East,Robbery\n")
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(path)
    assert (err.value.row, err.value.column) == (1, "Rolling year total number of offences")
    assert "missing column" in str(err.value)


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rec.csv"
    path.write_text(HEADER.strip() + ",Rate\n31/03/2010,Kent,South East,Robbery,5,0.1\n")
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(path)
    assert (err.value.row, err.value.column) == (1, "Rate")


def test_an_empty_file_and_a_header_only_file_are_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        rec_crime_csv.read(empty)
    with pytest.raises(InputError, match="no data rows"):
        rec_crime_csv.read(write(tmp_path, ""))


def test_blank_lines_are_skipped_without_shifting_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "31/03/2010,Kent,South East,Robbery,5\n\n31/03/2010,Kent,,Homicide,x\n")
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(path)
    assert err.value.row == 4


def test_reading_works_on_a_plain_text_copy(tmp_path: Path) -> None:
    plain = tmp_path / "rec-crime-pfa.csv"
    with gzip.open(REAL, "rb") as stream:
        plain.write_bytes(stream.read())
    assert rec_crime_csv.read(plain).tables["recorded_crime"].height == 44_973


def test_a_repeated_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rec.csv"
    path.write_text(HEADER.strip() + ",PFA\n31/03/2010,Kent,South East,Robbery,5,Kent\n")
    with pytest.raises(InputError, match="repeated column") as err:
        rec_crime_csv.read(path)
    assert (err.value.row, err.value.column) == (1, "PFA")


def test_a_byte_order_mark_before_the_header_is_ignored() -> None:
    data = ("\ufeff" + HEADER + "31/12/2018,Essex,East,Shoplifting,7000\n").encode()
    table = rec_crime_csv.read(Path("bom.csv"), data=data).tables["recorded_crime"]
    assert table.select("offences", "column").rows() == [
        (7000, "Rolling year total number of offences")
    ]


def test_a_corrupt_gzip_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "rec.csv.gz"
    path.write_bytes(gzip.compress(HEADER.encode())[:20])
    with pytest.raises(InputError) as err:
        rec_crime_csv.read(path)
    assert err.value.file == str(path)
