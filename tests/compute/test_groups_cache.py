"""Computed peer groups kept in the warehouse are the computed groups, used only when current."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from policeperf.compute.groups import computed_groups, peer_groups_in_force, store_computed_groups
from policeperf.compute.groups_cache import TABLE, read_computed
from policeperf.warehouse import Warehouse


@pytest.fixture
def warehouse(bundled_warehouse_path: Path, tmp_path: Path) -> Iterator[Warehouse]:
    path = tmp_path / "w.duckdb"
    shutil.copy(bundled_warehouse_path, path)
    with Warehouse(path) as w:
        yield w


def test_a_warehouse_that_never_kept_them_has_none_to_read(bundled_warehouse: Warehouse) -> None:
    assert read_computed(bundled_warehouse) is None
    assert peer_groups_in_force(bundled_warehouse) == peer_groups_in_force(None)


def test_kept_groups_read_back_equal_to_the_computed_groups(warehouse: Warehouse) -> None:
    assert store_computed_groups(warehouse) is True
    assert store_computed_groups(warehouse) is False  # already kept under today's key
    kept = read_computed(warehouse)
    assert kept == computed_groups()
    assert kept is not None and len(kept) == 42
    assert peer_groups_in_force(warehouse) == peer_groups_in_force(None)


def test_groups_kept_under_another_key_are_not_used(warehouse: Warehouse) -> None:
    store_computed_groups(warehouse)
    warehouse.con.execute(f"UPDATE {TABLE} SET key = 'made by older code', "
                          "groups = '[]'")
    assert read_computed(warehouse) is None
    assert peer_groups_in_force(warehouse) == peer_groups_in_force(None)
    assert store_computed_groups(warehouse) is True
    assert read_computed(warehouse) == computed_groups()
