"""Check a ``--period`` against the data before any work: a period the warehouse has no
recorded crime for is a one-line error saying where the data begin and end."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from policeperf.warehouse.store import Warehouse


def data_range(warehouse: Warehouse) -> tuple[date, date] | None:
    """First and last period end of the crime figures, recorded (ONS) or record-level
    (data.police.uk months), or None when there are none."""
    row = warehouse.con.execute(
        "SELECT min(p), max(p) FROM (SELECT period_end AS p FROM recorded_crime UNION ALL "
        "SELECT DISTINCT last_day(month) FROM street_crime)").fetchall()
    if not row or row[0][0] is None:
        return None
    return row[0][0], row[0][1]


def check_period(warehouse: Warehouse, text: str, *, quarter: bool) -> date:
    """The period end ``text`` names; a usage error when it is not a period (or, with
    ``quarter``, not a quarter end), or lies before or after the crime data."""
    from policeperf.compute.periods import PeriodError, parse_period

    try:
        if quarter:  # policeperf.report's package loads YAML and the project models: only here
            from policeperf.report.period import parse_period as parse_quarter

            period = parse_quarter(text)
        else:
            period = parse_period(text)
    except PeriodError as exc:
        span = data_range(warehouse)
        where = f"; the data run from {span[0]:%B %Y} to {span[1]:%B %Y}" if span else ""
        raise typer.BadParameter(f"{exc}{where}", param_hint="'--period'") from None
    span = data_range(warehouse)
    if span is None:
        return period
    first, last = span
    if period < first or period > last:
        side = "before" if period < first else "after"
        raise typer.BadParameter(
            f"{period:%d %B %Y} is {side} the data: the crime figures in the warehouse "
            f"run from {first:%d %B %Y} to {last:%d %B %Y} (policeperf sources lists them; "
            "policeperf download ons fetches newer editions)", param_hint="'--period'")
    return period
