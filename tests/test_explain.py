"""explain() states every number behind a result."""

from __future__ import annotations

import pytest

from policeperf.compute.engine import compute_measures
from policeperf.explain import explain
from policeperf.warehouse import Warehouse


@pytest.fixture(scope="module")
def text(bundled_warehouse: Warehouse) -> str:
    report = compute_measures(bundled_warehouse, "E23000036", "2022-06-30")
    return explain(report.measure("residential_burglary"))


def test_explain_gives_the_rate_arithmetic_and_the_mid_year_estimate(text: str) -> None:
    assert "1,000 x 4,886 / 737,316 = 6.63 per 1,000 households" in text
    assert "mid-2020" in text and "printed rounded as 737,300" in text


def test_explain_lists_every_peer_with_rank_and_the_average_method(text: str) -> None:
    assert "7. Avon and Somerset: 6.63" in text and "8. Hampshire" in text
    assert "simple mean of the 8 MSG forces" in text


def test_explain_gives_the_comparison_rule_trend_spc_and_sources(text: str) -> None:
    assert "pct_band" in text and "+15.1%" in text and "+/-15%" in text
    assert "Mann-Kendall" in text and "XmR" in text
    assert "pfajun22.xlsx" in text and "Table P1" in text and "Table P3 row 54" in text


def test_explain_prints_the_caveats_of_a_fallback(bundled_warehouse: Warehouse) -> None:
    report = compute_measures(bundled_warehouse, "E23000036", "2022-06-30")
    assert "Personal robbery is not published by ONS" in explain(
        report.measure("personal_robbery"))
