"""Shared fixtures: a warehouse built once per test session from the bundled real ONS data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from policeperf.report.build import ReportOutput, build_report
from policeperf.warehouse import Warehouse
from policeperf.warehouse.bootstrap import ensure_bundled

# Property-based tests are deterministic unless asked otherwise: a flaky test is a failing test.
# "ci" (the default): the same examples on every run (derandomize: seeded from each test's
# name; no example database), so a run can only fail where every run fails. "explore"
# (HYPOTHESIS_PROFILE=explore): random examples, five times as many, failures remembered in
# .hypothesis/; a failure found there is added to the test as an @example, so CI replays it.
# The too_slow health check times example generation by the wall clock, so a loaded machine
# (a shared CI runner, two xdist workers on two cores) could fail a test that is correct:
# timing is no part of what these tests check, so "ci" does not apply it.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=500, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


EXAMPLE_PROJECT = Path(__file__).resolve().parents[1] / "examples" / "avon-and-somerset-2022-q1"


@pytest.fixture(scope="session")
def example_report(
    bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> ReportOutput:
    """The example project's report (HTML, PDF and CSVs), built once per session into a tmp
    folder from a copy of the bundled warehouse (building loads the project's force series)."""
    folder = tmp_path_factory.mktemp("example-report")
    db = folder / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, db)
    with Warehouse(db) as warehouse:
        return build_report(EXAMPLE_PROJECT, warehouse=warehouse, out_dir=folder / "out",
                            pptx=True)
