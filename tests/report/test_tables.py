"""CSVs with meaningful names and units, and a Frictionless Data Package describing every one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from frictionless import Package

from policeperf.report.build import ReportOutput
from policeperf.report.tables import field_type, resource_name


@pytest.fixture(scope="module")
def data_dir(example_report: ReportOutput) -> Path:
    return example_report.html.parent / "data"


@pytest.fixture(scope="module")
def descriptor(data_dir: Path) -> dict[str, object]:
    package: dict[str, object] = json.loads((data_dir / "datapackage.json").read_text())
    return package


def test_datapackage_describes_every_csv_written(data_dir: Path,
                                                 descriptor: dict[str, object]) -> None:
    resources = descriptor["resources"]
    assert isinstance(resources, list)
    described = sorted(r["path"] for r in resources)
    assert described == sorted(p.name for p in data_dir.glob("*.csv"))


def test_datapackage_has_the_spec_required_structure(descriptor: dict[str, object]) -> None:
    # Data Package v1: resources, each with a name (lower-case, "-._/" only) and a path;
    # tabular resources carry a Table Schema whose fields have a name and a known type.
    assert descriptor["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9._/-]+", str(descriptor["name"]))
    assert descriptor["licenses"] and descriptor["title"]
    resources = descriptor["resources"]
    assert isinstance(resources, list)
    names = [r["name"] for r in resources]
    assert len(set(names)) == len(names)
    for resource in resources:
        assert re.fullmatch(r"[a-z0-9._/-]+", resource["name"])
        assert resource["title"] and resource["description"]
        fields = resource["schema"]["fields"]
        assert fields and all(f["type"] in {"string", "number", "integer", "date", "boolean"}
                              for f in fields)


def test_every_column_of_the_report_tables_says_what_it_holds(
    descriptor: dict[str, object],
) -> None:
    resources = {r["path"]: r for r in descriptor["resources"]}  # type: ignore[attr-defined]
    for path in ("overview.csv", "reduce_homicide-measures.csv", "drafts.csv"):
        assert all(f.get("description") for f in resources[path]["schema"]["fields"]), path
    overview = {f["name"]: f for f in resources["overview.csv"]["schema"]["fields"]}
    assert "percentage points" in overview["change_unit"]["description"]
    assert overview["latest_value"]["type"] == "number"
    assert overview["year_earlier_period_end"]["type"] == "date"


def test_frictionless_validates_the_package_and_every_csv_against_its_schema(
    data_dir: Path,
) -> None:
    report = Package(str(data_dir / "datapackage.json")).validate()
    errors = [e.message for task in report.tasks for e in task.errors]
    assert report.valid, errors[:5]


def test_csv_names_say_what_they_hold(data_dir: Path) -> None:
    names = {p.name for p in data_dir.glob("*.csv")}
    assert "reduce_homicide-chart-1-rolling-rate-lines-homicide.csv" in names
    assert ("improve_victim_satisfaction-chart-2-category-bars-victim-satisfaction-overall-"
            "and-more.csv") in names
    assert {"overview.csv", "overview-changes-since-previous-quarter.csv"} <= names


def test_resource_names_and_field_types() -> None:
    assert resource_name("data/reduce_homicide-measures.csv") == "reduce-homicide-measures"
    assert field_type(pl.Float64()) == "number" and field_type(pl.Date()) == "date"
    assert field_type(pl.List(pl.Utf8)) == "string"
