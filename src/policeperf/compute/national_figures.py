"""Every force's rate for every period, per measure, in one pass of the engine's own functions.

The rank history needs every force's figure at several quarter ends. Running the whole engine
once per quarter reads every source again each time; here one run's context reads each source
once and :func:`policeperf.compute.crime.rate_frame` turns the counts into the rates of every
area and period, exactly as :func:`~policeperf.compute.crime.compute_rate` does for the funnel
plot of one quarter (same source choice, denominators, suppression and omitted forces).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from policeperf.compute import sources
from policeperf.compute.context import NATIONAL_CODE, Context, Settings
from policeperf.compute.crime import measure_counts, rate_frame
from policeperf.compute.rates import base_for
from policeperf.definitions.model import Catalogue, Denominator
from policeperf.reference.areas import forces, resolve_area

__all__ = ["FIGURE_COLUMNS", "force_rates"]

FIGURE_COLUMNS: dict[str, type[pl.DataType] | pl.DataType] = {
    "measure_id": pl.Utf8, "area_code": pl.Utf8, "period_end": pl.Date, "value": pl.Float64,
    "count": pl.Float64, "denominator": pl.Float64, "national_value": pl.Float64,
    "caveat": pl.Utf8,
}


def force_rates(
    warehouse: Any,
    reference_force: str,
    period_end: date,
    measure_ids: Sequence[str],
    periods: Sequence[date],
    *,
    catalogue: Catalogue,
    settings: Settings | None = None,
) -> pl.DataFrame:
    """Every force's rate on each measure at each of ``periods``.

    Args:
        warehouse: A Warehouse or an Ibis backend.
        reference_force: The force whose figure at ``period_end`` picks each measure's source
            (as its own results did), so the figures match the results they extend.
        period_end: The period the source is chosen for.
        measure_ids: Recorded crime rate measures of the catalogue.
        periods: The period ends wanted.
        catalogue: The catalogue the measures (and their components) come from.
        settings: Engine settings (defaults as the engine's).

    Returns:
        Rows with :data:`FIGURE_COLUMNS`, one per measure, force and period that has a count.
    """
    area = resolve_area(reference_force, kind="force")
    ctx = Context(sources.backend(warehouse), area, period_end, None, settings or Settings(),
                  catalogue)
    codes = {f.code for f in forces()}
    wanted = list(periods)
    parts = []
    for measure_id in measure_ids:
        measure = catalogue.measure(measure_id)
        counts = measure_counts(ctx, measure)
        if counts is None:
            continue
        base = base_for(measure.denominator.value if measure.denominator != Denominator.NONE
                        else "residents")
        wanted_counts = counts.frame.filter(pl.col("period_end").is_in(wanted))
        rates = rate_frame(ctx, wanted_counts, base)
        national = rates.filter(pl.col("area_code") == NATIONAL_CODE).select(
            "period_end", pl.col("value").alias("national_value"))
        parts.append(
            rates.filter(pl.col("area_code").is_in(list(codes)))
            .join(national, on="period_end", how="left")
            .with_columns(measure_id=pl.lit(measure_id))
            .select(list(FIGURE_COLUMNS)))
    if not parts:
        return pl.DataFrame(schema=FIGURE_COLUMNS)
    return pl.concat(parts).cast(FIGURE_COLUMNS)  # type: ignore[arg-type]
