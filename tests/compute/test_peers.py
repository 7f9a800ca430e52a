"""MSG benchmarks of one measure: the word is judged against the average that is printed."""

from __future__ import annotations

import pytest

from policeperf.compute.context import Settings
from policeperf.compute.engine import compute_measures
from policeperf.reference.areas import resolve_area
from policeperf.reference.peer_groups import PeerGroup
from policeperf.warehouse import Warehouse

CLEVELAND = resolve_area("Cleveland").code
# A group of eight in which Cleveland's robbery rate (1.670 in the year to June 2023) lies just
# below the weighted average (1.696: the big metropolitan forces weigh most) but far above the
# simple mean of the eight rates (1.379).
PEERS = ("West Yorkshire", "Greater Manchester", "Staffordshire", "Cumbria", "Derbyshire",
         "West Midlands", "South Yorkshire")


def test_the_word_is_judged_against_the_weighted_average_it_is_printed_with(
    bundled_warehouse: Warehouse,
) -> None:
    members = (CLEVELAND, *(resolve_area(n).code for n in PEERS))
    groups = {CLEVELAND: PeerGroup(CLEVELAND, members, "test", "test")}
    report = compute_measures(bundled_warehouse, CLEVELAND, "2023-06", peer_groups=groups,
                              settings=Settings(average="weighted"))
    r = report.measure("robbery")
    assert round(r.value or 0, 3) == 1.670
    assert r.peer_average is not None and round(r.peer_average, 3) == 1.696
    assert r.peer_average_method is not None and r.peer_average_method.startswith("weighted")
    # -1.5% from the printed average: similar (it was "higher than", +21.1% from the simple mean).
    assert r.comparison == "similar to"
    assert r.benchmark_text.endswith("(similar to MSG average rates)")
    assert r.comparison_description is not None
    assert "-1.5% from the weighted MSG mean 1.696" in r.comparison_description


def test_the_simple_average_still_judges_with_the_simple_mean(
    bundled_warehouse: Warehouse,
) -> None:
    members = (CLEVELAND, *(resolve_area(n).code for n in PEERS))
    groups = {CLEVELAND: PeerGroup(CLEVELAND, members, "test", "test")}
    r = compute_measures(bundled_warehouse, CLEVELAND, "2023-06",
                         peer_groups=groups).measure("robbery")
    assert r.peer_average == pytest.approx(1.379, abs=5e-4)
    assert r.comparison == "higher than"  # +21.1% from 1.379
