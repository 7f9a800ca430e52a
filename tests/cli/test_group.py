"""The top-level group: global options after the command, -h, --version, wrapped help."""

from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli import app
from policeperf.cli.group import hoist_global_options


def test_global_options_after_the_command_move_in_front_of_it() -> None:
    assert hoist_global_options(["sources", "--db", "x.duckdb", "--format", "json"]) == [
        "--db", "x.duckdb", "sources", "--format", "json"]
    assert hoist_global_options(["--db", "a", "peers", "show", "kent", "--peer-groups=p.yaml"]) == [
        "--db", "a", "--peer-groups=p.yaml", "peers", "show", "kent"]
    assert hoist_global_options(["validate", "--", "--db"]) == ["validate", "--", "--db"]


def test_db_after_the_command_is_the_warehouse_used(db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sources", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "pfajun22.xlsx" in result.stdout


def test_version_and_short_help() -> None:
    runner = CliRunner()
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("policeperf ")
    short = runner.invoke(app, ["measures", "-h"])
    assert short.exit_code == 0 and "--period" in short.stdout


def test_help_lists_every_command_with_its_whole_first_sentence() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "peer group (official or computed)." in " ".join(result.stdout.split())
    assert "..." not in result.stdout.replace("[ARGS]...", "")


def test_no_command_shows_the_help() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0 and "Commands" in result.stdout
