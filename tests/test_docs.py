"""The documentation covers what the code declares: tables, columns and commands."""

from pathlib import Path

from policeperf.cli import app
from policeperf.ingest.schema import TABLES

ROOT = Path(__file__).parents[1]


def test_every_warehouse_table_and_column_is_documented() -> None:
    text = (ROOT / "docs" / "warehouse.md").read_text()
    for spec in TABLES.values():
        assert f"`{spec.name}`" in text, spec.name
        for column in spec.columns:
            assert f"`{column}`" in text, f"{spec.name}.{column}"


def test_every_table_the_warehouse_creates_is_documented() -> None:
    import re

    from policeperf.warehouse.ddl import all_ddl

    text = (ROOT / "docs" / "warehouse.md").read_text()
    tables = {m for s in all_ddl() for m in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", s)}
    assert "peer_groups" in tables
    for table in tables - {"meta"}:
        assert f"`{table}`" in text, table


def test_every_command_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in
             app.registered_commands]
    assert names
    for name in names:
        assert f"policeperf {name}" in readme, name
    for group in app.registered_groups:
        for command in group.typer_instance.registered_commands if group.typer_instance else ():
            assert f"policeperf {group.name} {command.name}" in readme, command.name


def test_the_readmes_first_command_installs_the_product_without_the_test_tools() -> None:
    import tomllib

    readme = (ROOT / "README.md").read_text()
    commands = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    first, second = [line for line in commands.splitlines() if line.strip()]
    assert "uv run --no-dev policeperf report" in first
    assert second == "uv run bash scripts/test.sh"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = " ".join(project["project"]["dependencies"])
    dev = " ".join(project["dependency-groups"]["dev"])
    for tool in ("pytest", "playwright", "mypy", "ruff", "hypothesis"):
        assert tool in dev and tool not in runtime, tool
    assert first.split("&& ", 1)[1] in (ROOT / ".ci" / "run").read_text().replace(
        '--out "$out"', "--out out")
