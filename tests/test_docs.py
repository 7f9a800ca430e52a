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


def test_every_command_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in
             app.registered_commands]
    assert names
    for name in names:
        assert f"policeperf {name}" in readme, name
