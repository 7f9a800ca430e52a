"""`policeperf download` end to end: a real local server, a real warehouse, the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.download.site import Site, closed_port
from typer.testing import CliRunner

from policeperf.cli import app
from policeperf.warehouse import Warehouse


@pytest.fixture
def db(bundled_warehouse_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the warehouse built from the bundled data."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, copy)
    return copy


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", str(db), "download", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def loaded_files(db: Path) -> list[str]:
    with Warehouse(db, read_only=True) as warehouse:
        return [str(r[0]) for r in warehouse.con.execute(
            "SELECT file_name FROM sources ORDER BY source_id").fetchall()]


def test_police_uk_archive_is_downloaded_and_its_crimes_loaded(
    site: Site, db: Path, tmp_path: Path
) -> None:
    before = loaded_files(db)
    code, output = run(db, "police-uk", "--since", "2023-01", "--until", "2023-01",
                       "--out", str(tmp_path / "dl"), "--mirror", site.url)
    assert code == 0, output
    assert "downloaded" in output and str(tmp_path / "dl" / "police-uk" / "2023-01.zip") in output
    assert "12,566 rows added to the warehouse" in output
    assert loaded_files(db)[len(before):] == ["2023-01-avon-and-somerset-street.csv"]
    with Warehouse(db, read_only=True) as warehouse:
        (n,) = warehouse.con.execute(
            "SELECT count(*) FROM street_crime WHERE month = DATE '2023-01-01'").fetchone() or (0,)
    assert n == 12_566


def test_ons_workbooks_download_byte_for_byte_so_the_warehouse_already_has_them(
    site: Site, db: Path, tmp_path: Path
) -> None:
    code, output = run(db, "ons", "--since", "2023-09", "--until", "2023-12", "--out",
                       str(tmp_path), "--mirror", site.url)
    assert code == 0, output
    assert output.count("already loaded") == 2 and "0 rows added to the warehouse" in output
    # Without a terminal, progress comes as plain lines: bytes, share and rate.
    assert "pfatablessep23final.xlsx: 188.7 kB of 188.7 kB (100%)" in output
    assert f"manifest: {tmp_path / 'ons' / 'manifest.json'}" in output


def test_no_ingest_downloads_and_leaves_the_warehouse_as_it_was(
    site: Site, db: Path, tmp_path: Path
) -> None:
    before = db.read_bytes()
    code, output = run(db, "police-uk", "--since", "2023-01", "--until", "2023-01", "--out",
                       str(tmp_path / "dl"), "--mirror", site.url, "--no-ingest")
    assert code == 0, output
    assert (tmp_path / "dl" / "police-uk" / "2023-01.zip").exists()
    assert "rows added" not in output and db.read_bytes() == before


def test_a_url_of_ones_own_is_fetched_and_ingested(site: Site, db: Path, tmp_path: Path) -> None:
    code, output = run(db, "offence-codes", "--since", "2099-01", "--url",
                       f"{site.url}/own/small.ods", "--out", str(tmp_path))
    assert code == 0, output
    assert "ho-offence-codes" in output and "8 rows added to the warehouse" in output


def test_offline_the_command_says_so_in_one_line_and_exits_2(db: Path, tmp_path: Path) -> None:
    code, output = run(db, "ons", "--out", str(tmp_path), "--mirror",
                       f"http://127.0.0.1:{closed_port()}")
    assert code == 2
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: cannot reach 127.0.0.1 (connection refused)")
    assert "internet connection" in lines[0]


def test_a_404_names_the_url_and_exits_2(site: Site, db: Path, tmp_path: Path) -> None:
    gone = f"{site.url}/www.ons.gov.uk/file?uri=/x/yearendingjune2099/gone.xlsx"
    code, output = run(db, "ons", "--since", "2099-01", "--url", gone, "--out", str(tmp_path))
    assert code == 2
    assert f"error: {gone} answered 404 Not Found" in " ".join(output.split())


def test_list_prints_the_urls_without_fetching(site: Site, db: Path) -> None:
    code, output = run(db, "ons", "--since", "2025-12", "--list")
    assert code == 0 and site.requests == []
    assert output.split() == [
        "2025-12", "https://www.ons.gov.uk/file?uri=/peoplepopulationandcommunity/crimeandjustice/"
        "datasets/policeforceareadatatables/yearendingdecember2025/pfatablesyedec2025.xlsx",
        "2026-03", "https://www.ons.gov.uk/file?uri=/peoplepopulationandcommunity/crimeandjustice/"
        "datasets/policeforceareadatatables/yearendingmarch2026/pfatablesyemarch2026.xlsx"]


def test_an_unknown_source_or_a_bad_month_is_a_usage_error(db: Path) -> None:
    code, output = run(db, "crimes")
    assert code == 2 and "unknown source 'crimes'" in output
    code, output = run(db, "ons", "--since", "June")
    assert code == 2 and "--since 'June' is not a month" in output
