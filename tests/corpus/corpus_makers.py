"""Bad inputs made at test time for the corpus: archives, special files, other encodings and
workbooks (too large, binary or special to commit)."""

from __future__ import annotations

import codecs
import gzip
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]

UK_HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
             "LSOA name,Crime type,Last outcome category,Context")
UK_ROW = ("abc1,2023-01,Kent Police,Kent Police,0.52,51.27,On or near High Street,E01024000,"
          "Maidstone 001A,Burglary,Under investigation,")
GOOD_STREET = f"{UK_HEADER}\n{UK_ROW}\n"


def _zip(path: Path, members: dict[str, bytes],
         method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _patch_central(path: Path, edit: Callable[[bytearray, int], None]) -> Path:
    """Apply ``edit(data, offset)`` at each central-directory header (and local header)."""
    data = bytearray(path.read_bytes())
    for signature in (b"PK\x01\x02", b"PK\x03\x04"):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            edit(data, at)
            start = at + 4
    path.write_bytes(bytes(data))
    return path


def bomb(tmp: Path) -> Path:
    return _zip(tmp / "bomb.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()
                                   + b"0" * (4 << 20)})


def huge_member(tmp: Path) -> Path:
    path = _zip(tmp / "huge.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()},
                zipfile.ZIP_STORED)

    def edit(data: bytearray, at: int) -> None:  # uncompressed size: 3 GiB
        offset = 24 if data[at + 2] == 1 else 22
        data[at + offset:at + offset + 4] = struct.pack("<I", 3 << 30)

    return _patch_central(path, edit)


def encrypted(tmp: Path) -> Path:
    path = _zip(tmp / "locked.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()})

    def edit(data: bytearray, at: int) -> None:  # general purpose flag bit 0
        offset = 8 if data[at + 2] == 1 else 6
        data[at + offset] |= 1

    return _patch_central(path, edit)


def unknown_method(tmp: Path) -> Path:
    path = _zip(tmp / "method.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()})

    def edit(data: bytearray, at: int) -> None:  # compression method 99 (AE-x)
        offset = 10 if data[at + 2] == 1 else 8
        data[at + offset:at + offset + 2] = struct.pack("<H", 99)

    return _patch_central(path, edit)


def bad_crc(tmp: Path) -> Path:
    path = _zip(tmp / "crc.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode()},
                zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"Kent Police")
    data[at] = ord("X")
    path.write_bytes(bytes(data))
    return path


def long_name(tmp: Path) -> Path:
    return _zip(tmp / "long.zip", {"a" * 300 + "-street.csv": GOOD_STREET.encode()})


def traversal(tmp: Path) -> Path:
    return _zip(tmp / "escape.zip", {"../../2023-01-kent-street.csv": GOOD_STREET.encode()})


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "fake.zip"
    path.write_text("this is not an archive")
    return path


def truncated_zip(tmp: Path) -> Path:
    path = _zip(tmp / "cut.zip", {"2023-01-kent-street.csv": GOOD_STREET.encode() * 50})
    path.write_bytes(path.read_bytes()[:200])
    return path


def notes_only_zip(tmp: Path) -> Path:
    return _zip(tmp / "notes.zip", {"README.md": b"# notes\n"})


def fifo(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    os.mkfifo(path)
    return path


def fifo_in_folder(tmp: Path) -> Path:
    (tmp / "data").mkdir()
    (tmp / "data" / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    os.mkfifo(tmp / "data" / "2023-02-kent-street.csv")
    return tmp / "data"


def dev_zero(tmp: Path) -> Path:
    return Path("/dev/zero")


def dangling(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.symlink_to(tmp / "gone.csv")
    return path


def dangling_in_folder(tmp: Path) -> Path:
    (tmp / "data").mkdir()
    (tmp / "data" / "2023-01-kent-street.csv").write_text(GOOD_STREET)
    (tmp / "data" / "2023-02-kent-street.csv").symlink_to(tmp / "gone.csv")
    return tmp / "data"


def empty_folder(tmp: Path) -> Path:
    (tmp / "empty").mkdir()
    return tmp / "empty"


def notes_folder(tmp: Path) -> Path:
    (tmp / "notes").mkdir()
    (tmp / "notes" / "README.md").write_text("# nothing to load\n")
    return tmp / "notes"


def missing(tmp: Path) -> Path:
    return tmp / "no-such-file.csv"


def utf16(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + GOOD_STREET.encode("utf-16-le"))
    return path


def utf16_no_bom(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(GOOD_STREET.encode("utf-16-le"))
    return path


def cr_only(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_text(GOOD_STREET.replace("\n", "\r"), newline="")
    return path


def cr_only_gzip(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv.gz"
    path.write_bytes(gzip.compress(GOOD_STREET.replace("\n", "\r").encode()))
    return path


def truncated_gzip(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv.gz"
    path.write_bytes(gzip.compress((GOOD_STREET + (UK_ROW + "\n") * 2000).encode())[:300])
    return path


def binary(tmp: Path) -> Path:
    path = tmp / "2023-01-kent-street.csv"
    path.write_bytes(bytes(range(1, 256)) * 20)
    return path


def _workbook(path: Path, p1_cells: list[object], title_year: int = 2022) -> Path:
    title = (f"Table P1: Police recorded crime, number of offences, year ending June "
             f"{title_year}")
    p3 = [[f"Table P3: Police recorded crime, rate per 1,000 population, year ending June "
           f"{title_year}"],
          ["Area Code", "Area Name", "Population figures (mid-2020)", "Household figures",
           "Robbery"],
          ["E23000036", "Avon and Somerset", 1729500, 737300, 0.923]]
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Table P1")
    for row in [[title], ["Area Code", "Area Name", "Robbery", "Homicide"],
                ["E23000036", "Avon and Somerset", *p1_cells]]:
        sheet.append(row)
    other = book.create_sheet("Table P3")
    for row in p3:
        other.append(row)
    book.save(path)
    return path


def formula_no_value(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", ["=B1+1", 21])


def cell_1e20(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", [1e20, 21])


def workbook_1900(tmp: Path) -> Path:
    return _workbook(tmp / "pfa.xlsx", [1597, 21], title_year=1900)


def corrupt_workbook(tmp: Path) -> Path:
    good = _workbook(tmp / "good.xlsx", [1597, 21])
    path = tmp / "pfa.xlsx"
    path.write_bytes(good.read_bytes()[:1500])
    return path




def offence_codes_formula(tmp: Path) -> Path:
    """The real-layout offence-code fixture with one count cell a formula (no cached value:
    openpyxl, like scripts and some converters, saves none)."""
    book = openpyxl.load_workbook(ROOT / "tests/fixtures/offence_codes/small.xlsx")
    book["Data"]["H4"] = "=H2+H3"
    path = tmp / "prc-pfa.xlsx"
    book.save(path)
    return path


def force_series_formula(tmp: Path) -> Path:
    """The first rows of the bundled example force series as a workbook, one value a formula."""
    lines = (ROOT / "src/policeperf/data/force-series/example-avon-and-somerset.csv"
             ).read_text().splitlines()[:4]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Series"
    for line in lines:
        sheet.append(line.split(","))
    sheet["H3"] = "=H2*2"
    path = tmp / "series.xlsx"
    book.save(path)
    return path


def ons_formula_in_zip(tmp: Path) -> Path:
    """The ONS workbook with a formula and no cached value, inside a zip archive."""
    (tmp / "book").mkdir()
    book = formula_no_value(tmp / "book")
    return _zip(tmp / "tables.zip", {"pfa.xlsx": book.read_bytes()})


# The Q1 corporate manslaughter count (0) of the offence-code .ods fixture: cell H3 of 'Data'.
ODS_H3 = ('<table:table-cell office:value-type="float" office:value="0"><text:p>0</text:p>'
          "</table:table-cell>")


def ods_with_h3(tmp: Path, cell: str) -> Path:
    """The offence-code .ods fixture (a zip holding content.xml) with cell H3 replaced."""
    path = tmp / "prc-pfa.ods"
    with zipfile.ZipFile(ROOT / "tests/fixtures/offence_codes/small.ods") as source, \
            zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":
                assert data.count(ODS_H3.encode()) == 1
                data = data.replace(ODS_H3.encode(), cell.encode())
            target.writestr(info, data)
    return path


def ods_offence_codes_formula(tmp: Path) -> Path:
    """H3 a formula with no calculated value (as a script writes it): calamine reads a blank."""
    return ods_with_h3(tmp, '<table:table-cell table:formula="of:=[.H2]-2"/>')
