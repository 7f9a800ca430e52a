"""Find formula cells that carry no calculated value in an OpenDocument spreadsheet (.ods).

The .ods twin of :mod:`policeperf.xlsx_formulas`, which calls it for a workbook that is an ODS
zip: a formula cell stores its result in ``office:value`` (numbers), ``office:date-value``,
``office:time-value``, ``office:boolean-value``, or as text (``office:string-value`` or the
cell's paragraphs), beside ``office:value-type``. A program that does not calculate (a script,
some converters) writes ``table:formula`` alone; calamine then reads an empty cell, which
policeperf would take for a published blank. A cell whose formula has a result is read as that
result.

Rows and columns are counted as a spreadsheet program shows them: ``table:number-rows-repeated``
and ``table:number-columns-repeated`` stand for that many rows or cells, covered (merged) cells
take their column, rows inside header-row and row groups count in document order. The XML is
read as a stream; a sheet without a single formula costs one byte search of ``content.xml``.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
# The attribute holding a formula's result, by value type; "string" results are text.
_RESULT = {"float": "value", "percentage": "value", "currency": "value", "date": "date-value",
           "time": "time-value", "boolean": "boolean-value"}
_MAX_FOUND = 10_000  # cells listed; a repeated row of formulas could stand for a million


def is_ods(archive: zipfile.ZipFile) -> bool:
    """True when the zip is an OpenDocument document (``content.xml``, no ``xl/`` part)."""
    names = set(archive.namelist())
    return "content.xml" in names and "xl/workbook.xml" not in names


def column_letters(index: int) -> str:
    """A 0-based column index as spreadsheet letters: 0 -> ``A``, 27 -> ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _has_result(cell: ElementTree.Element) -> bool:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind is None:
        return False
    if kind in _RESULT:
        return bool(cell.get(f"{_OFFICE}{_RESULT[kind]}"))
    if kind == "string":  # as in .xlsx, an empty text result counts as no value
        return bool(cell.get(f"{_OFFICE}string-value") or "".join(cell.itertext()))
    return False  # "void" or a type this reader does not know


def uncached_ods_formulas(archive: zipfile.ZipFile, sheet: str) -> list[tuple[int, str]]:
    """(row, cell reference) of each formula cell on ``sheet`` without a calculated value, in
    sheet order (up to 10,000)."""
    with archive.open("content.xml") as stream:
        if b"formula" not in stream.read():
            return []
    found: list[tuple[int, str]] = []
    depth = 0  # table nesting: rows of a table inside a cell are not the sheet's rows
    inside = False
    row = 0  # rows of the sheet before the current one
    column = 0
    pending: list[tuple[int, int]] = []  # (first column, cells) of this row's bare formulas
    with archive.open("content.xml") as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == f"{_TABLE}table":
                depth += 1 if event == "start" else -1
                if event == "start" and depth == 1:
                    inside = element.get(f"{_TABLE}name") == sheet
                elif event == "end" and depth == 0 and inside:
                    break
                continue
            if not inside or depth != 1:
                continue
            if tag == f"{_TABLE}table-row":
                if event == "start":
                    column, pending = 0, []
                    continue
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                if pending:  # (a sheet's trailing empty rows are one row repeated a million times)
                    found.extend((r, f"{column_letters(c)}{r}")
                                 for r in range(row + 1, row + 1 + min(repeat, _MAX_FOUND))
                                 for first, cells in pending
                                 for c in range(first, first + min(cells, _MAX_FOUND)))
                    del found[_MAX_FOUND:]
                row += repeat
                element.clear()
            elif tag in _CELLS and event == "end":
                cells = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                if element.get(f"{_TABLE}formula") is not None and not _has_result(element):
                    pending.append((column, cells))
                column += cells
                element.clear()
    return found
