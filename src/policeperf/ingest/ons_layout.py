"""Layout helpers for the ONS Police Force Area data tables: grids, headers, periods and cells.

Both workbook layouts are read the same way. A sheet is loaded as a grid of strings (every cell as
text, so markers such as ``"[x]"`` and numbers share a column), the header row is the row holding an
``"Area Code"`` cell, and each column's label is its header cell, or for the old layout's group
headers ("Total recorded crime (excluding fraud4)" sits one row above the "Area Code" row) the
cell above it. An optional units row ("Numbers", "Rate per 1,000 population") directly below the
header is skipped. Data rows follow until the first note or source line.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from policeperf.errors import InputError, UnknownNameError
from policeperf.limits import MAX_COUNT
from policeperf.reference.areas import Area, normalise, resolve_area

# Month names and abbreviations as ONS writes them, folded to the month number.
_MONTHS = {name.lower()[:3]: i for i, name in enumerate(calendar.month_name) if name}

# Symbols ONS publishes in place of a figure: "..", "-" and "+" (old layout), "[x]", "[u1]", "[z]".
_MARKER_SYMBOLS = frozenset({"..", "-", "+", ":"})
# A bracketed shorthand marker, e.g. "[x]", "[u]", "[u1]", "[z]".
_BRACKET_MARKER = re.compile(r"^\[[a-z]\d*\]$")
# A plain decimal number as the grid shows a numeric cell, e.g. "4886", "-9.28", "6.62e-05".
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
# A whole number written with thousands separators in a text cell, e.g. "2,048".
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")
# "year ending <Month> <year>" in a title; the year may be two digits and carry glued footnotes,
# e.g. "year ending March 181,2,3" -> March 2018, "year ending June 2022 [note 1]" -> June 2022.
# A four-digit 19xx year is taken whole unless footnote digits follow ("March 1912,3" is 2019 with
# notes 12 and 3), so that "June 1900" is 1900 (and refused), not 2019 with a note 00.
_YEAR_ENDING = re.compile(r"year\s+ending\s+([A-Za-z]+)\.?\s+(20\d{2}|19\d{2}(?![\d,])|\d{2})",
                          re.IGNORECASE)
# The end of a period range in a header, e.g. "July 2021 to\n June 2022", "Apr '20 to Mar '21".
_RANGE_END = re.compile(r"\bto\s+([A-Za-z]+)\.?\s+'?(20\d{2}|\d{2})\s*$", re.IGNORECASE)
# An ONS footnote marker, e.g. "[note 2]", "[note 11, 12]", "[note1]".
_NOTE = re.compile(r"\[note[^\]]*\]", re.IGNORECASE)
# Footnote digits glued to a word or a closing bracket, e.g. "fraud4", "(mid-2016)4", "burglary6,7".
_GLUED_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+(,\s?\d+)*")
# A trailing footnote list after a space, e.g. "Residential burglary (households) 7,8,10".
_TRAILING_FOOTNOTES = re.compile(r"\s\d+(,\s?\d+)+$")
_WHOLE = "a whole number of 0 or more, or a marker such as [x], [u], '..' or blank"
_RATE = "a rate of 0 or more, or a marker such as [x], [u1], '..', '+' or blank"
# An ONS geography code, e.g. "E23000036" (force), "E12000009" (region), "K04000001".
AREA_CODE = re.compile(r"^[EWKNS]\d{8}$")


def clean_label(text: str | None) -> str | None:
    """A header as one clean line: no line breaks, notes or glued footnote digits.

    Args:
        text: The header cell as published, e.g. ``"Residential burglary6,7"``.

    Returns:
        The label, e.g. ``"Residential burglary"``, or None for an empty cell.
    """
    if text is None:
        return None
    label = _NOTE.sub(" ", text.replace("\n", " "))
    label = _GLUED_FOOTNOTE.sub("", label)
    label = _TRAILING_FOOTNOTES.sub("", label.strip())
    label = re.sub(r"\s+", " ", label).strip()  # runs of spaces to one: "a  \n b" -> "a b"
    return label or None


def month_end(month: str, year: str) -> date | None:
    """The last day of a month as ONS names it: ``("Sep", "18")`` or ``("June", "2022")``."""
    number = _MONTHS.get(month.lower()[:3])
    if number is None:
        return None
    full_year = int(year) if len(year) == 4 else 2000 + int(year)
    return date(full_year, number, calendar.monthrange(full_year, number)[1])


def title_period(title: str) -> date | None:
    """The end of the 12 months a title names (``"... year ending March 181,2,3"``), or None."""
    match = _YEAR_ENDING.search(title)
    return month_end(match.group(1), match.group(2)) if match else None


def range_period(label: str) -> date | None:
    """The end of a period range in a header (``"Apr 2022 to\\n Mar 2023"`` -> 31 Mar 2023)."""
    match = _RANGE_END.search(label.replace("\n", " ").strip())
    return month_end(match.group(1), match.group(2)) if match else None


def is_marker(text: str) -> bool:
    """True if the text is a published marker standing for a missing or suppressed figure."""
    return text == "" or text in _MARKER_SYMBOLS or _BRACKET_MARKER.match(text) is not None


def as_number(text: str) -> float | None:
    """The number a cell holds, or None when it is not numeric."""
    if _NUMBER.match(text):
        return float(text)
    if _GROUPED.match(text):
        return float(text.replace(",", ""))
    return None


@dataclass(frozen=True)
class Column:
    """A data column of a table: its position, its clean label and its units text if any."""

    index: int
    label: str | None
    units: str | None


@dataclass(frozen=True)
class DataRow:
    """One data row of a table: its 1-based Excel row number, code, name and cells."""

    row: int
    code: str | None
    name: str | None
    cells: tuple[str | None, ...]


@dataclass(frozen=True)
class Table:
    """A sheet's table: where its header is, its columns and its data rows."""

    file: str
    sheet: str
    title: str
    header_row: int  # 1-based
    code_label: str
    columns: tuple[Column, ...]
    rows: tuple[DataRow, ...]

    def error(
        self, message: str, *, row: int | None, column: str | None, expected: str
    ) -> InputError:
        """An :class:`InputError` located in this table."""
        return InputError(
            message, file=self.file, sheet=self.sheet, row=row, column=column, expected=expected
        )


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def parse_table(file: str, sheet: str, grid: list[tuple[str | None, ...]]) -> Table:
    """Locate the header, columns and data rows of a sheet loaded as a grid of text.

    Args:
        file: The workbook path, for error messages.
        sheet: The sheet name as in the workbook.
        grid: Every row of the sheet from Excel row 1, each cell as text or None.

    Returns:
        The table found on the sheet.

    Raises:
        InputError: If no ``"Area Code"`` header or no ``"Area Name"`` column is found.
    """
    title = next((text for row in grid for c in row if (text := _text(c))), "")
    header = next(
        (
            (i, j)
            for i, row in enumerate(grid)
            for j, cell in enumerate(row)
            if (_text(cell) or "").lower() == "area code"
        ),
        None,
    )
    if header is None:
        raise InputError(
            "no header row found", file=file, sheet=sheet, expected="a cell reading 'Area Code'"
        )
    hi, code_col = header
    head = grid[hi]
    name_col = next(
        (j for j, c in enumerate(head) if (_text(c) or "").lower() == "area name"), None
    )
    if name_col is None:
        raise InputError(
            "no 'Area Name' column", file=file, sheet=sheet, row=hi + 1,
            expected="an 'Area Name' cell in the header row",
        )
    above = grid[hi - 1] if hi > 0 else ()
    start = hi + 1
    below = grid[start] if start < len(grid) else ()
    has_units = bool(below) and not _text(below[code_col]) and not _text(below[name_col])
    units_row = below if has_units else ()
    if has_units:
        start += 1
    columns = []
    for j in range(len(head)):
        if j in (code_col, name_col):
            continue
        label = clean_label(_text(head[j]) or (_text(above[j]) if j < len(above) else None))
        units = clean_label(_text(units_row[j])) if j < len(units_row) else None
        columns.append(Column(j, label, units))
    return Table(
        file=file,
        sheet=sheet,
        title=title,
        header_row=hi + 1,
        code_label=clean_label(head[code_col]) or "Area Code",
        columns=tuple(columns),
        rows=tuple(_data_rows(grid, start, code_col, name_col)),
    )


def _data_rows(
    grid: list[tuple[str | None, ...]], start: int, code_col: int, name_col: int
) -> Iterator[DataRow]:
    """Rows with an area name or code, up to the first source line or footnote."""
    for i in range(start, len(grid)):
        row = grid[i]
        code, name = _text(row[code_col]), _text(row[name_col])
        if code is None and name is None:
            if any(_text(c) for c in row):
                yield DataRow(row=i + 1, code=None, name=None, cells=row)  # caller rejects it
            continue  # a blank row
        if name is None and code is not None and not AREA_CODE.match(code):
            return  # "Source: ..." or "1. Police recorded crime data are ..."
        yield DataRow(row=i + 1, code=code, name=name, cells=row)


def table_areas(table: Table) -> list[tuple[DataRow, Area]]:
    """Resolve each data row's area, by its code when it has one, else by its name.

    Rows named "Unknown" (offences Action Fraud could not place) are left out.

    Args:
        table: A parsed table.

    Returns:
        (row, area) pairs in sheet order.

    Raises:
        InputError: For a row with figures but no area, an unknown area, or an area seen twice.
    """
    seen: dict[str, int] = {}
    result = []
    for row in table.rows:
        label = row.code or row.name
        if label is None:
            raise table.error(
                "figures in a row with no area", row=row.row, column=table.code_label,
                expected="an area code or name on every data row",
            )
        if row.code is None and normalise(label) == "unknown":
            continue
        try:
            area = resolve_area(label)
        except UnknownNameError as exc:
            raise table.error(
                str(exc), row=row.row, column=table.code_label if row.code else "Area Name",
                expected="a police force area, region or nation in reference/areas.csv",
            ) from exc
        if area.code in seen:
            raise table.error(
                f"{area.name} appears twice (first on row {seen[area.code]})", row=row.row,
                column=table.code_label, expected="each area once per table",
            )
        seen[area.code] = row.row
        result.append((row, area))
    return result


def _cell(row: DataRow, column: Column) -> str:
    value = row.cells[column.index] if column.index < len(row.cells) else None
    return (value or "").strip()


def count_cell(table: Table, row: DataRow, column: Column) -> tuple[int | None, str | None]:
    """Read a count or denominator cell.

    Args:
        table: The table the cell is in (for error messages).
        row: The data row.
        column: The column.

    Returns:
        ``(value, None)``, or ``(None, marker)`` for a blank (marker ``""``) or suppressed cell.

    Raises:
        InputError: For text that is not a marker, a negative or a fractional number.
    """
    text = _cell(row, column)
    if is_marker(text):
        return None, text
    number = as_number(text)
    if number is None or number < 0 or not number.is_integer():
        raise table.error(
            f"{text!r} is not valid", row=row.row, column=column.label, expected=_WHOLE
        )
    if number > MAX_COUNT:
        raise table.error(
            f"{text!r} is too large for a count", row=row.row, column=column.label,
            expected=f"a whole number up to {MAX_COUNT:,} (docs/reliability.md, limits)",
        )
    return int(number), None


def rate_cell(table: Table, row: DataRow, column: Column) -> tuple[float | None, str | None]:
    """Read a rate cell: like :func:`count_cell` but any number of 0 or more is valid."""
    text = _cell(row, column)
    if is_marker(text):
        return None, text
    number = as_number(text)
    if number is None or number < 0 or number > MAX_COUNT:
        raise table.error(
            f"rate {text!r} is not valid", row=row.row, column=column.label, expected=_RATE
        )
    return number, None


def check_unlabelled(table: Table, column: Column, rows: list[tuple[DataRow, Area]]) -> None:
    """Reject a figure in a column with no header (a spacer), which would otherwise be lost.

    Raises:
        InputError: Naming the first row with a number in the column.
    """
    for row, _ in rows:
        if as_number(_cell(row, column)) is not None:
            raise table.error(
                f"figure {_cell(row, column)!r} in a column with no header", row=row.row,
                column=f"column {column.index + 1} of the grid", expected="an empty spacer column",
            )
