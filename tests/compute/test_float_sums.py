"""Sums written out in NumPy's and Python's order give their results to the last digit."""

from __future__ import annotations

import numpy as np
import pytest

from policeperf.compute.float_sums import numpy_sum, python_sum


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 128, 129, 300])
def test_numpy_sum_adds_in_numpys_order(n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(200):
        terms = (rng.random(n) * rng.choice([1.0, 37.0, 1e4])).tolist()
        assert numpy_sum(terms) == float(np.sum(np.array(terms)))
        assert numpy_sum(terms) / n == float(np.mean(terms))


def test_numpy_sum_gives_np_std_when_written_out() -> None:
    rng = np.random.default_rng(7)
    for n in (2, 5, 8, 9):
        for _ in range(200):
            terms = (rng.random(n) * 50.0).tolist()
            mean = numpy_sum(terms) / n
            var = numpy_sum([(t - mean) * (t - mean) for t in terms]) / (n - 1)
            assert float(np.sqrt(var)) == float(np.std(terms, ddof=1))


def test_python_sum_adds_as_the_builtin_sum() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 8, 13):
        for _ in range(200):
            terms = (rng.random(n) * 1e5).tolist()
            assert python_sum(terms) == sum(terms)


def test_an_empty_sum_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one term"):
        numpy_sum([])
    with pytest.raises(ValueError, match="at least one term"):
        python_sum([])
