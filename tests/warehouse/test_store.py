"""The warehouse: atomic, idempotent loads that keep every revision and its provenance."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.errors import InputError, PolicePerfError
from policeperf.ingest.schema import RECORDED_CRIME, Batch
from policeperf.warehouse.store import Warehouse


def crime(rows: list[tuple[date, str, str, int | None]], sheet: str = "Table P1") -> pl.DataFrame:
    """A recorded_crime frame from (period_end, area, offence, offences) with provenance."""
    return pl.DataFrame(
        [
            (p, a, o, n, None if n is not None else "[x]", "headline", sheet, i + 8, o)
            for i, (p, a, o, n) in enumerate(rows)
        ],
        schema=RECORDED_CRIME.schema,
        orient="row",
    )


JUN22 = date(2022, 6, 30)
JUN21 = date(2021, 6, 30)


def edition(name: str, ed: date, rows: list[tuple[date, str, str, int | None]]) -> Batch:
    return Batch(path=name, format="test", edition=ed, tables={"recorded_crime": crime(rows)})


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "w.duckdb")


def current(warehouse: Warehouse) -> dict[tuple[date, str, str], int | None]:
    frame = warehouse.query("SELECT period_end, area_code, offence, offences "
                            "FROM recorded_crime_current")
    return {(r[0], r[1], r[2]): r[3] for r in frame.iter_rows()}


def test_a_loaded_figure_traces_to_its_file_sheet_row_column_and_load_time(
    warehouse: Warehouse,
) -> None:
    warehouse.load([(edition("jun22.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21)]), "a")])
    prov = warehouse.query("SELECT * FROM provenance").row(0, named=True)
    assert prov["file_name"] == "jun22.xlsx"
    assert (prov["sheet"], prov["row"], prov["column"]) == ("Table P1", 8, "homicide")
    assert prov["value"] == 21 and prov["loaded_at"] is not None


def test_loading_the_same_file_twice_adds_nothing(warehouse: Warehouse) -> None:
    batch = edition("jun22.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21)])
    first = warehouse.load([(batch, "sha-1")])
    before = warehouse.fingerprint()
    second = warehouse.load([(batch, "sha-1")])
    assert first.rows_added == 1 and second.rows_added == 0
    assert second.sources[0].status == "already loaded"
    assert warehouse.fingerprint().equals(before)


def test_a_newer_edition_supersedes_and_the_old_value_stays_as_a_revision(
    warehouse: Warehouse,
) -> None:
    # The June 2021 edition publishes 100; the June 2022 edition revises June 2021 to 104.
    old = edition("jun21.xlsx", JUN21, [(JUN21, "E23000036", "robbery", 100)])
    new = edition("jun22.xlsx", JUN22, [(JUN21, "E23000036", "robbery", 104),
                                        (JUN22, "E23000036", "robbery", 120)])
    warehouse.load([(new, "sha-new")])
    warehouse.load([(old, "sha-old")])  # loaded later, but an older edition
    assert current(warehouse)[(JUN21, "E23000036", "robbery")] == 104
    revisions = warehouse.query(
        "SELECT previous_offences, offences, previous_edition, edition, file_name "
        "FROM recorded_crime_revisions WHERE period_end = ? AND previous_edition IS NOT NULL",
        [JUN21],
    )
    assert revisions.rows() == [(100, 104, JUN21, JUN22, "jun22.xlsx")]
    assert warehouse.query("SELECT count(*) AS n FROM recorded_crime")["n"][0] == 3


def test_among_sources_of_the_same_edition_the_one_loaded_last_is_current(
    warehouse: Warehouse,
) -> None:
    warehouse.load([(edition("a.csv", JUN22, [(JUN22, "E23000036", "homicide", 20)]), "1")])
    warehouse.load([(edition("b.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21)]), "2")])
    assert current(warehouse)[(JUN22, "E23000036", "homicide")] == 21


def test_a_failure_mid_load_leaves_the_warehouse_exactly_as_it_was(warehouse: Warehouse) -> None:
    warehouse.load([(edition("base.xlsx", JUN21, [(JUN21, "E23000036", "homicide", 18)]), "0")])
    before = warehouse.fingerprint()
    batches = [
        (edition("one.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21)]), "1"),
        (edition("two.xlsx", JUN22, [(JUN22, "E23000018", "homicide", 9)]), "2"),
    ]
    loaded: list[str] = []

    def interrupt_after_first(batch: Batch) -> None:
        loaded.append(batch.path)
        raise KeyboardInterrupt("power cut")  # the first batch is already inserted here

    with pytest.raises(KeyboardInterrupt):
        warehouse.load(batches, progress=interrupt_after_first)
    assert loaded == ["one.xlsx"]
    assert warehouse.fingerprint().equals(before)
    assert warehouse.sources()["file_name"].to_list() == ["base.xlsx"]


def test_a_database_error_mid_load_rolls_back_inserts_and_schema_changes(
    warehouse: Warehouse,
) -> None:
    # Inside the load's transaction: drop a view, then hit a real DuckDB error.
    before = warehouse.fingerprint()
    good = edition("one.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21)])

    def fail_in_the_database(_: Batch) -> None:
        warehouse.con.execute("DROP VIEW provenance")
        warehouse.con.execute("DROP TABLE no_such_table")

    with pytest.raises(Exception, match="no_such_table"):
        warehouse.load([(good, "1")], progress=fail_in_the_database)
    assert warehouse.fingerprint().equals(before)
    assert warehouse.query("SELECT count(*) AS n FROM provenance")["n"][0] == 0


def test_duplicate_keys_in_one_file_are_an_error_naming_the_row(warehouse: Warehouse) -> None:
    batch = edition("dup.xlsx", JUN22, [(JUN22, "E23000036", "homicide", 21),
                                        (JUN22, "E23000036", "homicide", 22)])
    with pytest.raises(InputError) as info:
        warehouse.load([(batch, "1")])
    assert info.value.file == "dup.xlsx" and info.value.row == 8
    assert warehouse.sources().height == 0


def test_a_batch_that_breaks_the_canonical_schema_is_refused(warehouse: Warehouse) -> None:
    frame = crime([(JUN22, "E23000036", "homicide", 21)]).with_columns(pl.col("offences") * 1.0)
    batch = Batch(path="x.csv", format="test", edition=JUN22, tables={"recorded_crime": frame})
    with pytest.raises(PolicePerfError, match="recorded_crime"):
        warehouse.load([(batch, "1")])


def test_blank_figures_are_stored_as_missing_with_their_marker(warehouse: Warehouse) -> None:
    warehouse.load([(edition("b.xlsx", JUN22, [(JUN22, "E23000005", "homicide", None)]), "1")])
    row = warehouse.query("SELECT offences, marker FROM recorded_crime").row(0)
    assert row == (None, "[x]")


def test_a_warehouse_of_another_schema_version_is_refused_untouched(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "old.duckdb") as warehouse:
        warehouse.con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(PolicePerfError, match="schema version 0"):
        Warehouse(tmp_path / "old.duckdb")


def test_a_stream_failing_part_way_raises_its_own_error_and_loads_nothing(
    warehouse: Warehouse,
) -> None:
    from collections.abc import Iterator

    from policeperf.ingest.schema import STREET_CRIME

    before = warehouse.fingerprint()
    row = {c: None for c in STREET_CRIME.schema} | {"month": date(2023, 1, 1),
                                                     "area_code": "E23000032", "row": 2}
    frame = pl.DataFrame([row], schema=STREET_CRIME.schema).with_columns(
        source_id=pl.lit(1, pl.Int32()))

    def frames() -> Iterator[pl.DataFrame]:
        yield frame
        raise InputError("bad row", file="later.csv", row=3)

    with pytest.raises(InputError, match="later.csv") as info, warehouse.loading() as loader:
        loader.stream("street_crime", frames())
    assert info.value.row == 3
    assert warehouse.fingerprint().equals(before)
    with warehouse.loading() as loader:
        assert loader.stream("street_crime", iter([frame, frame])) == 2
    assert warehouse.query("SELECT count(*) AS n FROM street_crime")["n"][0] == 2
