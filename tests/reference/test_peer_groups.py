"""Peer groups: the shipped MSG, user overrides and validation with lines."""

from pathlib import Path

import pytest

from policeperf.reference.peer_groups import (
    PeerGroupError,
    load_peer_groups,
    parse_peer_groups,
    peer_group_for,
)


def test_the_shipped_group_is_avon_and_somersets_eight_forces() -> None:
    group = peer_group_for("E23000036")
    assert group is not None and group.size == 8
    assert group.member_codes[0] == "E23000036"
    assert set(group.member_codes) == {
        "E23000036", "E23000018", "E23000028", "E23000030",
        "E23000027", "E23000032", "E23000015", "E23000033",
    }


def test_a_force_without_a_group_has_none() -> None:
    assert peer_group_for("E23000034") is None


def test_a_user_file_adds_and_overrides_groups(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n"
        "  - force: Kent\n    size: 3\n    members: [Kent, Essex, Sussex]\n"
        "  - force: Avon & Somerset Constabulary\n    size: 2\n"
        "    members: [avon-and-somerset, Wiltshire]\n"
    )
    groups = load_peer_groups(path)
    assert groups["E23000032"].member_codes == ("E23000032", "E23000028", "E23000033")
    assert groups["E23000036"].member_codes == ("E23000036", "E23000038")


def test_every_problem_in_a_file_is_reported_with_its_line() -> None:
    text = (
        "groups:\n"
        "  - force: Kent\n    size: 3\n    members: [Essex, Kentt]\n"
        "  - force: Essex\n    size: 2\n    members: [Essex, Essex]\n    colour: red\n"
    )
    with pytest.raises(PeerGroupError) as info:
        parse_peer_groups(text, "groups.yaml")
    problems = info.value.problems
    assert any("line 2" in p and "'Kentt'" in p and "Kent" in p for p in problems)
    assert any("line 2" in p and "size 3" in p for p in problems)
    assert any("line 2" in p and "must include Kent" in p for p in problems)
    assert any("line 5" in p and "listed twice" in p for p in problems)
    assert any("line 5" in p and "unknown keys ['colour']" in p for p in problems)


def test_invalid_yaml_is_reported() -> None:
    with pytest.raises(PeerGroupError, match="invalid YAML"):
        parse_peer_groups("groups: [\n", "bad.yaml")
