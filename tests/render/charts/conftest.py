"""Every chart kind rendered once from the synthetic samples, shared by the tests."""

from __future__ import annotations

import pytest

from policeperf.render import charts
from policeperf.render.charts import Chart

from . import samples


def render_all() -> dict[str, Chart]:
    """Render each chart kind once from the samples (also used to write PNG previews)."""
    points, limits, centre = samples.funnel()
    return {
        "rolling_rate_lines": charts.rolling_rate_lines(
            samples.rolling_rates(), title="Residential burglary: 12-month rolling rate",
            y_title="Rate per 1,000 households"),
        "rolling_count_quarterly": charts.rolling_count_quarterly(
            samples.quarterly_counts(), title="All drugs disruptions"),
        "monthly_count_bars": charts.monthly_count_bars(
            samples.monthly_counts(), title="Action Fraud offences disseminated"),
        "survey_rate_lines": charts.survey_rate_lines(
            samples.survey_rates(), title="Victim satisfaction"),
        "category_bars": charts.category_bars(
            samples.categories(), title="Satisfaction by category"),
        "dual_axis_volume_rate": charts.dual_axis_volume_rate(
            samples.volume_rate(), title="Rape: charge volume and charge rate"),
        "paired_bars": charts.paired_bars(
            samples.paired(), title="Median days to charge", y_title="Median days"),
        "force_vs_national_series": charts.force_vs_national_series(
            samples.year_ending(), title="Proportion who reoffend",
            y_title="Offenders who reoffend (%)", value_format=charts.PERCENT),
        "spc_chart": charts.spc_chart(
            samples.spc(), title="Burglary XmR", y_title="Offences per month"),
        "peer_ranking": charts.peer_ranking(
            samples.peers(), msg_average=0.63, title="Personal robbery: MSG ranking"),
        "funnel_plot": charts.funnel_plot(
            points, limits, centre=centre, title="Personal robbery: 43 forces"),
    }


@pytest.fixture(scope="session")
def all_charts() -> dict[str, Chart]:
    """All chart kinds, rendered once per test session."""
    return render_all()
