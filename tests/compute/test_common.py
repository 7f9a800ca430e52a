"""The trend window the engine applies (compute/common.run_trend): one rule per period type."""

from __future__ import annotations

from datetime import date

from policeperf.compute.common import annual_points, run_trend
from policeperf.compute.context import Context, Settings
from policeperf.compute.periods import add_months
from policeperf.definitions.load import default_catalogue
from policeperf.definitions.model import Measure, MeasureKind, TrendSpec
from policeperf.reference.areas import resolve_area

END = date(2022, 6, 30)


def _context() -> Context:
    return Context(None, resolve_area("Kent", kind="force"), END, None, Settings(),
                   default_catalogue())


def _measure(trend: TrendSpec | None = None) -> Measure:
    return Measure(id="m", title="M", priority="reduce_homicide", kind=MeasureKind.COUNT,
                   trend=trend or TrendSpec())


def _monthly(n: int) -> list[tuple[date, float | None]]:
    return [(add_months(END, -i), 100.0 + (i % 7)) for i in range(n)][::-1]


def test_monthly_values_use_the_latest_24_by_default() -> None:
    result = run_trend(_measure(), _context(), _monthly(75), 12)
    assert result is not None and result.n == 24
    assert result.window_start == date(2020, 7, 31)


def test_yearly_values_use_the_latest_8_by_default_even_across_a_missing_year() -> None:
    yearly = [(date(y, 6, 30), None if y == 2019 else float(y)) for y in range(2003, 2023)]
    points = annual_points(yearly, END)
    result = run_trend(_measure(), _context(), points, 1)
    assert result is not None and result.n == 8
    assert result.window_start == date(2014, 6, 30)  # 2015-2022 less 2019, plus 2014


def test_a_measure_may_set_its_window_in_years_of_values() -> None:
    result = run_trend(_measure(TrendSpec(window_years=3)), _context(), _monthly(75), 12)
    assert result is not None and result.n == 36
