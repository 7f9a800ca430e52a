"""The Poisson and funnel rules over every group at once give the one-group functions' numbers."""

from __future__ import annotations

from datetime import date

import ibis
import polars as pl
import pytest

from policeperf.compute.batch_bench import benches
from policeperf.compute.batch_ranks import peer_members, peer_ranks
from policeperf.compute.batch_rules import funnel_columns, poisson_columns
from policeperf.compute.benchmarks import PeerRate, funnel, poisson_exact
from policeperf.compute.context import Settings
from policeperf.compute.normal import ndtri
from policeperf.reference.areas import forces
from policeperf.reference.peer_groups import PeerGroup

JUNE = date(2022, 6, 30)
# Eight forces with counts 120, 95, ..., per 100,000 to 240,000 residents.
CODES = tuple(f.code for f in forces()[:8])
COUNTS = (120.0, 95.0, 310.0, 64.0, 150.0, 201.0, 88.0, 133.0)
RESIDENTS = tuple(100000.0 + 20000.0 * i for i in range(8))


def _frame() -> pl.DataFrame:
    rates = pl.DataFrame(
        [(0, 1, JUNE, c, 1000.0 * n / d, n, d)
         for c, n, d in zip(CODES, COUNTS, RESIDENTS, strict=True)],
        schema=["variant", "sign", "period_end", "area_code", "value", "count", "denominator"],
        orient="row")
    groups = {code: PeerGroup(code, (code, *(c for c in CODES if c != code)), "t", "t")
              for code in CODES}
    return benches(peer_ranks(ibis.duckdb.connect(), rates, peer_members(groups, CODES),
                              Settings()))


def _group(force: str) -> list[PeerRate]:
    rows = {c: PeerRate(c, c, n, d, 1000.0 * n / d)
            for c, n, d in zip(CODES, COUNTS, RESIDENTS, strict=True)}
    return [rows[force], *(rows[c] for c in CODES if c != force)]


def test_the_poisson_test_of_every_force_at_once_is_each_forces_own() -> None:
    got = poisson_columns(_frame(), 0.05)
    for row in got.iter_rows(named=True):
        one = poisson_exact(_group(row["force_code"]), row["force_code"], 0.05)
        assert (row["statistic"], row["word"]) == (one.statistic, one.word)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_the_funnel_of_every_force_at_once_is_each_forces_own(confidence: float) -> None:
    got = funnel_columns(_frame(), float(ndtri(0.5 + confidence / 2.0)))
    words = set()
    for row in got.iter_rows(named=True):
        one = funnel(_group(row["force_code"]), row["force_code"], confidence, average="simple")
        assert (row["statistic"], row["word"], row["problem"]) == (one.statistic, one.word, None)
        words.add(one.word)
    assert confidence > 0.99 or len(words) > 1  # at 95% the group spreads over two words
