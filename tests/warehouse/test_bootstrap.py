"""A fresh warehouse builds itself from the bundled real data, once."""

import shutil
from datetime import date
from pathlib import Path

from policeperf.warehouse import Warehouse
from policeperf.warehouse.bootstrap import bundled_files, ensure_bundled, missing_bundled


def test_the_bundle_is_the_2003_2018_csv_then_18_ons_editions() -> None:
    files = bundled_files()
    assert files[0].name == "rec-crime-pfa.csv.gz"
    assert len(files) == 19 and all(f.suffix == ".xlsx" for f in files[1:])


def test_the_bundled_warehouse_holds_every_file_and_a_second_run_loads_nothing(
    bundled_warehouse_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(bundled_warehouse_path, copy)
    with Warehouse(copy) as warehouse:
        assert missing_bundled(warehouse) == []
        before = warehouse.fingerprint()
        report = ensure_bundled(warehouse)
        assert report.rows_added == 0 and warehouse.fingerprint().equals(before)
        assert warehouse.sources().height == 19


def test_a_period_shows_its_own_editions_figure_and_keeps_the_later_revision(
    bundled_warehouse: Warehouse,
) -> None:
    # The June 2022 edition publishes 4,886 residential burglaries for Avon and Somerset; the
    # June 2023 edition's Table P4 revises the same 12 months to 4,922.
    revisions = bundled_warehouse.query(
        "SELECT offences, publication, file_name FROM recorded_crime_revisions "
        "WHERE area_code = 'E23000036' AND offence = 'residential_burglary' "
        "AND period_end = DATE '2022-06-30' ORDER BY edition"
    )
    assert revisions.rows() == [
        (4886, "headline", "pfajun22.xlsx"),
        (4922, "restated", "pfatablesfinaljun23.xlsx"),
    ]
    current = bundled_warehouse.query(
        "SELECT offences FROM recorded_crime_current WHERE area_code = 'E23000036' "
        "AND offence = 'residential_burglary' AND period_end = DATE '2022-06-30'"
    )
    assert current["offences"].to_list() == [4886]


def test_a_period_with_no_edition_of_its_own_is_filled_by_the_next_years_revision(
    bundled_warehouse: Warehouse,
) -> None:
    frame = bundled_warehouse.query(
        "SELECT c.offences, c.publication FROM recorded_crime_current c "
        "WHERE area_code = 'E23000036' AND offence = 'homicide' AND period_end = ?",
        [date(2021, 6, 30)],
    )
    assert frame.rows() == [(frame["offences"][0], "restated")]
    assert frame["offences"][0] is not None
