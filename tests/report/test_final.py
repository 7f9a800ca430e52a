"""``report --final`` refuses a report with unaccepted drafts or illustrative data, listing each."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policeperf.cli import app
from policeperf.report.build import ReportOutput
from policeperf.report.final import FinalReportError, final_problems

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"
ILLUSTRATIVE_PAGES = 8  # every page of the example that shows a force-held (illustrative) figure


@pytest.fixture
def db(bundled_warehouse_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the bundled warehouse for one test."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, copy)
    return copy


def test_the_example_is_refused_for_its_illustrative_pages_only(
    example_report: ReportOutput,
) -> None:
    problems = final_problems(example_report.report)
    assert len(problems) == ILLUSTRATIVE_PAGES
    assert all("uses illustrative data (example-avon-and-somerset.csv)" in p for p in problems)
    assert problems[0].startswith("page 'Disrupt drugs supply and county lines': ")
    assert not any("Reduce murder" in p for p in problems)


def test_each_unaccepted_draft_is_listed_with_its_key(example_report: ReportOutput) -> None:
    report = example_report.report
    homicide = next(p for p in report.pages if p.page_id == "reduce_homicide")
    drafted = dataclasses.replace(homicide, comments=tuple(
        dataclasses.replace(c, draft=True) if c.key else c for c in homicide.comments))
    pages = tuple(drafted if p.page_id == "reduce_homicide" else p for p in report.pages)
    problems = final_problems(dataclasses.replace(report, pages=pages))
    key = next(c.key for c in homicide.comments if c.key)
    assert problems[0] == (
        "page 'Reduce murder and other homicide': the drafted comment on Police recorded "
        f"homicide offences is not accepted (accept it with key {key} in accepted_drafts.yaml, "
        "see out/data/drafts.csv)")
    assert len(problems) == ILLUSTRATIVE_PAGES + 1


def test_the_error_lists_one_problem_a_line() -> None:
    error = FinalReportError(["page 'A': one", "page 'B': two"])
    assert str(error).splitlines() == [
        "the report is not final: 2 problem(s); nothing was written:",
        "  page 'A': one", "  page 'B': two"]


def test_report_final_exits_2_listing_every_problem_and_writes_nothing(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["--db", str(db), "report", str(EXAMPLE), "--out", str(out),
                                 "--no-pdf", "--final"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "uses illustrative data" in line]
    assert len(lines) == ILLUSTRATIVE_PAGES
    assert "the report is not final: 8 problem(s)" in result.output
    assert not (out / "report.html").exists()
