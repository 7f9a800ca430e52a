"""Printing in a second process: the same PDF, the same errors, no process left behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from policeperf.render.pdf import ExternalResourceError
from policeperf.render.pdf_process import PdfPrinter, PdfProcessError

PAGE = ('<html lang="en"><head><title>Two pages</title></head><body><p>First page</p>'
        '<p style="break-before: page">Second page</p></body></html>')


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_child_prints_the_document_it_is_sent(tmp_path: Path) -> None:
    with PdfPrinter() as printer:
        written = printer.print_pdf(PAGE, tmp_path / "out.pdf")
    assert written == tmp_path / "out.pdf"
    info = subprocess.run(["pdfinfo", str(written)], check=True, capture_output=True,
                          text=True).stdout
    assert "Pages:           2" in info and "Tagged:          yes" in info
    assert "Title:           Two pages" in info
    assert "First page" in _pdf_text(written) and "Second page" in _pdf_text(written)


def test_the_parent_goes_on_while_the_child_prints(tmp_path: Path) -> None:
    with PdfPrinter() as printer:
        printer.send(PAGE, tmp_path / "out.pdf")
        (tmp_path / "meanwhile.txt").write_text("written while printing")
        assert printer.result().exists()


def test_an_external_reference_is_the_same_error_as_printing_in_process(tmp_path: Path) -> None:
    html = '<html><body><img src="https://example.org/x.png"></body></html>'
    with PdfPrinter() as printer, pytest.raises(ExternalResourceError, match="example.org"):
        printer.print_pdf(html, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_pdf_that_cannot_be_written_is_an_os_error(tmp_path: Path) -> None:
    with PdfPrinter() as printer, pytest.raises(FileNotFoundError):
        printer.print_pdf(PAGE, tmp_path / "no such folder" / "x.pdf")


def test_a_printer_closed_unused_ends_its_child(tmp_path: Path) -> None:
    printer = PdfPrinter()
    child = printer._child
    assert child is not None
    printer.close()
    assert child.returncode == 0  # it saw its input close and exited by itself


def test_a_child_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    with PdfPrinter() as printer:
        child = printer._child
        assert child is not None
        child.kill()
        with pytest.raises(PdfProcessError, match="ended with code -9"):
            printer.print_pdf(PAGE, tmp_path / "x.pdf")


def test_a_printer_prints_once(tmp_path: Path) -> None:
    with PdfPrinter() as printer:
        printer.print_pdf(PAGE, tmp_path / "a.pdf")
        with pytest.raises(PdfProcessError, match="already"):
            printer.send(PAGE, tmp_path / "b.pdf")
