"""Synthetic data.police.uk street-level rows, one month of all forces at a time.

Rows are drawn column by column with NumPy (no Python loop over rows): the force-month counts
first, then each row's crime type (by the force's Table P1 mix), LSOA (by the force's LSOA
weights), outcome (by the real outcome distribution of its crime type) and location text. Every
month has its own random generator seeded from ``(seed, month index)``, so a month's rows do not
depend on how many months are generated after it, and the output is identical for the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from policeperf.synthetic.geography import Geography
from policeperf.synthetic.profile import Profile
from policeperf.synthetic.volumes import Volumes, display_name

HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
NO_LOCATION = "No Location"
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


@dataclass(frozen=True)
class MonthRows:
    """One month's rows for all forces, ordered by force, plus what the offence codes need."""

    month: date
    frame: pl.DataFrame  # data.police.uk columns, headers as published
    force_rows: npt.NDArray[np.int64]  # rows per force, in force order
    force: npt.NDArray[np.int64]  # force index of each row
    crime_type: npt.NDArray[np.int64]  # crime type index of each row
    csp: npt.NDArray[np.int64]  # CSP index of each row (kept for rows published without one)


def hex_ids(rng: np.random.Generator, n: int) -> pa.StringArray:
    """``n`` random 64-character lower-case hex strings, like data.police.uk crime ids."""
    raw = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    chars = np.empty((n, 64), dtype=np.uint8)
    chars[:, 0::2] = _HEX[raw >> 4]
    chars[:, 1::2] = _HEX[raw & 15]
    offsets = np.arange(0, 64 * (n + 1), 64, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars))


def _cumulative(probs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Row-wise cumulative probabilities offset so that row ``r`` runs from ``r`` to ``r + 1``."""
    cum = np.cumsum(probs, axis=1) / probs.sum(axis=1, keepdims=True)
    cum[:, -1] = 1.0
    return np.asarray((cum + np.arange(probs.shape[0])[:, None]).ravel(), dtype=np.float64)


@dataclass(frozen=True)
class StreetModel:
    """Everything fixed across months: volumes, geography, outcome tables and string pools."""

    vol: Volumes
    geo: Geography
    profile: Profile
    outcome_labels: tuple[str, ...]
    outcome_cum: npt.NDArray[np.float64]  # per crime type, offset cumulative (see _cumulative)

    @classmethod
    def build(cls, vol: Volumes, geo: Geography, profile: Profile) -> StreetModel:
        """Index the profile's outcome distributions by the volumes' crime types."""
        labels = sorted({o for dist in profile.outcomes.values() for o in dist} | {""})
        probs = np.zeros((len(vol.crime_types), len(labels)), dtype=np.float64)
        for t, crime_type in enumerate(vol.crime_types):
            dist = profile.outcomes.get(crime_type, {"": 1.0})  # ASB rows have no outcome
            for label, p in dist.items():
                probs[t, labels.index(label)] = p
        return cls(vol, geo, profile, tuple(labels), _cumulative(probs))

    def month_rows(
        self, seed: int, month_index: int, month: date, force_rows: npt.NDArray[np.int64]
    ) -> MonthRows:
        """Draw the rows of one month (``force_rows[f]`` rows for force ``f``)."""
        rng = np.random.default_rng([seed, 1, month_index])
        n = int(force_rows.sum())
        force = np.repeat(np.arange(len(force_rows), dtype=np.int64), force_rows)
        type_cum = _cumulative(self.vol.type_probs)
        ctype = np.searchsorted(type_cum, force + rng.random(n), side="right")
        ctype = np.minimum(ctype - force * len(self.vol.crime_types), len(self.vol.crime_types) - 1)
        lsoa = self.geo.sample_lsoa(force, rng.random(n))
        outcome = np.searchsorted(self.outcome_cum, ctype + rng.random(n), side="right")
        outcome = np.minimum(outcome - ctype * len(self.outcome_labels),
                             len(self.outcome_labels) - 1)
        located = rng.random(n) >= self.profile.no_location_share
        location = rng.integers(0, len(self.profile.locations), n)
        jitter = rng.uniform(-0.002, 0.002, (2, n))
        ids = hex_ids(rng, n)
        is_asb = ctype == len(self.vol.crime_types) - 1
        frame = self._frame(month, force, ctype, lsoa, outcome, located, location, jitter, ids,
                            is_asb)
        return MonthRows(month, frame, force_rows, force, ctype, self.geo.csp[lsoa])

    def _frame(
        self,
        month: date,
        force: npt.NDArray[np.int64],
        ctype: npt.NDArray[np.int64],
        lsoa: npt.NDArray[np.int64],
        outcome: npt.NDArray[np.int64],
        located: npt.NDArray[np.bool_],
        location: npt.NDArray[np.int64],
        jitter: npt.NDArray[np.float64],
        ids: pa.LargeStringArray,
        is_asb: npt.NDArray[np.bool_],
    ) -> pl.DataFrame:
        names = pl.Series([display_name(a) for a in self.vol.forces], dtype=pl.Utf8)
        geo = self.geo
        lon = np.round(geo.lon[lsoa] + jitter[0], 6)
        lat = np.round(geo.lat[lsoa] + jitter[1], 6)
        loc = pl.Series(self.profile.locations, dtype=pl.Utf8).gather(location)
        frame = pl.DataFrame(
            {
                "Crime ID": pl.Series(pl.from_arrow(ids)).cast(pl.Utf8),
                "Month": pl.repeat(month.strftime("%Y-%m"), len(force), eager=True),
                "Reported by": names.gather(force),
                "Longitude": lon,
                "Latitude": lat,
                "Location": loc,
                "LSOA code": pl.Series(geo.code[lsoa], dtype=pl.Utf8),
                "LSOA name": pl.Series(geo.name[lsoa], dtype=pl.Utf8),
                "Crime type": pl.Series(self.vol.crime_types, dtype=pl.Utf8).gather(ctype),
                "Last outcome category": pl.Series(self.outcome_labels, dtype=pl.Utf8)
                .gather(outcome),
                "_located": located,
                "_asb": is_asb,
            }
        )
        hidden = ~pl.col("_located")

        def blank_if_hidden(name: str) -> pl.Expr:
            return pl.when(hidden).then(None).otherwise(pl.col(name)).alias(name)

        return (
            frame.with_columns(
                pl.when(pl.col("_asb")).then(None).otherwise(pl.col("Crime ID"))
                .alias("Crime ID"),
                *(blank_if_hidden(c) for c in ("Longitude", "Latitude", "LSOA code", "LSOA name")),
                pl.when(hidden).then(pl.lit(NO_LOCATION)).otherwise(pl.col("Location"))
                .alias("Location"),
                pl.when(pl.col("Last outcome category") == "").then(None)
                .otherwise(pl.col("Last outcome category")).alias("Last outcome category"),
                pl.col("Reported by").alias("Falls within"),
                pl.lit(None, pl.Utf8).alias("Context"),
            )
            .select(HEADER)
        )
