"""Mann-Kendall and SPC signals for many series at once equal the one-series functions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from policeperf.compute.batch_stats import latest_signals, mann_kendall_rows
from policeperf.compute.common import spc_signal
from policeperf.compute.spc import SpcSettings, xmr_chart
from policeperf.compute.trends import mann_kendall_hamed_rao, sens_slope


def _rows(seed: int, n: int, m: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.round(rng.normal(100, 10, (m, n)) + np.arange(n) * rng.normal(0, 3, (m, 1)), 1)
    values[: m // 4] = np.round(values[: m // 4], -1)  # many ties
    return values


@pytest.mark.parametrize("n", [3, 5, 8, 12])
def test_mann_kendall_of_many_rows_equals_one_row_at_a_time(n: int) -> None:
    values = _rows(n, n, 200)
    times = np.tile(np.arange(n, dtype=float), (len(values), 1))
    for row, (slope, mk) in zip(values, mann_kendall_rows(times, values, 0.05), strict=True):
        expected_slope = sens_slope(np.arange(n, dtype=float), row)
        assert slope == expected_slope
        assert mk == mann_kendall_hamed_rao(row, 0.05, expected_slope)


def test_a_constant_series_has_no_trend_in_either_way() -> None:
    values = np.full((1, 6), 4.0)
    times = np.tile(np.arange(6, dtype=float), (1, 1))
    (slope, mk), = mann_kendall_rows(times, values, 0.05)
    assert slope == 0.0 and mk == mann_kendall_hamed_rao(values[0], 0.05, 0.0)
    assert mk.p_value == 1.0


def _series(seed: int) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    out: list[list[float]] = []
    for k in range(400):
        n = int(rng.integers(1, 22)) if k % 4 != 1 else int(rng.integers(14, 22))
        base = rng.normal(50, 5, n)
        kind = k % 4
        if kind == 1:
            base[-7:] = 45 + np.arange(min(n, 7))[-7:] * 1.0  # a rising run within the limits
        elif kind == 2:
            base[-1] += 40  # a point outside the limits
        elif kind == 3:
            base[-8:] += 6  # a shift
        out.append([float(v) for v in np.round(base, 2)])
    return out


@pytest.mark.parametrize("polarity", ["lower_is_better", "higher_is_better", "neutral"])
def test_latest_signals_equal_the_chart_of_each_series(polarity: str) -> None:
    settings = SpcSettings()
    series = _series(7)
    got = latest_signals(series, polarity, settings)
    expected = [spc_signal(xmr_chart([(date(2000 + i, 3, 31), v) for i, v in enumerate(s)],
                                     polarity, settings))  # type: ignore[arg-type]
                for s in series]
    assert got == expected
    assert {w.split(" (")[0] for w in got} >= {"common cause"}
    assert any("(trend)" in w for w in got) and any("(outside_limits)" in w for w in got)
