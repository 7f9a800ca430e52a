"""The synthetic generator: layout, determinism, real volume shares, consistent offence codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from policeperf.errors import PolicePerfError
from policeperf.reference.areas import forces
from policeperf.synthetic import generate, month_range
from policeperf.synthetic.offence_codes import financial_quarter
from policeperf.synthetic.street import HEADER
from policeperf.synthetic.volumes import p1_counts, volumes


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _street(root: Path) -> pl.DataFrame:
    return pl.read_csv(sorted(root.glob("*/*-street.csv")), infer_schema=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out, 6000, 7, months=6)
    return out / "synthetic"


def test_same_seed_gives_byte_identical_files(tmp_path: Path, small: Path) -> None:
    generate(tmp_path, 6000, 7, months=6)
    assert _digest(tmp_path / "synthetic") == _digest(small)


def test_another_seed_gives_other_rows(tmp_path: Path, small: Path) -> None:
    generate(tmp_path, 6000, 8, months=6)
    assert _digest(tmp_path / "synthetic") != _digest(small)


def test_files_follow_the_data_police_uk_layout_for_all_43_forces(small: Path) -> None:
    months = [m.strftime("%Y-%m") for m in month_range("2022-06", 6)]
    assert sorted(p.name for p in small.iterdir() if p.is_dir() and p.name[0].isdigit()) == months
    ids = {a.police_uk_id for a in forces()}
    seen = {p.name[8:-len("-street.csv")] for p in small.glob("*/*-street.csv")}
    assert seen == ids
    frame = _street(small)
    assert tuple(frame.columns) == HEADER
    assert frame.height == 6000


def test_a_readme_says_the_data_is_synthetic(small: Path) -> None:
    assert small.name == "synthetic"
    assert "SYNTHETIC DATA - NOT REAL" in (small / "README.md").read_text()


def test_asb_rows_have_no_crime_id_and_no_outcome(small: Path) -> None:
    frame = _street(small)
    asb = frame.filter(pl.col("Crime type") == "Anti-social behaviour")
    assert asb.height > 0
    assert asb["Crime ID"].null_count() == asb.height
    assert asb["Last outcome category"].null_count() == asb.height
    crimes = frame.filter(pl.col("Crime type") != "Anti-social behaviour")
    assert crimes["Crime ID"].str.contains(r"^[0-9a-f]{64}$").all()


def test_lsoa_codes_and_names_look_like_real_ones(small: Path) -> None:
    located = _street(small).filter(pl.col("LSOA code").is_not_null())
    assert located["LSOA code"].str.contains(r"^[EW]01\d{6}$").all()
    assert located["LSOA name"].str.contains(r" CSP \d{2} \d{3}[A-E]$").all()


def test_force_shares_follow_table_p1(tmp_path: Path) -> None:
    generate(tmp_path, 40_000, 1, months=2, offence_codes=False)
    frame = _street(tmp_path / "synthetic")
    met = frame.filter(pl.col("Reported by") == "Metropolitan Police Service").height
    share = dict(zip([a.code for a in volumes().forces], volumes().force_share, strict=True))
    assert met / frame.height == pytest.approx(share["E23000001"], rel=0.05)
    counts = p1_counts()["E23000001"]
    assert counts["robbery"] > 0  # the Met's real robbery count is in Table P1


def test_offence_codes_sum_to_the_street_crimes_of_each_quarter(small: Path) -> None:
    street = _street(small).filter(pl.col("Crime type") != "Anti-social behaviour")
    codes = pl.read_csv(small / "offence-codes" / "synthetic-prc-csp-offence-codes.csv",
                        infer_schema=False)
    # January to June 2022: two complete quarters, 2021/22 Q4 and 2022/23 Q1.
    quarters = set(codes.select("Financial Year", "Financial Quarter").unique().rows())
    assert quarters == {("2021/22", "4"), ("2022/23", "1")}
    by_csp = (
        codes.group_by("CSP Name").agg(pl.col("Number of Offences").cast(pl.Int64).sum())
        .sort("CSP Name")
    )
    # Each CSP's records equal its street crimes (located or not, every row has a CSP).
    assert by_csp["Number of Offences"].sum() == street.height
    assert financial_quarter(month_range("2022-06", 1)[0]) == ("2022/23", 1)


def test_zip_layout_is_deterministic(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 2000, 3, months=2, layout="zip", offence_codes=False)
    b = generate(tmp_path / "b", 2000, 3, months=2, layout="zip", offence_codes=False)
    assert [p.name for p in a.street_files] == ["2022-05.zip", "2022-06.zip"]
    assert [p.read_bytes() for p in a.street_files] == [p.read_bytes() for p in b.street_files]


@pytest.mark.parametrize(("rows", "months", "expected"), [
    (10_000_000_000, 12, "--rows 10,000,000,000: expected 0 to 100,000,000 rows"),
    (-5, 12, "--rows -5: expected 0 to"),
    (10, 0, "--months 0: expected 1 to 600 months"),
    (10, 100_000, "--months 100,000: expected 1 to 600 months"),
])
def test_generate_refuses_sizes_beyond_its_limits_before_writing(
    tmp_path: Path, rows: int, months: int, expected: str
) -> None:
    with pytest.raises(PolicePerfError, match=expected):
        generate(tmp_path, rows, 1, months=months)
    assert not (tmp_path / "synthetic").exists()
