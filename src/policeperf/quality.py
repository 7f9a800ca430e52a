"""Data-quality checks on the recorded crime in the warehouse: gaps, blanks and anomalies.

Three kinds of warning:

- ``missing_period``: a quarter end between the first and last loaded periods for which no source
  holds any figure (for example the year ending June 2020, for which no edition is bundled);
- ``gap``: a force with no figure at all for an offence and period that other forces have (a row
  missing from a source, as opposed to a blank cell);
- ``blank``: a figure published blank or suppressed (Greater Manchester in the year ending
  September 2019 edition, City of London rates), with the published marker;
- ``anomaly``: a figure that differs from *both* its neighbouring periods (each within 12 months)
  by more than a threshold, in the same direction: a spike or a dip that the neighbours do not
  share. Rolling 12-month totals move smoothly, so such a figure is worth checking before use. The
  default threshold is 50%, applied only to series whose neighbours are at least 50 offences.
  Example: Avon and Somerset's Action Fraud referrals for the 12 months to March 2022 are published
  as 2,048 against 8,000-10,500 around them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import polars as pl

from policeperf.reference.areas import by_code, forces
from policeperf.warehouse.store import Warehouse


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds of the anomaly check."""

    change_threshold: float = 0.5  # relative change from both neighbours that is flagged
    min_neighbour_count: int = 50  # smaller series are too noisy to judge
    max_gap_months: int = 12  # neighbours further away than this are not compared


@dataclass(frozen=True)
class QualityWarning:
    """One data-quality finding."""

    kind: str  # "missing_period", "blank" or "anomaly"
    area_code: str | None
    period_end: date
    offence: str | None
    message: str
    value: int | None = None


def _quarter_ends(first: date, last: date) -> list[date]:
    """Every quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec) from ``first`` to ``last``."""
    ends = []
    for year in range(first.year, last.year + 1):
        for month in (3, 6, 9, 12):
            end = date(year, month, calendar.monthrange(year, month)[1])
            if first <= end <= last:
                ends.append(end)
    return ends


def _label(area_code: str) -> str:
    try:
        return by_code(area_code).name
    except Exception:  # an area outside the reference list still gets a warning
        return area_code


def check(
    warehouse: Warehouse,
    settings: QualitySettings | None = None,
    *,
    area_codes: list[str] | None = None,
) -> list[QualityWarning]:
    """Every data-quality warning for the recorded crime in the warehouse (or for some areas)."""
    settings = settings or QualitySettings()
    data = warehouse.query(
        "SELECT period_end, area_code, offence, offences, marker FROM recorded_crime_current "
        "WHERE area_code NOT LIKE 'X%' ORDER BY area_code, offence, period_end"
    )
    if data.height == 0:
        return []
    warnings = (_missing_periods(data) + _gaps(data, area_codes) + _blanks(data, area_codes)
                + _anomalies(data, settings, area_codes))
    return sorted(warnings, key=lambda w: (w.period_end, w.area_code or "", w.offence or "",
                                           w.kind))


def _missing_periods(data: pl.DataFrame) -> list[QualityWarning]:
    quarterly = data.filter(pl.col("period_end").dt.month().is_in([3, 6, 9, 12]))
    # Quarterly publication starts with the first period end that is not a March (the 12 months
    # to June 2007); before it ONS published financial years only, which are not gaps.
    not_march = quarterly.filter(pl.col("period_end").dt.month() != 3)["period_end"]
    first, last = not_march.min(), quarterly["period_end"].max()
    assert isinstance(first, date) and isinstance(last, date)
    present = set(quarterly["period_end"].unique().to_list())
    return [
        QualityWarning("missing_period", None, p, None,
                       f"no loaded source holds figures for the 12 months to {p:%d %B %Y}")
        for p in _quarter_ends(first, last)
        if p not in present
    ]


def _gaps(data: pl.DataFrame, area_codes: list[str] | None) -> list[QualityWarning]:
    """Forces with no row for an (offence, period) that some force has a row for."""
    codes = [f.code for f in forces() if area_codes is None or f.code in area_codes]
    present = data.filter(pl.col("area_code").is_in([f.code for f in forces()]))
    expected = present.select("period_end", "offence").unique().join(
        pl.DataFrame({"area_code": codes}), how="cross"
    )
    missing = expected.join(present, on=["period_end", "area_code", "offence"], how="anti")
    return [
        QualityWarning(
            "gap", row["area_code"], row["period_end"], row["offence"],
            f"{_label(row['area_code'])}: no {row['offence']} figure for the 12 months to "
            f"{row['period_end']:%d %B %Y} in any loaded source, though other forces have one",
        )
        for row in missing.sort("period_end", "area_code", "offence").iter_rows(named=True)
    ]


def _blanks(data: pl.DataFrame, area_codes: list[str] | None) -> list[QualityWarning]:
    blanks = data.filter(pl.col("offences").is_null())
    if area_codes is not None:
        blanks = blanks.filter(pl.col("area_code").is_in(area_codes))
    out = []
    for row in blanks.iter_rows(named=True):
        marker = row["marker"] or ""
        published = f"as {marker!r}, not a count" if marker else "as an empty cell"
        out.append(QualityWarning(
            "blank", row["area_code"], row["period_end"], row["offence"],
            f"{_label(row['area_code'])}: {row['offence']} for the 12 months to "
            f"{row['period_end']:%d %B %Y} is published {published}; stored as missing",
        ))
    return out


def _anomalies(
    data: pl.DataFrame, settings: QualitySettings, area_codes: list[str] | None
) -> list[QualityWarning]:
    series = data.filter(pl.col("offences").is_not_null())
    by = ["area_code", "offence"]
    months = (pl.col("period_end").dt.year() * 12 + pl.col("period_end").dt.month())
    framed = series.with_columns(
        prev=pl.col("offences").shift(1).over(by),
        next=pl.col("offences").shift(-1).over(by),
        gap_prev=(months - months.shift(1).over(by)),
        gap_next=(months.shift(-1).over(by) - months),
    )
    t = settings.change_threshold
    low = (pl.col("offences") < pl.col("prev") * (1 - t)) & (
        pl.col("offences") < pl.col("next") * (1 - t))
    high = (pl.col("offences") > pl.col("prev") * (1 + t)) & (
        pl.col("offences") > pl.col("next") * (1 + t))
    flagged = framed.filter(
        (pl.col("gap_prev") <= settings.max_gap_months)
        & (pl.col("gap_next") <= settings.max_gap_months)
        & (pl.min_horizontal("prev", "next") >= settings.min_neighbour_count)
        & (low | high)
    )
    if area_codes is not None:
        flagged = flagged.filter(pl.col("area_code").is_in(area_codes))
    out = []
    for row in flagged.iter_rows(named=True):
        out.append(QualityWarning(
            "anomaly", row["area_code"], row["period_end"], row["offence"],
            f"{_label(row['area_code'])}: {row['offence']} for the 12 months to "
            f"{row['period_end']:%d %B %Y} is {row['offences']:,} against {row['prev']:,} "
            f"before and {row['next']:,} after (more than {t:.0%} from both)",
            row["offences"],
        ))
    return out
