"""Loading the catalogue: shipped files, user overrides, file and line kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeperf.definitions import (
    CatalogueError,
    Denominator,
    MeasureKind,
    Polarity,
    SourceKind,
    load_catalogue,
)

PUBLIC_IDS = [
    "homicide", "serious_violence", "violence_with_injury", "drug_trafficking", "drug_offences",
    "residential_burglary", "vehicle_offences", "personal_robbery", "robbery",
    "theft_from_the_person", "neighbourhood_crime", "action_fraud_referrals",
]  # fmt: skip


def test_the_shipped_catalogue_holds_every_public_measure_id() -> None:
    ids = load_catalogue().ids()
    for measure_id in PUBLIC_IDS:
        assert measure_id in ids


def test_every_force_series_id_the_format_documents_is_used_by_a_measure() -> None:
    from policeperf.reference.series import SERIES

    used = {s.id for m in load_catalogue().measures for s in m.sources
            if s.kind == SourceKind.FORCE_SERIES}
    assert used == set(SERIES)


def test_personal_robbery_falls_back_to_total_robbery_with_the_ons_caveat() -> None:
    m = load_catalogue().measure("personal_robbery")
    assert [(s.kind, s.id) for s in m.sources] == [
        (SourceKind.OFFENCE_CODES, "robbery_of_personal_property"),
        (SourceKind.ONS_OFFENCE, "robbery"),
    ]
    assert m.sources[1].caveat is not None
    assert m.sources[1].caveat.startswith("Personal robbery is not published by ONS")


def test_drug_trafficking_is_higher_is_better_and_burglary_is_per_household() -> None:
    c = load_catalogue()
    assert c.measure("drug_trafficking").polarity == Polarity.HIGHER_IS_BETTER
    assert c.measure("residential_burglary").denominator == Denominator.HOUSEHOLDS
    assert c.measure("homicide").kind == MeasureKind.RECORDED_CRIME_RATE


def test_each_measure_keeps_the_file_and_line_it_was_read_from() -> None:
    m = load_catalogue().measure("homicide")
    assert m.origin.file.endswith("national.yaml")
    lines = Path(m.origin.file).read_text().splitlines()
    assert lines[m.origin.line - 1].strip() == "- id: homicide"


def test_a_later_file_overrides_a_measure_by_id(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "measures:\n"
        "  - id: homicide\n"
        "    title: Homicide (our wording)\n"
        "    priority: reduce_homicide\n"
        "    kind: recorded_crime_rate\n"
        "    sources: [{kind: ons_offence, id: homicide}]\n"
        "    denominator: residents\n"
    )
    c = load_catalogue([extra])
    assert c.measure("homicide").title == "Homicide (our wording)"
    assert c.measure("homicide").origin.file == str(extra)
    assert len([m for m in c.measures if m.id == "homicide"]) == 1


def test_loading_a_bad_file_raises_with_every_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("measures:\n  - id: x\n    title: X\n    priority: nowhere\n"
                   "    kind: count\n    colour: red\n")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([bad])
    assert any("colour" in str(i) for i in info.value.issues)


def test_the_catalogue_orders_national_priorities_before_local_ones() -> None:
    ordered = load_catalogue().ordered()
    assert ordered[0].id == "homicide"
    assert ordered[-1].priority == "reducing_reoffending"
