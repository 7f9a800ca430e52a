"""Building reports without a project, and for several forces on both cores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policeperf.report.build import (
    ReportOutput,
    build_all,
    build_report,
    forces_with_peer_group,
)
from policeperf.warehouse import Warehouse


def test_every_force_but_city_of_london_has_a_peer_group() -> None:
    names = forces_with_peer_group()
    assert "Avon and Somerset" in names and "City of London" not in names
    assert len(names) == 42  # official or computed


def test_default_report_without_a_project_covers_the_catalogue(
    bundled_warehouse_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, db)
    with Warehouse(db) as warehouse:
        out = build_report(None, force="Kent", period="2022-06-30", warehouse=warehouse,
                           out_dir=tmp_path / "out", pdf=False)
    html = out.html.read_text(encoding="utf-8")
    assert "Kent" in html and "Quarter ending June 2022 (Q1 2022/23)" in html
    # Kent has no official group loaded: its ranks, method note and glossary say "computed".
    assert "similar forces (computed)" in html and "not the Home Office" in html
    assert "Similar forces (computed)" in html
    assert out.report.pages[0].page_id == "reduce_homicide"
    assert not any(page.banner for page in out.report.pages)


def test_building_without_project_needs_force_and_period(bundled_warehouse_path: Path) -> None:
    with Warehouse(bundled_warehouse_path, read_only=True) as warehouse:
        with pytest.raises(ValueError, match="give both force and period"):
            build_report(None, force="Kent", warehouse=warehouse, out_dir="unused")


@pytest.mark.slow
def test_build_all_reports_progress_for_each_force(
    bundled_warehouse_path: Path, tmp_path: Path
) -> None:
    seen: list[tuple[str, int, int]] = []
    folders = build_all(["Kent", "Essex"], tmp_path, period="2022-06-30",
                        db=bundled_warehouse_path, workers=2, pdf=False,
                        progress=lambda force, done, total: seen.append((force, done, total)))
    assert [f.name for f in folders] == ["kent-2022-23-q1", "essex-2022-23-q1"]
    assert all((f / "report.html").is_file() for f in folders)
    assert sorted(done for _, done, _ in seen) == [1, 2] and {t for *_, t in seen} == {2}


def test_the_method_note_states_the_rules_in_general_not_one_measures_numbers(
    example_report: ReportOutput,
) -> None:
    method = {s.heading: " ".join(s.paragraphs) for s in example_report.report.method}
    comparison = next(v for k, v in method.items() if "Comparison" in k)
    assert "more than 15% above the simple MSG mean is 'higher than'" in comparison
    assert "Avon and Somerset's rate" not in comparison
    sources = next(v for k, v in method.items() if "sources" in k.lower())
    assert "no edition date" not in sources and "pfajun22.xlsx (edition 2022-06-30)" in sources
