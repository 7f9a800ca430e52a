"""Small, reviewed snapshots of the example report: change them only on purpose.

Set POLICEPERF_UPDATE_SNAPSHOTS=1 to rewrite them, then review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policeperf.compute.engine import compute_measures
from policeperf.report.build import ReportOutput
from policeperf.warehouse import Warehouse

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


def _check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("POLICEPERF_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path}; run with POLICEPERF_UPDATE_SNAPSHOTS=1 and review it")
    assert text == path.read_text(encoding="utf-8")


def test_the_neighbourhood_crime_measures_table_is_as_reviewed(
    example_report: ReportOutput,
) -> None:
    html = example_report.html.read_text(encoding="utf-8")
    start = html.index("Reduce neighbourhood crime</h1>")
    table = html[html.index('<table class="measures">', start):]
    _check("report_neighbourhood_crime_table.html", table[: table.index("</table>") + 8] + "\n")


def test_the_residential_burglary_result_is_as_reviewed(bundled_warehouse: Warehouse) -> None:
    report = compute_measures(bundled_warehouse, "Avon and Somerset", "2022-06")
    result = report.measure("residential_burglary").to_dict()
    keys = ["id", "value", "count", "denominator", "mid_year", "peer_rank", "peer_group_size",
            "peer_average", "peer_average_method", "national_value", "comparison",
            "comparison_rule", "benchmark_text", "trend", "spc_signal", "caveats"]
    summary = {k: result[k] for k in keys}
    summary["peers"] = [(p["name"], p["count"], p["rank"]) for p in result["peers"]]
    _check("residential_burglary_result.json", json.dumps(summary, indent=2) + "\n")
