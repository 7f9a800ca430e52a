"""The example report's PDF: A4 landscape pages with numbers; every page's title in its text."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest

from policeperf.render.pdf import ExternalResourceError, html_to_pdf
from policeperf.report.build import ReportOutput

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"


@pytest.fixture(scope="module")
def built(example_report: ReportOutput) -> ReportOutput:
    """The example report, built once per session (tests/conftest.py)."""
    return example_report


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_pdf_pages_are_a4_landscape(built: ReportOutput) -> None:
    assert built.pdf is not None
    info = subprocess.run(["pdfinfo", str(built.pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info


def test_pdf_has_cover_every_priority_title_and_the_method_note(built: ReportOutput) -> None:
    assert built.pdf is not None
    text = " ".join(_text(built.pdf).split())
    assert "Quarter ending June 2022 (Q1 2022/23)" in text and "Version v2" in text
    for page in built.report.pages:
        assert " ".join(page.title.split()) in text
    assert "Method note and data quality" in text and "Glossary" in text


def test_pdf_pages_are_numbered(built: ReportOutput) -> None:
    assert built.pdf is not None
    second = _text(built.pdf, "-f", "2", "-l", "2")
    assert "Page 2 of " in second


def test_pdf_shows_benchmark_texts(built: ReportOutput) -> None:
    assert built.pdf is not None
    text = " ".join(_text(built.pdf).split())
    assert "7th/8 MSG (higher than MSG average" in text


def test_pdf_engine_refuses_external_resources(tmp_path: Path) -> None:
    html = '<html><body><img src="https://example.org/x.png"></body></html>'
    with pytest.raises(ExternalResourceError):
        html_to_pdf(html, tmp_path / "x.pdf")


def test_pdf_is_tagged_with_its_title_and_language(built: ReportOutput) -> None:
    assert built.pdf is not None
    info = subprocess.run(["pdfinfo", str(built.pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Avon and Somerset: Performance Report" in info
    assert b"/Lang (en-GB)" in _objects(built.pdf)


def _objects(pdf: Path) -> bytes:
    """The PDF's bytes with every Flate stream (object streams included) decompressed."""
    raw = pdf.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_example_pdf_carries_no_draft_tag(built: ReportOutput) -> None:
    assert built.pdf is not None
    assert "DRAFT" not in _text(built.pdf)
