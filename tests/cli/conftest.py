"""CLI fixtures: a private copy of the bundled warehouse and a runner."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def db(bundled_warehouse_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the bundled warehouse for one test."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, copy)
    return copy


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
