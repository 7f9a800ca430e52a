"""Reporting periods: a quarter end date and the labels the report prints for it.

Police and crime plans run on financial years (April to March), so the quarter ending June 2022 is
"Q1 2022/23". A project may name its period either way: ``2022-06-30`` or ``Q1 2022/23``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# "Q1 2022/23" or "2022/23 Q1" (case-insensitive): financial-year quarter notation.
_FY_QUARTER = re.compile(r"^\s*(?:q([1-4])\s+(\d{4})/(\d{2})|(\d{4})/(\d{2})\s+q([1-4]))\s*$", re.I)

QUARTER_END_MONTHS = (3, 6, 9, 12)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: object) -> dt.date:
    """Read a reporting period as the last day of a quarter.

    Args:
        value: A date, an ISO date string ("2022-06-30") or a financial-year quarter
            ("Q1 2022/23").

    Returns:
        The last day of the quarter.

    Raises:
        ValueError: The value is not a quarter end in either notation.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        match = _FY_QUARTER.match(value)
        if match:
            quarter = int(match.group(1) or match.group(6))
            start_year = int(match.group(2) or match.group(4))
            short_end = int(match.group(3) or match.group(5))
            if (start_year + 1) % 100 != short_end:
                raise ValueError(f"{value!r}: the financial year must be e.g. 2022/23")
            month = (3 + 3 * quarter) if quarter < 4 else 3
            year = start_year if quarter < 4 else start_year + 1
            return _month_end(year, month)
        try:
            date = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{value!r} is not a period; expected a quarter end date such as 2022-06-30 "
                "or a financial-year quarter such as 'Q1 2022/23'"
            ) from None
    else:
        raise ValueError(f"{value!r} is not a period; expected e.g. 2022-06-30 or 'Q1 2022/23'")
    if date.month not in QUARTER_END_MONTHS or date != _month_end(date.year, date.month):
        raise ValueError(f"{date.isoformat()} is not the last day of a quarter (Mar/Jun/Sep/Dec)")
    return date


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
