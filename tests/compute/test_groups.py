"""Which peer group is in force: your file > the warehouse > shipped > computed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policeperf.compute.engine import compute_measures
from policeperf.compute.groups import (
    computed_groups,
    group_origin,
    peer_groups_in_force,
    store_groups,
    stored_groups,
)
from policeperf.reference.areas import resolve_area
from policeperf.reference.peer_groups import ENV_VAR
from policeperf.warehouse import Warehouse

AVON, KENT, ESSEX, SURREY, SUSSEX = (
    resolve_area(n).code for n in ("Avon and Somerset", "Kent", "Essex", "Surrey", "Sussex"))
CITY = "E23000034"


@pytest.fixture(autouse=True)
def _no_user_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_without_anything_loaded_42_forces_have_a_group_of_8() -> None:
    groups = peer_groups_in_force()
    assert len(groups) == 42 and CITY not in groups
    assert all(g.size == 8 for g in groups.values())
    assert groups[AVON].kind == "official"  # shipped
    assert {g.kind for c, g in groups.items() if c != AVON} == {"computed"}
    assert groups[KENT].label == "similar forces (computed)"


def test_the_warehouse_beats_shipped_and_computed_and_a_file_beats_all(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "w.duckdb") as w:
        store_groups(w, {KENT: (ESSEX, SUSSEX), AVON: (ESSEX,)}, source="IOPC 2021",
                     published=date(2021, 3, 1), origin="msf.xlsx")
        groups = peer_groups_in_force(w)
        assert groups[KENT].member_codes == (KENT, ESSEX, SUSSEX)
        assert (groups[KENT].kind, groups[KENT].source, groups[KENT].published) == (
            "official", "IOPC 2021", "2021-03-01")
        assert groups[AVON].member_codes == (AVON, ESSEX)
        assert "imported into the warehouse" in group_origin(groups[KENT], w)
        # Storing again replaces that force's group, not the others.
        store_groups(w, {KENT: (SURREY,)}, source="later", published=None, origin="set")
        assert stored_groups(w)[KENT].member_codes == (KENT, SURREY)
        assert stored_groups(w)[AVON].member_codes == (AVON, ESSEX)
        mine = tmp_path / "mine.yaml"
        mine.write_text("groups:\n  - force: Kent\n    size: 2\n    members: [Kent, Essex]\n",
                        "utf-8")
        assert peer_groups_in_force(w, mine)[KENT].member_codes == (KENT, ESSEX)


def test_a_warehouse_made_before_the_table_existed_has_no_stored_groups() -> None:
    import duckdb

    assert stored_groups(duckdb.connect()) == {}


def test_a_computed_group_ranks_as_similar_forces_and_says_it_is_not_the_msg(
    bundled_warehouse: Warehouse,
) -> None:
    report = compute_measures(bundled_warehouse, "Kent", "2022-06")
    assert report.peer_group_kind == "computed"
    assert len(report.peer_group) == 8
    r = report.measure("robbery")
    assert r.peer_group_size == 8
    assert "similar forces (computed)" in r.benchmark_text and "MSG" not in r.benchmark_text
    assert any("not the Home Office MSG" in c for c in report.caveats)
    assert computed_groups()[KENT].member_codes == tuple(
        resolve_area(n).code for n in report.peer_group)


def test_city_of_london_has_no_group_and_says_why(bundled_warehouse: Warehouse) -> None:
    report = compute_measures(bundled_warehouse, "City of London", "2022-06")
    assert report.peer_group_kind is None
    assert any("City of London has no peer group" in c for c in report.caveats)


def test_explain_names_a_computed_group_as_such(bundled_warehouse: Warehouse) -> None:
    from policeperf.explain import explain

    r = compute_measures(bundled_warehouse, "Gwent", "2022-06").measure("robbery")
    text = explain(r)
    assert "Similar forces, computed (not the official MSG) (8 forces)" in text
    assert "MSG mean" not in text and "group mean" in text
