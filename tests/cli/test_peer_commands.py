"""peers import / set / show and forces, end to end on a copy of the bundled warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policeperf.cli.app import app
from policeperf.reference.peer_groups import ENV_VAR

OFFICIAL_AVON = {"Derbyshire", "Essex", "Hampshire", "Hertfordshire", "Kent", "Staffordshire",
                 "Sussex"}


@pytest.fixture(autouse=True)
def _no_user_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def _json(runner: CliRunner, db: Path, *args: str) -> object:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_forces_json_gives_42_forces_a_group_of_8_with_its_kind(
    runner: CliRunner, db: Path
) -> None:
    forces = _json(runner, db, "forces", "--json")
    assert isinstance(forces, list) and len(forces) == 43
    grouped = [f for f in forces if f["peer_group"]]
    assert len(grouped) == 42 and all(len(f["peer_group"]["members"]) == 8 for f in grouped)
    kinds = {f["name"]: f["peer_group"]["kind"] for f in grouped}
    assert kinds["Avon and Somerset"] == "official" and kinds["Kent"] == "computed"
    city = next(f for f in forces if f["name"] == "City of London")
    assert city["peer_group"] is None and "resident population" in city["no_group_reason"]


def test_show_gives_the_official_group_and_computed_gives_5_of_its_7(
    runner: CliRunner, db: Path
) -> None:
    shown = _json(runner, db, "peers", "show", "Avon and Somerset", "--json")
    assert isinstance(shown, dict) and shown["kind"] == "official"
    assert {m["name"] for m in shown["members"][1:]} == OFFICIAL_AVON
    computed = _json(runner, db, "peers", "show", "Avon & Somerset Constabulary", "--json",
                     "--computed")
    assert isinstance(computed, dict) and computed["kind"] == "computed"
    peers = computed["peers"]
    assert len(peers) == 7 and len({p["name"] for p in peers} & OFFICIAL_AVON) >= 5
    assert set(peers[0]["values"]) == {v["id"] for v in computed["variables"]}
    assert peers[0]["values"]["imd_rank"]["raw"] > 0
    assert computed["force_values"]["population"]["raw"] == 1_744_572
    text = runner.invoke(app, ["--db", str(db), "peers", "show", "Gwent"])
    assert text.exit_code == 0 and "similar forces (computed; not the official MSG)" in text.output
    assert "Welsh forces have no English IMD" in text.output


def test_import_stores_official_groups_that_then_win(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "msf.csv"
    path.write_text("force,peer 1,peer 2\nKent,Essex,Sussex\n", "utf-8")
    done = runner.invoke(app, ["--db", str(db), "peers", "import", str(path), "--source",
                               "IOPC MSF groups", "--date", "2021-03-31"])
    assert done.exit_code == 0, done.output
    assert "stored 1 official groups" in done.output
    shown = _json(runner, db, "peers", "show", "Kent", "--json")
    assert isinstance(shown, dict)
    assert (shown["kind"], shown["source"], shown["published"]) == (
        "official", "IOPC MSF groups", "2021-03-31")
    assert [m["name"] for m in shown["members"]] == ["Kent", "Essex", "Sussex"]
    measures = _json(runner, db, "measures", "--force", "Kent", "--period", "2022-06",
                     "--format", "json")
    assert isinstance(measures, dict)
    robbery = next(m for m in measures["measures"] if m["id"] == "robbery")
    assert robbery["benchmark_text"].startswith(("1st/3 MSG", "2nd/3 MSG", "3rd/3 MSG"))


def test_a_bad_list_stores_nothing_and_says_where(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("force,peer\nKent,Essex\nKent,Atlantis\n", "utf-8")
    done = runner.invoke(app, ["--db", str(db), "peers", "import", str(path)])
    assert done.exit_code == 2
    assert "row 3, column 'peer'" in done.output and "nothing stored" in done.output
    shown = _json(runner, db, "peers", "show", "Kent", "--json")
    assert isinstance(shown, dict) and shown["kind"] == "computed"
    bad_date = runner.invoke(app, ["--db", str(db), "peers", "import", str(path), "--date",
                                   "31/03/2021"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_set_one_forces_group(runner: CliRunner, db: Path) -> None:
    done = runner.invoke(app, ["--db", str(db), "peers", "set", "Kent", "Essex", "Sussex"])
    assert done.exit_code == 0, done.output
    shown = _json(runner, db, "peers", "show", "Kent", "--json")
    assert isinstance(shown, dict) and shown["kind"] == "official" and shown["size"] == 3
    bad = runner.invoke(app, ["--db", str(db), "peers", "set", "Kent", "Kent", "Narnia"])
    assert bad.exit_code == 2
    assert "peer 1: Kent is the force itself" in bad.output and "peer 2:" in bad.output
