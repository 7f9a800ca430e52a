"""Export stored figures as tidy tables: one row per period, area and offence group."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from policeperf.csvcells import safe_frame, write_csv
from policeperf.reference.areas import all_areas
from policeperf.reference.offences import groups
from policeperf.warehouse.store import Warehouse

EXPORT_FORMATS = ("csv", "parquet", "xlsx")


# The latest revision of each figure: from the source with the latest edition (then the one
# loaded last), whether it is the period's own headline figure or a later restatement.
LATEST_SQL = """
SELECT period_end, area_code, offence, offences FROM (
    SELECT r.period_end, r.area_code, r.offence, r.offences, row_number() OVER (
        PARTITION BY r.period_end, r.area_code, r.offence
        ORDER BY s.edition DESC, s.source_id DESC) AS _rev
    FROM recorded_crime r JOIN sources s USING (source_id)
) WHERE _rev = 1
"""
# The figure the report uses: the period's headline (first published) figure where one is
# stored, else the latest restatement (the recorded_crime_current view).
HEADLINE_SQL = "SELECT period_end, area_code, offence, offences FROM recorded_crime_current"
REVISIONS = ("latest", "headline")


def recorded_crime_frame(warehouse: Warehouse, revision: str = "latest") -> pl.DataFrame:
    """Every recorded crime figure for forces, regions and nations, one revision of each.

    Args:
        revision: ``"latest"`` (default): the latest revision, as the newest edition restates
            it. ``"headline"``: the figure published for the period itself (what reports
            show, consistent with the rates ONS printed alongside it).

    Columns: ``period_end`` (date), ``area_code``, ``area_name``, ``offence_group`` (the ONS label
    as in the latest edition), ``offences`` (integer, null when published blank).
    """
    if revision not in REVISIONS:
        raise ValueError(f"unknown revision {revision!r}; choose {', '.join(REVISIONS)}")
    areas = pl.DataFrame(
        [(a.code, a.name, i) for i, a in enumerate(all_areas()) if a.kind != "other"],
        schema={"area_code": pl.Utf8, "area_name": pl.Utf8, "_area_order": pl.Int64},
        orient="row",
    )
    offences = pl.DataFrame(
        [(g.id, g.label, i) for i, g in enumerate(groups())],
        schema={"offence": pl.Utf8, "offence_group": pl.Utf8, "_offence_order": pl.Int64},
        orient="row",
    )
    data = warehouse.query(LATEST_SQL if revision == "latest" else HEADLINE_SQL)
    return (
        data.join(areas, on="area_code", how="inner")
        .join(offences, on="offence", how="inner")
        .sort(["period_end", "_area_order", "_offence_order"])
        .select("period_end", "area_code", "area_name", "offence_group", "offences")
    )


def write_frame(frame: pl.DataFrame, fmt: str, out: Path) -> None:
    """Write a frame as CSV (ISO dates, empty for missing), Parquet or XLSX."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_csv(frame, out, date_format="%Y-%m-%d", null_value="")
    elif fmt == "parquet":
        frame.write_parquet(out)
    elif fmt == "xlsx":
        safe_frame(frame).write_excel(
            out, worksheet="data", autofit=True, dtype_formats={pl.Date: "yyyy-mm-dd"}
        )
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
