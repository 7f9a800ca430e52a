"""England and Wales figures summed from the 43 forces where the source publishes none.

The ONS "Recorded crime data at PFA level" CSV (years ending March 2003 to December 2018) has a
row for each force but none for England and Wales; the PFA workbooks (from March 2018) print the
national row. A rolling-rate chart over the default six-year window (e.g. June 2016 to June 2022)
would otherwise show the national line only from March 2018.

ONS's England and Wales count is the 43 territorial forces' counts plus British Transport
Police's (BTP: crimes on the railways), and its rate divides that count by the residents (or
households) of England and Wales, which are the 43 police force areas' (BTP has no population).
So where a period has no national row, and every one of the 43 forces has a count and a
denominator and BTP has a count, the national figure is

    count = the 43 forces' counts + BTP's count,
    denominator = the 43 forces' denominators summed (each by the usual rule, rates.py),
    rate = 1,000 x count / denominator,

named as such (``how = "summed_forces"`` and a note saying so). The method is checked against
every edition that prints both (tests/compute/test_national_sum.py): in each PFA workbook from
March 2018 to March 2024 the 43 forces plus BTP equal ONS's national count exactly, offence by
offence, and the summed rate equals ONS's national rate to the precision ONS prints it; the
2003-2018 CSV's December 2018 rows so summed equal the December 2018 workbook's national counts.
A period where any force (or BTP) has no figure gets no national figure: a gap, not a partial sum.
City of London counts towards the sum although its own rate is suppressed, as in ONS's total.
"""

from __future__ import annotations

import polars as pl

from policeperf.compute.context import NATIONAL_CODE
from policeperf.compute.rates import PER
from policeperf.reference.areas import forces, resolve_area

__all__ = ["SUMMED_FORCES", "needed_for_national_sum", "with_summed_national"]

SUMMED_FORCES = "summed_forces"  # the ``how`` of a national figure summed from the forces


def _force_codes() -> list[str]:
    """The 43 territorial forces' codes: the areas whose counts and denominators are summed."""
    return [f.code for f in forces()]


def _btp_code() -> str:
    """British Transport Police's code: its count is in ONS's national total, it has no area."""
    return resolve_area("British Transport Police").code


def needed_for_national_sum(counts: pl.DataFrame) -> pl.Expr:
    """Rows of ``counts`` that :func:`with_summed_national` reads: the 43 forces' and BTP's, in
    periods with no England and Wales row (for a caller that keeps only some areas' rows)."""
    codes = [*_force_codes(), _btp_code()]
    national = counts.filter(pl.col("area_code") == NATIONAL_CODE)["period_end"].unique()
    return pl.col("area_code").is_in(codes) & ~pl.col("period_end").is_in(national.to_list())


def with_summed_national(rates: pl.DataFrame, base: str) -> pl.DataFrame:
    """``rates`` with an England and Wales row summed from the 43 forces where it has none.

    Args:
        rates: A rate frame (:func:`policeperf.compute.crime.rate_frame`): period_end,
            area_code, count, denominator, mid_year, how, note, caveat, value.
        base: The denominators' base ("population" or "households"), for the note.

    Returns:
        The same rows, plus one national row for each period that has no national row, a count
        and denominator for every one of the 43 forces and a count for BTP.
    """
    codes = _force_codes()
    btp = _btp_code()
    has_national = rates.filter(pl.col("area_code") == NATIONAL_CODE).select("period_end")
    btp_counts = (rates.filter((pl.col("area_code") == btp) & pl.col("count").is_not_null())
                  .group_by("period_end").agg(pl.col("count").sum().alias("_btp")))
    summed = (
        rates.filter(pl.col("area_code").is_in(codes))
        .join(has_national.unique(), on="period_end", how="anti")
        .group_by("period_end")
        .agg(
            pl.len().alias("_forces"),
            pl.col("count").count().alias("_counts"),
            pl.col("denominator").count().alias("_denominators"),
            pl.col("count").sum(),
            pl.col("denominator").sum(),
            pl.col("mid_year").min().alias("_min_year"),
            pl.col("mid_year").max().alias("_max_year"),
            pl.col("mid_year").count().alias("_years"),
        )
        .filter((pl.col("_forces") == len(codes)) & (pl.col("_counts") == len(codes))
                & (pl.col("_denominators") == len(codes)))
        .join(btp_counts, on="period_end", how="inner")
        .with_columns(pl.col("count") + pl.col("_btp"))
    )  # fmt: skip
    if summed.is_empty():
        return rates
    same_year = (pl.col("_years") == len(codes)) & (pl.col("_min_year") == pl.col("_max_year"))
    national = summed.select(
        "period_end",
        pl.lit(NATIONAL_CODE).alias("area_code"),
        "count",
        "denominator",
        pl.when(same_year).then(pl.col("_min_year")).alias("mid_year"),
        pl.lit(SUMMED_FORCES).alias("how"),
        pl.format(
            "England and Wales summed from the {} forces and British Transport Police (no "
            "national row in the source for this period): {} offences / {} {} of the forces",
            pl.lit(len(codes)), pl.col("count").round(0).cast(pl.Int64),
            pl.col("denominator").round(0).cast(pl.Int64), pl.lit(base),
        ).alias("note"),
        pl.lit(None, pl.Utf8).alias("caveat"),
        pl.when(pl.col("denominator") > 0)
        .then(PER * pl.col("count") / pl.col("denominator")).alias("value"),
    )
    return pl.concat([rates, national.cast(dict(rates.schema))])  # type: ignore[arg-type]
