"""Recorded crime rates where the data are odd, on the real bundled ONS data."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeperf.compute.engine import compute_measures
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
