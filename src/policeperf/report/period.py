"""Reporting periods: a quarter end date and the labels the report prints for it.

Police and crime plans run on financial years (April to March), so the quarter ending June 2022 is
"Q1 2022/23". A project may name its period either way: ``2022-06-30`` or ``Q1 2022/23``.
"""

from __future__ import annotations

import calendar
import datetime as dt

from policeperf.compute import periods
from policeperf.compute.periods import PeriodError

QUARTER_END_MONTHS = (3, 6, 9, 12)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: object) -> dt.date:
    """Read a reporting period as the last day of a quarter.

    Args:
        value: A date, or text in any form ``policeperf.compute.periods.parse_period`` reads:
            "2022-06-30", "2022-06", "June 2022", "Q1 2022/23", "2022/23 Q1".

    Returns:
        The last day of the quarter.

    Raises:
        PeriodError: The value is not a period, or not the end of a quarter (also a ValueError,
            so that a report.yaml validator reports it with its line).
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        date = periods.parse_period(value)
    else:
        raise PeriodError(repr(value))
    if date.month not in QUARTER_END_MONTHS or date != _month_end(date.year, date.month):
        raise PeriodError(str(value), "not the last day of a quarter (Mar, Jun, Sep or Dec)")
    return date


def previous_quarter(period_end: dt.date) -> dt.date:
    """The last day of the quarter before, e.g. 2022-06-30 -> 2022-03-31."""
    year, month = (period_end.year, period_end.month - 3) if period_end.month > 3 else (
        period_end.year - 1, period_end.month + 9)
    return _month_end(year, month)


def financial_quarter(period_end: dt.date) -> tuple[int, str]:
    """Return the financial-year quarter number and year label, e.g. (1, "2022/23")."""
    quarter = {6: 1, 9: 2, 12: 3, 3: 4}[period_end.month]
    start = period_end.year if quarter < 4 else period_end.year - 1
    return quarter, f"{start}/{(start + 1) % 100:02d}"


def quarter_label(period_end: dt.date) -> str:
    """The cover line, e.g. "Quarter ending June 2022 (Q1 2022/23)"."""
    quarter, year = financial_quarter(period_end)
    month = calendar.month_name[period_end.month]
    return f"Quarter ending {month} {period_end.year} (Q{quarter} {year})"


def window_label(period_end: dt.date) -> str:
    """The 12-month window the headline figures cover, e.g. "12 months to June 2022"."""
    return f"12 months to {calendar.month_name[period_end.month]} {period_end.year}"


def period_slug(period_end: dt.date) -> str:
    """A file-name friendly period, e.g. "2022-23-q1"."""
    quarter, year = financial_quarter(period_end)
    return f"{year.replace('/', '-')}-q{quarter}"
