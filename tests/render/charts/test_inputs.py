"""Input types: value formats and frame column checks."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from policeperf.render.charts.inputs import (
    COUNT,
    FRAME_COLUMNS,
    PERCENT,
    ValueFormat,
    require_columns,
    require_one_force,
    require_roles,
)


@pytest.mark.parametrize(
    ("fmt", "value", "text", "d3"),
    [
        (COUNT, 12345, "12,345", ",.0f"),
        (ValueFormat(2), 0.615, "0.61", ",.2f"),
        (PERCENT, 0.1234, "12.3%", ".1%"),
        (COUNT, None, "no data", ",.0f"),
    ],
)
def test_value_format_prints_like_the_chart_labels(
    fmt: ValueFormat, value: float | None, text: str, d3: str
) -> None:
    assert fmt.text(value) == text
    assert fmt.d3() == d3


def test_percent_axes_use_whole_percentages() -> None:
    assert PERCENT.axis() == ".0%"
    assert ValueFormat(2).axis() == ",.2f"


def test_require_columns_keeps_the_documented_columns_in_order() -> None:
    frame = pl.DataFrame({"extra": [1], "value": [2], "period_end": [None]})
    assert require_columns(frame, "monthly_count_bars").columns == ["period_end", "value"]


def test_require_columns_names_the_missing_and_expected_columns() -> None:
    with pytest.raises(ValueError, match=r"missing column\(s\) \['rate'\]"):
        require_columns(pl.DataFrame({"area": ["Kent"], "is_force": [True]}), "peer_ranking")


def test_require_columns_rejects_an_empty_frame() -> None:
    frame = pl.DataFrame(schema={"period_end": pl.Date, "value": pl.Int64})
    with pytest.raises(ValueError, match="no rows"):
        require_columns(frame, "monthly_count_bars")


def test_require_roles_accepts_force_msg_and_national_only() -> None:
    require_roles(pl.DataFrame({"role": ["force", "msg", "national"]}), "x")
    with pytest.raises(ValueError, match=r"unknown role\(s\) \['region'\]"):
        require_roles(pl.DataFrame({"role": ["force", "region"]}), "x")


def test_require_one_force_returns_the_flagged_area() -> None:
    frame = pl.DataFrame({"area": ["Kent", "Essex"], "is_force": [False, True]})
    assert require_one_force(frame, "x") == "Essex"


def test_the_charts_doc_lists_every_chart_kind_and_its_columns() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "charts.md").read_text(encoding="utf-8")
    for kind, columns in FRAME_COLUMNS.items():
        assert f"`{kind.split('.')[0]}(" in doc, kind
        for column in columns:
            assert f"`{column}`" in doc, (kind, column)
