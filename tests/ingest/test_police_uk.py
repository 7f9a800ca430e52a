"""The data.police.uk adapter: real street files, hand-made outcomes and stop-search files."""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from policeperf.errors import InputError
from policeperf.ingest import police_uk, police_uk_bulk
from policeperf.ingest.schema import STOP_SEARCH, STREET_CRIME, STREET_OUTCOMES
from policeperf.reference.offences import police_uk_crime_types

FIXTURES = Path(__file__).parents[1] / "fixtures/police_uk"
REC_CRIME = (
    Path(__file__).parents[2] / "src/policeperf/data/ons-rec-crime-pfa/rec-crime-pfa.csv.gz"
)
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Outcome type\n"
)
STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
    "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
    "Outcome,Outcome linked to object of search,Removal of more than just outer clothing\n"
)
KENT = "ab12,2023-01,Kent Police,Kent Police,0.5,51.2,On or near Park,E01024000,Ashford 001A,"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "rows", "area", "month"),
    [
        ("2023-01-avon-and-somerset-street.csv.gz", 12_566, "E23000036", date(2023, 1, 1)),
        ("2022-02-hampshire-street.csv.gz", 14_848, "E23000030", date(2022, 2, 1)),
        ("2018-01-essex-street.csv.gz", 14_786, "E23000028", date(2018, 1, 1)),
        ("2018-02-essex-street.csv.gz", 13_752, "E23000028", date(2018, 2, 1)),
    ],
)
def test_real_street_files_read_every_row_for_their_force_and_month(
    name: str, rows: int, area: str, month: date
) -> None:
    batch = police_uk.read(FIXTURES / name)
    table = batch.tables["street_crime"]
    assert batch.format == "police-uk-street"
    assert batch.edition == month
    assert table.schema == STREET_CRIME.schema
    assert table.height == rows
    assert table["area_code"].unique().to_list() == [area]
    assert table["month"].unique().to_list() == [month]
    assert table["row"].to_list() == list(range(2, rows + 2))
    assert set(table["crime_type"].unique()) <= set(police_uk_crime_types())


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*-street.csv.gz")))
def test_anti_social_behaviour_rows_and_only_they_have_no_crime_id(name: str) -> None:
    table = police_uk.read(FIXTURES / name).tables["street_crime"]
    asb = table.filter(pl.col("crime_type") == "Anti-social behaviour")
    assert asb.height > 0
    assert asb["crime_id"].null_count() == asb.height
    assert table.filter(pl.col("crime_id").is_null()).height == asb.height


def test_the_first_avon_and_somerset_row_is_read_field_by_field() -> None:
    table = police_uk.read(FIXTURES / "2023-01-avon-and-somerset-street.csv.gz").tables[
        "street_crime"
    ]
    # Line 2: ,2023-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.491616,
    # 51.424619,On or near Julius Place,E01014399,Bath and North East Somerset 001A,
    # Anti-social behaviour,,
    assert table.row(0) == (
        None, date(2023, 1, 1), "E23000036", "Avon and Somerset Constabulary",
        "Avon and Somerset Constabulary", -2.491616, 51.424619, "On or near Julius Place",
        "E01014399", "Bath and North East Somerset 001A", "Anti-social behaviour", None, None,
        None, 2, None,
    )


def test_blank_coordinates_in_the_essex_file_are_null() -> None:
    table = police_uk.read(FIXTURES / "2018-01-essex-street.csv.gz").tables["street_crime"]
    assert table["longitude"].null_count() == table["latitude"].null_count() == 2


def test_a_zip_member_is_read_from_bytes_under_its_display_name() -> None:
    data = (FIXTURES / "2023-01-avon-and-somerset-street.csv.gz").read_bytes()
    name = "archive.zip!2023-01/2023-01-avon-and-somerset-street.csv"
    batch = police_uk.read(Path("2023-01-avon-and-somerset-street.csv"), data=data,
                           display_name=name)
    assert batch.path == name
    assert batch.tables["street_crime"].height == 12_566


def test_plain_bytes_are_read_too() -> None:
    plain = gzip.decompress((FIXTURES / "2022-02-hampshire-street.csv.gz").read_bytes())
    batch = police_uk.read(Path("x.csv"), data=plain)
    assert batch.tables["street_crime"].height == 14_848
    assert police_uk.looks_like(Path("x.csv"), data=plain)


def test_a_small_outcomes_file_reads_to_hand_worked_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path, "2023-02-kent-outcomes.csv",
        OUTCOMES_HEADER
        + "ab12,2023-01,Kent Police,Kent Police,0.5,51.25,On or near Park,E01024000,Ashford 001A,"
        "Suspect charged\n"
        + "cd34,2023-02,Kent Police,Kent Police,,,No location,,,Unable to prosecute suspect\n",
    )
    batch = police_uk.read(path)
    table = batch.tables["street_outcomes"]
    assert batch.format == "police-uk-outcomes"
    assert batch.edition == date(2023, 2, 1)
    assert table.schema == STREET_OUTCOMES.schema
    assert table.rows() == [
        ("ab12", date(2023, 1, 1), "E23000032", "Kent Police", "Kent Police", 0.5, 51.25,
         "On or near Park", "E01024000", "Ashford 001A", "Suspect charged", None, 2, None),
        ("cd34", date(2023, 2, 1), "E23000032", "Kent Police", "Kent Police", None, None,
         "No location", None, None, "Unable to prosecute suspect", None, 3, None),
    ]


def test_a_small_stop_search_file_takes_its_force_from_the_file_name(tmp_path: Path) -> None:
    path = write(
        tmp_path, "2023-07-avon-and-somerset-stop-and-search.csv",
        STOP_HEADER
        + "Person search,2023-07-01T00:15:00+01:00,False,,51.45,-2.59,Male,18-24,"
        "White - English/Welsh/Scottish/Northern Irish/British,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False\n"
        + "Vehicle search,2023-07-31T23:30:00+01:00,TRUE,Op Alpha,,,,,,,"
        "Police and Criminal Evidence Act 1984 (section 1),Stolen goods,"
        "A no further action disposal,,\n",
    )
    batch = police_uk.read(path)
    table = batch.tables["stop_search"]
    assert batch.format == "police-uk-stop-search"
    assert batch.edition == date(2023, 7, 1)
    assert table.schema == STOP_SEARCH.schema
    assert table.rows() == [
        ("E23000036", date(2023, 7, 1), "Person search", datetime(2023, 7, 1, 0, 15), False, None,
         51.45, -2.59, "Male", "18-24",
         "White - English/Welsh/Scottish/Northern Irish/British", "White",
         "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs", "Arrest", True, False,
         None, 2, None),
        ("E23000036", date(2023, 7, 1), "Vehicle search", datetime(2023, 7, 31, 23, 30), True,
         "Op Alpha", None, None, None, None, None, None,
         "Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods",
         "A no further action disposal", None, None, None, 3, None),
    ]


def test_stop_search_times_given_in_utc_are_stored_as_uk_local_time(tmp_path: Path) -> None:
    row = "Person search,{},,,,,,,,,,,,,\n"
    path = write(tmp_path, "2023-07-kent-stop-and-search.csv",
                 STOP_HEADER + row.format("2023-06-30T23:30:00+00:00")
                 + row.format("2023-01-15T10:00:00"))
    table = police_uk.read(path).tables["stop_search"]
    assert table.select("date", "month").rows() == [
        (datetime(2023, 7, 1, 0, 30), date(2023, 7, 1)),
        (datetime(2023, 1, 15, 10, 0), date(2023, 1, 1)),
    ]


def test_a_stop_search_zip_member_takes_its_force_from_the_display_name() -> None:
    data = (STOP_HEADER + "Person search,2023-01-02T10:00:00+00:00,,,,,,,,,,,,,\n").encode()
    batch = police_uk.read(Path("member.csv"), data=data,
                           display_name="a.zip!2023-01/2023-01-kent-stop-and-search.csv")
    assert batch.tables["stop_search"]["area_code"].to_list() == ["E23000032"]


@pytest.mark.parametrize(
    "name", ["stops.csv", "2023-01-atlantis-stop-and-search.csv", "2023-01-stop-and-search.csv"]
)
def test_a_stop_search_file_whose_name_names_no_force_is_an_error(
    tmp_path: Path, name: str
) -> None:
    path = write(tmp_path, name, STOP_HEADER + "Person search,2023-01-02T10:00:00,,,,,,,,,,,,,\n")
    with pytest.raises(InputError, match="cannot tell which force") as err:
        police_uk.read(path)
    assert err.value.file == str(path)


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (KENT + "Burglary,,\n" + KENT.replace("2023-01", "2023-13") + "Burglary,,\n", 3, "Month",
         "not a month: '2023-13'"),
        (KENT + "Burglary,,\n" + KENT + "Burglarly,,\n", 3, "Crime type",
         "unknown crime type 'Burglarly'"),
        (KENT.replace("0.5,", "east,") + "Burglary,,\n", 2, "Longitude", "not a number: 'east'"),
        (KENT + "Burglary,,\n" + KENT.replace("Kent Police,Kent", "Kent Police,Kant")
         + "Burglary,,\n", 3, "Falls within", "unknown area 'Kant Police'; did you mean 'Kent'"),
        (KENT.replace("Kent Police,Kent Police", "South East,South East") + "Burglary,,\n", 2,
         "Falls within", "unknown police force 'South East'"),
    ],
)
def test_bad_street_rows_are_reported_with_row_and_column(
    tmp_path: Path, body: str, row: int, column: str, words: str
) -> None:
    path = write(tmp_path, "2023-01-kent-street.csv", STREET_HEADER + body)
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)
    assert words in str(err.value)


def test_the_earliest_bad_row_is_reported_whatever_is_wrong_with_it(tmp_path: Path) -> None:
    body = KENT + "Burglarly,,\n" + KENT.replace("2023-01", "2023-1") + "Burglary,,\n"
    with pytest.raises(InputError) as err:
        police_uk.read(write(tmp_path, "s.csv", STREET_HEADER + body))
    assert (err.value.row, err.value.column) == (2, "Crime type")


def test_errors_name_the_published_header_text_of_snake_case_files(tmp_path: Path) -> None:
    header = STREET_HEADER.lower().replace(" ", "_")
    path = write(tmp_path, "s.csv", header + KENT.replace("2023-01", "Jan 2023") + "Drugs,,\n")
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (2, "month")


def test_bad_stop_search_flags_and_dates_are_reported(tmp_path: Path) -> None:
    good = "Person search,2023-01-02T10:00:00+00:00,,,,,,,,,,,,,\n"
    path = write(tmp_path, "2023-01-kent-stop-and-search.csv",
                 STOP_HEADER + good + good.replace(",,,,,,,,,,,,,", ",yes,,,,,,,,,,,,"))
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (3, "Part of a policing operation")
    path.write_text(STOP_HEADER + good.replace("2023-01-02T10", "2023-01-32T10"))
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (2, "Date")


@pytest.mark.parametrize(
    ("header", "column", "words"),
    [
        (STREET_HEADER.replace("Crime type", "Offence"), "Offence", "unknown column 'Offence'"),
        (OUTCOMES_HEADER.replace(",Outcome type", ""), "Outcome type",
         "missing column 'Outcome type'"),
        ("a,b,c\n", "a", "not a data.police.uk header"),
    ],
)
def test_an_unknown_header_is_an_error_on_row_1(
    tmp_path: Path, header: str, column: str | None, words: str
) -> None:
    with pytest.raises(InputError) as err:
        police_uk.read(write(tmp_path, "x.csv", header + "1,2,3\n"))
    assert (err.value.row, err.value.column) == (1, column)
    assert words in str(err.value)


def test_a_header_only_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data rows"):
        police_uk.read(write(tmp_path, "x.csv", STREET_HEADER))


def test_looks_like_accepts_all_three_kinds_and_nothing_else(tmp_path: Path) -> None:
    assert police_uk.looks_like(FIXTURES / "2018-01-essex-street.csv.gz")
    assert police_uk.looks_like(write(tmp_path, "o.csv", OUTCOMES_HEADER))
    assert police_uk.looks_like(write(tmp_path, "s.csv", STOP_HEADER))
    assert not police_uk.looks_like(REC_CRIME)
    assert not police_uk.looks_like(write(tmp_path, "a.csv", "a,b\n"))
    assert not police_uk.looks_like(tmp_path / "missing.csv")


def test_stop_search_force_reads_force_ids_from_file_names() -> None:
    force = police_uk.stop_search_force("2023-01-avon-and-somerset-stop-and-search.csv")
    assert force is not None and force.code == "E23000036"
    assert police_uk.stop_search_force("2023-01-avon-and-somerset-street.csv") is None


def test_a_byte_order_mark_before_the_header_is_ignored() -> None:
    data = ("\ufeff" + STREET_HEADER + KENT + "Drugs,,\n").encode()
    table = police_uk.read(Path("bom.csv"), data=data).tables["street_crime"]
    assert table.select("crime_id", "crime_type").rows() == [("ab12", "Drugs")]


def test_read_many_equals_read_file_by_file_across_headers_and_formats(tmp_path: Path) -> None:
    outcomes = write(tmp_path, "2023-02-kent-outcomes.csv", OUTCOMES_HEADER
                     + "ab12,2023-01,Kent Police,Kent Police,0.5,51.25,On or near Park,E01024000,"
                     "Ashford 001A,Suspect charged\n")
    stops = write(tmp_path, "2023-07-kent-stop-and-search.csv", STOP_HEADER
                  + "Person search,2023-06-30T23:30:00+00:00,,,,,,,,,,,,,\n")
    snake = write(tmp_path, "snake.csv", STREET_HEADER.lower().replace(" ", "_") + "\n"
                  + KENT + "Drugs,,\n\n" + KENT + "Burglary,,\n")
    # Essex (snake_case header) between files with the published header; gzip and plain.
    files = [FIXTURES / "2023-01-avon-and-somerset-street.csv.gz", outcomes,
             FIXTURES / "2018-01-essex-street.csv.gz", snake, stops,
             FIXTURES / "2022-02-hampshire-street.csv.gz"]
    reads = {r.format: r for r in police_uk_bulk.read_many([(p, p.name) for p in files])}
    assert set(reads) == {police_uk.STREET, police_uk.OUTCOMES, police_uk.STOP_AND_SEARCH}
    for i, path in enumerate(files):
        batch = police_uk.read(path, display_name=path.name)
        (table,) = batch.tables.values()
        bulk = reads[batch.format]
        mine = bulk.table.filter(pl.col("file") == i).sort("row").drop("file")
        assert mine.equals(table), path.name
        assert (bulk.editions[i], bulk.rows[i]) == (batch.edition, table.height)
    assert reads[police_uk.STREET].table.filter(pl.col("file") == 3)["row"].to_list() == [3, 5]


def test_read_many_reports_the_first_bad_file_exactly_as_read_does(tmp_path: Path) -> None:
    good = write(tmp_path, "2023-01-kent-street.csv", STREET_HEADER + KENT + "Drugs,,\n")
    bad = write(tmp_path, "2023-02-kent-street.csv",
                STREET_HEADER + KENT + "Drugs,,\n" + KENT + "Burglarly,,\n")
    worse = write(tmp_path, "2023-03-kent-street.csv", STREET_HEADER)
    with pytest.raises(InputError) as err:
        police_uk_bulk.read_many(
            [(good, "a.zip!good.csv"), (bad, "a.zip!bad.csv"), (worse, "w.csv")]
        )
    assert (err.value.file, err.value.row, err.value.column) == ("a.zip!bad.csv", 3, "Crime type")
    with pytest.raises(InputError, match="no data rows") as err:
        police_uk_bulk.read_many([(good, "good.csv"), (worse, "w.csv")])
    assert err.value.file == "w.csv"
