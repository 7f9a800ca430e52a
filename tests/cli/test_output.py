"""Printed numbers: JSON without binary float noise; one --format option everywhere."""

import json
from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli import app
from policeperf.cli.output import clean_number, json_text


def test_json_numbers_carry_no_float_noise() -> None:
    assert clean_number(1729463.9999948647) == 1729464
    assert clean_number(0.1 + 0.2) == 0.3
    assert clean_number(12.345678901234567) == 12.3456789
    assert clean_number(float("nan")) is None and clean_number(float("inf")) is None
    assert json.loads(json_text({"a": [1729463.9999948647, 2.5, None, True]})) == {
        "a": [1729464, 2.5, None, True]}


def test_measures_json_has_no_float_noise(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "measures", "--force", "kent",
                                      "--period", "2022-06", "--format", "json"])
    assert result.exit_code == 0, result.output
    numbers: list[float] = []

    def walk(value: object) -> None:
        if isinstance(value, float):
            numbers.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(result.stdout))
    assert numbers and all(float(f"{n:.10g}") == n for n in numbers)
    assert "1729463.99" not in result.stdout and "1868199.00001" not in result.stdout


def test_json_is_the_same_by_format_or_by_the_older_json_flag(db: Path) -> None:
    runner = CliRunner()
    new = runner.invoke(app, ["--db", str(db), "forces", "--format", "json"])
    old = runner.invoke(app, ["--db", str(db), "forces", "--json"])
    assert new.exit_code == old.exit_code == 0
    assert new.stdout == old.stdout and len(json.loads(new.stdout)) == 43
    assert "--json" not in runner.invoke(app, ["forces", "--help"]).stdout


def test_the_measures_table_shows_titles_and_units(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "measures", "--force", "kent",
                                      "--period", "2022-06"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Kent, period ending 30 June 2022" in text
    assert "per 1,000" in text and "…" not in text
