"""Peer averages, ranks and words from one query give what benchmark_values gives, force by force.

A hand-worked group first (every number below worked out by hand), then the bundled data against
:func:`policeperf.compute.peers.benchmark_values` for every force and several periods, under each
averaging method and comparison rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import polars as pl
import pytest

from policeperf.compute.batch_bench import Benches, benches
from policeperf.compute.batch_crime import choices
from policeperf.compute.batch_ranks import peer_members, peer_ranks
from policeperf.compute.context import Context, Settings
from policeperf.compute.crime import rate_frame
from policeperf.compute.peers import benchmark_values
from policeperf.compute.rates import base_for
from policeperf.compute.sources import backend
from policeperf.definitions.model import Polarity
from policeperf.reference.areas import forces, resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.store.read import resolve_inputs
from policeperf.warehouse import Warehouse

KENT, ESSEX, SURREY, SUSSEX, HERTS = (resolve_area(n).code for n in (
    "Kent", "Essex", "Surrey", "Sussex", "Hertfordshire"))
CITY = resolve_area("City of London").code
JUNE, DECEMBER = date(2022, 6, 30), date(2022, 12, 31)
# Kent's group: Kent, Essex, Surrey, Sussex, Hertfordshire and City of London (whose rates ONS
# suppresses: left out). Per 1,000 of 10,000 residents each, so a count of 60 is a rate of 6.
FIGURES = {  # code: (June count, December count); None = no figure
    KENT: (60.0, 75.0), ESSEX: (40.0, 40.0), SURREY: (60.0, 60.0), SUSSEX: (80.0, 80.0),
    HERTS: (None, 50.0), CITY: (3.0, 3.0),
}


def _rates(sign: int) -> pl.DataFrame:
    rows = [(0, sign, period, code, None if code == CITY or c is None else c / 10.0,
             c, 10000.0)
            for code, counts in FIGURES.items() for period, c in zip((JUNE, DECEMBER), counts,
                                                                      strict=True)
            if c is not None]
    return pl.DataFrame(rows, schema=["variant", "sign", "period_end", "area_code", "value",
                                      "count", "denominator"], orient="row")


def _benches(sign: int, settings: Settings) -> tuple[Benches, PeerGroup]:
    group = PeerGroup(KENT, tuple(FIGURES), "test", "test")
    slots = peer_ranks(ibis.duckdb.connect(), _rates(sign),
                       peer_members({KENT: group}, [KENT]), settings)
    return Benches(benches(slots), settings), group


def test_a_hand_worked_group_gets_its_average_ranks_ties_and_words() -> None:
    settings = Settings()
    found, group = _benches(1, settings)
    kent = resolve_area("Kent")
    # June: Kent 6, Essex 4, Surrey 6, Sussex 8; Hertfordshire has none, City is left out.
    # Mean (6 + 4 + 6 + 8) / 4 = 6: Kent is 0% from it (similar); lowest first: Essex 1st,
    # Kent and Surrey =2nd, Sussex 4th.
    june = found.bench(kent, group, 0, JUNE)
    assert (june.average, june.rank, june.size, june.tied) == (6.0, 2, 4, True)
    assert june.text == "=2nd/4 MSG (similar to MSG average rates)"
    assert june.word == "similar to" and june.rule == "pct_band"
    assert [(p.name, p.rank, p.is_force) for p in june.peers] == [
        ("Essex", 1, False), ("Kent", 2, True), ("Surrey", 2, False), ("Sussex", 4, False)]
    assert june.caveats == (
        "City of London is left out of the MSG average and ranks: ONS suppresses its rates "
        "(too few residents for a rate per 1,000 to compare).",
        "No figure for Hertfordshire: ranked within the 4 MSG forces that have one.")
    # December: Kent 7.5, Essex 4, Surrey 6, Sussex 8, Hertfordshire 5: mean 30.5 / 5 = 6.1;
    # Kent is 100 x 1.4 / 6.1 = +23.0% from it (above +15%: higher than); 4th/5, no tie.
    december = found.bench(kent, group, 0, DECEMBER)
    assert (december.average, december.rank, december.size, december.tied) == (6.1, 4, 5, False)
    assert december.text == "4th/5 MSG (higher than MSG average rates)"
    assert december.description is not None and "+23.0% from the simple MSG mean 6.100" in (
        december.description)
    # The series average needs every member (City aside): none in June, 6.1 in December.
    assert found.series_averages(0, KENT) == {DECEMBER: 6.1}


def test_a_higher_is_better_measure_ranks_the_highest_first() -> None:
    found, group = _benches(-1, Settings())
    # June: Sussex 8 1st, Kent and Surrey 6 =2nd (one better), Essex 4 4th.
    june = found.bench(resolve_area("Kent"), group, 0, JUNE)
    assert (june.rank, june.tied, june.text) == (2, True, "=2nd/4 MSG (similar to MSG "
                                                 "average rates)")
    assert [p.name for p in june.peers] == ["Sussex", "Kent", "Surrey", "Essex"]


def test_the_weighted_average_is_the_groups_rate() -> None:
    found, group = _benches(1, Settings(average="weighted"))
    december = found.bench(resolve_area("Kent"), group, 0, DECEMBER)
    # 1,000 x (75 + 40 + 60 + 80 + 50) / 50,000 = 6.1, as the simple mean here.
    assert december.average == 6.1
    assert december.average_method == ("weighted mean of the 5 MSG forces (sum of counts / sum "
                                       "of denominators x 1,000)")


def test_a_computed_group_and_a_zero_average_are_worded_as_benchmark_values_words_them() -> None:
    group = PeerGroup(KENT, (KENT, ESSEX, SURREY), "test", "test", kind="computed")
    zero = pl.DataFrame([(0, 1, JUNE, c, 0.0, 0.0, 10000.0) for c in (KENT, ESSEX, SURREY)]
                        + [(0, 1, DECEMBER, c, v, v * 10, 10000.0)
                           for c, v in ((KENT, 9.0), (ESSEX, 5.0), (SURREY, 4.0))],
                        schema=["variant", "sign", "period_end", "area_code", "value", "count",
                                "denominator"], orient="row")
    settings = Settings()
    found = Benches(benches(peer_ranks(ibis.duckdb.connect(), zero,
                                       peer_members({KENT: group}, [KENT]), settings)), settings)
    kent = resolve_area("Kent")
    # June: every rate 0, so the mean is 0 and a % difference is undefined: ranks, no word.
    june = found.bench(kent, group, 0, JUNE)
    assert june.text == "=1st/3 similar forces (computed)" and june.word is None
    assert june.caveats == ("No comparison word: the simple MSG mean is zero; a % difference is "
                            "undefined.",)
    # December: mean 18 / 3 = 6; Kent 9 is +50.0%: higher than; worded for a computed group.
    december = found.bench(kent, group, 0, DECEMBER)
    assert december.text == "3rd/3 similar forces (computed) (higher than group average rates)"
    assert december.average_method == ("simple mean of the values of the 3 similar forces "
                                       "(computed) (force included)")
    assert december.description == ("Kent's rate 9.000 is +50.0% from the simple group mean "
                                     "6.000; within +/-15% counts as similar, so higher than "
                                     "group average.")


MEASURES = ("residential_burglary", "robbery", "homicide", "violence_with_injury")
PERIODS = (date(2019, 12, 31), date(2022, 6, 30))


@pytest.mark.parametrize("settings", [
    Settings(), Settings(average="weighted"), Settings(comparison_rule="sd_band"),
    Settings(average="weighted", comparison_rule="poisson_exact"),
    Settings(comparison_rule="funnel"),
    Settings(comparison_parameters=(("band_pct", -1.0),)),
], ids=["simple-pct", "weighted-pct", "sd", "weighted-poisson", "funnel", "bad-band"])
def test_the_query_gives_benchmark_values_on_the_bundled_data(
    bundled_warehouse: Warehouse, settings: Settings,
) -> None:
    cat, groups, _ = resolve_inputs(bundled_warehouse, None, None, None)
    con = backend(bundled_warehouse)
    areas = forces()
    cache: dict[tuple[str, ...], Any] = {}
    ctx = Context(con, areas[0], PERIODS[0], None, settings, cat, cache)
    checked = 0
    for measure_id in MEASURES:
        measure = cat.measure(measure_id)
        choice = choices(ctx, measure)[(PERIODS[1], areas[0].code)]
        table = rate_frame(ctx, choice.frame, base_for(measure.denominator.value))
        sign = 1 if measure.polarity == Polarity.LOWER_IS_BETTER else -1
        rates = table.select(pl.lit(0).alias("variant"), pl.lit(sign).alias("sign"),
                             "period_end", "area_code", "value", "count", "denominator")
        found = Benches(benches(peer_ranks(con, rates, peer_members(
            groups, [a.code for a in areas]), settings)), settings)
        for period in PERIODS:
            figures = {r["area_code"]: r for r in table.filter(
                pl.col("period_end") == period).iter_rows(named=True)}
            for area in areas:
                group = groups.get(area.code)
                if group is None or area.code not in figures:
                    continue
                fctx = Context(con, area, period, group, settings, cat, cache)
                expected = benchmark_values(measure, fctx, figures)
                assert found.bench(area, group, 0, period) == expected, (
                    measure_id, area.name, period)
                checked += 1
    assert checked > 300
