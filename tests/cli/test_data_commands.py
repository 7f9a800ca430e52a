"""The data commands end to end: ingest, sources, export, check, revisions, forces."""

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from policeperf.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "police_uk"
STREET = FIXTURES / "2023-01-avon-and-somerset-street.csv.gz"


def test_ingest_loads_a_street_file_and_a_second_ingest_adds_nothing(
    runner: CliRunner, db: Path
) -> None:
    first = runner.invoke(app, ["--db", str(db), "ingest", str(STREET)])
    assert first.exit_code == 0, first.output
    assert "12,566 rows added" in first.output
    second = runner.invoke(app, ["--db", str(db), "ingest", str(STREET)])
    assert "already loaded" in second.output and "0 rows added" in second.output


def test_bad_input_exits_non_zero_with_file_row_and_column(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
                   "31/03/2018,Kent,South East,Robbery,-4x\n")
    result = runner.invoke(app, ["--db", str(db), "ingest", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.output and "row 3" not in result.output
    assert "row 2" in result.output and "Rolling year total number of offences" in result.output


def test_sources_lists_the_bundled_files(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "sources", "--json"])
    assert result.exit_code == 0, result.output
    names = {row["file_name"] for row in json.loads(result.output)}
    assert "pfajun22.xlsx" in names and "rec-crime-pfa.csv.gz" in names and len(names) == 19


def test_export_writes_parquet_with_every_force(runner: CliRunner, db: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "rc.parquet"
    result = runner.invoke(app, ["--db", str(db), "export", "recorded-crime", "--format",
                                 "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pl.read_parquet(out)
    june = frame.filter(pl.col("period_end") == pl.date(2022, 6, 30))
    assert june.filter(pl.col("area_code").str.starts_with("E23")
                       | pl.col("area_code").str.starts_with("W15"))["area_code"].n_unique() == 43


def test_check_flags_the_action_fraud_figure(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "check", "--force", "avon-and-somerset",
                                 "--json"])
    assert result.exit_code == 0, result.output
    anomalies = [w for w in json.loads(result.output) if w["kind"] == "anomaly"]
    assert [(w["period_end"], w["offence"]) for w in anomalies] == [
        ("2022-03-31", "action_fraud_referrals")]


def test_revisions_show_what_a_later_edition_changed(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "revisions", "--force", "E23000036",
                                 "--offence", "residential_burglary"])
    assert result.exit_code == 0, result.output
    assert "4886" in result.output and "4922" in result.output


def test_an_unknown_force_suggests_the_closest(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "check", "--force", "Avon and Somerst"])
    assert result.exit_code == 2 and "Avon and Somerset" in result.output


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "policeperf", "forces", "--json"],
                          capture_output=True, text=True, check=True)
    forces = json.loads(done.stdout)
    assert len(forces) == 43
    avon = next(f for f in forces if f["code"] == "E23000036")
    assert avon["peer_group_size"] == 8 and avon["peer_group"]["kind"] == "official"


def test_ingest_prints_a_summary_and_lists_files_only_when_verbose(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.csv.gz").write_bytes(STREET.read_bytes())
    quiet = runner.invoke(app, ["--db", str(db), "ingest", str(folder)])
    assert quiet.exit_code == 0, quiet.output
    assert "a.csv.gz" not in quiet.stdout
    assert "1 file " in quiet.stdout and "12,566 rows added from 1 file(s)" in quiet.stdout
    verbose = runner.invoke(app, ["--db", str(db), "ingest", "--verbose", str(folder)])
    assert "a.csv.gz" in verbose.stdout and "already loaded" in verbose.stdout


def test_a_bad_file_leaves_only_its_error_line_on_stderr(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
                   "31/03/2018,Kent,South East,Robbery,-4x\n")
    result = runner.invoke(app, ["--db", str(db), "ingest", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: file {bad}, ")
