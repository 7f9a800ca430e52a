"""A corpus of bad inputs: every adapter and every user file, each with the message it must
produce, and the warehouse unchanged (row counts and a hash of every table) after each failed
load. Small files are committed under files/ (written by make_corpus.py); large, binary or
special ones (zip bombs, FIFOs, workbooks, other encodings) are made here at test time."""

from __future__ import annotations

import codecs
import gzip
import os
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from policeperf import limits
from policeperf.definitions import validate
from policeperf.errors import PolicePerfError
from policeperf.ingest.load import ingest_paths
from policeperf.reference.peer_groups import PeerGroupError, user_peer_groups
from policeperf.report.model import ProjectError
from policeperf.report.project import load_project
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
    "uk/2023-01-kent-street-ragged-row.csv": "row 2: row has 8 fields, the header 12",
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
    "rec/rec-crime-unclosed-quote.csv": "row 2: a quoted field is never closed",
    "oc/offence-codes-count-beyond-64-bits.csv": "number of offences is too large",
    "oc/offence-codes-count-beyond-limit.csv": "number of offences is too large: '2000000000'",
    "oc/offence-codes-negative-count.csv": "negative number of offences: '-3'",
    "oc/offence-codes-bad-year.csv": "financial year is not in the form 2022/23: '2022-23'",
    "oc/offence-codes-year-1900.csv": "financial year is outside the years data can cover",
    "oc/offence-codes-quarter-5.csv": "financial quarter is not 1-4: '5'",
    "oc/offence-codes-unknown-force.csv": "unknown force 'Gotham'",
    "oc/offence-codes-missing-column.csv": "missing Number of Offences",
    "fs/force-series-value-1e308.csv": "column 'value': value is too large: '1e308'",
    "fs/force-series-value-1e400.csv": "column 'value': value is too large: '1e400'",
    "fs/force-series-period-1900.csv": "period_end is outside the years data can cover",
    "fs/force-series-period-9999.csv": "period_end is outside the years data can cover",
    "fs/force-series-unknown-unit.csv": "unknown unit: 'furlongs'",
    "fs/force-series-unknown-column.csv": "unknown column 'colour'",
    "fs/force-series-missing-column.csv": "missing force",
    "fs/force-series-duplicate.csv": "row 3, column 'series': duplicate row",
    "fs/force-series-proportion-above-one.csv": "proportion above 1",
    "other/notes.dat": "not a format policeperf reads",
    "other/empty.csv": "not a format policeperf reads",
}

UK_HEADER = (FILES / "uk/2023-01-kent-street-latitude-999.csv").read_text().splitlines()[0]
UK_ROW = ("abc1,2023-01,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
          "Maidstone 001A,Burglary,Under investigation,")
GOOD_STREET = f"{UK_HEADER}\n{UK_ROW}\n"


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


# --- generated at test time ---------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes],
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _patch_central(path: Path, edit: Callable[[bytearray, int], None]) -> Path:
    """Apply ``edit(data, offset)`` at each central-directory header (and local header)."""
    data = bytearray(path.read_bytes())
    for signature in (b"PK\x01\x02", b"PK\x03\x04"):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            edit(data, at)
            start = at + 4
    path.write_bytes(bytes(data))
    return path


def bomb(tmp: Path) -> Path:
    return _zip(tmp / "bomb.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()
                                   + b"0" * (4 << 20)})


def huge_member(tmp: Path) -> Path:
    path = _zip(tmp / "huge.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()},
                zipfile.ZIP_STORED)

    def edit(data: bytearray, at: int) -> None:  # uncompressed size: 3 GiB
        offset = 24 if data[at + 2] == 1 else 22
        data[at + offset:at + offset + 4] = struct.pack("<I", 3 << 30)

    return _patch_central(path, edit)


def encrypted(tmp: Path) -> Path:
    path = _zip(tmp / "locked.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()})

    def edit(data: bytearray, at: int) -> None:  # general purpose flag bit 0
        offset = 8 if data[at + 2] == 1 else 6
        data[at + offset] |= 1

    return _patch_central(path, edit)


def unknown_method(tmp: Path) -> Path:
    path = _zip(tmp / "method.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()})

    def edit(data: bytearray, at: int) -> None:  # compression method 99 (AE-x)
        offset = 10 if data[at + 2] == 1 else 8
        data[at + offset:at + offset + 2] = struct.pack("<H", 99)

    return _patch_central(path, edit)


def bad_crc(tmp: Path) -> Path:
    path = _zip(tmp / "crc.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()},
                zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"Kent Police")
    data[at] = ord("X")
    path.write_bytes(bytes(data))
    return path


def long_name(tmp: Path) -> Path:
    return _zip(tmp / "long.zip", {"a" * 300 + "-street.csv": GOOD_STREET.encode()})


def traversal(tmp: Path) -> Path:
    return _zip(tmp / "escape.zip", {"../../2023-01-kent-street.csv": GOOD_STREET.encode()})


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "fake.zip"
    path.write_text("this is not an archive")
    return path


def truncated_zip(tmp: Path) -> Path:
    path = _zip(tmp / "cut.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode() * 50})
    path.write_bytes(path.read_bytes()[:200])
    return path


def notes_only_zip(tmp: Path) -> Path:
    return _zip(tmp / "notes.zip", {"README.md": b"# notes\n"})


def fifo(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    os.mkfifo(path)
    return path


def fifo_in_folder(tmp: Path) -> Path:
    (tmp / "data").mkdir()
    (tmp / "data" / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    os.mkfifo(tmp / "data" / "2023-02-kent-street.csv")
    return tmp / "data"


def dev_zero(tmp: Path) -> Path:
    return Path("/dev/zero")


def dangling(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.symlink_to(tmp / "gone.csv")
    return path


def dangling_in_folder(tmp: Path) -> Path:
    (tmp / "data").mkdir()
    (tmp / "data" / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    (tmp / "data" / "2023-02-kent-street.csv").symlink_to(tmp / "gone.csv")
    return tmp / "data"


def empty_folder(tmp: Path) -> Path:
    (tmp / "empty").mkdir()
    return tmp / "empty"


def notes_folder(tmp: Path) -> Path:
    (tmp / "notes").mkdir()
    (tmp / "notes" / "README.md").write_text("# nothing to load\n")
    return tmp / "notes"


def missing(tmp: Path) -> Path:
    return tmp / "no-such-file.csv"


def utf16(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + GOOD_STREET.encode("utf-16-le"))
    return path


def utf16_no_bom(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(GOOD_STREET.encode("utf-16-le"))
    return path


def cr_only(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_text(GOOD_STREET.replace("\n", "\r"), newline="")
    return path


def cr_only_gzip(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv.gz"
    path.write_bytes(gzip.compress(GOOD_STREET.replace("\n", "\r").encode()))
    return path


def truncated_gzip(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv.gz"
    path.write_bytes(gzip.compress((GOOD_STREET + (UK_ROW + "\n") * 2000).encode())[:300])
    return path


def binary(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(bytes(range(1, 256)) * 20)
    return path


def _workbook(path: Path, p1_cells: list[object], title_year: int = 2022) -> Path:
    title = (f"Table P1: Police recorded crime, number of offences, year ending June "
             f"{title_year}")
    p3 = [[f"Table P3: Police recorded crime, rate per 1,000 population, year ending June "
           f"{title_year}"],
          ["Area Code", "Area Name", "Population figures (mid-2020)", "Household figures",
           "Robbery"],
          ["E23000036", "Avon and Somerset", 1729500, 737300, 0.923]]
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Table P1")
    for row in [[title], ["Area Code", "Area Name", "Robbery", "Homicide"],
                ["E23000036", "Avon and Somerset", *p1_cells]]:
        sheet.append(row)
    other = book.create_sheet("Table P3")
    for row in p3:
        other.append(row)
    book.save(path)
    return path


def formula_no_value(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", ["=B1+1", 21])


def cell_1e20(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", [1e20, 21])


def workbook_1900(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", [1597, 21], title_year=1900)


def corrupt_workbook(tmp: Path) -> Path:
    good = _workbook(tmp / "good.xlsx", [1597, 21])
    path = tmp / "pfa.xlsx"
    path.write_bytes(good.read_bytes()[:1500])
    return path


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


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_in_a_folder_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    secret = tmp_path / "data" / "2023-01-kent-street.csv"
    secret.write_text(GOOD_STREET)
    secret.chmod(0)
    assert "permission denied" in refused(warehouse, [tmp_path / "data"])


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


# --- user files: catalogue, peer groups, report project -----------------------------------

def _latin1(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_bytes(text.encode("latin-1"))
    return path


CATALOGUE: dict[str, str] = {
    "catalogue/alias-bomb.yaml": "expands to more than 100,000 values",
    "catalogue/deep-nesting.yaml": "nested deeper than 50 levels",
    "catalogue/recursive-alias.yaml": "refers to a collection that contains it",
    "catalogue/invalid-yaml.yaml": "invalid YAML",
    "catalogue/not-a-mapping.yaml": "expected a mapping",
    "catalogue/python-tag.yaml": "could not determine a constructor",
}


@pytest.mark.parametrize("relative", sorted(CATALOGUE))
def test_a_bad_catalogue_file_is_reported_with_its_line(relative: str) -> None:
    issues = [str(i) for i in validate([FILES / relative]) if i.level == "error"]
    assert any(CATALOGUE[relative] in i and relative in i for i in issues), issues


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: _latin1(tmp, "c.yaml", "measures: []\n# café\n"),
     "is not UTF-8 text (byte 0xe9 at line 2, column 6"),
    (lambda tmp: tmp.joinpath("c.yaml").write_bytes(codecs.BOM_UTF16_LE
                                                    + "measures: []\n".encode("utf-16-le"))
     and tmp / "c.yaml", "is UTF-16 text"),
    (lambda tmp: os.mkfifo(tmp / "c.yaml") or tmp / "c.yaml", "is a FIFO"),
    (lambda tmp: tmp.joinpath("c.yaml").write_text("measures: []\n#" + "x" * (6 << 20))
     and tmp / "c.yaml", "is larger than 5 MiB"),
], ids=["latin-1", "utf-16", "fifo", "6 MiB"])
def test_an_unreadable_catalogue_file_is_reported_not_raised(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    issues = [str(i) for i in validate([make(tmp_path)]) if i.level == "error"]
    assert any(expected in i for i in issues), issues


def test_validate_lists_the_problems_of_valid_entries_beside_invalid_ones() -> None:
    # Before: an invalid entry stopped validate after the per-entry rules, so the valid entry's
    # unknown priority went unreported until the first problem was fixed.
    issues = [str(i) for i in validate([FILES / "catalogue/invalid-and-valid-entries.yaml"])
              if i.level == "error"]
    assert any("'broken' kind" in i for i in issues)
    assert any("'orphan': unknown priority 'no_such_priority'" in i for i in issues)


PEERS: dict[str, str] = {
    "peers/mixed-key-types.yaml": "unknown keys ['1']",
    "peers/alias-bomb.yaml": "expands to more than 100,000 values",
    "peers/deep-nesting.yaml": "nested deeper than 50 levels",
    "peers/unknown-force.yaml": "unknown force 'Gotham'",
    "peers/no-groups.yaml": "expected a mapping with a 'groups' list",
}


@pytest.mark.parametrize("relative", sorted(PEERS))
def test_a_bad_peer_group_file_is_refused_naming_the_fault(relative: str) -> None:
    with pytest.raises(PeerGroupError) as caught:
        user_peer_groups(FILES / relative)
    assert PEERS[relative] in str(caught.value) and relative in str(caught.value)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: _latin1(tmp, "p.yaml", "groups: []\n# café\n"), "is not UTF-8 text"),
    (lambda tmp: os.mkfifo(tmp / "p.yaml") or tmp / "p.yaml", "is a FIFO"),
    (lambda tmp: tmp / "absent.yaml", "no such file"),
], ids=["latin-1", "fifo", "missing"])
def test_an_unreadable_peer_group_file_is_refused(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    with pytest.raises(PeerGroupError, match=expected):
        user_peer_groups(make(tmp_path))


PROJECTS: dict[str, str] = {
    "project/alias-bomb": "expands to more than 100,000 values",
    "project/deep-nesting": "nested deeper than 50 levels",
    "project/invalid-yaml": "invalid YAML",
}


@pytest.mark.parametrize("relative", sorted(PROJECTS))
def test_a_bad_report_yaml_is_refused_naming_the_fault(relative: str) -> None:
    with pytest.raises(ProjectError, match=PROJECTS[relative]):
        load_project(FILES / relative)


def _project(tmp: Path) -> Path:
    folder = tmp / "project"
    shutil.copytree(EXAMPLE_PROJECT, folder)
    return folder


@pytest.mark.parametrize(("spoil", "expected"), [
    (lambda p: (p / "cover.md").write_bytes("Caf\xe9 au lait\n".encode("latin-1")),
     "cover.md: is not UTF-8 text (byte 0xe9 at line 1, column 4"),
    (lambda p: (p / "glossary.md").write_bytes(codecs.BOM_UTF16_LE
                                               + "- **A**: b\n".encode("utf-16-le")),
     "glossary.md: is UTF-16 text"),
    (lambda p: ((p / "cover.md").unlink(), os.mkfifo(p / "cover.md")),
     "cover.md: is a FIFO"),
    (lambda p: ((p / "cover.md").unlink(), (p / "cover.md").symlink_to(p / "gone.md")),
     "cover.md: a symbolic link to"),
    (lambda p: (p / "report.yaml").write_bytes(
        (p / "report.yaml").read_text().replace("title:", "# caf\xe9\ntitle:", 1)
        .encode("latin-1")), "report.yaml: is not UTF-8 text"),
    (lambda p: (p / "report.yaml").write_text(
        (p / "report.yaml").read_text().replace("\n", "\r")),
     "report.yaml"),
], ids=["latin-1 cover", "utf-16 glossary", "fifo cover", "dangling cover", "latin-1 yaml",
        "cr-only yaml"])
def test_a_spoilt_project_file_is_reported_with_its_name(
    tmp_path: Path, spoil: Callable[[Path], object], expected: str
) -> None:
    project = _project(tmp_path)
    spoil(project)
    try:
        load_project(project)
    except ProjectError as exc:
        assert expected in str(exc)
    else:
        # CR-only line ends are line ends to YAML and Markdown alike: the project still loads.
        assert expected == "report.yaml"


def test_a_force_series_file_with_a_bom_and_crlf_still_loads(tmp_path: Path) -> None:
    # The guards refuse what cannot be read, not what merely looks unusual.
    path = tmp_path / "series.csv"
    text = (FILES / "fs/force-series-duplicate.csv").read_text().splitlines()[:2]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(text).encode() + b"\r\n")
    with Warehouse(tmp_path / "w.duckdb") as fresh:
        assert ingest_paths(fresh, [path]).rows_added == 1
