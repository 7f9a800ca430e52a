"""data.police.uk rows with too few fields are refused; rows whose trailing fields are empty load.

A street file's last fields ("Last outcome category", "Context") are often blank, but a blank
field is still there between its commas (``,,``); a row with fewer commas lost its values, which
used to read as blanks. The bulk reader (many files in one scan) and the one-file reader say the
same thing, and a load that meets such a row stores nothing.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from policeperf.errors import InputError
from policeperf.ingest import police_uk, police_uk_bulk
from policeperf.ingest.load import ingest_paths
from policeperf.warehouse import Warehouse

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")
OUTCOMES = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            "LSOA name,Outcome type\n")
KENT = "ab12,2023-01,Kent Police,Kent Police,0.5,51.2,On or near Park,E01024000,Ashford 001A,"
ASB = KENT.replace("ab12", "") + "Anti-social behaviour,,\n"  # both trailing fields empty
FULL = KENT + "Burglary,Under investigation,\n"


def write(folder: Path, name: str, text: str, *, zipped: bool = False) -> Path:
    path = folder / name
    data = text.encode()
    path.write_bytes(gzip.compress(data) if zipped else data)
    return path


@pytest.mark.parametrize(
    ("row", "fields", "column", "missing"),
    [
        (KENT + "Burglary,Under investigation\n", 11, "Context", "'Context'"),
        (KENT + "Burglary\n", 10, "Last outcome category", "'Last outcome category', 'Context'"),
        (KENT.replace("ab12", "") + "Anti-social behaviour\n", 10, "Last outcome category",
         "'Last outcome category', 'Context'"),
    ],
)
@pytest.mark.parametrize("zipped", [False, True])
def test_a_street_row_with_too_few_fields_is_refused_naming_row_and_first_missing_column(
    tmp_path: Path, row: str, fields: int, column: str, missing: str, zipped: bool
) -> None:
    name = "2023-01-kent-street.csv" + (".gz" if zipped else "")
    path = write(tmp_path, name, HEADER + ASB + FULL + row + FULL, zipped=zipped)
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), 4, column)
    assert f"row has {fields} fields, the header 12: no value for {missing}" in str(err.value)


def test_a_short_row_after_blank_lines_is_found_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", HEADER + ASB + "\n\r\n" + FULL + KENT + "Drugs\r\n")
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (6, "Last outcome category")


def test_a_short_row_in_a_file_with_quotes_is_found_too(tmp_path: Path) -> None:
    quoted = KENT.replace("On or near Park", '"On or near Park, North"')
    path = write(tmp_path, "s.csv", HEADER + quoted + "Drugs,,\n" + quoted + "Drugs,\n")
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (3, "Context")


def test_an_outcomes_row_without_its_outcome_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "o.csv", OUTCOMES + KENT.removesuffix(",") + "\n")
    with pytest.raises(InputError) as err:
        police_uk.read(path)
    assert (err.value.row, err.value.column) == (2, "Outcome type")
    assert "row has 9 fields, the header 10" in str(err.value)


def test_rows_with_empty_trailing_fields_and_blank_lines_still_load(tmp_path: Path) -> None:
    text = HEADER + ASB + FULL + "\n" + ",,,,,,,,,,,\n" + ASB
    table = police_uk.read(write(tmp_path, "s.csv", text)).tables["street_crime"]
    assert table["row"].to_list() == [2, 3, 6]
    assert table["last_outcome_category"].to_list() == [None, "Under investigation", None]
    assert table["context"].null_count() == 3


def test_the_bulk_reader_refuses_a_short_row_as_the_one_file_reader_does(tmp_path: Path) -> None:
    good = write(tmp_path, "2023-01-kent-street.csv", HEADER + ASB + FULL)
    short = write(tmp_path, "2023-02-kent-street.csv",
                  HEADER + (ASB + FULL).replace("2023-01", "2023-02") + KENT + "Drugs,Under\n")
    with pytest.raises(InputError) as err:
        police_uk_bulk.read_many([(good, "a.zip!good.csv"), (short, "a.zip!short.csv")])
    assert (err.value.file, err.value.row, err.value.column) == ("a.zip!short.csv", 4, "Context")


def test_a_load_meeting_a_short_row_stores_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write(data, "2023-01-kent-street.csv", HEADER + ASB + FULL)
    write(data, "2023-02-kent-street.csv", HEADER + KENT.replace("2023-01", "2023-02") + "Drugs\n")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        before = warehouse.fingerprint()
        with pytest.raises(InputError, match="no value for 'Last outcome category'"):
            ingest_paths(warehouse, [data])
        assert warehouse.fingerprint().equals(before)
        (data / "2023-02-kent-street.csv").unlink()
        assert ingest_paths(warehouse, [data]).rows_added == 2
