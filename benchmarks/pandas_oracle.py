"""A straightforward pandas implementation of the record-level monthly measures.

Written independently of :mod:`policeperf.scale.record_level` from the definitions in its
docstring, as an oracle (results must be equal) and as the baseline the benchmark compares with.
"""

from __future__ import annotations

import pandas as pd

from policeperf.compute.rates import PER
from policeperf.scale.record_level import ALL_CRIME, ASB, WINDOW_MONTHS

KEYS = ["area_code", "crime_type"]


def counts(street: pd.DataFrame) -> pd.DataFrame:
    """Monthly counts by force and crime type, with the All crime total and a complete grid."""
    by_type = street.groupby(["month", *KEYS]).size().rename("offences").reset_index()
    crimes = by_type[by_type["crime_type"] != ASB]
    total = crimes.groupby(["month", "area_code"])["offences"].sum().reset_index()
    total["crime_type"] = ALL_CRIME
    allc = pd.concat([by_type, total[by_type.columns]], ignore_index=True)
    months = pd.DataFrame({"month": allc["month"].drop_duplicates()})
    combos = allc[KEYS].drop_duplicates()
    grid = months.merge(combos, how="cross")
    full = grid.merge(allc, on=["month", *KEYS], how="left")
    full["offences"] = full["offences"].fillna(0).astype("int64")
    return full


def rolling(full: pd.DataFrame) -> pd.DataFrame:
    """Add the 12-month rolling sum (null until 12 months exist)."""
    full = full.sort_values([*KEYS, "month"]).reset_index(drop=True)
    rolled = (
        full.groupby(KEYS)["offences"]
        .rolling(WINDOW_MONTHS, min_periods=WINDOW_MONTHS)
        .sum()
        .reset_index(level=[0, 1], drop=True)
    )
    full["rolling_12m"] = rolled.sort_index().astype("Int64")
    return full


def population(months: pd.DataFrame, denominators: pd.DataFrame,
               estimates: pd.DataFrame) -> pd.Series:
    """Residents for each (month, area_code) row of ``months``: published P3 value for the period
    ending that month, else the mid-year estimate of year(month end - 3 months) - 1."""
    d = denominators[(denominators["base"] == "population") & denominators["value"].notna()]
    published = pd.DataFrame({
        "area_code": d["area_code"],
        "month": pd.to_datetime(d["period_end"]).dt.to_period("M").dt.to_timestamp(),
        "published": d["value"].astype("int64"),
    })
    e = estimates[(estimates["base"] == "population") & estimates["value"].notna()]
    stated = d[d["mid_year"].notna()]
    known = pd.concat([
        pd.DataFrame({"area_code": e["area_code"], "mid_year": e["mid_year"].astype("int64"),
                      "value": e["value"].astype("int64"), "pref": 0}),
        pd.DataFrame({"area_code": stated["area_code"],
                      "mid_year": stated["mid_year"].astype("int64"),
                      "value": stated["value"].astype("int64"), "pref": 1}),
    ])
    known = known[known["pref"] == known.groupby(["area_code", "mid_year"])["pref"]
                  .transform("min")]
    chosen = known.groupby(["area_code", "mid_year"], as_index=False).agg(value=("value", "max"))
    shifted = months["month"] - pd.DateOffset(months=3)
    rows = months.assign(mid_year=shifted.dt.year - 1)
    rows = rows.merge(chosen, on=["area_code", "mid_year"], how="left")
    rows = rows.merge(published, on=["month", "area_code"], how="left")
    return rows["published"].fillna(rows["value"]).astype("Int64")


def measures(street: pd.DataFrame, denominators: pd.DataFrame, estimates: pd.DataFrame,
             peers: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """All measures; same columns as ``policeperf.scale.record_level.force_measures``."""
    street = street.assign(month=pd.to_datetime(street["month"]))
    full = rolling(counts(street))
    full["population"] = population(full[["month", "area_code"]], denominators,
                                    estimates).to_numpy()
    full["rate_per_1000"] = full["rolling_12m"].astype("float64") * PER / full["population"].astype(
        "float64")
    rated = full[full["rate_per_1000"].notna()]
    full["national_rank"] = (
        rated.groupby(["month", "crime_type"])["rate_per_1000"].rank(method="min").astype("Int64")
    )
    full["msg_rank"] = pd.array([pd.NA] * len(full), dtype="Int64")
    full["msg_size"] = pd.array([pd.NA] * len(full), dtype="Int64")
    for force, members in peers.items():
        part = rated[rated["area_code"].isin(members)]
        ranks = part.groupby(["month", "crime_type"])["rate_per_1000"].rank(method="min")
        sizes = part.groupby(["month", "crime_type"])["rate_per_1000"].transform("size")
        own = part["area_code"] == force
        full.loc[part.index[own], "msg_rank"] = ranks[own].astype("int64").to_numpy()
        full.loc[part.index[own], "msg_size"] = sizes[own].astype("int64").to_numpy()
    return full.sort_values(["month", *KEYS]).reset_index(drop=True)
