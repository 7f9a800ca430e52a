"""The measure commands end to end on the bundled real data."""

import json
from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli import app
from policeperf.definitions import default_catalogue

REQUIRED = {"id", "title", "priority", "unit", "value", "count", "denominator", "peer_rank",
            "peer_group_size", "peer_average", "peer_average_method", "national_value",
            "comparison", "comparison_rule", "trend", "trend_method", "spc_signal", "caveats",
            "sources"}


def test_measures_json_has_every_catalogue_measure_with_the_documented_fields(
    runner: CliRunner, db: Path
) -> None:
    result = runner.invoke(app, ["--db", str(db), "measures", "--force", "Avon & Somerset "
                                 "Constabulary", "--period", "2022/23 Q1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["force"] == "Avon and Somerset" and data["period_end"] == "2022-06-30"
    assert len(data["peer_group"]) == 8
    ids = [m["id"] for m in data["measures"]]
    assert ids == [m.id for m in default_catalogue().ordered()]
    for measure in data["measures"]:
        assert REQUIRED <= set(measure), measure["id"]
        if measure["value"] is None:
            assert measure["caveats"], measure["id"]
    burglary = next(m for m in data["measures"] if m["id"] == "residential_burglary")
    assert round(burglary["value"], 2) == 6.63 and burglary["peer_rank"] == 7
    assert burglary["comparison"] == "higher than"


def test_measures_csv_has_one_row_per_measure(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "measures", "--force", "E23000036",
                                 "--period", "2022-06-30", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 + len(default_catalogue().ordered())
    assert lines[0].startswith("priority,measure,id,value")


def test_explain_prints_the_arithmetic_and_the_peers(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "explain", "residential_burglary", "--force",
                                 "avon-and-somerset", "--period", "2022-06"])
    assert result.exit_code == 0, result.output
    assert "1,000 x 4,886 / 737,316 = 6.63 per 1,000 households" in result.output
    assert "mid-2020" in result.output and "7. Avon and Somerset" in result.output


def test_an_unknown_measure_lists_the_measures(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "explain", "burglary", "--force", "Kent",
                                 "--period", "2022-06"])
    assert result.exit_code == 2 and "residential_burglary" in result.output


def test_a_bad_period_is_a_clear_error(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "measures", "--force", "Kent",
                                 "--period", "June-ish"])
    assert result.exit_code == 2 and "June-ish" in result.output


def test_validate_reports_problems_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("measures:\n  - id: my_measure\n    colour: blue\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output


def test_validate_accepts_the_shipped_catalogue(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "catalogue valid" in result.output


USER_CATALOGUE = """\
priorities:
  - id: reduce_theft
    title: Reduce theft
    order: 20
    part: local
measures:
  - id: bicycle_theft
    title: Police recorded bicycle theft
    priority: reduce_theft
    kind: recorded_crime_rate
    sources:
      - kind: ons_offence
        id: bicycle_theft
    denominator: residents
    polarity: lower_is_better
    benchmark: msg_rank
    unit: per 1,000 residents
"""


def test_a_users_catalogue_adds_measures_to_measures_and_new_reports(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(USER_CATALOGUE)
    result = runner.invoke(app, ["--db", str(db), "--catalogue", str(mine), "measures",
                                 "--force", "Avon and Somerset", "--period", "2022-06",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    bikes = next(m for m in json.loads(result.output)["measures"] if m["id"] == "bicycle_theft")
    # 2,753 bicycle thefts (pfajun22.xlsx Table P1) per 1,000 of ~1.73 million residents.
    assert bikes["count"] == 2753 and round(bikes["value"], 2) == 1.59
    assert bikes["peer_group_size"] == 8
    project = tmp_path / "project"
    made = runner.invoke(app, ["--catalogue", str(mine), "new-report", str(project), "--force",
                               "Avon and Somerset", "--period", "2022-06"])
    assert made.exit_code == 0, made.output
    assert "bicycle_theft" in (project / "report.yaml").read_text()
