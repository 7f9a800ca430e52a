"""The shipped profile is what the real fixture files give."""

from __future__ import annotations

from pathlib import Path

import pytest

from policeperf.synthetic.profile import learn, load_profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "police_uk"


def test_shipped_profile_matches_the_real_fixture_files() -> None:
    learned = learn(sorted(FIXTURES.glob("*-street.csv.gz")))
    shipped = load_profile()
    assert shipped.rows == learned.rows
    assert shipped.asb_share == pytest.approx(learned.asb_share)
    assert shipped.outcomes.keys() == learned.outcomes.keys()
    for crime_type, dist in learned.outcomes.items():
        assert shipped.outcomes[crime_type] == pytest.approx(dist)


def test_every_crime_types_outcomes_sum_to_one() -> None:
    for dist in load_profile().outcomes.values():
        assert sum(dist.values()) == pytest.approx(1.0)
