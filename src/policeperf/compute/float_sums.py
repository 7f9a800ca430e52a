"""Sums written out in the order NumPy and Python add their terms, for any "+" (floats or Ibis).

Floating-point addition is not associative, so a sum taken in SQL (``SUM`` or ``AVG`` over a
window, in whatever order the engine meets the rows) may differ in its last digit from the same
sum taken by ``np.mean`` or the builtin ``sum``. The per-force path takes its peer-group averages
with those two (compute/benchmarks.py), and the one pass must give the very same numbers
(compute/batch_ranks.py), so it writes each sum as an expression whose additions come in their
order:

* :func:`numpy_sum`: NumPy's pairwise summation of a contiguous float64 array (``np.sum``,
  ``np.mean``, ``np.std``): fewer than 8 terms one after another; up to 128 terms in 8 running
  sums, joined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the rest one by one;
  more than 128 terms split in two halves (a multiple of 8 first), each summed so.
* :func:`python_sum`: the builtin ``sum`` of floats on CPython 3.11: one after another. (From
  3.12 ``sum`` compensates its rounding errors, Neumaier's way; the project runs 3.11.)

tests/compute/test_float_sums.py checks both against NumPy and Python on random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["PAIRWISE_BLOCK", "numpy_sum", "python_sum"]


#: NumPy's ``PW_BLOCKSIZE``: above this many terms the pairwise sum splits in two.
PAIRWISE_BLOCK = 128


def numpy_sum(terms: Sequence[Any]) -> Any:
    """The terms added as ``np.sum`` of a float64 array adds them (at least one term)."""
    n = len(terms)
    if n == 0:
        raise ValueError("numpy_sum needs at least one term")
    if n < 8:
        return python_sum(terms)
    if n <= PAIRWISE_BLOCK:
        r = list(terms[:8])
        i = 8
        while i < n - n % 8:
            r = [r[j] + terms[i + j] for j in range(8)]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for t in terms[i:]:
            total = total + t
        return total
    half = n // 2
    half -= half % 8
    return numpy_sum(terms[:half]) + numpy_sum(terms[half:])


def python_sum(terms: Sequence[Any]) -> Any:
    """The terms added one after another, as the builtin ``sum`` adds floats (CPython 3.11)."""
    if not terms:
        raise ValueError("python_sum needs at least one term")
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total
