"""The generate command writes synthetic files that the real adapters read."""

from pathlib import Path

from typer.testing import CliRunner

from policeperf.cli import app


def test_generate_writes_labelled_synthetic_files_that_ingest_reads(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "gen"
    result = runner.invoke(app, ["generate", "--rows", "3000", "--months", "3", "--seed", "7",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3,000 synthetic street rows" in result.output
    root = out / "synthetic"
    assert "not real" in (root / "README.md").read_text().lower()
    loaded = runner.invoke(app, ["--db", str(tmp_path / "w.duckdb"), "ingest", str(root)])
    assert loaded.exit_code == 0, loaded.output
    assert "already loaded" not in loaded.output
