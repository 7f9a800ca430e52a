"""The offence taxonomy maps every label the sources use to one offence id."""

import pytest

from policeperf.reference.offences import (
    codes_for,
    groups,
    offence_for_label,
    police_uk_crime_types,
    police_uk_groups,
)


@pytest.mark.parametrize(
    ("label", "offence"),
    [
        ("Domestic burglary", "residential_burglary"),
        ("Residential burglary", "residential_burglary"),
        ("Non-domestic burglary", "non_residential_burglary"),
        ("Total recorded crime (excluding fraud4)", "total_excluding_fraud"),
        (" Total recorded crime\n (excluding fraud) [note 2]", "total_excluding_fraud"),
        ("Violence with\n injury", "violence_with_injury"),
        ("Death or serious injury caused by illegal driving",
         "death_or_serious_injury_unlawful_driving"),
        ("Death or serious injury – unlawful driving", "death_or_serious_injury_unlawful_driving"),
        ("All other theft offences", "other_theft"),
    ],
)
def test_historical_and_current_labels_map_to_one_offence(label: str, offence: str) -> None:
    assert offence_for_label(label) == offence


def test_an_unknown_label_maps_to_nothing() -> None:
    assert offence_for_label("Residential burglary (households)") is None


def test_group_ids_are_unique_and_parents_exist() -> None:
    ids = [g.id for g in groups()]
    assert len(ids) == len(set(ids))
    assert all(g.parent is None or g.parent in ids for g in groups())


def test_neighbourhood_crime_is_built_from_its_four_components_codes() -> None:
    codes = set(codes_for("neighbourhood_crime"))
    assert {"34B", "39", "28E", "45", "48"} <= codes
    assert "34A" not in codes  # business robbery is not neighbourhood crime


def test_personal_robbery_and_drug_trafficking_have_offence_codes() -> None:
    assert codes_for("robbery_of_personal_property") == ("34B",)
    assert codes_for("drug_trafficking") == ("92A", "92C")


def test_every_police_uk_crime_type_but_asb_maps_to_a_group() -> None:
    types = police_uk_crime_types()
    assert len(types) == 14
    for crime_type in types:
        assert bool(police_uk_groups(crime_type)) == (crime_type != "Anti-social behaviour")
