"""Field counts of CSV records: the fast line count and the quote-aware count agree."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from policeperf.errors import InputError
from policeperf.ingest.csv_errors import ragged_records, raise_ragged, short_row

HEADER = "a,b,c"


@pytest.mark.parametrize("quote", ["", '"'])
def test_ragged_records_finds_short_and_long_rows_with_or_without_quotes(quote: str) -> None:
    q = quote
    text = (f"{HEADER}\n{q}1{q},2,3\n1,2\n\n1,2,3,4\n1,2,3,\n1,2,,\n1\r\n{q}x{q},y,z\n")
    found = ragged_records(text, 3)
    # row 3 short, row 4 blank (not reported), row 5 long, row 6 a trailing empty field
    # (let through), row 7 an empty last value, row 8 short with a CRLF end.
    assert found.rows() == [(3, 2), (5, 4), (8, 1)]


def test_a_quoted_comma_is_one_field() -> None:
    assert ragged_records(f'{HEADER}\n"1,5",2,3\n', 3).height == 0


def test_a_quoted_line_break_keeps_the_row_numbers_of_the_records() -> None:
    assert ragged_records(f'{HEADER}\n1,"two\nlines",3\n1,2\n', 3).rows() == [(3, 2)]


def test_a_short_row_names_the_first_column_it_has_no_value_for() -> None:
    with pytest.raises(InputError) as caught:
        raise_ragged(f"{HEADER}\n1,2,3\n1\n", ["a", "b", "c"], "f.csv")
    assert caught.value.row == 3 and caught.value.column == "b"
    assert "row has 1 field, the header 3: no value for 'b', 'c'" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "records", "found"),
    [
        ("1,2,3\n4,5,6\n", 2, None),  # every line whole: decided by the byte counts
        ("1,2,3\n4,5,6", 2, None),  # no line end after the last row
        ("1,2,3\r\n,,\r\n", 2, None),  # empty fields are fields
        ("1,2,3\n4,5\n", 2, (3, 2)),
        ("1,2,3\n\n4\n", 2, (4, 1)),  # a blank line is not a record, but is counted
        ("1,2,3\n,\n", 1, (3, 2)),  # a short row of blanks, which Polars drops as blank
        ('"1,5",2,3\n"x",y\n', 2, (3, 2)),  # quotes: counted by the csv module
    ],
)
def test_short_row_finds_the_first_record_with_too_few_fields(
    tmp_path: Path, body: str, records: int, found: tuple[int, int] | None
) -> None:
    raw = f"{HEADER}\n{body}".encode()
    (tmp_path / "f.csv").write_bytes(raw)
    (tmp_path / "f.csv.gz").write_bytes(gzip.compress(raw))
    for source in (raw, gzip.compress(raw), tmp_path / "f.csv", tmp_path / "f.csv.gz"):
        assert short_row(source, 3, records) == found
