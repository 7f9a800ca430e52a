"""The recorded crime export: every force and period, latest figures, three formats."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from policeperf.export import recorded_crime_frame, write_frame
from policeperf.reference.areas import forces
from policeperf.warehouse import Warehouse


@pytest.fixture(scope="module")
def exported(bundled_warehouse: Warehouse) -> pl.DataFrame:
    return recorded_crime_frame(bundled_warehouse)


def test_the_export_has_the_published_columns(exported: pl.DataFrame) -> None:
    assert exported.columns == ["period_end", "area_code", "area_name", "offence_group",
                                "offences"]
    assert exported.schema["period_end"] == pl.Date and exported.schema["offences"] == pl.Int64


def test_every_force_appears_in_every_bundled_ons_period(exported: pl.DataFrame) -> None:
    codes = {f.code for f in forces()}
    editions = [date(2018, 3, 31), date(2019, 12, 31), date(2021, 3, 31), date(2022, 6, 30),
                date(2024, 3, 31)]
    for period in editions:
        present = set(exported.filter(pl.col("period_end") == period)["area_code"])
        assert codes <= present, period


@pytest.mark.parametrize(
    ("group", "count"),
    [("Residential burglary", 4886), ("Robbery", 1597), ("Homicide", 21),
     ("Vehicle offences", 8743), ("Theft from the person", 934)],
)
def test_avon_and_somerset_june_2022_headline_figures_are_as_published(
    bundled_warehouse: Warehouse, group: str, count: int
) -> None:
    headline = recorded_crime_frame(bundled_warehouse, "headline")
    row = headline.filter(
        (pl.col("period_end") == date(2022, 6, 30)) & (pl.col("area_code") == "E23000036")
        & (pl.col("offence_group") == group)
    )
    assert row["offences"].to_list() == [count]


def test_the_export_holds_the_latest_revision_not_the_first_published(
    exported: pl.DataFrame,
) -> None:
    # Avon and Somerset robbery, year ending June 2022: 1,597 as first published (pfajun22),
    # restated as 1,598 by the year ending June 2023 edition (Table P4). The export is documented
    # as the latest revision, so it holds 1,598.
    row = exported.filter(
        (pl.col("period_end") == date(2022, 6, 30)) & (pl.col("area_code") == "E23000036")
        & (pl.col("offence_group") == "Robbery")
    )
    assert row["offences"].to_list() == [1598]


def test_the_export_and_its_headline_variant_cover_the_same_figures(
    exported: pl.DataFrame, bundled_warehouse: Warehouse
) -> None:
    headline = recorded_crime_frame(bundled_warehouse, "headline")
    key = ["period_end", "area_code", "offence_group"]
    assert exported.select(key).sort(key).equals(headline.select(key).sort(key))


def test_old_labels_are_exported_under_the_latest_ons_label(exported: pl.DataFrame) -> None:
    old = exported.filter((pl.col("period_end") == date(2010, 3, 31))
                          & (pl.col("area_code") == "E23000036"))
    assert "Residential burglary" in old["offence_group"].to_list()
    assert "Domestic burglary" not in exported["offence_group"].unique().to_list()


def test_blank_figures_export_as_empty_not_zero(exported: pl.DataFrame, tmp_path: Path) -> None:
    gmp = exported.filter((pl.col("period_end") == date(2019, 12, 31))
                          & (pl.col("area_code") == "E23000005"))
    assert gmp.height > 0 and gmp["offences"].null_count() == gmp.height
    out = tmp_path / "rc.csv"
    write_frame(gmp, "csv", out)
    assert out.read_text().splitlines()[1].endswith(",")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_each_format_round_trips_the_rows(exported: pl.DataFrame, tmp_path: Path,
                                          fmt: str) -> None:
    sample = exported.head(500)
    out = tmp_path / f"rc.{fmt}"
    write_frame(sample, fmt, out)
    if fmt == "csv":
        back = pl.read_csv(out, try_parse_dates=True)
    elif fmt == "parquet":
        back = pl.read_parquet(out)
    else:
        back = pl.read_excel(out)
    assert back.height == 500
    assert back["offences"].to_list() == sample["offences"].to_list()
