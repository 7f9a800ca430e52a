"""Find formula cells that carry no cached value in an .xlsx worksheet (or an .ods sheet).

A workbook saved by a program that does not calculate (a script, some converters) stores a
formula without its result. Every reader of values (calamine, fastexcel) then sees an empty
cell, indistinguishable from a published blank; policeperf must refuse such a cell, not store it
as "published blank" (issue 12). The check reads the sheet's XML as a stream: a sheet without a
single ``<f`` is skipped after one byte search, which is every ONS workbook published so far.

Every .xlsx or .ods policeperf reads goes through :func:`refuse_uncached` (ONS tables, Home
Office offence-code tables, force series) or :func:`uncached_formulas` (peer-group lists); the
bundled workbooks are checked by a test. An .ods file is scanned by
:mod:`policeperf.ods_formulas`, which this module calls.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from policeperf.errors import InputError
from policeperf.ods_formulas import is_ods, uncached_ods_formulas

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member, from workbook.xml and its relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        member = target.get(sheet.get(f"{_REL}id"), "")
        path = member.lstrip("/") if member.startswith("/") else posixpath.normpath(
            posixpath.join("xl", member))
        out[sheet.get("name", "")] = path
    return out


def uncached_formulas(source: Path | bytes, sheet: str) -> list[tuple[int, str]]:
    """(row, cell reference) of each formula cell on ``sheet`` without a cached value, in an
    .xlsx or (by :mod:`policeperf.ods_formulas`) an .ods workbook.

    Returns an empty list when the file is not a readable .xlsx or .ods (the workbook reader
    reports that; a legacy .xls is not read here).
    """
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(opened) as archive:
            if is_ods(archive):
                return uncached_ods_formulas(archive, sheet)
            member = _sheet_paths(archive).get(sheet)
            if member is None:
                return []
            with archive.open(member) as stream:
                if b"<f" not in stream.read():
                    return []
            found: list[tuple[int, str]] = []
            with archive.open(member) as stream:
                for _, cell in ElementTree.iterparse(stream):
                    if cell.tag != f"{_MAIN}c":
                        continue
                    formula = cell.find(f"{_MAIN}f")
                    value = cell.find(f"{_MAIN}v")
                    if formula is not None and (value is None or not (value.text or "")):
                        ref = cell.get("r", "")
                        match = _REF.match(ref)
                        found.append((int(match.group(2)) if match else 0, ref))
                    cell.clear()
            return found
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []


def refuse_uncached(source: Path | bytes, sheet: str, file: str) -> None:
    """Raise an InputError naming the first formula cell on ``sheet`` with no cached value (a
    reader would take it for a published blank), and how many more there are."""
    uncached = uncached_formulas(source, sheet)
    if uncached:
        row, ref = uncached[0]
        more = f" and {len(uncached) - 1} more" if len(uncached) > 1 else ""
        raise InputError(
            f"cell {ref} holds a formula with no calculated value{more}", file=file,
            sheet=sheet, row=row, column=re.sub(r"\d", "", ref),
            expected="values, or formulas saved with their results (open and save the "
            "workbook in Excel or LibreOffice)",
        )
