"""Computed peer groups on the bundled open data."""

from __future__ import annotations

import math

import pytest

from policeperf.compute.similar_forces import (
    GROUP_PEERS,
    NO_GROUP,
    VARIABLES,
    computed_peers,
    distance,
    force_variables,
    lad_to_force,
    standardised,
)
from policeperf.reference.areas import by_code, forces, resolve_area

CITY = "E23000034"
AVON = resolve_area("Avon and Somerset").code
OFFICIAL_AVON = {"Derbyshire", "Essex", "Hampshire", "Hertfordshire", "Kent", "Staffordshire",
                 "Sussex"}


def test_avon_and_somersets_computed_group_holds_5_of_its_7_official_peers() -> None:
    names = {by_code(p.code).name for p in computed_peers()[AVON]}
    # Hampshire, Essex, Kent, Derbyshire and Sussex; not Hertfordshire or Staffordshire (Cheshire
    # and Devon and Cornwall instead).
    assert names & OFFICIAL_AVON == {"Hampshire", "Essex", "Kent", "Derbyshire", "Sussex"}
    assert len(names & OFFICIAL_AVON) >= 5


def test_every_force_but_city_of_london_gets_7_peers_and_city_is_nobodys_peer() -> None:
    groups = computed_peers()
    assert set(groups) == {f.code for f in forces()} - {CITY}
    assert CITY in NO_GROUP
    for code, peers in groups.items():
        assert len(peers) == GROUP_PEERS
        assert code not in {p.code for p in peers}
        assert CITY not in {p.code for p in peers}
        assert [p.distance for p in peers] == sorted(p.distance for p in peers)


def test_groups_are_plausible_neighbours() -> None:
    def names(force: str) -> set[str]:
        return {by_code(p.code).name for p in computed_peers()[resolve_area(force).code]}

    assert {"West Midlands", "Greater Manchester"} <= names("Metropolitan Police")
    assert "North Wales" in names("Dyfed-Powys")


def test_welsh_forces_are_compared_on_the_variables_both_nations_have() -> None:
    south_wales, gwent, kent = (resolve_area(n).code for n in ("South Wales", "Gwent", "Kent"))
    assert force_variables()[south_wales]["imd_rank"] is None
    d, used = distance(south_wales, kent)
    assert "imd_rank" not in used and len(used) == len(VARIABLES) - 1
    z = standardised()
    by_hand = math.sqrt(sum((float(z[south_wales][u] or 0) - float(z[kent][u] or 0)) ** 2
                            for u in used) * len(VARIABLES) / len(used))
    assert d == pytest.approx(by_hand)
    assert distance(south_wales, gwent)[0] == pytest.approx(distance(gwent, south_wales)[0])


def test_the_variables_add_up_to_the_published_totals() -> None:
    raw = force_variables()
    # Census 2021: 59,597,542 usual residents in England and Wales (59,597,541 summed over the
    # local authorities, each rounded by ONS), 151,000 km2 or so of land.
    assert sum(float(r["population"] or 0) for r in raw.values()) == 59_597_541
    area = sum(float(r["population"] or 0) / float(r["density"] or 1) for r in raw.values())
    assert 150_000 < area < 152_000
    assert raw[AVON]["population"] == pytest.approx(1_744_572)
    assert sum(1 for r in raw.values() if r["imd_rank"] is None) == 4  # the Welsh forces
    assert set(lad_to_force().values()) == {f.code for f in forces()}


def test_standardised_values_have_mean_0_and_sd_1_without_city_of_london() -> None:
    z = standardised()
    for v in VARIABLES:
        values = [x for c, row in z.items() if c != CITY and (x := row[v.id]) is not None]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((x - mean) ** 2 for x in values) / (len(values) - 1))
        assert mean == pytest.approx(0.0, abs=1e-9) and sd == pytest.approx(1.0)
