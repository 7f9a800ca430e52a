"""Loading and validating report projects: the example loads; broken projects name file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policeperf.definitions.load import default_catalogue
from policeperf.report.project import ProjectError, load_project, parse_config, split_items

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"
IDS = default_catalogue().ids()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(EXAMPLE, target)
    return target


def _errors(root: Path) -> list[str]:
    with pytest.raises(ProjectError) as info:
        load_project(root, measure_ids=IDS)
    return [str(issue) for issue in info.value.issues]


def test_example_project_has_every_priority_page_of_the_seed_report() -> None:
    project = load_project(EXAMPLE, measure_ids=IDS)
    titles = [p.title for p in project.config.priorities]
    assert titles[0] == "Reduce murder and other homicide"
    assert "Collaboration and partnership working" in titles
    assert [p.part for p in project.config.priorities].count("local") == 5
    collaboration = next(p for p in project.config.priorities if p.id == "collaboration")
    assert collaboration.narrative_only and not collaboration.measures


def test_example_project_reads_period_as_quarter_end() -> None:
    project = load_project(EXAMPLE, measure_ids=IDS)
    assert project.config.period.isoformat() == "2022-06-30"


def test_unknown_measure_id_is_reported_with_line_and_close_ids(project_copy: Path) -> None:
    config = project_copy / "report.yaml"
    config.write_text(config.read_text().replace("measures: [homicide]", "measures: [homicde]"))
    lines = config.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if "homicde" in text)
    (error,) = _errors(project_copy)
    assert error.startswith(f"report.yaml, line {line}:")
    assert "unknown measure id 'homicde'" in error and "close ids: homicide" in error


def test_missing_narrative_file_is_named(project_copy: Path) -> None:
    (project_copy / "comments" / "reduce_homicide.md").unlink()
    assert _errors(project_copy) == [
        "comments/reduce_homicide.md: missing comments file (create comments/reduce_homicide.md)"
    ]


def test_invalid_yaml_is_reported_with_its_line() -> None:
    config, issues = parse_config("force: Kent\nperiod: 2022-06-30\npriorities: [\n  - x: 1\n")
    assert config is None
    assert issues[0].file == "report.yaml" and issues[0].line == 4
    assert "invalid YAML" in issues[0].message


def test_unknown_key_is_rejected_with_its_line() -> None:
    text = "force: Kent\nperiod: 2022-06-30\npriorities:\n  - id: a\n    part: local\n" \
           "    title: A\n    narrative_only: true\n    colour: red\n"
    config, issues = parse_config(text)
    assert config is None
    assert [(i.line, i.message) for i in issues] == [
        (8, "priorities.0.colour: Extra inputs are not permitted")
    ]


def test_period_that_is_not_a_quarter_end_is_rejected() -> None:
    _, issues = parse_config("force: Kent\nperiod: 2022-05-31\npriorities: []\n")
    assert issues[0].line == 2 and "not the last day of a quarter" in issues[0].message


def test_mapping_must_name_a_national_priority(project_copy: Path) -> None:
    config = project_copy / "report.yaml"
    config.write_text(config.read_text().replace(
        "  - national: rape_outcomes", "  - national: rape_outcome"))
    (error,) = _errors(project_copy)
    assert "'rape_outcome' is not a national priority id; did you mean 'rape_outcomes'?" in error


def test_glossary_line_without_definition_is_reported(project_copy: Path) -> None:
    glossary = project_copy / "glossary.md"
    glossary.write_text(glossary.read_text() + "- just a term\n")
    (error,) = _errors(project_copy)
    assert error.startswith("glossary.md, line ") and "Term**: definition" in error


def test_comments_split_into_list_items_and_paragraphs() -> None:
    text = "1. First comment\n   continues here.\n2. Second.\n\nA paragraph\non two lines."
    assert split_items(text) == (
        "First comment continues here.", "Second.", "A paragraph on two lines."
    )
