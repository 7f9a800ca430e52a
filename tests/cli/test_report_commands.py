"""new-report never overwrites an analyst's files; report checks its period first."""

from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli import app


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
