"""Periods: parse what users type into a period end, and month arithmetic on period ends.

A period is named by its last day (a month end): the 12 months to June 2022 end 2022-06-30.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from policeperf.errors import PolicePerfError

__all__ = [
    "PeriodError",
    "add_months",
    "financial_quarter",
    "month_end",
    "month_index",
    "parse_period",
    "window_start",
]

EXPECTED = "2022-06, 2022-06-30, June 2022 or 2022/23 Q1"

# "2022-06-30" or "2022-6-30": a date.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# "2022-06" or "2022/06": a year and month, meaning that month's end.
_YEAR_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
# "2022/23 Q1", "2022-23 q1", "2022/2023 Q1": a financial year and quarter (Q1 = April-June).
_FY_QUARTER = re.compile(r"^(\d{4})[-/](\d{2}|\d{4})\s*q([1-4])$", re.IGNORECASE)
# "Q1 2022/23": the same with the quarter first.
_QUARTER_FY = re.compile(r"^q([1-4])\s*(\d{4})[-/](\d{2}|\d{4})$", re.IGNORECASE)
# "June 2022", "Jun 2022": a month name and year.
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{4})$", re.IGNORECASE)

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


class PeriodError(PolicePerfError, ValueError):
    """A period a user typed that cannot be read (a ValueError too, for validators)."""

    def __init__(self, text: str, reason: str = "not a period") -> None:
        self.text = text
        super().__init__(f"{reason}: {text!r} (expected {EXPECTED})")


def month_end(year: int, month: int) -> date:
    """Last day of a month: ``month_end(2024, 2)`` is 2024-02-29."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    """The month end ``months`` months after (or before, when negative) the month of ``d``."""
    index = d.year * 12 + (d.month - 1) + months
    return month_end(index // 12, index % 12 + 1)


def month_index(d: date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return d.year * 12 + d.month - 1


def window_start(period_end: date, months: int) -> date:
    """First day of the ``months``-month window ending at ``period_end``."""
    last = add_months(period_end, -months)
    return date.fromordinal(last.toordinal() + 1)


def financial_quarter(period_end: date) -> str:
    """The financial quarter a quarter end closes: 2022-06-30 -> "Q1 2022/23"."""
    fy_start = period_end.year if period_end.month >= 4 else period_end.year - 1
    quarter = ((period_end.month - 4) % 12) // 3 + 1
    return f"Q{quarter} {fy_start}/{(fy_start + 1) % 100:02d}"


def _fy(start: str, end: str, quarter: str, text: str) -> date:
    first = int(start)
    second = int(end)
    expected = (first + 1) % 100 if len(end) == 2 else first + 1
    if second != expected:
        raise PeriodError(text, "a financial year spans two consecutive years")
    q = int(quarter)
    return add_months(date(first, 3, 31), 3 * q)


def parse_period(text: str) -> date:
    """The period end a user means.

    ``2022-06`` and ``June 2022`` mean 2022-06-30; ``2022-06-30`` is taken as given (it must be a
    month end); ``2022/23 Q1`` (or ``Q1 2022/23``) is the financial quarter April-June 2022, so
    2022-06-30; Q4 2022/23 ends 2023-03-31.

    Raises:
        PeriodError: When the text is none of these forms or names no real month end.
    """
    raw = text.strip()
    try:
        if m := _ISO_DATE.match(raw):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            if d != month_end(d.year, d.month):
                raise PeriodError(text, "a period ends on the last day of a month")
            return d
        if m := _YEAR_MONTH.match(raw):
            return month_end(int(m[1]), int(m[2]))
        if m := _FY_QUARTER.match(raw):
            return _fy(m[1], m[2], m[3], text)
        if m := _QUARTER_FY.match(raw):
            return _fy(m[2], m[3], m[1], text)
        if (m := _MONTH_YEAR.match(raw)) and m[1].lower() in _MONTHS:
            return month_end(int(m[2]), _MONTHS[m[1].lower()])
    except ValueError as exc:  # month 13, day 31 of a 30-day month
        raise PeriodError(text, f"not a real date ({exc})") from exc
    raise PeriodError(text)
