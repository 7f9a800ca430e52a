"""Charts for the report: one function per chart kind, each returning a `Chart` (inline SVG).

Every function takes a Polars frame with the columns listed in `inputs.FRAME_COLUMNS`, a title
and a `ChartSize`, and draws the chart straight to SVG in pure Python (no browser, no JavaScript
engine, no network); it also returns a Vega-Lite spec of the same chart for the dashboard. See
docs/charts.md.
"""

from policeperf.render.charts._render import Chart
from policeperf.render.charts.bars import (
    category_bars,
    dual_axis_volume_rate,
    monthly_count_bars,
    paired_bars,
)
from policeperf.render.charts.inputs import (
    COUNT,
    FRAME_COLUMNS,
    MIN_FONT_PX,
    PERCENT,
    PRINT_WIDTH_MM,
    PX_PER_MM,
    SIZE_PX,
    ChartSize,
    Role,
    ValueFormat,
    printed_points,
)
from policeperf.render.charts.lines import (
    force_vs_national_series,
    rolling_count_quarterly,
    rolling_rate_lines,
    survey_rate_lines,
)
from policeperf.render.charts.peers import funnel_plot, peer_ranking
from policeperf.render.charts.spc import spc_chart

__all__ = [
    "COUNT",
    "FRAME_COLUMNS",
    "MIN_FONT_PX",
    "PRINT_WIDTH_MM",
    "PX_PER_MM",
    "PERCENT",
    "SIZE_PX",
    "Chart",
    "ChartSize",
    "Role",
    "ValueFormat",
    "category_bars",
    "dual_axis_volume_rate",
    "force_vs_national_series",
    "funnel_plot",
    "monthly_count_bars",
    "paired_bars",
    "printed_points",
    "peer_ranking",
    "rolling_count_quarterly",
    "rolling_rate_lines",
    "spc_chart",
    "survey_rate_lines",
]
