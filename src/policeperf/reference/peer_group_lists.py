"""Published peer-group lists (e.g. the IOPC "Most similar force (MSF) groups" workbook).

A list is a CSV or XLSX file in one of two layouts, with any force name form the sources use
("Avon & Somerset Constabulary", "avon-and-somerset", "E23000036"):

* long: a ``force`` column and a ``peer`` column, one row per (force, peer);
* wide: a ``force`` column and ``peer 1`` ... ``peer 7`` columns, one row per force.

The header row is found within the first 20 rows (so a title above the table is fine). Every
problem in the file is listed with its sheet, row and column before anything is used
(:class:`PeerListError`); rows with no force are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from policeperf.errors import PolicePerfError, UnknownNameError
from policeperf.reference.areas import resolve_area

__all__ = ["MAX_PEERS", "PeerList", "PeerListError", "read_peer_list"]

MAX_PEERS = 7
_HEADER_ROWS = 20
_PEER = re.compile(r"^(peer|most similar force|msf|similar force)\s*(\d+)?$")


class PeerListError(PolicePerfError):
    """Every problem found in a peer-group list, each with its place."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{file}: invalid peer groups ({count}; nothing stored):\n  "
                         + "\n  ".join(problems))


@dataclass(frozen=True)
class PeerList:
    """The groups of a list: force code -> peer codes in the order given."""

    groups: dict[str, tuple[str, ...]]
    file: str
    layout: str  # "long" or "wide"


def _fold(text: object) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").replace("_", " ").split()).lower()


def _rows(path: Path) -> tuple[list[list[str]], str | None]:
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        import fastexcel

        try:
            reader = fastexcel.read_excel(data)
            sheet = reader.sheet_names[0]
            frame = reader.load_sheet(0, header_row=None).to_polars()
        except Exception as exc:  # calamine raises its own types for corrupt workbooks
            raise PeerListError(str(path), [f"not a readable XLSX workbook ({exc})"]) from exc
        from policeperf.xlsx_formulas import uncached_formulas

        # A formula saved without its value reads as an empty cell: a peer would go missing.
        uncached = uncached_formulas(data, sheet)
        if uncached:
            raise PeerListError(str(path), [
                f"sheet {sheet!r}, row {row}, column {re.sub(r'[0-9]', '', ref)!r}: cell {ref} "
                "holds a formula with no calculated value (expected values, or formulas saved "
                "with their results: open and save the workbook in Excel or LibreOffice)"
                for row, ref in uncached])
        rows = [["" if v is None else _cell(v) for v in row] for row in frame.iter_rows()]
        return rows, sheet
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return [list(r) for r in csv.reader(io.StringIO(text))], None


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(rows: list[list[str]]) -> tuple[int, int, list[tuple[int, str]]] | None:
    """(header row index, force column, [(peer column, header)]) or None."""
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        folded = [_fold(c) for c in row]
        force = next((j for j, c in enumerate(folded) if c in ("force", "force name",
                                                                 "police force")), None)
        peers = [(j, row[j]) for j, c in enumerate(folded) if _PEER.match(c)]
        if force is not None and peers:
            return i, force, peers
    return None


def read_peer_list(path: Path) -> PeerList:
    """Read and validate a list; raise :class:`PeerListError` listing every problem."""
    file = str(path)
    try:
        rows, sheet = _rows(path)
    except OSError as exc:
        raise PeerListError(file, [f"cannot read the file: {exc.strerror}"]) from exc
    where_sheet = f"sheet {sheet!r}, " if sheet else ""
    found = _header(rows)
    if found is None:
        raise PeerListError(file, [
            f"{where_sheet}no header row in the first {_HEADER_ROWS} rows: expected a 'force' "
            "column and a 'peer' column (long layout) or 'peer 1' ... 'peer 7' (wide layout)"])
    head, force_col, peer_cols = found
    layout = "long" if len(peer_cols) == 1 and not re.search(r"\d", peer_cols[0][1]) else "wide"
    header = rows[head]
    problems: list[str] = []
    groups: dict[str, list[str]] = {}
    first_row: dict[str, int] = {}

    def resolve(text: str, row: int, col: int) -> str | None:
        try:
            return resolve_area(text, kind="force").code
        except UnknownNameError as exc:
            problems.append(f"{where_sheet}row {row}, column {header[col]!r}: {exc}")
            return None

    for i, row in enumerate(rows[head + 1:], start=head + 2):
        cell = row[force_col].strip() if force_col < len(row) else ""
        if not cell:
            continue
        force = resolve(cell, i, force_col)
        if layout == "wide" and force is not None and force in first_row:
            problems.append(f"{where_sheet}row {i}, column {header[force_col]!r}: a second row "
                            f"for {cell} (first on row {first_row[force]})")
            continue
        if force is not None:
            first_row.setdefault(force, i)
        for col, name in peer_cols:
            text = row[col].strip() if col < len(row) else ""
            if not text:
                continue
            peer = resolve(text, i, col)
            if force is None or peer is None:
                continue
            place = f"{where_sheet}row {i}, column {name!r}"
            members = groups.setdefault(force, [])
            if peer == force:
                problems.append(f"{place}: {text} is listed as its own peer")
            elif peer in members:
                problems.append(f"{place}: {text} is listed twice for {cell}")
            else:
                members.append(peer)
    for force, peers in groups.items():
        if len(peers) > MAX_PEERS:
            problems.append(f"{where_sheet}row {first_row[force]}: {len(peers)} peers for "
                            f"{resolve_area(force).name}; a group has at most {MAX_PEERS}")
    for force, row_no in first_row.items():
        if force not in groups and not any(p.startswith(f"{where_sheet}row {row_no},")
                                           for p in problems):
            problems.append(f"{where_sheet}row {row_no}: no peers for "
                            f"{resolve_area(force).name}")
    if not groups and not problems:
        problems.append(f"{where_sheet}no groups below the header on row {head + 1}")
    if problems:
        raise PeerListError(file, problems)
    return PeerList({f: tuple(p) for f, p in groups.items()}, file, layout)
