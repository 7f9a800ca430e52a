"""Explain a result in plain words: every number behind it, and where it came from."""

from __future__ import annotations

from policeperf.report.numbers import format_count, format_number
from policeperf.results import MeasureResult

__all__ = ["explain"]


def _count(value: float | None) -> str:
    """Counts and denominators, by the report's one number formatter: "737,316"."""
    return "not available" if value is None else format_count(value)


def _figure(r: MeasureResult, value: float | None) -> str:
    """A figure of the measure as the report prints it ("0.012", "80.4%", "8,631")."""
    return "not available" if value is None else format_number(r, value)


def _value_lines(r: MeasureResult) -> list[str]:
    if r.value is None:
        return ["No value could be computed."]
    if r.denominator_base and r.count is not None and r.denominator:
        return [
            f"Count: {_count(r.count)} offences in the 12 months to {r.period_end:%d %B %Y}.",
            f"Denominator: {r.denominator_note or _count(r.denominator)}.",
            f"Rate: 1,000 x {_count(r.count)} / {_count(r.denominator)} = "
            f"{_figure(r, r.value)} {r.unit}.",
        ]
    if r.interval is not None:
        i = r.interval
        return [
            f"Proportion: {i.positive:,} of {i.respondents:,} = {i.proportion:.1%}; "
            f"{i.confidence:.0%} Wilson interval {i.lower:.1%} to {i.upper:.1%}.",
        ]
    return [f"Value: {_figure(r, r.value)} ({r.unit})."]


def _peer_lines(r: MeasureResult) -> list[str]:
    if not r.peers:
        return []
    computed = "similar forces (computed)" in r.benchmark_text
    group = "Similar forces, computed (not the official MSG)" if computed else "Most Similar Group"
    lines = [f"{group} ({len(r.peers)} forces), rank 1 = best ({r.polarity}):"]
    for p in r.peers:
        mark = "  <- this force" if p.is_force else ""
        detail = f" ({_count(p.count)} / {_count(p.denominator)})" if p.denominator else ""
        lines.append(f"  {p.rank}. {p.name}: {_figure(r, p.value)}{detail}{mark}")
    lines.append(f"{'Group' if computed else 'MSG'} average: {_figure(r, r.peer_average)}, the "
                 f"{r.peer_average_method}.")
    return lines


def explain(result: MeasureResult) -> str:
    """A plain-words account of one result.

    It states the count, the denominator and which mid-year estimate, the arithmetic, each
    peer's figure and rank, the average method, the comparison rule with its numbers, the trend
    method with its numbers, the SPC rule that fired, the sources (files, sheets, rows, editions)
    and every caveat.
    """
    r = result
    lines = [f"{r.title} ({r.id}), {r.priority_title}: 12 months to {r.period_end:%d %B %Y}"
             if r.window_months == 12 else
             f"{r.title} ({r.id}), {r.priority_title}: period ending {r.period_end:%d %B %Y}"]
    lines.append(f"Kind: {r.kind}; defined at {r.definition}.")
    lines += _value_lines(r)
    if r.source_used:
        lines.append(f"Source used: {r.source_used} (in order of preference: "
                     f"{'; '.join(r.sources)}).")
    lines += _peer_lines(r)
    if r.national_value is not None:
        lines.append(f"England and Wales: {_figure(r, r.national_value)}.")
    lines.append(f"Benchmark: {r.benchmark_text}.")
    if r.comparison_description:
        lines.append(f"Comparison rule {r.comparison_rule}: {r.comparison_description}")
    if r.trend:
        lines.append(f"Trend: {r.trend}. {r.trend_method or ''}".rstrip())
    if r.spc is not None:
        lines.append(f"SPC: {r.spc_signal}. {r.spc.method}")
    if r.provenance:
        lines.append("Sources:")
        lines += [f"  {p}" for p in r.provenance]
    if r.caveats:
        lines.append("Caveats:")
        lines += [f"  - {c}" for c in r.caveats]
    return "\n".join(lines)
