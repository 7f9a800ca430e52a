"""A corpus of bad inputs: every adapter and every user file, each with the message it must
produce, and the warehouse unchanged (row counts and a hash of every table) after each failed
load. Small files are committed under files/ (written by make_corpus.py); large, binary or
special ones (zip bombs, FIFOs, workbooks, other encodings) are made at test time by
corpus_makers.py."""

from __future__ import annotations

import codecs
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest
from corpus_makers import (  # noqa: I001 - a sibling module of tests/corpus
    GOOD_STREET,
    _zip,
    bad_crc,
    binary,
    bomb,
    cell_1e20,
    corrupt_workbook,
    cr_only,
    cr_only_gzip,
    dangling,
    dangling_in_folder,
    dev_zero,
    empty_folder,
    encrypted,
    fifo,
    fifo_in_folder,
    force_series_formula,
    formula_no_value,
    huge_member,
    long_name,
    missing,
    not_a_zip,
    notes_folder,
    notes_only_zip,
    ods_offence_codes_formula,
    offence_codes_formula,
    ons_formula_in_zip,
    traversal,
    truncated_gzip,
    truncated_zip,
    unknown_method,
    utf16,
    utf16_no_bom,
    workbook_1900,
)

from policeperf import limits
from policeperf.errors import PolicePerfError
from policeperf.ingest.load import ingest_paths
from policeperf.warehouse import Warehouse

FILES = Path(__file__).parent / "files"
EXAMPLE_PROJECT = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"

# Committed data files -> what the error must say.
DATA: dict[str, str] = {
    "uk/2023-01-kent-street-latitude-999.csv": "row 2, column 'Latitude': not a latitude: '999'",
    "uk/2023-01-kent-street-longitude-inf.csv": "column 'Longitude': not a longitude: 'inf'",
    "uk/2023-01-kent-street-longitude-nan.csv": "column 'Longitude': not a longitude: 'NaN'",
    "uk/2023-01-kent-street-latitude-text.csv": "column 'Latitude': not a number: 'north'",
    "uk/2023-01-kent-street-month-1900.csv": "not a month the data can cover: '1900-01'",
    "uk/2023-01-kent-street-month-9999.csv": "not a month the data can cover: '9999-12'",
    "uk/2023-01-kent-street-month-13.csv": "column 'Month': not a month: '2023-13'",
    "uk/2023-01-kent-street-unknown-force.csv": "unknown area 'Narnia Police'",
    "uk/2023-01-kent-street-unknown-crime-type.csv": "unknown crime type 'Jaywalking'",
    "uk/2023-01-kent-street-ragged-row.csv": "row 2, column 'LSOA name': row has 8 fields, the "
                                             "header 12: no value for 'LSOA name', 'Crime type'",
    "uk/2023-01-kent-street-short-row-no-context.csv": "row 3, column 'Context': row has 11 "
                                                       "fields, the header 12: no value for "
                                                       "'Context'",
    "uk/2023-01-kent-street-short-row-no-outcome.csv": "row 3, column 'Last outcome category': "
                                                       "row has 10 fields, the header 12",
    "uk/2023-01-kent-outcomes-short-row.csv": "row 2, column 'Outcome type': row has 9 fields, "
                                              "the header 10",
    "uk/stop-and-search-short-row/2023-01-kent-stop-and-search.csv":
        "row 2, column 'Outcome linked to object of search': row has 13 fields, the header 15",
    "uk/2023-01-kent-street-extra-field.csv": "row 2: row has 13 fields, the header 12",
    "uk/2023-01-kent-street-unclosed-quote.csv": "row 2: a quoted field is never closed",
    "uk/2023-01-kent-street-missing-column.csv": "column 'Context': not a data.police.uk "
                                                 "header: missing column 'Context'",
    "uk/2023-01-kent-street-extra-column.csv": "column 'Weather': not a data.police.uk header: "
                                               "unknown column 'Weather'",
    "uk/2023-01-kent-street-repeated-column.csv": "repeated column 'Crime type'",
    "uk/2023-01-kent-street-header-only.csv": "no data rows",
    "uk/2023-01-kent-outcomes-bad-month.csv": "not a month: 'Jan 2023'",
    "uk/2023-01-kent-outcomes-latitude-minus-91.csv": "not a latitude: '-91'",
    "uk/stop-and-search-bad-date/2023-01-kent-stop-and-search.csv":
        "column 'Date': not a date and time: 'yesterday'",
    "uk/stop-and-search-date-1900/2023-01-kent-stop-and-search.csv":
        "not a date the data can cover: '1900-01-05T10:00:00+00:00'",
    "uk/stop-and-search-bad-flag/2023-01-kent-stop-and-search.csv": "not True or False: 'Maybe'",
    "uk/stop-and-search-latitude-999/2023-01-kent-stop-and-search.csv":
        "column 'Latitude': not a latitude: '999'",
    "uk/2023-01-narnia-stop-and-search.csv": "cannot tell which force",
    "rec/rec-crime-count-beyond-64-bits.csv": "too large for a count: '99999999999999999999'",
    "rec/rec-crime-count-beyond-limit.csv": "too large for a count: '5000000000'",
    "rec/rec-crime-count-fraction.csv": "not a whole number: '12.5'",
    "rec/rec-crime-count-text.csv": "not a whole number: 'lots'",
    "rec/rec-crime-period-1900.csv": "not a period the data can cover: '31/03/1900'",
    "rec/rec-crime-period-9999.csv": "not a period the data can cover: '31/12/9999'",
    "rec/rec-crime-period-not-month-end.csv": "not the last day of a month: '15/03/2018'",
    "rec/rec-crime-period-not-a-date.csv": "not a valid date: 'March 2018'",
    "rec/rec-crime-unknown-pfa.csv": "unknown area 'Atlantis'",
    "rec/rec-crime-unknown-offence.csv": "unknown offence label 'Piracy'",
    "rec/rec-crime-duplicate-row.csv": "row 3, column 'Offence': duplicate of row 2",
    "rec/rec-crime-extra-column.csv": "column 'Notes': unknown column",
    "rec/rec-crime-missing-column.csv": "column 'Region': missing column",
    "rec/rec-crime-short-row.csv": "row 3, column 'Rolling year total number of offences': "
                                   "row has 4 fields, the header 5: no value for",
    "rec/rec-crime-short-row-quoted.csv": "row 3, column 'Rolling year total number of "
                                          "offences': row has 4 fields, the header 5",
    "rec/rec-crime-unclosed-quote.csv": "row 2: a quoted field is never closed",
    "oc/offence-codes-count-beyond-64-bits.csv": "number of offences is too large",
    "oc/offence-codes-count-beyond-limit.csv": "number of offences is too large: '2000000000'",
    "oc/offence-codes-negative-count.csv": "negative number of offences: '-3'",
    "oc/offence-codes-bad-year.csv": "financial year is not in the form 2022/23: '2022-23'",
    "oc/offence-codes-year-1900.csv": "financial year is outside the years data can cover",
    "oc/offence-codes-quarter-5.csv": "financial quarter is not 1-4: '5'",
    "oc/offence-codes-unknown-force.csv": "unknown force 'Gotham'",
    "oc/offence-codes-short-row.csv": "row 3, column 'Number of Offences': row has 7 fields, "
                                      "the header 8: no value for 'Number of Offences'",
    "oc/offence-codes-long-row.csv": "row 2: row has 9 fields, the header 8",
    "oc/offence-codes-missing-column.csv": "missing Number of Offences",
    "fs/force-series-value-1e308.csv": "column 'value': value is too large: '1e308'",
    "fs/force-series-value-1e400.csv": "column 'value': value is too large: '1e400'",
    "fs/force-series-period-1900.csv": "period_end is outside the years data can cover",
    "fs/force-series-period-9999.csv": "period_end is outside the years data can cover",
    "fs/force-series-unknown-unit.csv": "unknown unit: 'furlongs'",
    "fs/force-series-unknown-column.csv": "unknown column 'colour'",
    "fs/force-series-missing-column.csv": "missing force",
    "fs/force-series-short-row.csv": "row 2, column 'numerator': row has 8 fields, the header "
                                     "13: no value for 'numerator', 'denominator', 'unit'",
    "fs/force-series-long-row.csv": "row 2: row has 14 fields, the header 13",
    "fs/force-series-duplicate.csv": "row 3, column 'series': duplicate row",
    "fs/force-series-proportion-above-one.csv": "proportion above 1",
    "other/notes.dat": "not a format policeperf reads",
    "other/empty.csv": "not a format policeperf reads",
}



@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """A small warehouse holding good files of three kinds, so every check has rows to keep."""
    root = tmp_path_factory.mktemp("corpus-good")
    (root / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    (root / "series.csv").write_text(
        (FILES / "fs/force-series-duplicate.csv").read_text().splitlines()[0] + "\n"
        + "Kent,drug_disruptions,month,2022-06-30,,,force,38,,,count,total,\n")
    (root / "rec.csv").write_text(
        "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
        "31/03/2018,Kent,South East,Robbery,1234\n")
    with Warehouse(tmp_path_factory.mktemp("corpus-db") / "w.duckdb") as opened:
        assert ingest_paths(opened, [root]).rows_added == 3
        yield opened


def refused(warehouse: Warehouse, paths: list[Path]) -> str:
    """Load ``paths``, which must fail with a policeperf error; the warehouse must be exactly as
    before. Returns the message."""
    before = warehouse.fingerprint()
    with pytest.raises(PolicePerfError) as caught:
        ingest_paths(warehouse, paths)
    after = warehouse.fingerprint()
    assert after.equals(before), "a failed load changed the warehouse"
    assert before.filter(pl.col("rows") > 0).height >= 3
    message = str(caught.value)
    assert "Traceback" not in message and "You might want" not in message
    return message


def test_the_corpus_holds_at_least_sixty_files() -> None:
    committed = [p for p in FILES.rglob("*") if p.is_file()]
    assert len(committed) >= 60 and len(GENERATED) >= 25


@pytest.mark.parametrize("relative", sorted(DATA))
def test_a_bad_data_file_is_refused_naming_the_fault(warehouse: Warehouse, relative: str) -> None:
    message = refused(warehouse, [FILES / relative])
    assert DATA[relative] in message
    assert relative in message  # the file is named
    if "problems in" not in message:
        assert "\n" not in message  # one line


# Generated case -> (make it, what the error must say).
GENERATED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb": (bomb, "times, more than 200 (a zip bomb?)"),
    "zip member claiming 3 GiB": (huge_member, "more than 2 GiB"),
    "encrypted zip member": (encrypted, "member is encrypted"),
    "unknown zip compression": (unknown_method, "compression method 99"),
    "zip member with a bad CRC": (bad_crc, "member is corrupt"),
    "zip member with a 300-byte name": (long_name, "member name longer than 255 bytes"),
    "zip member escaping the archive": (traversal, "archive member escapes the archive"),
    "text named .zip": (not_a_zip, "not a valid zip archive"),
    "truncated zip": (truncated_zip, "not a valid zip archive"),
    "zip of notes only": (notes_only_zip, "the archive holds no files to read"),
    "FIFO": (fifo, "is a FIFO (named pipe), not a file"),
    "FIFO in a folder": (fifo_in_folder, "is a FIFO (named pipe), not a file"),
    "/dev/zero": (dev_zero, "is a character device, not a file"),
    "dangling symlink": (dangling, "a symbolic link to"),
    "dangling symlink in a folder": (dangling_in_folder, "which does not exist"),
    "empty folder": (empty_folder, "the folder holds no files to read"),
    "folder of notes only": (notes_folder, "the folder holds no files to read"),
    "missing path": (missing, "no such file or folder"),
    "UTF-16 with BOM": (utf16, "is UTF-16 text"),
    "UTF-16 without BOM": (utf16_no_bom, "is UTF-16 text"),
    "CR-only line ends": (cr_only, "lines end with a carriage return only"),
    "CR-only line ends, gzip": (cr_only_gzip, "lines end with a carriage return only"),
    "truncated gzip": (truncated_gzip, "2023-01-kent-street.csv.gz"),
    "binary bytes named .csv": (binary, "not a format policeperf reads"),
    "workbook formula without a cached value": (formula_no_value,
                                                "cell C3 holds a formula with no calculated"),
    "workbook cell 1e20": (cell_1e20, "too large for a count"),
    "offence-code workbook formula without a cached value": (
        offence_codes_formula, "sheet 'Data', row 4, column 'H': cell H4 holds a formula with no"),
    "offence-code .ods formula without a calculated value": (
        ods_offence_codes_formula, "prc-pfa.ods, sheet 'Data', row 3, column 'H': cell H3 holds "
        "a formula with no calculated value"),
    "force-series workbook formula without a cached value": (
        force_series_formula, "sheet 'Series', row 3, column 'H': cell H3 holds a formula"),
    "ONS workbook formula without a cached value, in a zip": (
        ons_formula_in_zip, "tables.zip!pfa.xlsx, sheet 'Table P1', row 3, column 'C': cell C3"),
    "workbook titled 1900": (workbook_1900, "outside the years data can cover"),
    "truncated workbook": (corrupt_workbook, "pfa.xlsx"),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_a_bad_generated_input_is_refused_naming_the_fault(
    warehouse: Warehouse, tmp_path: Path, case: str
) -> None:
    make, expected = GENERATED[case]
    message = refused(warehouse, [make(tmp_path)])
    assert expected in message
    assert "\n" not in message


def test_a_workbook_formula_error_names_file_sheet_and_cell(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    message = refused(warehouse, [formula_no_value(tmp_path)])
    assert message.startswith(f"file {tmp_path / 'pfa.xlsx'}, sheet 'Table P1', row 3, "
                              "column 'C': cell C3")


def test_an_archive_with_more_members_than_the_limit_is_refused(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "ZIP_MAX_MEMBERS", 3)
    path = _zip(tmp_path / "many.zip", {f"2023-0{i}-kent-street.csv": GOOD_STREET.encode()
                                        for i in range(1, 5)})
    assert "has 4 members, more than 3" in refused(warehouse, [path])


def test_an_archive_larger_in_total_than_the_limit_is_refused(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "ZIP_MAX_TOTAL_BYTES", 512)
    path = _zip(tmp_path / "total.zip", {f"2023-0{i}-kent-street.csv": GOOD_STREET.encode()
                                         for i in range(1, 5)})
    assert "add up to more than 512 bytes uncompressed" in refused(warehouse, [path])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode "
                    "(CAP_DAC_OVERRIDE); the /proc/self/mem test below covers root")
def test_an_unreadable_file_in_a_folder_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    secret = tmp_path / "data" / "2023-01-kent-street.csv"
    secret.write_text(GOOD_STREET)
    secret.chmod(0)
    assert "permission denied" in refused(warehouse, [tmp_path / "data"])


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_on_read_is_refused_even_for_root(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # /proc/self/mem opens for anyone, root included, but reading it from offset 0 fails with
    # an I/O error (nothing is mapped there): an unreadable file no privilege gets round, as a
    # failing disk or network share gives. It was an "internal error" with a traceback log.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    (tmp_path / "data" / "2023-02-kent-street.csv").symlink_to("/proc/self/mem")
    message = refused(warehouse, [tmp_path / "data"])
    assert message == (f"file {tmp_path / 'data' / '2023-02-kent-street.csv'}: cannot be read: "
                       "input/output error (expected a file policeperf may read)")


def test_a_bad_file_after_good_ones_leaves_the_warehouse_unchanged(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    for month in range(2, 6):
        (tmp_path / f"2023-0{month}-kent-street.csv").write_text(
            GOOD_STREET.replace("2023-01", f"2023-0{month}"))
    shutil.copy(FILES / "uk/2023-01-kent-street-latitude-999.csv",
                tmp_path / "2023-09-kent-street.csv")
    assert "not a latitude: '999'" in refused(warehouse, [tmp_path])


def test_force_series_ingest_lists_every_problem(warehouse: Warehouse) -> None:
    message = refused(warehouse, [FILES / "fs/force-series-many-problems.csv"])
    assert message.startswith("5 problems in ")
    for expected in ("row 2, column 'unit': unknown unit: 'furlongs'",
                     "row 3, column 'value': value is negative: '-1'",
                     "row 4, column 'period_end': period_end is not a month end: '2022-08-15'",
                     "row 5, column 'force': unknown force 'Gotham'"):
        assert expected in message


def test_a_force_series_file_with_a_bom_and_crlf_still_loads(tmp_path: Path) -> None:
    # The guards refuse what cannot be read, not what merely looks unusual.
    path = tmp_path / "series.csv"
    text = (FILES / "fs/force-series-duplicate.csv").read_text().splitlines()[:2]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(text).encode() + b"\r\n")
    with Warehouse(tmp_path / "w.duckdb") as fresh:
        assert ingest_paths(fresh, [path]).rows_added == 1


def test_a_trailing_empty_field_as_spreadsheets_write_it_still_loads(tmp_path: Path) -> None:
    # The field count check refuses values beyond the header, not an empty field after it.
    path = tmp_path / "offences.csv"
    good = (FILES / "oc/offence-codes-long-row.csv").read_text().splitlines()
    path.write_text(f"{good[0]}\n{good[1].removesuffix(',99')},\n")
    with Warehouse(tmp_path / "w.duckdb") as fresh:
        assert ingest_paths(fresh, [path]).rows_added == 1
