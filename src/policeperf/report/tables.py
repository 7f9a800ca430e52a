"""The report's CSV files and the Frictionless Data Package that describes them.

Every table and chart's data is written to ``data/<name>.csv``; ``data/datapackage.json``
(Frictionless Data Package v1, tabular) lists every CSV written with its title, description
and a Table Schema: each column's name, type and what it holds, with its unit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from policeperf.csvcells import write_csv
from policeperf.report.data import ReportData, TableDescription

__all__ = [
    "COLUMN_MEANINGS",
    "DATAPACKAGE",
    "LICENCE",
    "column_descriptions",
    "datapackage",
    "field_type",
    "resource_name",
    "write_tables",
]

DATAPACKAGE = "data/datapackage.json"

LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}

# What a column holds, for columns that appear in many tables; "{unit}" is the measure's unit.
COLUMN_MEANINGS = {
    "period_end": "last day of the period (for rolling figures, of the 12 months ending then)",
    "year": "calendar year of the figure",
    "series": "the line, bar or area shown (force, MSG average, national, a survey question)",
    "role": "force, msg (MSG average) or national",
    "value": "value in {unit}",
    "rate": "value in {unit}",
    "volume": "count (number of events)",
    "lower": "lower end of the 95% Wilson interval, {unit}",
    "upper": "upper end of the 95% Wilson interval, {unit}",
    "centre": "centre line, {unit}",
    "signal": "SPC variation of the point (common cause, special cause improvement/concern)",
    "trial": "true when the limits come from fewer than 12 points (trial limits)",
    "area": "police force area",
    "is_force": "true for the force the report is about",
    "denominator": "resident population or households (the rate's denominator)",
    "category": "survey group or category",
    "lower95": "lower 95% funnel control limit, {unit}",
    "upper95": "upper 95% funnel control limit, {unit}",
    "lower998": "lower 99.8% funnel control limit, {unit}",
    "upper998": "upper 99.8% funnel control limit, {unit}",
}

_TYPES = {pl.Utf8: "string", pl.Float64: "number", pl.Float32: "number", pl.Int64: "integer",
          pl.Int32: "integer", pl.Int16: "integer", pl.Int8: "integer", pl.UInt32: "integer",
          pl.UInt64: "integer", pl.Date: "date", pl.Boolean: "boolean", pl.Null: "string"}


def field_type(dtype: pl.DataType) -> str:
    """The Table Schema type of a Polars column type (string for anything unusual)."""
    for polars_type, name in _TYPES.items():
        if dtype == polars_type:
            return name
    return "string"


def column_descriptions(frame: pl.DataFrame, unit: str) -> dict[str, str]:
    """Descriptions of a chart frame's columns from `COLUMN_MEANINGS`, with the unit filled in."""
    return {c: COLUMN_MEANINGS[c].format(unit=unit or "the measure's unit")
            for c in frame.columns if c in COLUMN_MEANINGS}


# A resource name: lower-case letters, digits and "-._/" (Data Package v1).
_NAME_BAD = re.compile(r"[^a-z0-9._/-]+")


def resource_name(path: str) -> str:
    """The Data Package resource name of a CSV path: "reduce_homicide-measures.csv" ->
    "reduce-homicide-measures"."""
    stem = Path(path).name.removesuffix(".csv").lower().replace("_", "-")
    return _NAME_BAD.sub("-", stem).strip("-")


def _resource(relative: str, frame: pl.DataFrame, about: TableDescription | None) -> dict[
    str, object
]:
    columns = about.columns if about else {}
    fields: list[dict[str, object]] = []
    for name, dtype in frame.schema.items():
        entry: dict[str, object] = {"name": name, "type": field_type(dtype)}
        if field_type(dtype) == "date":
            entry["format"] = "%Y-%m-%d"
        if name in columns:
            entry["description"] = columns[name]
        fields.append(entry)
    return {
        "name": resource_name(relative),
        "path": relative.removeprefix("data/"),
        "profile": "tabular-data-resource",
        "title": about.title if about else Path(relative).stem,
        "description": about.description if about else "",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": [""]},
    }


def datapackage(report: ReportData, written: Mapping[str, pl.DataFrame]) -> dict[str, object]:
    """The data/datapackage.json descriptor of the CSVs written (paths relative to data/)."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{report.force} {report.period_label}".lower()).strip("-")
    return {
        "profile": "tabular-data-package",
        "name": slug,
        "title": f"{report.force}: {report.title}, {report.period_label}: data",
        "description": (
            f"Every table and chart of the {report.force} {report.title.lower()} for the "
            f"{report.period_label.lower()}, one CSV each. Recorded crime figures are ONS "
            "Police Force Area data tables; force-held figures come from the force's own "
            "series files (a file marked illustrative holds made-up numbers, and every table "
            "using it says so)."),
        "licenses": [LICENCE],
        "sources": [{"title": "Office for National Statistics: Police Force Area data tables "
                              "(recorded crime)"}],
        "resources": [_resource(path, frame, report.descriptions.get(path))
                      for path, frame in sorted(written.items())],
    }


def write_tables(report: ReportData, out_dir: Path) -> tuple[Path, ...]:
    """Write every table and chart's data as CSV under ``out_dir`` (paths as in the report),
    then ``data/datapackage.json`` describing them."""
    written: list[Path] = []
    for relative, frame in sorted(report.tables.items()):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(frame, path, date_format="%Y-%m-%d")
        written.append(path)
    package = out_dir / DATAPACKAGE
    package.parent.mkdir(parents=True, exist_ok=True)
    package.write_text(json.dumps(datapackage(report, report.tables), indent=2) + "\n",
                       encoding="utf-8")
    return tuple(written)
