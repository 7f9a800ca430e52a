"""Plain input types shared by the chart functions: sizes, series roles, value formats, frames.

Chart functions take Polars frames whose required columns are declared here once
(`FRAME_COLUMNS`), so the docs, the validation and the tests read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl


class ChartSize(StrEnum):
    """Where a chart sits on an A4 landscape page; it is drawn at its printed size.

    Each size is drawn in CSS pixels (96 per inch) at exactly the width it prints at
    (`PRINT_WIDTH_MM`, the width report.css gives it), so a font size in the SVG is its
    printed size: 11 px is 8.25 pt. No text is smaller than `MIN_FONT_PX`.
    """

    FULL = "full"
    """The width of a priority page's data column (177 mm), 50 mm tall."""
    HALF = "half"
    """Half the data column (86 mm): two charts side by side."""
    TALL = "tall"
    """The only chart of a page: the data column's width and 85 mm tall."""
    APPENDIX = "appendix"
    """Half the page's width (134 mm): the benchmarking appendix, ranking beside funnel."""


PX_PER_MM = 96 / 25.4
"""CSS pixels per millimetre."""

PRINT_WIDTH_MM: dict[ChartSize, float] = {
    ChartSize.FULL: 177.0,
    ChartSize.HALF: 86.0,
    ChartSize.TALL: 177.0,
    ChartSize.APPENDIX: 134.0,
}
"""Printed width of each size (report.css sets the same widths)."""

_HEIGHT_MM: dict[ChartSize, float] = {
    ChartSize.FULL: 50.0, ChartSize.HALF: 48.0, ChartSize.TALL: 85.0, ChartSize.APPENDIX: 60.0,
}

SIZE_PX: dict[ChartSize, tuple[int, int]] = {
    size: (round(PRINT_WIDTH_MM[size] * PX_PER_MM), round(_HEIGHT_MM[size] * PX_PER_MM))
    for size in ChartSize
}
"""Total SVG width and height in pixels for each size (title, axes and legend included)."""

MIN_FONT_PX = 11
"""The smallest text in any chart: 11 px at printed size is 8.25 pt."""


def printed_points(font_px: float, svg_width_px: float, size: ChartSize) -> float:
    """The printed size in points of text `font_px` tall in an SVG `svg_width_px` wide."""
    return font_px * PRINT_WIDTH_MM[ChartSize(size)] / svg_width_px * 72 / 25.4


class Role(StrEnum):
    """What a series stands for; decides its colour in every chart."""

    FORCE = "force"
    MSG = "msg"
    NATIONAL = "national"


@dataclass(frozen=True)
class ValueFormat:
    """How numbers are printed on labels, axes and in the alt text, the same way everywhere.

    Attributes:
        decimals: Digits after the decimal point.
        percent: The values are proportions in [0, 1] printed as percentages (0.123 -> "12.3%").
    """

    decimals: int = 0
    percent: bool = False

    def d3(self) -> str:
        """Return the d3-format string Vega uses for this format, e.g. ",.2f" or ".1%"."""
        return f".{self.decimals}%" if self.percent else f",.{self.decimals}f"

    def axis(self) -> str:
        """Return the d3-format for axis ticks: whole percentages, else the label format."""
        return ".0%" if self.percent else self.d3()

    def text(self, value: float | None) -> str:
        """Format one value as the chart prints it; None reads "no data"."""
        if value is None:
            return "no data"
        if self.percent:
            return f"{value * 100:,.{self.decimals}f}%"
        return f"{value:,.{self.decimals}f}"


COUNT = ValueFormat(0)
"""Whole numbers with thousands separators."""
RATE = ValueFormat(2)
"""Rates per 1,000 with two decimals."""
PERCENT = ValueFormat(1, percent=True)
"""Proportions printed as percentages with one decimal."""


FRAME_COLUMNS: dict[str, dict[str, str]] = {
    "rolling_rate_lines": {
        "period_end": "Date: last day of the 12-month window",
        "series": "Utf8: legend label, e.g. 'Avon and Somerset', 'MSG average', 'National'",
        "role": "Utf8: 'force', 'msg' or 'national' (sets the colour)",
        "value": "Float64, nullable: rate per 1,000 (null = not published)",
    },
    "rolling_count_quarterly": {
        "period_end": "Date: last day of the 12-month window (quarterly)",
        "value": "Int64 or Float64, nullable: 12-month rolling count",
    },
    "monthly_count_bars": {
        "period_end": "Date: any day in the month",
        "value": "Int64, nullable: count in the month",
    },
    "survey_rate_lines": {
        "period_end": "Date: end of the survey window",
        "series": "Utf8: e.g. 'Whole experience', 'Follow-up'",
        "rate": "Float64 in [0, 1]: proportion satisfied",
        "lower": "Float64 in [0, 1]: lower Wilson 95% limit",
        "upper": "Float64 in [0, 1]: upper Wilson 95% limit",
    },
    "category_bars": {
        "category": "Utf8: survey category, drawn in frame order from the top",
        "rate": "Float64 in [0, 1]",
        "lower": "Float64 in [0, 1]: lower confidence limit",
        "upper": "Float64 in [0, 1]: upper confidence limit",
    },
    "dual_axis_volume_rate": {
        "period_end": "Date: last day of the 12-month window",
        "volume": "Int64 or Float64: 12-month rolling volume (bars, left axis)",
        "rate": "Float64 in [0, 1]: rate (line, right axis)",
    },
    "paired_bars": {
        "year": "Utf8 or Int64: the period label, e.g. 2019",
        "series": "Utf8: e.g. 'Avon and Somerset', 'National'",
        "role": "Utf8: 'force', 'msg' or 'national'",
        "value": "Float64, nullable",
    },
    "force_vs_national_series": {
        "period_end": "Date: end of the year (e.g. year ending June)",
        "series": "Utf8: legend label",
        "role": "Utf8: 'force', 'msg' or 'national'",
        "value": "Float64, nullable",
    },
    "spc_chart": {
        "period_end": "Date",
        "value": "Float64: the measure",
        "centre": "Float64: process mean",
        "upper": "Float64: upper process limit",
        "lower": "Float64: lower process limit",
        "signal": "Utf8, nullable: 'improvement', 'concern', 'neutral' or null",
        "trial": "Boolean: limits are trial limits (too few points to fix them)",
    },
    "peer_ranking": {
        "area": "Utf8: force name",
        "rate": "Float64",
        "is_force": "Boolean: true for the force the report is about (exactly one row)",
    },
    "funnel_plot.points": {
        "area": "Utf8: force name",
        "denominator": "Float64 or Int64: population or households",
        "rate": "Float64: rate per the same base as the limits",
        "is_force": "Boolean: true for the force the report is about (exactly one row)",
    },
    "funnel_plot.limits": {
        "denominator": "Float64 or Int64, ascending",
        "lower95": "Float64",
        "upper95": "Float64",
        "lower998": "Float64",
        "upper998": "Float64",
    },
}
"""Required columns per chart input, with type and meaning. Extra columns are ignored."""


def require_columns(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Check a frame has the columns `kind` needs and return just those columns.

    Args:
        frame: The caller's data.
        kind: A key of `FRAME_COLUMNS`.

    Returns:
        The frame restricted to the required columns, in the documented order.

    Raises:
        ValueError: Columns are missing or the frame is empty; names what is missing.
    """
    wanted = list(FRAME_COLUMNS[kind])
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{kind}: missing column(s) {missing}; expected {wanted}, got {frame.columns}"
        )
    if frame.height == 0:
        raise ValueError(f"{kind}: the frame has no rows")
    return frame[wanted]  # plain column selection: no query plan (5x faster than select)


def require_roles(frame: pl.DataFrame, kind: str) -> None:
    """Check every value of the `role` column is a known `Role`.

    Raises:
        ValueError: Names the unknown roles and lists the valid ones.
    """
    known = {r.value for r in Role}
    bad = sorted({str(r) for r in frame["role"].to_list()} - known)
    if bad:
        raise ValueError(f"{kind}: unknown role(s) {bad}; valid roles are {sorted(known)}")


def require_one_force(frame: pl.DataFrame, kind: str) -> str:
    """Check exactly one row has `is_force` true and return its area name.

    Raises:
        ValueError: No row or several rows are flagged.
    """
    flagged = frame.filter(pl.col("is_force"))["area"].to_list()
    if len(flagged) != 1:
        raise ValueError(f"{kind}: exactly one row must have is_force true, found {flagged}")
    return str(flagged[0])
