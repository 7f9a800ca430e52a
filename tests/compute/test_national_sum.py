"""The England and Wales figure summed from the 43 forces, checked against ONS's own national
figures where both exist (years ending March to December 2018: the 2003-2018 CSV gives every
force, the PFA workbooks print the national row)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from policeperf.compute import sources
from policeperf.compute.context import NATIONAL_CODE, Context, Settings
from policeperf.compute.crime import rate_frame
from policeperf.compute.engine import compute_measures
from policeperf.compute.national_sum import SUMMED_FORCES, with_summed_national
from policeperf.definitions import load_catalogue
from policeperf.reference.areas import forces, resolve_area
from policeperf.warehouse import Warehouse

BOTH = (date(2018, 3, 31), date(2018, 6, 30), date(2018, 9, 30), date(2018, 12, 31))
BTP = "X00000001"  # British Transport Police: in ONS's national count, with no population


def _counts(warehouse: Warehouse, where: str, params: list[object]) -> pl.DataFrame:
    """Counts of the 43 forces and BTP (no national or regional rows) from some sources."""
    rows = warehouse.con.execute(
        "SELECT r.period_end, r.area_code, CAST(r.offences AS DOUBLE) "
        f"FROM recorded_crime r JOIN sources s USING (source_id) WHERE {where}",
        params).fetchall()
    frame = pl.DataFrame(rows, schema={"period_end": pl.Date, "area_code": pl.Utf8,
                                       "count": pl.Float64}, orient="row")
    return frame.filter(pl.col("area_code").is_in([f.code for f in forces()] + [BTP]))


def _context(warehouse: Warehouse) -> Context:
    area = resolve_area("Avon and Somerset", kind="force")
    return Context(sources.backend(warehouse), area, BOTH[-1], None, Settings(),
                   load_catalogue())


def _editions(warehouse: Warehouse) -> list[tuple[int, date]]:
    """Every PFA workbook and the period it is for (its national row is ONS's)."""
    return warehouse.con.execute(
        "SELECT source_id, edition FROM sources WHERE format = 'ons-pfa-workbook' "
        "ORDER BY edition").fetchall()


@pytest.mark.parametrize("base", ["population", "households"])
def test_the_summed_national_figure_equals_ons_national_figure_in_every_edition(
    bundled_warehouse: Warehouse, base: str
) -> None:
    ctx = _context(bundled_warehouse)
    checked = 0
    for source_id, edition in _editions(bundled_warehouse):
        published = bundled_warehouse.con.execute(
            "SELECT p.offence, p.rate, r.offences FROM published_rates p JOIN recorded_crime r "
            "USING (source_id, period_end, area_code, offence) WHERE p.source_id = ? "
            "AND p.period_end = ? AND p.area_code = ? AND p.base = ?",
            [source_id, edition, NATIONAL_CODE, base]).fetchall()
        for offence, ons_rate, ons_count in published:
            counts = _counts(bundled_warehouse, "s.source_id = ? AND r.period_end = ? "
                             "AND r.offence = ?", [source_id, edition, offence])
            rates = rate_frame(ctx, counts, base)
            national = rates.filter(pl.col("area_code") == NATIONAL_CODE)
            if counts.filter(pl.col("area_code") != BTP)["count"].null_count():
                # A force left out of the edition (Greater Manchester in late 2019, Devon and
                # Cornwall in December 2022): no sum, a gap.
                assert national.is_empty(), (edition, offence)
                continue
            row = national.row(0, named=True)
            assert row["how"] == SUMMED_FORCES
            # The count: exactly ONS's national count.
            assert row["count"] == ons_count, (edition, offence)
            # The rate: to the one decimal place ONS prints (Table P3), and in fact to 3.
            assert round(row["value"], 1) == round(ons_rate, 1), (edition, offence)
            assert row["value"] == pytest.approx(ons_rate, abs=5e-4), (edition, offence)
            checked += 1
    assert checked >= (300 if base == "population" else 12)


def test_the_2003_2018_csv_summed_gives_the_december_2018_workbooks_national_counts(
    bundled_warehouse: Warehouse,
) -> None:
    ons = dict(bundled_warehouse.con.execute(
        "SELECT r.offence, r.offences FROM recorded_crime r JOIN sources s USING (source_id) "
        "WHERE s.file_name = 'policeforceareatablesyearendingdecember2018.xlsx' "
        "AND r.period_end = '2018-12-31' AND r.area_code = ?", [NATIONAL_CODE]).fetchall())
    csv = _counts(bundled_warehouse, "s.file_name LIKE 'rec-crime-pfa%' AND r.period_end = "
                  "'2018-12-31'", []).group_by("period_end").len()
    assert csv["len"].to_list() != []
    offences = bundled_warehouse.con.execute(
        "SELECT DISTINCT offence FROM recorded_crime r JOIN sources s USING (source_id) "
        "WHERE s.file_name LIKE 'rec-crime-pfa%' AND offence <> 'fraud'").fetchall()
    assert len(offences) == 19
    ctx = _context(bundled_warehouse)
    for (offence,) in offences:
        counts = _counts(bundled_warehouse, "s.file_name LIKE 'rec-crime-pfa%' "
                         "AND r.offence = ? AND r.period_end >= '2016-01-01'", [offence])
        rates = rate_frame(ctx, counts, "population")
        national = rates.filter(pl.col("area_code") == NATIONAL_CODE).sort("period_end")
        # Every quarter of the CSV in a six-year window gets a national figure, so named.
        assert national["period_end"].to_list()[0] == date(2016, 3, 31)
        assert len(national) == 12 and set(national["how"]) == {SUMMED_FORCES}
        assert national.row(-1, named=True)["count"] == ons[offence], offence


def test_a_period_missing_a_force_gets_no_summed_national_figure(
    bundled_warehouse: Warehouse,
) -> None:
    counts = _counts(bundled_warehouse, "s.file_name LIKE 'rec-crime-pfa%' AND r.offence = "
                     "'robbery' AND r.period_end >= '2018-01-01'", [])
    short = counts.filter(~((pl.col("period_end") == BOTH[0])
                            & (pl.col("area_code") == forces()[0].code)))
    rates = rate_frame(_context(bundled_warehouse), short, "population")
    national = rates.filter(pl.col("area_code") == NATIONAL_CODE)
    assert sorted(national["period_end"]) == list(BOTH[1:])


def test_a_published_national_row_is_kept_and_not_replaced_by_the_sum() -> None:
    codes = [f.code for f in forces()]
    rows = [(date(2018, 3, 31), code, 1.0, 1000.0, 2016, "rule", "n", None, 1.0)
            for code in codes]
    rows.append((date(2018, 3, 31), BTP, 7.0, None, None, "missing", "m", None, None))
    rows.append((date(2018, 3, 31), NATIONAL_CODE, 50.0, 50000.0, 2016, "published", "p",
                 None, 1.0))
    schema = {"period_end": pl.Date, "area_code": pl.Utf8, "count": pl.Float64,
              "denominator": pl.Float64, "mid_year": pl.Int64, "how": pl.Utf8,
              "note": pl.Utf8, "caveat": pl.Utf8, "value": pl.Float64}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    assert with_summed_national(frame, "population").equals(frame)
    summed = with_summed_national(frame.filter(pl.col("area_code") != NATIONAL_CODE),
                                  "population")
    national = summed.filter(pl.col("area_code") == NATIONAL_CODE).row(0, named=True)
    assert (national["count"], national["denominator"], national["mid_year"]) == (
        50.0, 43000.0, 2016)
    assert national["value"] == pytest.approx(50 / 43)
    assert "summed from the 43 forces and British Transport Police" in national["note"]


def test_the_example_reports_rolling_rate_series_has_a_national_line_from_2016(
    bundled_warehouse: Warehouse,
) -> None:
    report = compute_measures(bundled_warehouse, "Avon and Somerset", date(2022, 6, 30))
    rates = [r for r in report.measures if r.kind == "recorded_crime_rate" and r.series]
    assert rates
    for result in rates:
        window = [p for p in result.series if p.period_end >= date(2016, 6, 30)]
        assert all(p.national is not None for p in window if p.value is not None), result.id
