"""Small synthetic chart inputs whose values can be checked by eye (no real victim data)."""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

FORCE = "Avon and Somerset"
MSG_FORCES = [
    "Avon and Somerset", "Derbyshire", "Essex", "Hampshire",
    "Hertfordshire", "Kent", "Staffordshire", "Sussex",
]


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(count: int, end: tuple[int, int] = (2022, 6), step: int = 1) -> list[dt.date]:
    """`count` month ends, `step` months apart, the last one at `end`."""
    year, month = end
    out = []
    for _ in range(count):
        out.append(month_end(year, month))
        month -= step
        while month <= 0:
            month += 12
            year -= 1
    return out[::-1]


def rolling_rates() -> pl.DataFrame:
    """72 monthly periods for force, MSG and national; the force misses Apr 2020 - Mar 2021."""
    rows = []
    for i, day in enumerate(month_ends(72)):
        missing = dt.date(2020, 4, 1) <= day <= dt.date(2021, 3, 31)
        rows += [
            {"period_end": day, "series": FORCE, "role": "force",
             "value": None if missing else round(0.50 + 0.01 * (i % 12), 3)},
            {"period_end": day, "series": "MSG average", "role": "msg",
             "value": round(0.60 + 0.005 * (i % 12), 3)},
            {"period_end": day, "series": "National", "role": "national",
             "value": round(0.70 - 0.002 * i, 3)},
        ]
    return pl.DataFrame(rows)


def quarterly_counts() -> pl.DataFrame:
    """12 quarters of a 12-month rolling count."""
    days = month_ends(12, step=3)
    return pl.DataFrame({"period_end": days, "value": [400 + 25 * i for i in range(12)]})


def monthly_counts() -> pl.DataFrame:
    """15 months of counts, Apr 2021 to Jun 2022."""
    return pl.DataFrame(
        {"period_end": month_ends(15), "value": [1000 + 50 * i for i in range(15)]}
    )


def survey_rates() -> pl.DataFrame:
    """24 months of two survey series with confidence limits."""
    rows = []
    for i, day in enumerate(month_ends(24)):
        for name, base in (("Whole experience", 0.70), ("Follow-up", 0.60)):
            rate = base + 0.004 * i
            rows.append({"period_end": day, "series": name, "rate": rate,
                         "lower": rate - 0.04, "upper": rate + 0.04})
    return pl.DataFrame(rows)


def categories() -> pl.DataFrame:
    """Latest satisfaction by survey category."""
    return pl.DataFrame({
        "category": ["Overall", "Burglary", "Hate crime", "Violent crime", "ASB"],
        "rate": [0.71, 0.82, 0.64, 0.69, 0.77],
        "lower": [0.68, 0.76, 0.55, 0.62, 0.70],
        "upper": [0.74, 0.87, 0.72, 0.75, 0.83],
    })


def volume_rate() -> pl.DataFrame:
    """36 months of rolling charge volume and charge rate."""
    return pl.DataFrame({
        "period_end": month_ends(36),
        "volume": [100 + 3 * i for i in range(36)],
        "rate": [0.030 + 0.002 * i for i in range(36)],
    })


def paired() -> pl.DataFrame:
    """Median days to charge, force vs national, 2019 and 2021."""
    return pl.DataFrame({
        "year": ["2019", "2019", "2021", "2021"],
        "series": [FORCE, "National"] * 2,
        "role": ["force", "national"] * 2,
        "value": [31.0, 27.0, 45.0, 38.0],
    })


def year_ending() -> pl.DataFrame:
    """Proportion of offenders who reoffend, years ending June 2015-2020."""
    days = [dt.date(y, 6, 30) for y in range(2015, 2021)]
    rows = []
    for i, day in enumerate(days):
        rows.append({"period_end": day, "series": FORCE, "role": "force",
                     "value": 0.27 - 0.005 * i})
        rows.append({"period_end": day, "series": "National", "role": "national",
                     "value": 0.29 - 0.004 * i})
    return pl.DataFrame(rows)


def spc() -> pl.DataFrame:
    """30 months: 10 with trial limits, then fixed limits; 2 improvement and 1 concern point."""
    rows = []
    for i, day in enumerate(month_ends(30)):
        trial = i < 10
        centre, spread = (100.0, 30.0) if trial else (95.0, 24.0)
        value = centre + (8 if i % 2 else -8)
        signal: str | None = None
        if i == 22:
            value, signal = centre - 30, "improvement"
        if i == 26:
            value, signal = centre - 28, "improvement"
        if i == 14:
            value, signal = centre + 29, "concern"
        rows.append({"period_end": day, "value": value, "centre": centre,
                     "upper": centre + spread, "lower": centre - spread,
                     "signal": signal if signal else ("neutral" if i % 3 else None),
                     "trial": trial})
    return pl.DataFrame(rows)


def peers() -> pl.DataFrame:
    """Eight MSG forces' rates; the force is 7th lowest."""
    rates = [0.80, 0.52, 0.61, 0.70, 0.45, 0.66, 0.58, 0.74]
    return pl.DataFrame({"area": MSG_FORCES, "rate": rates,
                         "is_force": [a == FORCE for a in MSG_FORCES]})


def funnel() -> tuple[pl.DataFrame, pl.DataFrame, float]:
    """43 synthetic forces and binomial-style limits around 0.6 per 1,000."""
    names = [FORCE] + [f"Force {i:02d}" for i in range(1, 43)]
    denominators = [1_700_000] + [300_000 + 90_000 * i for i in range(42)]
    rates = [0.82] + [0.6 + (0.15 if i % 5 == 0 else 0.04) * (-1) ** i for i in range(42)]
    points = pl.DataFrame({"area": names, "denominator": denominators, "rate": rates,
                           "is_force": [n == FORCE for n in names]})
    centre = 0.6
    grid = [250_000 + 50_000 * i for i in range(86)]
    limits = pl.DataFrame({
        "denominator": grid,
        "lower95": [centre - 1.96 * (centre / 1000 / d * 1e6) ** 0.5 for d in grid],
        "upper95": [centre + 1.96 * (centre / 1000 / d * 1e6) ** 0.5 for d in grid],
        "lower998": [centre - 3.09 * (centre / 1000 / d * 1e6) ** 0.5 for d in grid],
        "upper998": [centre + 3.09 * (centre / 1000 / d * 1e6) ** 0.5 for d in grid],
    })
    return points, limits, centre
