"""Pieces every kind function shares: the result skeleton, trend and SPC on period values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from policeperf.compute.context import Context, Settings
from policeperf.compute.periods import add_months
from policeperf.compute.spc import SpcResult, xmr_chart
from policeperf.compute.trends import MannKendall, TrendResult, TrendSettings, classify_trend
from policeperf.definitions.model import Measure, Source
from policeperf.results import MeasureResult

__all__ = [
    "annual_points",
    "base_fields",
    "run_spc",
    "run_trend",
    "short_name",
    "spc_signal",
    "stand_in_fields",
    "trend_fields",
    "trend_settings",
    "unavailable",
]


def describe_source(measure: Measure) -> tuple[str, ...]:
    """The measure's sources in order of preference, in words."""
    if measure.components:
        return (f"sum of measures {', '.join(measure.components)}",)
    return tuple(
        f"{s.kind.value} {s.id}" + (f" [{s.category}]" if s.category else "")
        for s in measure.sources
    )


def base_fields(measure: Measure, ctx: Context) -> dict[str, Any]:
    """Fields every result has, from the definition and the run."""
    priority = ctx.catalogue.priority(measure.priority)
    return {
        "id": measure.id,
        "title": measure.title,
        "priority": priority.id,
        "priority_title": priority.title,
        "kind": measure.kind.value,
        "unit": measure.unit,
        "polarity": measure.polarity.value,
        "period_end": ctx.period_end,
        "sources": describe_source(measure),
        "window_months": measure.window_months,
        "definition": f"{measure.origin.file}:{measure.origin.line}",
    }


def unavailable(measure: Measure, ctx: Context, *reasons: str) -> MeasureResult:
    """A result with no value and caveats saying why."""
    return MeasureResult(**base_fields(measure, ctx), value=None, caveats=tuple(reasons))


def annual_points(
    points: Sequence[tuple[date, float | None]], period_end: date
) -> list[tuple[date, float | None]]:
    """Non-overlapping 12-month values: those ending at ``period_end`` minus whole years."""
    wanted = {add_months(period_end, -12 * k) for k in range(0, 40)}
    return sorted((d, v) for d, v in points if d in wanted and d <= period_end)


def _expanded(measure: Measure, window_months: int) -> tuple[tuple[date, date], ...]:
    """Excluded windows widened so that a value whose months touch one is dropped."""
    return tuple(
        (w.start, add_months(w.end, window_months - 1)) for w in measure.trend.excluded
    )


def run_trend(
    measure: Measure,
    ctx: Context,
    points: Sequence[tuple[date, float | None]],
    periods_per_year: int,
    *,
    proportion: bool = False,
    tested: tuple[float, MannKendall] | None = None,
) -> TrendResult | None:
    """Trend word on period values (None when there is no value at all).

    ``points`` are non-overlapping values: annual 12-month values (periods_per_year = 1) or
    monthly/quarterly values. Excluded windows drop every value whose months overlap them. The
    window is the latest ``trends.default_window(periods_per_year)`` values left (8 yearly, 8
    quarterly, 24 monthly) unless the measure sets ``trend.window_years`` (then that many years
    of values) or a baseline.
    """
    usable = [(d, v) for d, v in points if d <= ctx.period_end]
    if not any(v is not None for _, v in usable):
        return None
    settings = trend_settings(measure, ctx.settings, periods_per_year)
    return classify_trend(usable, periods_per_year, settings, proportion=proportion,
                          tested=tested)


def trend_settings(measure: Measure, settings: Settings, periods_per_year: int) -> TrendSettings:
    """The trend test's settings for a measure (see :func:`run_trend`)."""
    spec = measure.trend
    months = 12 // periods_per_year
    return TrendSettings(
        alpha=settings.trend_alpha,
        moderate_pct=settings.trend_moderate_pct,
        strong_pct=settings.trend_strong_pct,
        # None: the one default rule for every period type (trends.default_window).
        window_periods=spec.window_years * periods_per_year if spec.window_years else None,
        min_points=spec.min_points or (5 if periods_per_year == 1 else 8),
        baseline=(spec.baseline.start, spec.baseline.end) if spec.baseline else None,
        excluded=_expanded(measure, months),
    )


def run_spc(
    measure: Measure, ctx: Context, points: Sequence[tuple[date, float | None]]
) -> SpcResult | None:
    """XmR chart of the period values up to the period (None without values)."""
    usable = [(d, v) for d, v in points if d <= ctx.period_end]
    if not any(v is not None for _, v in usable):
        return None
    return xmr_chart(usable, measure.polarity.value, ctx.settings.spc)


def spc_signal(result: SpcResult | None) -> str | None:
    """The latest point's variation, with the rule that fired: "special cause concern (shift)"."""
    if result is None or not result.points:
        return None
    last = result.points[-1]
    return f"{result.variation} ({last.rule})" if last.rule else result.variation


def trend_fields(trend: TrendResult | None) -> dict[str, Any]:
    """The result fields of a trend test: the word, its method text and the numbers behind it."""
    if trend is None:
        return {"trend": None, "trend_method": None}
    return {
        "trend": trend.word,
        "trend_method": trend.method,
        "trend_p_value": trend.p_value,
        "trend_slope_pct": trend.slope_pct_per_year,
        "trend_n": trend.n,
        "trend_window_start": trend.window_start,
        "trend_window_end": trend.window_end,
    }


def short_name(title: str) -> str:
    """A measure's title as a noun in running text: "Police recorded serious violence offences"
    -> "serious violence" (an initial acronym such as "ASB" keeps its capitals)."""
    short = title.removeprefix("Police recorded ").removesuffix(" offences").strip()
    if len(short) > 1 and short[1].isupper():
        return short
    return short[:1].lower() + short[1:]


def _source_title(source: Source) -> str:
    return source.title or source.id.replace("_", " ").capitalize()


def _fallback(measure: Measure, used: str) -> Source | None:
    """The source ``used`` ("ons_offence robbery") when it is not the measure's first one."""
    for i, source in enumerate(measure.sources):
        if f"{source.kind.value} {source.id}" == used.strip():
            return source if i > 0 else None
    return None


def stand_in_fields(measure: Measure, ctx: Context, used: str | None) -> dict[str, Any]:
    """``stand_in`` and ``stand_in_reason`` when a fallback source stood in for the measure's own.

    ``used`` is the source text the counts came from: "ons_offence violence_with_injury", or for
    a sum of measures "a: ons_offence x + b: ons_offence y". A fallback gives
    "Violence with injury (stand-in for serious violence)" with its caveat as the reason; a sum
    with a stand-in component says which component stood in.
    """
    if not used:
        return {}
    if measure.components:
        parts = dict(part.split(": ", 1) for part in used.split(" + ") if ": " in part)
        inner = [(ctx.measure(c), _fallback(ctx.measure(c), parts.get(c, ""))) for c in
                 measure.components]
        standing = [(m, s) for m, s in inner if s is not None]
        if not standing:
            return {}
        what = "; ".join(f"{_source_title(s).lower()} for {short_name(m.title)}"
                         for m, s in standing)
        title = short_name(measure.title)
        return {"stand_in": f"{title[:1].upper() + title[1:]} (counting {what})",
                "stand_in_reason": " ".join(s.caveat or "" for _, s in standing).strip() or None}
    source = _fallback(measure, used)
    if source is None:
        return {}
    return {"stand_in": f"{_source_title(source)} (stand-in for {short_name(measure.title)})",
            "stand_in_reason": source.caveat}
