"""A rate result's own rows (rate_frame's ``only``) equal the same rows of the whole frame, and
a report's two quarters from one cache equal two separate computations, on the bundled data."""

from __future__ import annotations

from datetime import date

import polars as pl

from policeperf.compute import sources
from policeperf.compute.context import NATIONAL_CODE, Context, Settings
from policeperf.compute.crime import rate_frame
from policeperf.compute.engine import compute_measures
from policeperf.compute.groups import peer_groups_in_force
from policeperf.definitions.load import default_catalogue
from policeperf.reference.areas import resolve_area
from policeperf.warehouse import Warehouse

QUARTER = date(2022, 3, 31)


def _avon_and_somerset(warehouse: Warehouse) -> Context:
    """The compute context of Avon and Somerset's March 2022 quarter (QUARTER)."""
    area = resolve_area("Avon and Somerset")
    groups = peer_groups_in_force(warehouse)
    return Context(sources.backend(warehouse), area, QUARTER, groups.get(area.code), Settings(),
                   default_catalogue())


def test_the_rows_one_result_reads_are_the_whole_frames_rows(
    bundled_warehouse: Warehouse,
) -> None:
    ctx = _avon_and_somerset(bundled_warehouse)
    area = ctx.force
    counts = sources.crime_counts(ctx.con, "total_excluding_fraud")
    areas = (area.code, *ctx.member_codes(), NATIONAL_CODE)
    whole = rate_frame(ctx, counts, "population")
    mine = rate_frame(ctx, counts, "population", (QUARTER, areas))
    expected = whole.filter((pl.col("period_end") == QUARTER) | pl.col("area_code").is_in(areas))
    assert 0 < mine.height < whole.height / 3
    assert mine.equals(expected)


def test_the_rows_one_result_reads_keep_the_national_line_summed_before_2018(
    bundled_warehouse: Warehouse,
) -> None:
    ctx = _avon_and_somerset(bundled_warehouse)
    area = ctx.force
    counts = sources.crime_counts(ctx.con, "residential_burglary")
    mine = rate_frame(ctx, counts, "households",
                      (QUARTER, (area.code, *ctx.member_codes(), NATIONAL_CODE)))
    national = mine.filter((pl.col("area_code") == NATIONAL_CODE)
                           & (pl.col("period_end") == date(2016, 6, 30)))
    # No national row in the 2003-2018 CSV: the 43 forces' and BTP's sum stands in for it.
    assert national["how"].to_list() == ["summed_forces"]
    assert national["value"][0] > 0


def test_two_quarters_from_one_cache_equal_each_quarter_on_its_own(
    bundled_warehouse: Warehouse,
) -> None:
    quarters = (date(2022, 3, 31), date(2021, 12, 31))
    cache: dict[tuple[str, ...], object] = {}
    together = [compute_measures(bundled_warehouse, "Kent", q, cache=cache).to_dict()
                for q in quarters]
    alone = [compute_measures(bundled_warehouse, "Kent", q).to_dict() for q in quarters]
    assert together == alone
