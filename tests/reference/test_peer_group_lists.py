"""Reading published peer-group lists: long and wide, CSV and XLSX, every problem listed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from policeperf.reference.areas import resolve_area
from policeperf.reference.peer_group_lists import PeerListError, read_peer_list

CLEVELAND, DURHAM, HUMBERSIDE, KENT, ESSEX = (
    resolve_area(n).code for n in ("Cleveland", "Durham", "Humberside", "Kent", "Essex"))


def test_a_long_list_with_a_title_row_and_any_name_form(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Most similar force groups\nForce,Peer\nCleveland Police,Durham\n"
                    "E23000013,humberside\n,\nkent,Essex Police\n", "utf-8")
    peer_list = read_peer_list(path)
    assert peer_list.layout == "long"
    assert peer_list.groups == {CLEVELAND: (DURHAM, HUMBERSIDE), KENT: (ESSEX,)}


def test_a_wide_xlsx_list(tmp_path: Path) -> None:
    path = tmp_path / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Force", "Peer 1", "Peer 2"], ["Cleveland", "Durham", "Humberside"],
                ["Kent", "Essex", None]):
        sheet.append(row)
    book.save(path)
    peer_list = read_peer_list(path)
    assert peer_list.layout == "wide"
    assert peer_list.groups == {CLEVELAND: (DURHAM, HUMBERSIDE), KENT: (ESSEX,)}


def test_every_problem_is_listed_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("force,peer 1,peer 2\nGwent,South Wales,Atlantis\nDurham,Cleveland,Cleveland\n"
                    "Narnia,Kent,\nKent,Kent,\nDurham,Essex,\n", "utf-8")
    with pytest.raises(PeerListError) as info:
        read_peer_list(path)
    problems = info.value.problems
    assert any(p.startswith("row 2, column 'peer 2'") and "Atlantis" in p for p in problems)
    assert "row 3, column 'peer 2': Cleveland is listed twice for Durham" in problems
    assert any(p.startswith("row 4, column 'force'") and "Narnia" in p for p in problems)
    assert "row 5, column 'peer 1': Kent is listed as its own peer" in problems
    assert "row 6, column 'force': a second row for Durham (first on row 3)" in problems
    assert "nothing stored" in str(info.value)


def test_more_than_seven_peers_and_no_header_are_errors(tmp_path: Path) -> None:
    eight = ["Durham", "Humberside", "Kent", "Essex", "Sussex", "Surrey", "Dorset", "Wiltshire"]
    path = tmp_path / "eight.csv"
    path.write_text("force,peer\n" + "".join(f"Cleveland,{p}\n" for p in eight), "utf-8")
    with pytest.raises(PeerListError, match="8 peers for Cleveland; a group has at most 7"):
        read_peer_list(path)
    path.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(PeerListError, match="no header row"):
        read_peer_list(path)


def test_a_formula_saved_without_its_value_is_refused_not_read_as_no_peer(
    tmp_path: Path,
) -> None:
    # openpyxl writes formulas without a calculated value, as scripts and some converters do.
    path = tmp_path / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Force", "Peer 1", "Peer 2"], ["Cleveland", "Durham", "Humberside"],
                ["Kent", "Essex", "=B3"]):
        sheet.append(row)
    book.save(path)
    with pytest.raises(PeerListError) as caught:
        read_peer_list(path)
    assert caught.value.problems == [
        "sheet 'Sheet', row 3, column 'C': cell C3 holds a formula with no calculated value "
        "(expected values, or formulas saved with their results: open and save the workbook "
        "in Excel or LibreOffice)"]
