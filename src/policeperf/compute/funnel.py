"""Funnel-plot control limits for a rate per 1,000 across all forces (Spiegelhalter 2005).

The centre is the England and Wales rate (the target theta). A force with denominator n
(residents or households) has, if its offences were Poisson at the centre rate, a rate with
variance s^2 = 1,000 x theta / n per 1,000 squared: the normal approximation to the Poisson that
Spiegelhalter (2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185)
uses for large counts. Forces' recorded-crime rates differ far more than Poisson chance allows
(force areas differ in make-up, not only by chance), so by default the limits are widened for
**overdispersion** with Spiegelhalter's additive random-effects model, the same estimate
`compute/benchmarks.py` uses for the ``funnel`` comparison rule
(:func:`~policeperf.compute.benchmarks.overdispersion`: z-scores of all forces winsorised at their
10th and 90th percentiles, tau^2 by the method of moments). The limits are

    theta +/- z_p x sqrt(1,000 x theta / n + tau^2),   z_p = 1.960 (95%), 3.090 (99.8%)

drawn over a range of denominators; lower limits stop at zero. ``overdispersion=False`` gives the
plain Poisson limits (tau^2 = 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policeperf.compute.benchmarks import PER, overdispersion

if TYPE_CHECKING:  # results imports this module
    from policeperf.results import PeerValue

__all__ = ["FUNNEL_EXCLUDED", "FunnelLimits", "funnel_limits", "funnel_of"]

#: Forces left out of funnel plots (those whose rates ONS suppresses, compute/rates.py), with
#: the reason printed under the plot.
FUNNEL_EXCLUDED = {
    "E23000034": ("ONS suppresses its rates: its resident population (about 10,000) is too "
                  "small, and the people who work in or visit it too many, for a rate per 1,000 "
                  "residents to compare"),
}



#: Two-sided normal quantiles of the two limit pairs: scipy.stats.norm.ppf(0.975) and
#: norm.ppf(0.999), written out so that reading a result does not import scipy (seconds);
#: tests/compute/test_funnel.py checks them against scipy.
Z95 = 1.959963984540054
Z998 = 3.090232306167813


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits of a funnel plot, one value per denominator in ``denominators``.

    Attributes:
        centre: The target rate per 1,000 (England and Wales).
        denominators: Increasing denominators the limits are given at.
        lower95, upper95: 95% limits (z = 1.960).
        lower998, upper998: 99.8% limits (z = 3.090).
        phi: Winsorised mean squared z-score of the forces (1 = Poisson scatter only).
        tau2: Between-force variance added to the Poisson variance ((per 1,000)^2; 0 without
            overdispersion).
        overdispersed: Whether tau^2 was estimated (False: plain Poisson limits).
        forces: Number of forces the limits were estimated from.
        excluded: Forces left out (name, why), e.g. City of London, whose tiny resident
            population makes its rates per 1,000 residents incomparable.
    """

    centre: float
    denominators: tuple[float, ...]
    lower95: tuple[float, ...]
    upper95: tuple[float, ...]
    lower998: tuple[float, ...]
    upper998: tuple[float, ...]
    phi: float
    tau2: float
    overdispersed: bool
    forces: int
    excluded: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """The method in one sentence, for the method note and chart notes."""
        spread = (
            f"widened for overdispersion between forces (Spiegelhalter's additive random "
            f"effects: phi {self.phi:.1f}, tau^2 {self.tau2:.4g})"
            if self.overdispersed and self.tau2 > 0
            else "Poisson limits (no overdispersion added)"
        )
        left_out = "".join(f" {name} is left out: {why}." for name, why in self.excluded)
        return (f"Funnel limits around the England and Wales rate {self.centre:.3f} per 1,000 "
                f"at 95% and 99.8%, {spread}; estimated from {self.forces} forces.{left_out}")


def _limit(theta: float, tau2: float, n: float, z: float) -> float:
    return z * math.sqrt(PER * theta / n + tau2)


def funnel_limits(
    rates: Sequence[float],
    denominators: Sequence[float],
    centre: float | None = None,
    *,
    overdispersed: bool = True,
    points: int = 60,
    excluded: Sequence[tuple[str, str]] = (),
) -> FunnelLimits | None:
    """Funnel limits for all forces' rates per 1,000 of their denominators.

    Args:
        rates: Each force's rate per 1,000 (same order as ``denominators``).
        denominators: Each force's residents or households.
        centre: The England and Wales rate; the forces' pooled rate (sum of counts / sum of
            denominators) when None.
        overdispersed: Widen the limits for between-force variation (default, see module).
        points: How many denominators, evenly spaced on a log scale from 0.8 x the smallest to
            1.25 x the largest.
        excluded: Forces the caller left out of ``rates``, with the reason (recorded only).

    Returns:
        The limits, or None with fewer than three forces or a centre that is not positive.
    """
    pairs = [(r, d) for r, d in zip(rates, denominators, strict=True)
             if d is not None and d > 0 and r is not None and math.isfinite(r)]
    if len(pairs) < 3:
        return None
    if centre is None:
        centre = sum(r * d for r, d in pairs) / sum(d for _, d in pairs)
    if not centre > 0:
        return None
    phi, tau2 = overdispersion([r for r, _ in pairs], [d for _, d in pairs], centre)
    if not overdispersed:
        tau2 = 0.0
    low = 0.8 * min(d for _, d in pairs)
    high = 1.25 * max(d for _, d in pairs)
    step = (math.log(high) - math.log(low)) / (points - 1)
    ns = tuple(math.exp(math.log(low) + i * step) for i in range(points))
    h95 = [_limit(centre, tau2, n, Z95) for n in ns]
    h998 = [_limit(centre, tau2, n, Z998) for n in ns]
    return FunnelLimits(
        centre=centre,
        denominators=ns,
        lower95=tuple(max(0.0, centre - h) for h in h95),
        upper95=tuple(centre + h for h in h95),
        lower998=tuple(max(0.0, centre - h) for h in h998),
        upper998=tuple(centre + h for h in h998),
        phi=phi,
        tau2=tau2,
        overdispersed=overdispersed,
        forces=len(pairs),
        excluded=tuple(excluded),
    )


def funnel_of(
    all_forces: Sequence[PeerValue], force_code: str, national: float | None
) -> FunnelLimits | None:
    """The funnel plot of every force's rate around the national one (FUNNEL_EXCLUDED left
    out, and named under the plot unless the force is the excluded one)."""
    shown = [p for p in all_forces if p.value is not None and p.denominator
             and p.area_code not in FUNNEL_EXCLUDED]
    left_out = [(p.name, FUNNEL_EXCLUDED[p.area_code]) for p in all_forces
                if p.area_code in FUNNEL_EXCLUDED and p.area_code != force_code]
    return funnel_limits([float(p.value or 0.0) for p in shown],
                         [float(p.denominator or 0.0) for p in shown], national,
                         excluded=left_out)
