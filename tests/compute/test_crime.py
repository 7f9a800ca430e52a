"""Recorded crime rates where the data are odd, on the real bundled ONS data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.compute import sources
from policeperf.compute.engine import compute_measures
from policeperf.compute.rates import DenominatorLookup, omitted_forces, rate
from policeperf.definitions import load_catalogue
from policeperf.reference.areas import resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.results import MeasuresReport
from policeperf.warehouse import Warehouse

CITY = "E23000034"
AS = resolve_area("Avon and Somerset").code


@pytest.fixture(scope="module")
def city_june_2023(bundled_warehouse: Warehouse) -> MeasuresReport:
    return compute_measures(bundled_warehouse, "City of London", "2023-06")


def test_city_of_london_gets_no_rate_and_says_why(city_june_2023: MeasuresReport) -> None:
    r = city_june_2023.measure("robbery")
    assert r.value is None
    assert r.count == 137  # the count stays available (ONS Table P1, year to June 2023)
    assert any("ONS suppresses its rates" in c and "small population size" in c
               for c in r.caveats)
    assert all(p.value is None for p in r.series)
    assert r.benchmark_text == "Not available"


def test_city_of_london_total_crime_is_not_848_per_1000(
    bundled_warehouse: Warehouse, tmp_path: Path
) -> None:
    extra = (
        "measures:\n"
        "  - id: total_crime\n"
        "    title: Total recorded crime (excluding fraud)\n"
        "    priority: reduce_neighbourhood_crime\n"
        "    kind: recorded_crime_rate\n"
        "    sources:\n"
        "      - kind: ons_offence\n"
        "        id: total_excluding_fraud\n"
        "    denominator: residents\n"
        "    polarity: lower_is_better\n"
        "    benchmark: msg_rank\n"
        "    unit: per 1,000 residents\n"
    )
    path = tmp_path / "total.yaml"
    path.write_text(extra, "utf-8")
    cat = load_catalogue([path])
    r = compute_measures(bundled_warehouse, CITY, "2023-06", catalogue=cat).measure("total_crime")
    # 7,298 offences / 8,600 residents would be 848.6 per 1,000.
    assert r.count == 7298 and r.value is None


def test_city_of_london_is_in_no_average_rank_or_funnel(bundled_warehouse: Warehouse) -> None:
    # A user group that lists City of London: it is left out, with the reason.
    members = (AS, CITY, *(resolve_area(n).code for n in ("Derbyshire", "Kent")))
    groups = {AS: PeerGroup(AS, members, "test", "test")}
    report = compute_measures(bundled_warehouse, AS, "2023-06", peer_groups=groups)
    r = report.measure("robbery")
    assert r.peer_group_size == 3
    assert CITY not in {p.area_code for p in r.peers}
    assert any("City of London is left out of the MSG average" in c for c in r.caveats)
    values = {p.area_code: p for p in r.all_forces}
    assert values[CITY].value is None and values[CITY].count == 137
    assert r.funnel is not None and r.funnel.forces == 42
    assert [name for name, _ in r.funnel.excluded] == ["City of London"]
    assert r.peer_average is not None
    by_period = {p.period_end: p.peer_average for p in r.series}
    assert by_period[r.period_end] == pytest.approx(r.peer_average)


def test_the_national_rate_leaves_out_a_force_the_edition_leaves_out(
    bundled_warehouse: Warehouse,
) -> None:
    # December 2022: the edition has no Devon and Cornwall figures ([x]); England and Wales's
    # 191,094 residential burglaries exclude them, but the printed households (24,921,000)
    # include them. ONS published 7.915 (7.915303004); dividing by the printed total gives 7.668.
    r = compute_measures(bundled_warehouse, AS, "2022-12").measure("residential_burglary")
    assert r.national_value is not None
    assert round(r.national_value, 3) == 7.915
    assert r.national_value == pytest.approx(7.915303004, abs=1e-9)
    by_period = {p.period_end: p.national for p in r.series}
    assert by_period[r.period_end] == pytest.approx(r.national_value)


def test_a_total_printed_without_the_left_out_force_is_unchanged(
    bundled_warehouse: Warehouse,
) -> None:
    # September 2019: Greater Manchester is left out of the counts and of the printed totals.
    r = compute_measures(bundled_warehouse, AS, "2019-09").measure("residential_burglary")
    assert r.national_value == pytest.approx(11.366421, abs=5e-7)  # ONS Table P3


def test_every_published_national_and_regional_rate_is_reproduced_but_two_ons_slips(
    bundled_warehouse: Warehouse,
) -> None:
    """Every aggregate rate in Table P3 of every bundled edition, to 3 decimal places.

    The two exceptions are ONS's own: in December 2022 its England (8.478) and South West
    (14.694) households rates divide by the households total minus Devon and Cornwall's
    *population* (1,792,900); ours divide by the included forces' households (8.100, 5.751).
    """
    con = sources.backend(bundled_warehouse)
    lookup = DenominatorLookup(
        sources.published_denominators(con), sources.estimates(con), sources.rate_anchors(con)
    )
    published = bundled_warehouse.query(
        "SELECT period_end, area_code, offence, base, rate FROM published_rates_current "
        "WHERE rate IS NOT NULL AND area_code NOT LIKE 'E23%' AND area_code NOT LIKE 'W15%'"
    )
    checked, mismatches = 0, []
    for offence in published["offence"].unique().to_list():
        counts = sources.crime_counts(con, offence)
        omitted = omitted_forces(counts)
        by_key = {(r[0], r[1]): r[2] for r in counts.select(
            "period_end", "area_code", "count").iter_rows()}  # fmt: skip
        for row in published.filter(pl.col("offence") == offence).iter_rows(named=True):
            key = (row["period_end"], row["area_code"])
            d = lookup.get(*key, row["base"], omitted.get(key, ()))
            mine = rate(by_key.get(key), d.value)
            checked += 1
            if mine is None or abs(mine - row["rate"]) >= 0.0005:
                mismatches.append((*key, row["base"], round(row["rate"], 3), round(mine or 0, 3)))
    assert checked > 5000
    dec22 = date(2022, 12, 31)
    assert sorted(mismatches) == [(dec22, "E12000009", "households", 14.694, 5.751),
                                  (dec22, "E92000001", "households", 8.478, 8.1)]
