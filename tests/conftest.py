"""Shared fixtures: a warehouse built once per test session from the bundled real ONS data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policeperf.warehouse import Warehouse
from policeperf.warehouse.bootstrap import ensure_bundled


@pytest.fixture(scope="session")
def bundled_warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse file holding every bundled ONS file, built once per session."""
    path = tmp_path_factory.mktemp("bundled") / "warehouse.duckdb"
    with Warehouse(path) as warehouse:
        ensure_bundled(warehouse)
    return path


@pytest.fixture(scope="session")
def bundled_warehouse(bundled_warehouse_path: Path) -> Iterator[Warehouse]:
    """The bundled warehouse, opened read-only (tests must not change it)."""
    with Warehouse(bundled_warehouse_path, read_only=True) as warehouse:
        yield warehouse
