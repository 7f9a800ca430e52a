"""The standard normal distribution function and quantile as SciPy computes them, without SciPy.

Importing ``scipy.special`` costs about 0.75 s of CPU at start-up (1.5 s on a loaded machine),
and a report needs only the normal tail of a few Mann-Kendall and z statistics. :func:`ndtr`
is SciPy's ``scipy.special.ndtr`` (Cephes ``ndtr``, ``erf`` and ``erfc``, BSD-3, by Stephen L.
Moshier) done in the same order with the same coefficients, so it gives the same double to the
last bit (tests/compute/test_normal.py compares them over a million arguments). :func:`ndtri`
returns the quantiles the default settings use, as SciPy computes them, and asks SciPy for any
other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["ndtr", "ndtri"]

_MAXLOG = 7.09782712893383996843e2
_SQRT1_2 = 0.70710678118654752440  # M_SQRT1_2

# erfc(x) = exp(-x^2) P(x)/Q(x) for 1 <= x < 8, exp(-x^2) R(x)/S(x) beyond; erf(x) = x T/U (x^2)
_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
      4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
      9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2)
_Q = (1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
      9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
      1.65666309194161350182e3, 5.57535340817727675546e2)
_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
      6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0)
_S = (2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
      1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0)
_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
      7.00332514112805075473e3, 5.55923013010394962768e4)
_U = (3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
      2.26290000613890934246e4, 4.92673942608635921086e4)

#: scipy.special.ndtri of the probabilities the default settings ask for (a 5% two-sided test
#: and 95% intervals: 0.975; funnel limits: 0.975 and 0.999); tests/compute/test_normal.py
#: checks each against SciPy.
_QUANTILES = {0.975: 1.959963984540054, 0.999: 3.090232306167813}


def _polevl(x: float, coef: Sequence[float]) -> float:
    """coef[0] x^n + ... + coef[n], by Horner's rule (Cephes polevl)."""
    ans = coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _p1evl(x: float, coef: Sequence[float]) -> float:
    """x^n + coef[0] x^(n-1) + ... + coef[n-1] (Cephes p1evl: a leading coefficient of 1)."""
    ans = x + coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _erf(x: float) -> float:
    if x < 0.0:
        return -_erf(-x)
    if abs(x) > 1.0:
        return 1.0 - _erfc(x)
    z = x * x
    return x * _polevl(z, _T) / _p1evl(z, _U)


def _erfc(a: float) -> float:
    x = -a if a < 0.0 else a
    if x < 1.0:
        return 1.0 - _erf(a)
    z = -a * a
    if z < -_MAXLOG:
        return 2.0 if a < 0 else 0.0
    z = math.exp(z)
    if x < 8.0:
        p, q = _polevl(x, _P), _p1evl(x, _Q)
    else:
        p, q = _polevl(x, _R), _p1evl(x, _S)
    y = (z * p) / q
    if a < 0:
        y = 2.0 - y
    if y != 0.0:
        return y
    return 2.0 if a < 0 else 0.0


def ndtr(a: float) -> float:
    """P(Z <= a) for a standard normal Z: ``scipy.special.ndtr(a)``, bit for bit."""
    if math.isnan(a):
        return math.nan
    x = a * _SQRT1_2
    z = abs(x)
    if z < _SQRT1_2:
        return 0.5 + 0.5 * _erf(x)
    y = 0.5 * _erfc(z)
    return 1.0 - y if x > 0 else y


def ndtri(p: float) -> float:
    """The standard normal quantile of ``p``: ``scipy.special.ndtri(p)`` (imported only for a
    probability the default settings never ask for)."""
    found = _QUANTILES.get(p)
    if found is not None:
        return found
    from scipy.special import ndtri as scipy_ndtri

    return float(scipy_ndtri(p))
