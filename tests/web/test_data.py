"""The dashboard's reads: one generation of the warehouse at a time, never a replaced one."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from policeperf.errors import PolicePerfError
from policeperf.reference.areas import resolve_area
from policeperf.warehouse.access import writing
from policeperf.web.data import Results
from policeperf.web.snapshot import SnapshotWarehouse, generation

FORCE_SERIES = (Path(__file__).resolve().parents[2] / "src" / "policeperf" / "data"
                / "force-series" / "example-avon-and-somerset.csv")


@pytest.fixture()
def warehouse(bundled_warehouse_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, path)
    return path


def _ingest(path: Path) -> None:
    from policeperf.ingest.detect import SourceFile
    from policeperf.ingest.load import ingest_files

    with writing(path) as w:
        ingest_files(w, [SourceFile(FORCE_SERIES, FORCE_SERIES.name)])


def test_a_reader_opened_after_a_swap_sees_the_new_file_while_an_old_one_is_open(
    warehouse: Path,
) -> None:
    # DuckDB shares one instance per path within a process: a plain second read-only connection
    # made while the first is open would still read the replaced file.
    with SnapshotWarehouse(warehouse) as old:
        before = old.sources().height
        _ingest(warehouse)
        with SnapshotWarehouse(warehouse) as new:
            assert new.sources().height == before + 1
        assert old.sources().height == before  # the old generation stays whole for its reader


def test_results_are_cached_per_generation_and_a_write_is_seen_at_once(warehouse: Path) -> None:
    results = Results(warehouse)
    first = results.sources()
    assert results.sources() is first  # cached
    old = generation(warehouse)
    _ingest(warehouse)
    assert generation(warehouse) != old
    assert len(results.sources()) == len(first) + 1
    assert "example-avon-and-somerset.csv" in results.illustrative_files()


def test_force_held_figures_appear_once_their_file_is_loaded(warehouse: Path) -> None:
    results = Results(warehouse)
    area = resolve_area("Avon and Somerset")
    period = date(2022, 6, 30)
    assert results.measure(area, period, "victim_satisfaction_overall").value is None
    _ingest(warehouse)
    assert results.measure(area, period, "victim_satisfaction_overall").value is not None


def test_a_missing_warehouse_is_a_user_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(PolicePerfError, match="no warehouse file"):
        Results(tmp_path / "none.duckdb").sources()
    (tmp_path / "junk.duckdb").write_bytes(b"not a database")
    with pytest.raises(PolicePerfError):
        SnapshotWarehouse(tmp_path / "junk.duckdb")
