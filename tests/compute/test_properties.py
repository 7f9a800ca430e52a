"""Property-based tests (Hypothesis; the profile in tests/conftest.py makes them deterministic):
rolling sums against a naive loop, rank invariants, trend symmetry, SPC rule precedence, and an
ingest-export round trip of recorded crime."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import ibis
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policeperf.compute.benchmarks import PeerRate, rank_in_group
from policeperf.compute.periods import add_months, month_end
from policeperf.compute.sources import rolling_sum
from policeperf.compute.spc import xmr_chart
from policeperf.compute.trends import mann_kendall_hamed_rao
from policeperf.export import recorded_crime_frame
from policeperf.ingest.load import ingest_paths
from policeperf.reference.areas import forces
from policeperf.reference.offences import groups
from policeperf.warehouse import Warehouse

# --- rolling sums ------------------------------------------------------------------------

AREAS = ("A", "B")
_months = st.lists(st.tuples(st.sampled_from(AREAS), st.integers(0, 30), st.integers(0, 1000)),
                   max_size=60, unique_by=lambda t: (t[0], t[1]))


def _naive_rolling(rows: list[tuple[str, int, int]], step: int, window: int
                   ) -> dict[tuple[str, int], int]:
    """For each (area, period index): the sum of ``window`` periods ending there, when all of
    them (index, index - step, ...) are present."""
    values = {(a, m): v for a, m, v in rows}
    out = {}
    for a, m, _ in rows:
        wanted = [(a, m - k * step) for k in range(window)]
        if all(w in values for w in wanted):
            out[(a, m)] = sum(values[w] for w in wanted)
    return out


@settings(max_examples=25)
@given(_months, st.sampled_from([(1, 12), (3, 4), (1, 3)]))
def test_rolling_sum_equals_a_naive_sum_over_complete_windows(
    rows: list[tuple[str, int, int]], shape: tuple[int, int]
) -> None:
    step, window = shape
    start = date(2020, 1, 1)
    frame = pl.DataFrame(
        {"area_code": [a for a, _, _ in rows],
         "month": [add_months(start, m * step) for _, m, _ in rows],
         "offences": [v for _, _, v in rows]},
        schema={"area_code": pl.Utf8, "month": pl.Date, "offences": pl.Int64})
    got = rolling_sum(ibis.memtable(frame), "offences", "month", step, window).to_polars()
    index = {add_months(start, m * step): m for _, m, _ in rows}
    ours = {(a, index[d]): int(c) for d, a, c in got.iter_rows()}
    assert ours == _naive_rolling(rows, 1, window)


# --- ranks ---------------------------------------------------------------------------------

_rates = st.lists(st.floats(0, 100, allow_nan=False).map(lambda r: round(r, 1)),
                  min_size=1, max_size=12)


def _group(rates: list[float]) -> list[PeerRate]:
    return [PeerRate(f"F{i}", f"Force {i}", rate * 10, 10_000, rate) for i, rate in
            enumerate(rates)]


@given(_rates, st.randoms())
def test_a_rank_is_one_plus_the_forces_strictly_better_whatever_the_order(
    rates: list[float], rnd: object
) -> None:
    group = _group(rates)
    shuffled = list(group)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for member in group:
        low = rank_in_group(group, member.area_code, "lower_is_better")
        assert low == rank_in_group(shuffled, member.area_code, "lower_is_better")
        assert low.rank == 1 + sum(1 for m in group if m.rate < member.rate)
        assert 1 <= low.rank <= low.size == len(group)
        assert low.tied == (rates.count(member.rate) > 1)
        # Higher is better on the rates is lower is better on their negatives.
        negated = _group([-r for r in rates])
        high = rank_in_group(group, member.area_code, "higher_is_better")
        assert high.rank == rank_in_group(negated, member.area_code, "lower_is_better").rank
    best = min(rates)
    assert all(rank_in_group(group, m.area_code, "lower_is_better").rank == 1
               for m in group if m.rate == best)


# --- trend symmetry ------------------------------------------------------------------------

_series = st.lists(st.integers(0, 500), min_size=4, max_size=30).filter(
    lambda v: len(set(v)) > 1)


@given(_series)
def test_reversing_or_negating_a_series_flips_the_trend_and_keeps_its_strength(
    values: list[int],
) -> None:
    x = np.array(values, dtype=float)
    forward = mann_kendall_hamed_rao(x, slope_per_step=0.0)
    backward = mann_kendall_hamed_rao(x[::-1], slope_per_step=0.0)
    negated = mann_kendall_hamed_rao(-x, slope_per_step=0.0)
    for other in (backward, negated):
        assert other.s == -forward.s
        assert other.tau == pytest.approx(-forward.tau)
        assert other.p_value == pytest.approx(forward.p_value, abs=1e-12)


# --- SPC rule precedence -------------------------------------------------------------------


@given(st.lists(st.integers(0, 60), min_size=2, max_size=40),
       st.sampled_from(["lower_is_better", "higher_is_better", "neutral"]))
def test_spc_reports_each_point_under_the_first_rule_it_breaks(
    values: list[int], polarity: str
) -> None:
    points = [(month_end(2019 + i // 12, i % 12 + 1), float(v)) for i, v in enumerate(values)]
    chart = xmr_chart(points, polarity)  # type: ignore[arg-type]
    for p in chart.points:
        outside = p.upper is not None and p.lower is not None and not (
            p.lower <= p.value <= p.upper)
        # Outside the limits always wins; a point inside them is never reported as outside.
        assert (p.rule == "outside_limits") == outside
        assert (p.signal is None) == (p.rule is None)
        if polarity == "neutral":
            assert p.signal in (None, "neutral")
    flipped = xmr_chart(points, "higher_is_better" if polarity == "lower_is_better"
                        else "lower_is_better")
    if polarity != "neutral":
        swap = {"improvement": "concern", "concern": "improvement", None: None}
        assert [swap[p.signal] for p in chart.points] == [p.signal for p in flipped.points]
        assert [p.rule for p in chart.points] == [p.rule for p in flipped.points]


# --- ingest and export round trip ----------------------------------------------------------

FORCES = [f.name for f in forces()][:8]
OFFENCES = [g for g in groups() if g.id not in ("residential_burglary",
                                                "non_residential_burglary")][:6]
_records = st.lists(
    st.tuples(st.integers(0, 11), st.sampled_from(FORCES), st.sampled_from(OFFENCES),
              st.integers(0, 10**9)),
    min_size=1, max_size=25, unique_by=lambda r: (r[0], r[1], r[2].id))


@settings(max_examples=10)
@given(_records)
def test_what_is_ingested_is_what_is_exported(records: list[tuple[int, str, object, int]]
                                              ) -> None:
    lines = ["12 months ending,PFA,Region,Offence,Rolling year total number of offences"]
    expected = set()
    for quarter, force, offence, count in records:
        end = month_end(2010 + quarter // 4, 3 * (quarter % 4) + 3)
        lines.append(f"{end:%d/%m/%Y},{force},Somewhere,{offence.label},{count}")  # type: ignore[attr-defined]
        expected.add((end, force, offence.label, count))  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rec.csv"
        path.write_text("\n".join(lines) + "\n")
        with Warehouse(Path(tmp) / "w.duckdb") as warehouse:
            ingest_paths(warehouse, [path])
            out = recorded_crime_frame(warehouse)
    names = {f.code: f.name for f in forces()}
    got = {(d, names[a], g, n) for d, a, _, g, n in out.iter_rows()}
    assert got == expected
