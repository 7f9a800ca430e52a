"""Formula cells without a calculated value in OpenDocument spreadsheets (.ods), which the
offence-code and force-series adapters read: found by sheet, row and cell; a formula saved with
its result is read as that result."""

from __future__ import annotations

import zipfile
from pathlib import Path

import fastexcel
import pytest

from policeperf.errors import InputError
from policeperf.ingest import force_series
from policeperf.ods_formulas import column_letters
from policeperf.xlsx_formulas import refuse_uncached, uncached_formulas

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)
NUMBER = '<table:table-cell office:value-type="float" office:value="{0}"><text:p>{0}</text:p>' \
         "</table:table-cell>"
TEXT = '<table:table-cell office:value-type="string"><text:p>{0}</text:p></table:table-cell>'
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
BARE = '<table:table-cell table:formula="of:=[.A2]*2"/>'  # no result: a script wrote it


def write_ods(path: Path, sheets: dict[str, str]) -> Path:
    """An .ods made by hand: sheet name -> the XML of its rows."""
    tables = "".join(f'<table:table table:name="{name}">{rows}</table:table>'
                     for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} '
               f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def row(*cells: str, repeat: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{''.join(cells)}</table:table-row>"


def test_a_formula_without_its_result_is_found_by_row_and_cell(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "book.ods", {
        "Notes": row(BARE),  # another sheet's formulas are not this sheet's
        "Data": row(TEXT.format("a"), TEXT.format("b")) + row(NUMBER.format(1), BARE)
        + row(BARE, NUMBER.format(3)),
    })
    assert uncached_formulas(path, "Data") == [(2, "B2"), (3, "A3")]
    assert uncached_formulas(path.read_bytes(), "Notes") == [(1, "A1")]
    with pytest.raises(InputError) as caught:
        refuse_uncached(path, "Data", "book.ods")
    assert str(caught.value).startswith(
        "file book.ods, sheet 'Data', row 2, column 'B': cell B2 holds a formula with no "
        "calculated value and 1 more")


def test_a_formula_saved_with_its_result_is_read_as_that_result(tmp_path: Path) -> None:
    cached = ('<table:table-cell table:formula="of:=[.A1]*2" office:value-type="float" '
              'office:value="84"><text:p>84</text:p></table:table-cell>')
    text = ('<table:table-cell table:formula="of:=&quot;x&quot;" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell>")
    path = write_ods(tmp_path / "book.ods", {"Data": row(NUMBER.format(42), cached, text)})
    assert uncached_formulas(path, "Data") == []
    frame = fastexcel.read_excel(path.read_bytes()).load_sheet(
        "Data", header_row=None, dtypes="string").to_polars()
    assert frame.row(0) == ("42", "84", "x")


def test_repeated_rows_and_cells_and_merged_cells_count_as_a_spreadsheet_shows_them(
    tmp_path: Path
) -> None:
    covered = '<table:covered-table-cell/>'
    repeated = '<table:table-cell table:number-columns-repeated="3"/>'
    rows = (row(TEXT.format("title")) + row(repeat=2)
            + f"<table:table-header-rows>{row(covered, repeated, BARE)}</table:table-header-rows>"
            + row(BARE.replace("/>", ' table:number-columns-repeated="2"/>'), repeat=2)
            + row(repeat=1_048_000))  # a sheet's trailing empty rows, as LibreOffice writes them
    path = write_ods(tmp_path / "book.ods", {"Data": rows})
    assert uncached_formulas(path, "Data") == [(4, "E4"), (5, "A5"), (5, "B5"), (6, "A6"),
                                               (6, "B6")]


def test_column_letters_run_past_z() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]


SERIES_HEADER = ("force,series,period_type,period_end,window_months,category,comparator,value,"
                 "numerator,denominator,unit,statistic,note").split(",")


def series_ods(tmp_path: Path, category: str) -> Path:
    """A force series as .ods: one row, its category cell (F2) given."""
    cells = [TEXT.format(v) for v in ("Kent", "drug_disruptions", "month", "2022-06-30")]
    cells += ["<table:table-cell/>", category, TEXT.format("force"), NUMBER.format(38),
              '<table:table-cell table:number-columns-repeated="2"/>', TEXT.format("count"),
              TEXT.format("total")]
    return write_ods(tmp_path / "series.ods", {
        "Series": row(*(TEXT.format(h) for h in SERIES_HEADER)) + row(*cells)})


def test_a_force_series_ods_with_a_bare_formula_is_refused_not_read_as_a_blank(
    tmp_path: Path
) -> None:
    # The category read as a blank: the row loaded as the series without a category.
    with pytest.raises(InputError) as caught:
        force_series.read(series_ods(tmp_path, '<table:table-cell table:formula="of:=1+1"/>'))
    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("Series", 2, "F")
    assert "cell F2 holds a formula with no calculated value" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_force_series_ods_formula_with_its_result_loads_the_result(tmp_path: Path) -> None:
    cell = ('<table:table-cell table:formula="of:=&quot;Class &quot;&amp;&quot;A&quot;" '
            'office:value-type="string"><text:p>Class A</text:p></table:table-cell>')
    (table,) = force_series.read(series_ods(tmp_path, cell)).tables.values()
    assert table.select("category", "value").rows() == [("Class A", 38.0)]
