"""The plain-SQL reads (compute/sources_sql.py) return the Ibis reads' frames, on real data.

The warehouse holds every bundled ONS file plus the offence-code, data.police.uk and force-series
fixtures, so that every read has rows to compare.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import polars as pl
import pytest

from policeperf.compute import sources
from policeperf.compute.periods import add_months
from policeperf.compute.sources_sql import DuckDBSQL
from policeperf.ingest.load import ingest_paths
from policeperf.ingest.schema import TABLES, Batch
from policeperf.reference.areas import resolve_area
from policeperf.warehouse import Warehouse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SERIES = Path(__file__).resolve().parents[2] / "src/policeperf/data/force-series"


@pytest.fixture(scope="module")
def warehouse(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory,
              ) -> Iterator[Warehouse]:  # fmt: skip
    path = tmp_path_factory.mktemp("sql") / "w.duckdb"
    shutil.copy(bundled_warehouse_path, path)
    with Warehouse(path) as w:
        ingest_paths(w, [FIXTURES / "offence_codes" / "prc-pfa-fixture.csv",
                         FIXTURES / "offence_codes" / "prc-csp-fixture.csv",
                         *sorted((FIXTURES / "police_uk").glob("*.csv.gz")),
                         SERIES / "example-avon-and-somerset.csv"])
        w.load([(Batch("street.csv", "test", date(2023, 1, 31),
                       {"street_crime": _street()}), "sha-street")])
        yield w


def _street() -> pl.DataFrame:
    """15 months of street crimes for two forces; one misses a month (a gap breaks windows)."""
    rows = []
    for force, gap in (("Avon and Somerset", None), ("Kent", 6)):
        code = resolve_area(force).code
        for m in range(15):
            if m == gap:
                continue
            month = add_months(date(2021, 1, 1), m).replace(day=1)
            for i, kind in enumerate(("Robbery", "Burglary", "Vehicle crime", "Drugs")):
                rows += [{"month": month, "area_code": code, "crime_type": kind,
                          "row": len(rows) + 2, "sheet": "", "column": ""}] * (m % 3 + i + 1)
    frame = pl.DataFrame(rows).with_columns(pl.Series("row", range(len(rows))))
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
                         for c, t in TABLES["street_crime"].schema.items()])


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


READS: dict[str, Callable[[Any], pl.DataFrame]] = {
    "crime_counts, first published": lambda c: sources.crime_counts(c, "robbery"),
    "crime_counts, latest": lambda c: sources.crime_counts(c, "residential_burglary", "latest"),
    "crime_counts, Action Fraud": lambda c: sources.crime_counts(c, "action_fraud_referrals"),
    "offence_code_counts": lambda c: sources.offence_code_counts(c, ["34B", "34A", "5A"]),
    "police_uk_counts": lambda c: sources.police_uk_counts(c, ["Robbery", "Burglary",
                                                               "Vehicle crime"]),
    "series_rows": sources.series_rows,
    "published_denominators": sources.published_denominators,
    "estimates": sources.estimates,
    "rate_anchors": sources.rate_anchors,
}


@pytest.mark.parametrize("name", list(READS))
def test_each_sql_read_returns_the_ibis_reads_frame_on_real_data(warehouse: Warehouse,
                                                                 name: str) -> None:
    read = READS[name]
    via_sql = read(sources.backend(warehouse))
    via_ibis = read(ibis.duckdb.from_connection(warehouse.con))
    assert via_sql.height > 0
    assert via_sql.schema == via_ibis.schema
    assert _sorted(via_sql).equals(_sorted(via_ibis))


def test_a_warehouse_reads_through_sql_and_an_ibis_backend_stays_ibis(
    warehouse: Warehouse,
) -> None:
    assert isinstance(sources.backend(warehouse), DuckDBSQL)
    backend = ibis.duckdb.from_connection(warehouse.con)
    assert sources.backend(backend) is backend


def test_the_sql_reader_still_answers_ibis_table_requests(warehouse: Warehouse) -> None:
    reader = sources.backend(warehouse)
    assert reader.table("sources").count().to_pyarrow().as_py() > 0
