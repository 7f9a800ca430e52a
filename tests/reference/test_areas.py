"""Areas: every alias the sources use resolves to one ONS code; unknown names suggest."""

import pytest

from policeperf.errors import UnknownNameError
from policeperf.reference.areas import (
    all_areas,
    by_code,
    find_area,
    force_name_variants,
    forces,
    resolve_area,
)


def test_there_are_43_territorial_forces_with_ons_codes() -> None:
    codes = [f.code for f in forces()]
    assert len(codes) == 43 == len(set(codes))
    assert all(c.startswith(("E23", "W15")) for c in codes)
    assert sum(c.startswith("W15") for c in codes) == 4


def test_every_force_has_a_region_or_nation_and_a_police_uk_id() -> None:
    parents = {a.code for a in all_areas() if a.kind in ("region", "nation")}
    for force in forces():
        assert force.parent_code in parents
        assert force.police_uk_id


@pytest.mark.parametrize(
    "name",
    [
        "Avon and Somerset",
        "Avon & Somerset Constabulary",
        "Avon and Somerset Constabulary",
        "avon-and-somerset",
        "AVON AND SOMERSET9",
        "Avon and Somerset 9",
        "E23000036",
    ],
)
def test_aliases_of_avon_and_somerset_resolve_to_its_code(name: str) -> None:
    assert resolve_area(name).code == "E23000036"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("London, City of", "E23000034"),
        ("City of London Police", "E23000034"),
        ("Metropolitan Police [note 4]", "E23000001"),
        ("Metropolitan Police Service", "E23000001"),
        ("Devon & Cornwall", "E23000035"),
        ("Dyfed Powys Police", "W15000004"),
        ("Greater Manchester7,8", "E23000005"),
        ("West Midlands", "E23000014"),
        ("West Midlands region", "E12000005"),
        ("ENGLAND AND WALES\n (exc. Devon and Cornwall) [note 3,4]", "K04000001"),
        ("British Transport Police", "X00000001"),
        ("Fraud: Action Fraud", "X00000002"),
    ],
)
def test_names_used_by_the_sources_resolve(name: str, code: str) -> None:
    assert resolve_area(name).code == code


def test_an_unknown_force_is_an_error_that_suggests_the_closest_name() -> None:
    with pytest.raises(UnknownNameError) as info:
        resolve_area("Avon and Somerst", kind="force")
    assert "Avon and Somerset" in str(info.value)


def test_a_region_is_not_accepted_where_a_force_is_required() -> None:
    with pytest.raises(UnknownNameError):
        resolve_area("South West", kind="force")


def test_find_area_returns_none_for_nonsense_and_by_code_finds_regions() -> None:
    assert find_area("Atlantis") is None
    assert by_code("E12000009").name == "South West"


def test_every_exact_force_name_variant_resolves_to_the_same_force() -> None:
    variants = force_name_variants()
    assert variants["Avon and Somerset Constabulary"] == "E23000036"
    assert variants["Kent Police"] == "E23000032"
    assert variants["Metropolitan Police Service"] == "E23000001"
    for text, code in variants.items():
        assert resolve_area(text, kind="force").code == code, text
