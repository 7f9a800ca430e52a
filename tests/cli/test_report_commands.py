"""new-report never overwrites an analyst's files; report checks its period first;
report --all-forces: the mistakes a user can make are refused with a message, no traceback
(the whole pack is tested through build_national_pack in tests/report/test_national_pack.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli.app import app


def test_new_report_into_a_folder_keeps_the_analysts_files_and_says_which(
    tmp_path: Path
) -> None:
    project = tmp_path / "kent"
    project.mkdir()
    (project / "cover.md").write_text("My own cover, three weeks of work.\n")
    result = CliRunner().invoke(app, ["new-report", str(project), "--force", "kent",
                                      "--period", "2022-06"])
    assert result.exit_code == 0, result.output
    assert (project / "cover.md").read_text() == "My own cover, three weeks of work.\n"
    assert (project / "report.yaml").exists() and (project / "glossary.md").exists()
    assert "kept your existing files (not overwritten): cover.md" in result.stdout


def test_new_report_refuses_a_folder_that_holds_a_project(tmp_path: Path) -> None:
    project = tmp_path / "kent"
    project.mkdir()
    (project / "report.yaml").write_text("force: Kent\n")
    result = CliRunner().invoke(app, ["new-report", str(project), "--force", "kent",
                                      "--period", "2022-06"])
    assert result.exit_code == 2
    assert "already holds a report project" in result.stderr
    assert (project / "report.yaml").read_text() == "force: Kent\n"
    assert sorted(p.name for p in project.iterdir()) == ["report.yaml"]


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
