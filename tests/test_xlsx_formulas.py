"""Formula cells without a cached value, in every workbook policeperf reads."""

from __future__ import annotations

from pathlib import Path

import fastexcel
import openpyxl
import pytest

from policeperf.errors import InputError
from policeperf.xlsx_formulas import refuse_uncached, uncached_formulas

BUNDLED = sorted((Path(__file__).parents[1] / "src/policeperf/data").rglob("*.xlsx"))


def test_every_bundled_workbook_holds_values_not_bare_formulas() -> None:
    # The bundled workbooks (ONS tables, the synthetic generator's volumes) are read without
    # the check at run time; this keeps a re-saved copy from slipping in with bare formulas.
    assert len(BUNDLED) >= 18
    for path in BUNDLED:
        for sheet in fastexcel.read_excel(path).sheet_names:
            assert uncached_formulas(path, sheet) == [], f"{path.name} {sheet}"


def test_a_workbook_in_memory_is_checked_as_one_on_disk(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["a", "b"])
    sheet.append([1, "=A2*2"])
    sheet.append(["=A2", 3])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert uncached_formulas(path, "Data") == [(2, "B2"), (3, "A3")]
    with pytest.raises(InputError) as caught:
        refuse_uncached(path.read_bytes(), "Data", "book.xlsx")
    assert str(caught.value).startswith(
        "file book.xlsx, sheet 'Data', row 2, column 'B': cell B2 holds a formula with no "
        "calculated value and 1 more")


def test_something_that_is_not_a_workbook_has_no_formulas() -> None:
    assert uncached_formulas(b"not a zip", "Data") == []
