"""Synthetic LSOAs and Community Safety Partnerships (CSPs) for every force.

None of these areas is real. Each force gets a number of LSOAs in proportion to its recorded crime
(England and Wales had 34,753 LSOAs in 2011), numbered in one contiguous block per force: English
codes ``E01xxxxxx``, Welsh ``W01xxxxxx``, as real LSOA codes look. LSOA names follow the real
pattern "<local authority> <MSOA number><letter>" ("Babergh 007B"), with made-up local authorities
named "<force> CSP <nn>" so that nobody mistakes them for real places; each such authority is also
the CSP of the offence-code tables. Coordinates are scattered around a per-force point inside the
England and Wales bounding box and carry no geographic meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from policeperf.synthetic.volumes import Volumes

LSOAS_ENGLAND_AND_WALES = 34_753
LSOAS_PER_CSP = 110  # about 330 local authorities for 34,753 LSOAs
LSOAS_PER_MSOA = 5
_MIN_LSOAS = 30


@dataclass(frozen=True)
class Geography:
    """Every synthetic LSOA, grouped by force (force ``f`` owns ``start[f]:start[f + 1]``)."""

    start: npt.NDArray[np.int64]  # (forces + 1,) offsets into the LSOA arrays
    code: npt.NDArray[np.object_]  # LSOA code
    name: npt.NDArray[np.object_]  # LSOA name
    csp: npt.NDArray[np.int64]  # index into csp_names
    csp_names: tuple[str, ...]
    csp_force: npt.NDArray[np.int64]  # force index of each CSP
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    cum_weight: npt.NDArray[np.float64]  # force f's LSOAs run from f to f + 1 (see sample_lsoa)

    def sample_lsoa(
        self, force: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]:
        """An LSOA of each row's force, drawn with the LSOA weights (``u`` uniform in [0, 1))."""
        idx = np.searchsorted(self.cum_weight, force + u, side="right")
        # Guard the upper edge of a force's block against rounding in the cumulative sum.
        return np.minimum(idx, self.start[force + 1] - 1).astype(np.int64)


def build_geography(vol: Volumes, seed: int) -> Geography:
    """Lay out LSOAs and CSPs for every force; deterministic for a seed."""
    share = vol.force_share
    sizes = np.maximum(_MIN_LSOAS, np.round(share * LSOAS_ENGLAND_AND_WALES)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    codes: list[str] = []
    names: list[str] = []
    csp_of: list[int] = []
    csp_names: list[str] = []
    csp_force: list[int] = []
    lon_parts: list[npt.NDArray[np.float64]] = []
    lat_parts: list[npt.NDArray[np.float64]] = []
    cum_parts: list[npt.NDArray[np.float64]] = []
    next_number = {"E": 1, "W": 1}
    for f, area in enumerate(vol.forces):
        rng = np.random.default_rng([seed, 7, f])
        n = int(sizes[f])
        nation = area.code[0]
        first = next_number[nation]
        next_number[nation] += n
        n_csp = max(1, round(n / LSOAS_PER_CSP))
        base = len(csp_names)
        csp_names.extend(f"{area.name} CSP {k + 1:02d}" for k in range(n_csp))
        csp_force.extend([f] * n_csp)
        for i in range(n):
            k = i * n_csp // n  # contiguous blocks of LSOAs per CSP
            within = i - (k * n + n_csp - 1) // n_csp
            msoa, letter = divmod(within, LSOAS_PER_MSOA)
            codes.append(f"{nation}01{first + i:06d}")
            names.append(f"{csp_names[base + k]} {msoa + 1:03d}{chr(65 + letter)}")
            csp_of.append(base + k)
        centre_lon = rng.uniform(-4.5, 1.2)
        centre_lat = rng.uniform(50.5, 55.0)
        lon_parts.append(np.round(centre_lon + rng.uniform(-0.25, 0.25, n), 6))
        lat_parts.append(np.round(centre_lat + rng.uniform(-0.15, 0.15, n), 6))
        # Crime concentrates in few places: log-normal LSOA weights, cumulated to run f..f+1.
        w = rng.lognormal(0.0, 1.0, n)
        cum_parts.append(f + np.cumsum(w) / w.sum())
    cum = np.concatenate(cum_parts)
    cum[start[1:] - 1] = np.arange(1, len(vol.forces) + 1)  # exact block ends
    return Geography(
        start=start,
        code=np.array(codes, dtype=object),
        name=np.array(names, dtype=object),
        csp=np.array(csp_of, dtype=np.int64),
        csp_names=tuple(csp_names),
        csp_force=np.array(csp_force, dtype=np.int64),
        lon=np.concatenate(lon_parts),
        lat=np.concatenate(lat_parts),
        cum_weight=cum,
    )
