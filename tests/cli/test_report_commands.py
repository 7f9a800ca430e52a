"""report --all-forces: the mistakes a user can make are refused with a message, no traceback
(the whole pack is tested through build_national_pack in tests/report/test_national.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli.app import app


def test_all_forces_without_a_period_is_refused_with_a_message(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["--db", str(db), "report", "--all-forces", "--out",
                                 str(tmp_path / "all")])
    assert result.exit_code == 2 and "--all-forces needs --period" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "all").exists()


def test_all_forces_with_final_is_refused_because_final_checks_one_project(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["--db", str(db), "report", "--all-forces", "--final",
                                 "--period", "2022-06", "--out", str(tmp_path / "all")])
    assert result.exit_code == 2 and "--final checks one report" in result.output
