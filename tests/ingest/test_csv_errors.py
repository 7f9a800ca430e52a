"""Field counts of CSV records: the fast line count and the quote-aware count agree."""

from __future__ import annotations

import pytest

from policeperf.errors import InputError
from policeperf.ingest.csv_errors import ragged_records, raise_ragged

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
