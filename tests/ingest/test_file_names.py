"""File names are names, never patterns: ONS markers such as ``[x]`` and characters such as
``*`` and ``?`` in a file name must not be expanded by the CSV reader (Polars globs by
default). Each case copies a real bundled or fixture file under such a name and checks the
warehouse holds exactly what the file loaded under its own name gives."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest

from policeperf.ingest.load import ingest_paths
from policeperf.warehouse import Warehouse

ROOT = Path(__file__).parents[2]
DATA = ROOT / "src/policeperf/data"
ESSEX = ROOT / "tests/fixtures/police_uk"
ESSEX_JANUARY_ROWS = 14_786  # tests/ingest/test_police_uk.py reads these from the real files
ESSEX_FEBRUARY_ROWS = 13_752


def loaded(db: Path, paths: list[Path]) -> tuple[int, pl.DataFrame]:
    """Rows added, and the fingerprint of every data table (``sources`` names the path, so it
    is left out)."""
    with Warehouse(db) as warehouse:
        added = ingest_paths(warehouse, paths).rows_added
        fingerprint = warehouse.fingerprint().filter(pl.col("table") != "sources")
    return added, fingerprint


def plain(source: Path, target: Path) -> Path:
    """``source`` copied to ``target``; a ``.gz`` source is unpacked when ``target`` is not."""
    if source.suffix == ".gz" and target.suffix != ".gz":
        target.write_bytes(gzip.decompress(source.read_bytes()))
    else:
        shutil.copyfile(source, target)
    return target


CASES = {
    "street CSV with [x]": (ESSEX / "2018-01-essex-street.csv.gz", "2018-01-essex-street[x].csv"),
    "street gzip with *": (ESSEX / "2018-02-essex-street.csv.gz", "2018-02-essex-street*.csv.gz"),
    "ONS rec-crime CSV with [x] and [u]": (DATA / "ons-rec-crime-pfa/rec-crime-pfa.csv.gz",
                                           "rec-crime-pfa [x][u].csv.gz"),
    "Home Office offence codes with ?": (ROOT / "tests/fixtures/offence_codes/prc-pfa-fixture.csv",
                                         "prc-pfa-fixture?.csv"),
    "force series with [z]": (DATA / "force-series/example-avon-and-somerset.csv",
                              "example [z].csv"),
    "ONS workbook with [x]": (DATA / "ons-pfa-tables/pfajun22.xlsx", "pfajun22 [x].xlsx"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_file_named_with_glob_characters_loads_as_under_its_own_name(
    tmp_path: Path, case: str
) -> None:
    source, odd_name = CASES[case]
    (tmp_path / "odd").mkdir()
    odd = plain(source, tmp_path / "odd" / odd_name)
    usual = plain(source, tmp_path / odd_name.replace("[", "").replace("]", "")
                  .replace("*", "").replace("?", "").replace(" ", ""))
    expected = loaded(tmp_path / "usual.duckdb", [usual])
    got = loaded(tmp_path / "odd.duckdb", [odd])
    assert expected[0] > 0
    assert got[0] == expected[0]
    assert got[1].equals(expected[1])


def test_a_name_that_is_also_a_pattern_for_its_neighbour_loads_only_itself(
    tmp_path: Path,
) -> None:
    # "2018-0?-essex-street.csv.gz" (February's rows) matches January's file as a pattern:
    # read as one, the load held January twice (43,324 rows) and no February.
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(ESSEX / "2018-01-essex-street.csv.gz", data / "2018-01-essex-street.csv.gz")
    shutil.copyfile(ESSEX / "2018-02-essex-street.csv.gz", data / "2018-0?-essex-street.csv.gz")
    added, _ = loaded(tmp_path / "w.duckdb", [data])
    assert added == ESSEX_JANUARY_ROWS + ESSEX_FEBRUARY_ROWS


def test_a_name_with_a_bracket_class_matching_its_neighbour_loads_only_itself(
    tmp_path: Path,
) -> None:
    # "[12]" matched "2018-01-..." but not the file's own name: January twice, February lost.
    data = tmp_path / "data"
    data.mkdir()
    plain(ESSEX / "2018-01-essex-street.csv.gz", data / "2018-01-essex-street.csv")
    plain(ESSEX / "2018-02-essex-street.csv.gz", data / "2018-0[12]-essex-street.csv")
    added, _ = loaded(tmp_path / "w.duckdb", [data])
    assert added == ESSEX_JANUARY_ROWS + ESSEX_FEBRUARY_ROWS
