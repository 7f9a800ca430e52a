"""The overview page: every measure of the report in one table, and what moved since the
previous quarter (ranks, comparison and trend words, new SPC signals).

The previous quarter's results come from the same engine, run for the quarter before (see
`policeperf.report.build`); this module only compares the two sets of results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import polars as pl

from policeperf.compute.change import year_change
from policeperf.report.data import (
    Mark,
    Overview,
    OverviewRow,
    PriorityPage,
    QuarterChange,
    TableDescription,
    Tone,
)
from policeperf.report.numbers import (
    benchmark_cell,
    format_change,
    format_value,
    number_format,
    significance_words,
    trend_cell,
)
from policeperf.results import MeasureResult, MeasuresReport

__all__ = ["OVERVIEW_CSV", "QUARTER_CSV", "mark", "overview", "quarter_changes"]

OVERVIEW_CSV = "overview.csv"
QUARTER_CSV = "overview-changes-since-previous-quarter.csv"

MARK_TEXT: dict[Mark, str] = {"better": "Better", "similar": "Similar", "worse": "Worse",
                              "none": "Not compared"}


def mark(result: MeasureResult) -> Mark:
    """Better, similar or worse than the peer group (or national), by the measure's polarity.

    The MSG comparison word decides where there is one ("higher than" is worse when lower is
    better); a measure compared with national is better or worse by the side of its difference
    (similar when the difference prints as zero); otherwise there is no comparison.
    """
    up_is_better = result.polarity == "higher_is_better"
    if result.comparison == "similar to":
        return "similar"
    if result.comparison in ("higher than", "below"):
        return "better" if (result.comparison == "higher than") == up_is_better else "worse"
    if (result.peer_rank is None and result.value is not None
            and result.national_value is not None
            and result.benchmark_text.endswith("compared to national")):
        difference = result.value - result.national_value
        if number_format(result).rounds_to_zero(difference):
            return "similar"
        return "better" if (difference > 0) == up_is_better else "worse"
    return "none"


def short_benchmark(text: str) -> str:
    """The benchmark in a few words: "7th/8 MSG (higher than MSG average rates)" -> "7th/8 MSG,
    higher"; "+27 days compared to national" -> "+27 days vs national"."""
    for word in ("higher than", "similar to", "below"):
        text = text.replace(f" ({word} MSG average rates)", f", {word.split()[0]}")
    return text.replace(" compared to national", " vs national")


def _change_tone(result: MeasureResult) -> Tone:
    change = year_change(result)
    if change is None or not change.significant or change.direction == "none":
        return "neutral"
    up_is_better = result.polarity == "higher_is_better"
    return "good" if (change.direction == "up") == up_is_better else "bad"


def _row(result: MeasureResult, page: PriorityPage, illustrative: bool,
         value_text: str, refs: tuple[int, ...]) -> OverviewRow:
    change = year_change(result)
    position = mark(result)
    return OverviewRow(
        priority=page.title, page_id=page.page_id, measure_id=result.id,
        title=result.display_title, value_text=value_text,
        change_text=format_change(result, change), significance=significance_words(change),
        change_tone=_change_tone(result), trend=trend_cell(result),
        benchmark=benchmark_cell(result), mark=position, mark_text=MARK_TEXT[position],
        illustrative=illustrative, note_refs=refs,
        benchmark_short=short_benchmark(benchmark_cell(result)))


def _rank(result: MeasureResult) -> str | None:
    if result.peer_rank is None or not result.peer_group_size:
        return None
    tied = "=" if result.peer_rank_tied else ""
    return f"{tied}{result.peer_rank}/{result.peer_group_size}"


def _spc(result: MeasureResult) -> str:
    """The latest point's SPC variation in words: "special cause concern (two of three)"."""
    return (result.spc_signal or "none").replace("_", " ")


def _variation(signal: str) -> str:
    """The variation without the rule: "special cause concern (shift)" -> "special cause
    concern"."""
    return signal.split(" (")[0]


def _word(trend: str | None) -> str | None:
    return None if trend in (None, "Insufficient data") else trend


def quarter_changes(
    shown: Mapping[str, Sequence[str]], now: MeasuresReport, before: MeasuresReport
) -> tuple[QuarterChange, ...]:
    """What moved between the previous quarter and this one, page by page.

    A rank that moved, a comparison word or trend word that changed, and a special-cause SPC
    signal at the latest point that the previous quarter did not have.

    Args:
        shown: Measure ids by page id, in report order.
        now: This quarter's results.
        before: The previous quarter's results.
    """
    changes: list[QuarterChange] = []
    for page_id, ids in shown.items():
        for measure_id in ids:
            new, old = now.measure(measure_id), _find(before, measure_id)
            if old is None or old.value is None or new.value is None:
                continue
            moved = [("MSG rank", _rank(old), _rank(new)),
                     ("Comparison with the MSG", old.comparison, new.comparison),
                     ("Trend / outlook", _word(old.trend), _word(new.trend))]
            # Only a move between two figures counts: a word that one quarter lacks (no data
            # for its window then) has not moved.
            changes += [QuarterChange(page_id, new.id, new.display_title, what, was, is_)
                        for what, was, is_ in moved if was and is_ and was != is_]
            signal, before_signal = _spc(new), _spc(old)
            if "special cause" in signal and _variation(signal) != _variation(before_signal):
                changes.append(QuarterChange(page_id, new.id, new.display_title,
                                             "New SPC signal", before_signal, signal))
    return tuple(changes)


def _find(report: MeasuresReport, measure_id: str) -> MeasureResult | None:
    return next((m for m in report.measures if m.id == measure_id), None)


def overview(
    pages: Sequence[PriorityPage],
    shown: Mapping[str, Sequence[str]],
    measures: MeasuresReport,
    previous: MeasuresReport | None,
    *,
    previous_label: str,
    illustrative: frozenset[str],
    previous_note: str = "",
) -> Overview:
    """Every measure the report shows (table rows and chart-only measures), in page order.

    Args:
        pages: The priority pages, as assembled (their rows give the printed values).
        shown: Measure ids by page id, in report order (table measures, then chart-only ones).
        measures: This quarter's results.
        previous: The previous quarter's results from the same engine, or None.
        previous_label: "Quarter ending March 2022 (Q4 2021/22)".
        illustrative: Ids of measures whose figures come from files marked illustrative.
        previous_note: Why there is no previous quarter to compare with, if there is none.
    """
    notes: list[str] = []

    def ref(note: str) -> int:
        if note not in notes:
            notes.append(note)
        return notes.index(note) + 1

    printed = {row.measure_id: row.value_text for page in pages for row in page.rows}
    rows = []
    for page in pages:
        for measure_id in shown.get(page.page_id, ()):
            result = measures.measure(measure_id)
            refs = []
            if result.stand_in and result.stand_in_reason:
                refs.append(ref(result.stand_in_reason))
            if measure_id in illustrative:
                refs.append(ref("Illustrative figure: it comes from a file marked illustrative "
                                "(made-up numbers that show the layout), not from the force."))
            value = printed.get(measure_id) or format_value(result)
            row = _row(result, page, measure_id in illustrative, value, tuple(refs))
            if measure_id == shown[page.page_id][0]:
                row = dataclasses.replace(row, group_rows=len(shown[page.page_id]))
            rows.append(row)
    changes = tuple(
        dataclasses.replace(c, illustrative=c.measure_id in illustrative)
        for c in (quarter_changes(shown, measures, previous) if previous is not None else ()))
    return Overview(tuple(rows), changes, previous_label, previous is not None, tuple(notes),
                    f"data/{OVERVIEW_CSV}", f"data/{QUARTER_CSV}", previous_note)


def overview_tables(
    view: Overview, measures: MeasuresReport
) -> dict[str, tuple[pl.DataFrame, TableDescription]]:
    """The overview's two CSVs with their descriptions (for data/datapackage.json)."""
    records = []
    for row in view.rows:
        result = measures.measure(row.measure_id)
        change = year_change(result)
        records.append({
            "priority": row.priority,
            "measure_id": row.measure_id,
            "measure": row.title,
            "stand_in_reason": result.stand_in_reason if result.stand_in else None,
            "latest_value": result.value,
            "unit": result.unit,
            "latest_text": row.value_text,
            "year_earlier_period_end": change.earlier_period if change else None,
            "year_earlier_value": change.earlier if change else None,
            "change_on_year_earlier": change.change if change else None,
            "change_unit": None if change is None else (
                "percentage points" if change.unit == "points" else "% of the earlier value"),
            "change_text": row.change_text,
            "change_p_value": change.p_value if change else None,
            "change_significance": row.significance or None,
            "change_test": change.test if change else None,
            "trend_outlook": row.trend.text,
            "benchmark": row.benchmark,
            "peer_rank": result.peer_rank,
            "peer_group_size": result.peer_group_size,
            "compared_with_peers": row.mark,
            "illustrative": row.illustrative,
        })
    table = pl.DataFrame(records, schema={
        "priority": pl.Utf8, "measure_id": pl.Utf8, "measure": pl.Utf8,
        "stand_in_reason": pl.Utf8, "latest_value": pl.Float64, "unit": pl.Utf8,
        "latest_text": pl.Utf8, "year_earlier_period_end": pl.Date,
        "year_earlier_value": pl.Float64, "change_on_year_earlier": pl.Float64,
        "change_unit": pl.Utf8, "change_text": pl.Utf8, "change_p_value": pl.Float64,
        "change_significance": pl.Utf8, "change_test": pl.Utf8, "trend_outlook": pl.Utf8,
        "benchmark": pl.Utf8, "peer_rank": pl.Int64, "peer_group_size": pl.Int64,
        "compared_with_peers": pl.Utf8, "illustrative": pl.Boolean})
    moved = pl.DataFrame(
        [{"measure_id": c.measure_id, "measure": c.title, "page": c.page_id, "what": c.what,
          "previous_quarter": c.before, "this_quarter": c.now, "illustrative": c.illustrative}
         for c in view.changes],
        schema={"measure_id": pl.Utf8, "measure": pl.Utf8, "page": pl.Utf8, "what": pl.Utf8,
                "previous_quarter": pl.Utf8, "this_quarter": pl.Utf8,
                "illustrative": pl.Boolean})
    return {
        view.csv_path: (table, TableDescription(
            "Overview: every measure of the report",
            "One row per measure: the latest value, the change on the same period a year "
            "earlier with its significance test, the trend word, the benchmark and whether the "
            "force is better, similar or worse than its peers by the measure's polarity.",
            OVERVIEW_COLUMNS)),
        view.changes_csv_path: (moved, TableDescription(
            f"What changed since the previous quarter ({view.previous_label})",
            "One row per rank, comparison word or trend word that moved, and per new "
            "special-cause SPC signal, comparing this quarter's results with the previous "
            "quarter's from the same engine.",
            {"measure_id": "measure id in the catalogue", "measure": "measure title",
             "page": "priority page id", "what": "what moved",
             "previous_quarter": "the previous quarter's rank or word",
             "this_quarter": "this quarter's rank or word",
             "illustrative": "true when the figures come from a file marked illustrative"})),
    }


OVERVIEW_COLUMNS = {
    "priority": "the priority (report page) the measure belongs to",
    "measure_id": "measure id in the catalogue",
    "measure": "measure title; a stand-in measure says so",
    "stand_in_reason": "why a stand-in source is shown, when one is",
    "latest_value": "latest value in the unit given in 'unit' (proportions as 0-1)",
    "unit": "unit of latest_value and year_earlier_value",
    "latest_text": "latest value as printed in the report",
    "year_earlier_period_end": "period end of the figure a year earlier",
    "year_earlier_value": "the figure a year earlier, in the unit given in 'unit'",
    "change_on_year_earlier": "change on a year earlier, in the unit given in 'change_unit'",
    "change_unit": "'% of the earlier value' (counts, rates, averages) or 'percentage points' "
                   "(proportions)",
    "change_text": "the change as printed",
    "change_p_value": "two-sided p-value of the change's test",
    "change_significance": "significant / not significant at the 5% level, or not tested",
    "change_test": "poisson_counts, poisson_rates (exact conditional binomial), "
                   "two_proportions (z-test) or none",
    "trend_outlook": "trend / outlook word",
    "benchmark": "benchmark as printed",
    "peer_rank": "rank in the Most Similar Group (1 = best by polarity)",
    "peer_group_size": "forces ranked",
    "compared_with_peers": "better, similar or worse than the MSG (or national) by polarity; "
                           "none when not compared",
    "illustrative": "true when the figure comes from a file marked illustrative",
}
