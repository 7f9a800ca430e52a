"""Funnel-plot limits (Spiegelhalter 2005) on tiny hand-worked cases."""

from __future__ import annotations

import math

import pytest

from policeperf.compute.funnel import funnel_limits


def test_poisson_limits_are_centre_plus_minus_z_times_the_poisson_standard_error() -> None:
    # Centre 2.0 per 1,000. At a denominator of 1,000 the Poisson SE of a rate per 1,000 is
    # sqrt(1,000 x 2.0 / 1,000) = sqrt(2) = 1.41421; 95%: 2 +/- 1.95996 x 1.41421 = 2 +/- 2.77181
    # (lower stops at 0); 99.8%: 2 +/- 3.09023 x 1.41421 = 2 +/- 4.37025.
    f = funnel_limits([1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0], 2.0, overdispersed=False,
                      points=2)
    assert f is not None
    assert f.denominators == pytest.approx((800.0, 1250.0))  # 0.8 x smallest, 1.25 x largest
    # At 800: SE = sqrt(2,000 / 800) = 1.58114; at 1,250: sqrt(1.6) = 1.26491.
    assert f.upper95 == pytest.approx((2 + 1.959964 * 1.581139, 2 + 1.959964 * 1.264911))
    assert f.lower95 == (0.0, 0.0)  # 2 - 3.099 and 2 - 2.479 are below zero
    assert f.upper998[1] == pytest.approx(2 + 3.090232 * 1.264911)
    assert (f.centre, f.tau2, f.forces) == (2.0, 0.0, 3)


def test_overdispersion_adds_the_between_force_variance() -> None:
    # Three forces of 1,000,000 at rates 1, 2 and 3 around a centre of 2 per 1,000:
    # s^2 = 1,000 x 2 / 1,000,000 = 0.002; z = (-1, 0, 1) / sqrt(0.002) = (-22.36, 0, 22.36).
    # Winsorised at the 10th/90th percentiles (-17.89, 17.89): phi = (2 x 320) / 3 = 213.33.
    # w = 500 each: tau^2 = (3 x 213.33 - 2) / (1,500 - 750,000 / 1,500) = 638 / 1,000 = 0.638.
    f = funnel_limits([1.0, 2.0, 3.0], [1e6, 1e6, 1e6], 2.0, points=2)
    assert f is not None
    assert f.phi == pytest.approx(640 / 3)
    assert f.tau2 == pytest.approx(0.638)
    n = f.denominators[0]
    assert f.upper95[0] == pytest.approx(2 + 1.959964 * math.sqrt(2000 / n + 0.638))
    assert "overdispersion" in f.describe()


def test_the_centre_defaults_to_the_pooled_rate_and_few_forces_give_no_limits() -> None:
    # (1 x 1,000 + 4 x 3,000) / 4,000 ... with a third force: (1x1k + 4x3k + 2x1k) / 5k = 3.0
    f = funnel_limits([1.0, 4.0, 2.0], [1000.0, 3000.0, 1000.0])
    assert f is not None and f.centre == pytest.approx(3.0)
    assert funnel_limits([1.0, 2.0], [10.0, 10.0]) is None


def test_the_written_out_quantiles_are_scipys() -> None:
    from scipy.stats import norm

    from policeperf.compute.funnel import Z95, Z998

    assert Z95 == float(norm.ppf(0.975)) and Z998 == float(norm.ppf(0.999))
