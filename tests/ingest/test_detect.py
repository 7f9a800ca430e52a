"""Paths become files: folders, zip archives in the data.police.uk layout, unknown formats."""

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from policeperf.errors import InputError
from policeperf.ingest.detect import SourceFile, adapter_for, expand, read_file
from policeperf.ingest.load import ingest_files, ingest_paths
from policeperf.warehouse import Warehouse
from policeperf.warehouse.store import file_digest

FIXTURES = Path(__file__).parents[1] / "fixtures"
AVON = FIXTURES / "police_uk" / "2023-01-avon-and-somerset-street.csv.gz"
HAMPSHIRE = FIXTURES / "police_uk" / "2022-02-hampshire-street.csv.gz"


def monthly_archive(tmp_path: Path) -> Path:
    """A zip laid out as data.police.uk downloads are: YYYY-MM/YYYY-MM-<force>-street.csv."""
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2023-01/2023-01-avon-and-somerset-street.csv", gzip.decompress(
            AVON.read_bytes()))
        zf.writestr("2022-02/2022-02-hampshire-street.csv", gzip.decompress(
            HAMPSHIRE.read_bytes()))
    return archive


def test_a_zip_archive_expands_to_its_members_named_inside_the_archive(tmp_path: Path) -> None:
    archive = monthly_archive(tmp_path)
    with expand([archive]) as files:
        names = [f.display_name for f in files]
        batches = [read_file(f) for f in files]
    assert names == [f"{archive}!2022-02/2022-02-hampshire-street.csv",
                     f"{archive}!2023-01/2023-01-avon-and-somerset-street.csv"]
    assert [b.tables["street_crime"].height for b in batches] == [14848, 12566]
    assert batches[1].path.endswith("!2023-01/2023-01-avon-and-somerset-street.csv")


def test_a_folder_is_searched_recursively_and_notes_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "2023-01").mkdir()
    shutil.copy(AVON, tmp_path / "2023-01" / AVON.name)
    (tmp_path / "README.md").write_text("not data")
    with expand([tmp_path]) as files:
        assert [f.path.name for f in files] == [AVON.name]


def test_an_unknown_format_names_the_file_and_the_formats_read(tmp_path: Path) -> None:
    odd = tmp_path / "notes.csv"
    odd.write_text("colour,size\nred,3\n")
    with pytest.raises(InputError) as info:
        adapter_for(odd, str(odd))
    assert info.value.file == str(odd) and "ONS Police Force Area" in str(info.value)


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"), expand([tmp_path / "nope.csv"]):
        pass


def test_an_error_inside_a_zip_member_names_the_member(tmp_path: Path) -> None:
    archive = tmp_path / "bad.zip"
    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
              "LSOA name,Crime type,Last outcome category,Context\n")
    row = "abc,2023-01,Kent Police,Kent Police,,,On or near X,E01,Kent 001,Dragons,,\n"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2023-01/2023-01-kent-street.csv", header + row)
    with expand([archive]) as files, pytest.raises(InputError) as info:
        read_file(files[0])
    assert info.value.file == f"{archive}!2023-01/2023-01-kent-street.csv"
    assert info.value.row == 2 and info.value.column == "Crime type"


def test_one_bad_file_among_good_ones_loads_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
                   "31/03/2018,Kent,South East,Robbery,lots\n")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        before = warehouse.fingerprint()
        with pytest.raises(InputError) as info:
            ingest_paths(warehouse, [AVON, HAMPSHIRE, bad])
        assert info.value.row == 2
        assert warehouse.fingerprint().equals(before)


def test_ingesting_an_archive_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    archive = monthly_archive(tmp_path)
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        first = ingest_paths(warehouse, [archive])
        second = ingest_paths(warehouse, [archive])
    assert first.rows_added == 14848 + 12566
    assert second.rows_added == 0
    assert {s.status for s in second.sources} == {"already loaded"}


STREET_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
                 "LSOA name,Crime type,Last outcome category,Context\n")
KENT_ROW = "abc,2023-01,Kent Police,Kent Police,,,On or near X,E01,Kent 001,{},,\n"


def street_file(folder: Path, name: str, *types: str) -> Path:
    path = folder / name
    path.write_text(STREET_HEADER + "".join(KENT_ROW.format(t) for t in types))
    return path


def test_a_bad_file_in_a_later_chunk_leaves_the_warehouse_unchanged(tmp_path: Path) -> None:
    good = street_file(tmp_path, "2023-01-kent-street.csv", "Drugs", "Burglary")
    bad = street_file(tmp_path, "2023-02-kent-street.csv", "Drugs", "Dragons")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        ingest_paths(warehouse, [HAMPSHIRE])
        before = warehouse.fingerprint()
        # chunk_bytes=1: every file is its own chunk; the first chunks are inserted first.
        with pytest.raises(InputError) as info:
            ingest_files(warehouse, [SourceFile(p, str(p)) for p in (AVON, good, bad)],
                         chunk_bytes=1)
        assert (info.value.file, info.value.row, info.value.column) == (str(bad), 3,
                                                                       "Crime type")
        assert warehouse.fingerprint().equals(before)


def test_the_first_bad_file_in_order_is_reported_whatever_its_format(tmp_path: Path) -> None:
    bad_street = street_file(tmp_path, "2023-02-kent-street.csv", "Dragons")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("12 months ending,PFA,Region,Offence,Rolling year total number of "
                       "offences\n31/03/2018,Kent,South East,Robbery,lots\n")
    unknown = tmp_path / "notes.csv"
    unknown.write_text("colour,size\nred,3\n")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        for files, first in [([bad_csv, bad_street], bad_csv), ([bad_street, bad_csv], bad_street),
                             ([AVON, unknown, bad_street], unknown),
                             ([AVON, bad_street, unknown], bad_street)]:
            with pytest.raises(InputError) as info:
                ingest_paths(warehouse, files, progress=None)
            assert info.value.file == str(first)
        assert warehouse.sources().height == 0


def test_bulk_loads_equal_file_by_file_loads_in_rows_ids_and_sources(tmp_path: Path) -> None:
    archive = monthly_archive(tmp_path)
    kent = street_file(tmp_path, "2023-03-kent-street.csv", "Drugs", "Burglary")
    copy = tmp_path / "copy" / kent.name
    copy.parent.mkdir()
    shutil.copy(kent, copy)
    with Warehouse(tmp_path / "bulk.duckdb") as bulk, Warehouse(tmp_path / "one.duckdb") as one:
        report = ingest_paths(bulk, [archive, kent, copy])
        with expand([archive, kent, copy]) as files:
            one.load([(read_file(f), file_digest(f.path)) for f in files])
        cols = "source_id, path, file_name, sha256, format, edition, rows, tables, notes"
        assert bulk.query(f"SELECT {cols} FROM sources ORDER BY 1").equals(
            one.query(f"SELECT {cols} FROM sources ORDER BY 1"))
        rows = "SELECT * FROM street_crime ORDER BY source_id, row"
        assert bulk.query(rows).equals(one.query(rows))
    # The copy has the same bytes as the Kent file: already loaded, with its id.
    assert [(s.status, s.source_id, s.rows) for s in report.sources] == [
        ("loaded", 1, 14848), ("loaded", 2, 12566), ("loaded", 3, 2), ("already loaded", 3, 0)]
