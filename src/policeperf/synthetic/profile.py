"""Empirical distributions the generator samples from, learned from real data.police.uk files.

``profile.json`` beside this module is *derived from real data*, not generated: it holds frequencies
counted in the complete force-month street files under ``tests/fixtures/police_uk/`` (Essex 2018-01
and 2018-02, Hampshire 2022-02, Avon and Somerset 2023-01; see
``/work/shared/data/police-uk-street-samples/SOURCE.md``). It is rebuilt with::

    uv run python -c "from policeperf.synthetic.profile import write_profile; write_profile()"

What it holds: the share of anti-social behaviour rows, the distribution of ``Last outcome
category`` for each crime type, the share of rows published without a location, and the most
common ``Location`` texts ("On or near ..."), which are data.police.uk's anonymised snap points.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

ASB = "Anti-social behaviour"
_LOCATIONS_KEPT = 2000


@dataclass(frozen=True)
class Profile:
    """Frequencies learned from real street files (see the module docstring)."""

    sources: tuple[str, ...]
    rows: int
    asb_share: float  # ASB rows / all rows
    no_location_share: float  # rows without coordinates or LSOA / all rows
    outcomes: dict[str, dict[str, float]]  # crime type -> outcome category -> probability
    locations: tuple[str, ...]  # most common "On or near ..." texts


def _read_street(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False, glob=False)  # a name is a file, not a pattern
    # Some published copies renamed the header to snake_case ("crime_type"); fold both spellings.
    return frame.rename({c: c.strip().lower().replace(" ", "_") for c in frame.columns})


def learn(paths: list[Path]) -> Profile:
    """Count the frequencies the generator needs in real data.police.uk street files."""
    frame = pl.concat([_read_street(p) for p in paths], how="vertical")
    rows = frame.height
    asb = frame.filter(pl.col("crime_type") == ASB).height
    no_loc = frame.filter(pl.col("lsoa_code").is_null()).height
    crimes = frame.filter(pl.col("crime_type") != ASB).with_columns(
        pl.col("last_outcome_category").fill_null("")
    )
    counts = crimes.group_by("crime_type", "last_outcome_category").len()
    outcomes: dict[str, dict[str, float]] = {}
    for (crime_type,), part in counts.sort("crime_type").group_by(
        "crime_type", maintain_order=True
    ):
        total = int(part["len"].sum())
        part = part.sort(["len", "last_outcome_category"], descending=[True, False])
        outcomes[str(crime_type)] = {
            str(o): int(n) / total
            for o, n in zip(part["last_outcome_category"], part["len"], strict=True)
        }
    locations = (
        frame.filter(pl.col("location").str.starts_with("On or near "))
        .group_by("location")
        .len()
        .sort(["len", "location"], descending=[True, False])
        .head(_LOCATIONS_KEPT)["location"]
    )
    return Profile(
        sources=tuple(sorted(p.name for p in paths)),
        rows=rows,
        asb_share=asb / rows,
        no_location_share=no_loc / rows,
        outcomes=outcomes,
        locations=tuple(str(x) for x in locations),
    )


def write_profile(
    fixtures: Path = Path("tests/fixtures/police_uk"), out: Path | None = None
) -> Path:
    """Learn the profile from the real fixture files and write ``profile.json``."""
    profile = learn(sorted(fixtures.glob("*-street.csv.gz")))
    target = out or Path(__file__).with_name("profile.json")
    payload = {
        "about": "Frequencies counted in real data.police.uk street files (not generated data).",
        "licence": "Open Government Licence v3.0 (data.police.uk)",
        "sources": list(profile.sources),
        "rows": profile.rows,
        "asb_share": profile.asb_share,
        "no_location_share": profile.no_location_share,
        "outcomes": profile.outcomes,
        "locations": list(profile.locations),
    }
    target.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


@cache
def load_profile() -> Profile:
    """The shipped profile (``profile.json``)."""
    text = resources.files("policeperf.synthetic").joinpath("profile.json").read_text("utf-8")
    data = json.loads(text)
    return Profile(
        sources=tuple(data["sources"]),
        rows=int(data["rows"]),
        asb_share=float(data["asb_share"]),
        no_location_share=float(data["no_location_share"]),
        outcomes={k: {o: float(p) for o, p in v.items()} for k, v in data["outcomes"].items()},
        locations=tuple(data["locations"]),
    )
