"""Drafted comments: factual sentences from the numbers, drafts until accepted for those numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt

from policeperf.report.drafts import as_comment, draft_for, draft_key
from policeperf.report.project import AcceptedDraft
from policeperf.results import MeasureResult, SeriesPoint

BURGLARY = MeasureResult(
    id="residential_burglary", title="Police recorded residential burglary offences",
    priority="reduce_neighbourhood_crime", priority_title="Reduce neighbourhood crime",
    kind="recorded_crime_rate", unit="per 1,000 households", polarity="lower_is_better",
    period_end=dt.date(2022, 6, 30), value=6.627, peer_rank=7, peer_group_size=8,
    peer_average=5.758, national_value=7.0,
    series=(SeriesPoint(dt.date(2021, 6, 30), 6.2), SeriesPoint(dt.date(2022, 6, 30), 6.627)),
)


def test_draft_states_value_change_rank_msg_difference_and_national() -> None:
    draft = draft_for(BURGLARY, "Avon and Somerset")
    assert draft is not None
    assert draft.text == (
        "**Residential burglary**: 6.63 per 1,000 households, up 6.9% on a year earlier; "
        "7th of 8 in the MSG, 15.1% above the MSG average; national 7.00."
    )


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
