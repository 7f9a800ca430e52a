"""Export stored figures as tidy tables: one row per period, area and offence group."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from policeperf.csvcells import safe_frame, write_csv
from policeperf.reference.areas import all_areas
from policeperf.reference.offences import groups
from policeperf.warehouse.store import Warehouse

EXPORT_FORMATS = ("csv", "parquet", "xlsx")


def recorded_crime_frame(warehouse: Warehouse) -> pl.DataFrame:
    """The latest revision of every recorded crime figure for forces, regions and nations.

    Columns: ``period_end`` (date), ``area_code``, ``area_name``, ``offence_group`` (the ONS label
    as in the latest edition), ``offences`` (integer, null when published blank).
    """
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
    data = warehouse.query(
        "SELECT period_end, area_code, offence, offences FROM recorded_crime_current"
    )
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
