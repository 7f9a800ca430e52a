"""New projects from the catalogue: they load cleanly and list every catalogue priority."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeperf.definitions.load import default_catalogue
from policeperf.errors import PolicePerfError
from policeperf.report.project import load_project
from policeperf.report.scaffold import default_folder_name, default_project, scaffold


def test_scaffolded_project_loads_and_has_every_catalogue_priority(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "kent", "Kent", "Q1 2022/23")
    project = load_project(root, measure_ids=default_catalogue().ids())
    assert project.config.force == "Kent"
    ids = [p.id for p in project.config.priorities]
    assert ids == [p.id for p in sorted(default_catalogue().priorities,
                                        key=lambda p: (p.part.value != "national", p.order))]
    assert (root / "actions" / "reduce_homicide.md").read_text().startswith("1. ")


def test_scaffold_refuses_to_overwrite_a_project(tmp_path: Path) -> None:
    scaffold(tmp_path, "Kent", "2022-06-30")
    with pytest.raises(PolicePerfError, match="already holds a report project"):
        scaffold(tmp_path, "Kent", "2022-06-30")


def test_default_project_needs_no_folder() -> None:
    project = default_project("avon & somerset", "2022-06-30")
    assert project.root is None and project.config.force == "Avon and Somerset"
    assert "homicide" in project.measure_ids


def test_folder_name_combines_force_and_financial_quarter() -> None:
    assert default_folder_name("Avon & Somerset", "2022-06-30") == "avon-and-somerset-2022-23-q1"
