"""Drafted comments: what the numbers mean, drafts until accepted for those numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from policeperf.report.drafts import as_comment, draft_for, draft_key, draft_text
from policeperf.report.project import AcceptedDraft
from policeperf.results import MeasureResult, SeriesPoint

BURGLARY = MeasureResult(
    id="residential_burglary", title="Police recorded residential burglary offences",
    priority="reduce_neighbourhood_crime", priority_title="Reduce neighbourhood crime",
    kind="recorded_crime_rate", unit="per 1,000 households", polarity="lower_is_better",
    period_end=dt.date(2022, 6, 30), value=6.627, peer_rank=7, peer_group_size=8,
    peer_average=5.758, national_value=7.0, comparison="higher than",
    count=4886.0, denominator=737316.0,
    series=(SeriesPoint(dt.date(2021, 6, 30), 6.2, count=4500.0, denominator=737316.0),
            SeriesPoint(dt.date(2022, 6, 30), 6.627, count=4886.0, denominator=737316.0)),
)


def test_draft_says_direction_size_significance_and_position_among_peers() -> None:
    draft = draft_for(BURGLARY, "Avon and Somerset")
    assert draft is not None
    # 4,886 against 4,500 offences on equal denominators: p = 7e-5 (significant).
    assert draft.text == (
        "**Residential burglary** rose 6.9% on a year earlier to 6.63 per 1,000 households, a "
        "real change for the worse (more than chance: p < 0.001). 7th of 8 in the MSG, 15.1% "
        "above its average: worse than the group (national 7.00)."
    )


def test_a_change_within_chance_is_not_called_real() -> None:
    small = dataclasses.replace(
        BURGLARY, count=21.0,
        series=(SeriesPoint(dt.date(2021, 6, 30), 6.2, count=13.0, denominator=737316.0),
                SeriesPoint(dt.date(2022, 6, 30), 6.627, count=21.0, denominator=737316.0)))
    text = draft_text(small, "Avon and Somerset")
    assert text is not None and "within chance (p = 0.23): not a real change yet." in text


def test_a_stand_in_is_named_in_its_draft() -> None:
    stand_in = dataclasses.replace(BURGLARY, stand_in="All burglary (stand-in for residential "
                                   "burglary)")
    text = draft_text(stand_in, "Avon and Somerset")
    assert text is not None and text.startswith(
        "**All burglary (stand-in for residential burglary)** rose")


def test_titles_are_escaped_for_markdown() -> None:
    odd = dataclasses.replace(BURGLARY, title="Police recorded *odd_name* offences")
    text = draft_text(odd, "Avon and Somerset")
    assert text is not None and text.startswith(r"**\*odd\_name\***")


def test_draft_stays_a_draft_until_accepted_for_the_same_numbers() -> None:
    draft = draft_for(BURGLARY, "Avon and Somerset")
    assert draft is not None
    assert as_comment(draft, None).draft
    accepted = AcceptedDraft("residential_burglary", draft.key)
    assert not as_comment(draft, accepted).draft


def test_edited_text_replaces_an_accepted_draft() -> None:
    draft = draft_for(BURGLARY, "Avon and Somerset")
    assert draft is not None
    comment = as_comment(draft, AcceptedDraft("residential_burglary", draft.key, "Our words."))
    assert (comment.text, comment.draft) == ("Our words.", False)


def test_new_numbers_change_the_key_so_the_comment_is_a_draft_again() -> None:
    changed = dataclasses.replace(BURGLARY, peer_rank=6)
    assert draft_key(changed) != draft_key(BURGLARY)
    draft = draft_for(changed, "Avon and Somerset")
    assert draft is not None
    assert as_comment(draft, AcceptedDraft("residential_burglary", draft_key(BURGLARY))).draft


def test_no_draft_without_a_value() -> None:
    assert draft_for(dataclasses.replace(BURGLARY, value=None), "Avon and Somerset") is None
