"""Record-level monthly measures on hand-made tables (real DuckDB through Ibis, no mocks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import polars as pl
import pytest

from policeperf.compute.periods import add_months, month_end
from policeperf.compute.rates import rule_mid_year
from policeperf.reference.peer_groups import PeerGroup
from policeperf.scale import record_level as rl

A, B = "E23000036", "E23000028"


def _months(n: int, first: date = date(2021, 1, 1)) -> list[date]:
    return [add_months(first, i) for i in range(n)]


def _street(rows: list[tuple[date, str, str]]) -> ibis.Table:
    frame = pl.DataFrame(rows, schema={"month": pl.Date, "area_code": pl.Utf8,
                                       "crime_type": pl.Utf8}, orient="row")
    return ibis.memtable(frame)


def _denominators(rows: list[tuple[date, str, int, int]]) -> ibis.Table:
    frame = pl.DataFrame(rows, schema={"period_end": pl.Date, "area_code": pl.Utf8,
                                       "value": pl.Int64, "mid_year": pl.Int64}, orient="row")
    return ibis.memtable(frame.with_columns(base=pl.lit("population")))


def _estimates(rows: list[tuple[str, int, int]]) -> ibis.Table:
    frame = pl.DataFrame(rows, schema={"area_code": pl.Utf8, "mid_year": pl.Int64,
                                       "value": pl.Int64}, orient="row")
    return ibis.memtable(frame.with_columns(base=pl.lit("population")))


def _run(expr: ibis.Table) -> pl.DataFrame:
    out: pl.DataFrame = ibis.duckdb.connect().to_polars(expr)
    return out


def test_rolling_sum_is_null_until_twelve_months_then_sums_them() -> None:
    # Force A: one burglary in each of 13 months, and a second one in month 13.
    rows = [(m, A, "Burglary") for m in _months(13)] + [(_months(13)[-1], A, "Burglary")]
    counts = rl.complete(rl.monthly_counts(_street(rows)), ("area_code", "crime_type"))
    out = _run(rl.rolling(counts, ("area_code", "crime_type"))).sort("month")
    assert out["rolling_12m"].to_list() == [None] * 11 + [12, 13]


def test_all_crime_excludes_asb_and_missing_months_count_zero() -> None:
    m1, m2 = _months(2)
    rows = [(m1, A, "Burglary"), (m1, A, "Robbery"), (m1, A, rl.ASB), (m2, B, "Burglary")]
    counts = rl.complete(rl.with_all_crime(rl.monthly_counts(_street(rows))),
                         ("area_code", "crime_type"))
    out = _run(counts)
    got = {(r["month"], r["area_code"], r["crime_type"]): r["offences"]
           for r in out.iter_rows(named=True)}
    assert got[(m1, A, rl.ALL_CRIME)] == 2
    assert got[(m2, A, "Burglary")] == 0  # filled in: A had no burglary in m2
    assert got[(m1, B, rl.ALL_CRIME)] == 0


@pytest.mark.parametrize("month", _months(48, date(2019, 1, 1)))
def test_population_rule_is_the_engines_rule(month: date) -> None:
    months = ibis.memtable(pl.DataFrame({"month": [month], "area_code": [A]}))
    estimates = _estimates([(A, year, 1000 + year) for year in range(2015, 2023)])
    published = _denominators([(date(2020, 3, 31), A, 5555, 2018)])
    out = _run(rl.population_by_month(published, estimates, months))
    expected = 5555 if month == date(2020, 3, 1) else 1000 + rule_mid_year(
        month_end(month.year, month.month))
    assert out["population"].to_list() == [expected]


def test_rates_and_ranks_by_hand() -> None:
    # Twelve months; A has 2 crimes a month (24 a year), B 1 a month (12); both 12,000 residents.
    months = _months(12)
    rows = [(m, A, "Burglary") for m in months for _ in range(2)]
    rows += [(m, B, "Burglary") for m in months]
    estimates = _estimates([(A, y, 12_000) for y in range(2018, 2022)]
                           + [(B, y, 12_000) for y in range(2018, 2022)])
    no_published = _denominators([])
    peers = rl.peer_table({A: PeerGroup(A, (A, B), "test", "test")})
    out = _run(rl.force_measures(_street(rows), no_published, estimates, peers))
    last = out.filter((pl.col("month") == months[-1]) & (pl.col("crime_type") == "Burglary"))
    by_force = {r["area_code"]: r for r in last.iter_rows(named=True)}
    assert by_force[A]["rate_per_1000"] == pytest.approx(2.0)  # 24 / 12,000 x 1,000
    assert by_force[B]["rate_per_1000"] == pytest.approx(1.0)
    assert (by_force[A]["national_rank"], by_force[B]["national_rank"]) == (2, 1)
    assert (by_force[A]["msg_rank"], by_force[A]["msg_size"]) == (2, 2)
    assert by_force[B]["msg_rank"] is None  # B has no peer group of its own


def test_csp_is_the_local_authority_part_of_the_lsoa_name() -> None:
    frame = pl.DataFrame({"month": [date(2022, 1, 1)] * 3, "area_code": [A] * 3,
                          "crime_type": ["Drugs"] * 3,
                          "lsoa_name": ["Bath and North East Somerset 001A",
                                        "Bath and North East Somerset 012C", None],
                          "lsoa_code": ["E01014399", "E01014400", None]})
    out = _run(rl.csp_counts(ibis.memtable(frame)))
    assert out.select("csp", "offences").rows() == [("Bath and North East Somerset", 2)]
    lsoa = _run(rl.lsoa_counts(ibis.memtable(frame)))
    assert lsoa.height == 2


def test_current_counts_from_stored_records_equal_counts_of_the_current_view(
    tmp_path: Path,
) -> None:
    from policeperf.ingest.load import ingest_paths
    from policeperf.warehouse import Warehouse

    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
              "LSOA name,Crime type,Last outcome category,Context\n")

    def street(name: str, *rows: tuple[str, str, str]) -> Path:
        path = tmp_path / name
        path.write_text(header + "".join(f"x,{m},{f},{f},,,,,,{t},,\n" for m, f, t in rows))
        return path

    files = [
        street("a.csv", ("2023-01", "Kent Police", "Drugs"), ("2023-01", "Kent Police", "Drugs")),
        # A later edition republishes January for Kent: it replaces a.csv's January.
        street("b.csv", ("2023-01", "Kent Police", "Burglary"),
               ("2023-02", "Kent Police", "Drugs")),
        # Same edition as b.csv, loaded later: its February replaces b.csv's.
        street("c.csv", ("2023-02", "Kent Police", "Robbery"),
               ("2023-02", "Kent Police", "Robbery"), ("2023-02", "Essex Police", "Drugs")),
    ]
    with Warehouse(tmp_path / "w.duckdb") as wh:
        ingest_paths(wh, files)
        con = ibis.duckdb.from_connection(wh.con)
        keys = ["month", "area_code", "crime_type"]
        fast = rl.current_monthly_counts(con.table("street_crime"), con.table("sources"))
        slow = rl.monthly_counts(con.table("street_crime_current"))
        got, want = fast.to_polars().sort(keys), slow.to_polars().sort(keys)
    assert got.equals(want)
    assert got.rows() == [(date(2023, 1, 1), "E23000032", "Burglary", 1),
                          (date(2023, 2, 1), "E23000028", "Drugs", 1),
                          (date(2023, 2, 1), "E23000032", "Robbery", 2)]


def test_the_peer_table_registered_on_duckdb_equals_the_memtable() -> None:
    from policeperf.reference.peer_groups import load_peer_groups

    groups = load_peer_groups()
    con = ibis.duckdb.connect()
    registered = rl.peer_table(groups, con).to_polars().sort("force_code", "member_code")
    memtable = con.execute(rl.peer_table(groups)).pipe(pl.from_pandas).sort(
        "force_code", "member_code")
    assert registered.equals(memtable)
    assert registered.height == sum(g.size for g in groups.values())
