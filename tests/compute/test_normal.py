"""compute/normal.py gives SciPy's normal distribution function and quantiles bit for bit."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr as scipy_ndtr
from scipy.special import ndtri as scipy_ndtri

from policeperf.compute.normal import _QUANTILES, ndtr, ndtri


def test_ndtr_equals_scipys_to_the_last_bit_over_a_million_arguments() -> None:
    rng = np.random.default_rng(2022)
    xs = np.concatenate([
        rng.uniform(-40.0, 40.0, 250_000),  # both tails, underflow included
        rng.normal(0.0, 2.0, 250_000),  # the z statistics of trend and survey tests
        rng.uniform(-1.5, 1.5, 250_000),  # erf's and erfc's branch at |x / sqrt 2| = 1
        np.linspace(-39.0, 39.0, 250_001),
        [0.0, -0.0, 1.0, -1.0, math.sqrt(2.0), -math.sqrt(2.0), 8.0 * math.sqrt(2.0), 1e-300],
    ])
    expected = scipy_ndtr(xs).tolist()
    mismatched = [x for x, e in zip(xs.tolist(), expected, strict=True) if ndtr(x) != e]
    assert mismatched == []


def test_ndtr_of_nan_is_nan() -> None:
    assert math.isnan(ndtr(math.nan))


def test_every_written_out_quantile_is_scipys() -> None:
    for p, q in _QUANTILES.items():
        assert q == float(scipy_ndtri(p))
        assert ndtri(p) == q


def test_another_quantile_is_asked_of_scipy() -> None:
    assert ndtri(0.9) == float(scipy_ndtri(0.9))
