"""Result objects: frozen, JSON-ready, flat table rows."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from policeperf.results import MeasureResult, MeasuresReport, SeriesPoint, json_ready


def result(**kw: object) -> MeasureResult:
    base: dict[str, object] = {
        "id": "robbery", "title": "Robbery", "priority": "p", "priority_title": "P",
        "kind": "recorded_crime_rate", "unit": "per 1,000 residents",
        "polarity": "lower_is_better", "period_end": date(2022, 6, 30), "value": 3.0,
    }  # fmt: skip
    base.update(kw)
    return MeasureResult(**base)  # type: ignore[arg-type]


def test_a_result_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        result().value = 4.0  # type: ignore[misc]


def test_the_report_json_has_iso_dates_and_no_nan() -> None:
    r = result(national_value=float("nan"),
               series=(SeriesPoint(date(2021, 6, 30), 2.0),))
    report = MeasuresReport("Avon and Somerset", "E23000036", date(2022, 6, 30),
                            ("Avon and Somerset", "Kent"), (r,))
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert data["period_end"] == "2022-06-30"
    assert data["peer_group"] == ["Avon and Somerset", "Kent"]
    assert data["measures"][0]["national_value"] is None
    assert data["measures"][0]["series"][0]["period_end"] == "2021-06-30"
    assert '"force": "Avon and Somerset"' in text


def test_a_measure_without_value_still_makes_a_table_row() -> None:
    report = MeasuresReport("X", "E1", date(2022, 6, 30), ("X",),
                            (result(value=None, caveats=("why", "and why")),))
    [row] = report.to_table_rows()
    assert row["value"] is None and row["trend"] == "Not available"
    assert row["benchmark"] == "Not available" and row["caveats"] == "why | and why"


def test_json_ready_converts_nested_values() -> None:
    assert json_ready({"a": (date(2020, 1, 31), float("inf"))}) == {"a": ["2020-01-31", None]}
