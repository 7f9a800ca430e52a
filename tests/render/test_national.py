"""The national summary's HTML, from a hand-worked ranking (no warehouse, no charts)."""

from __future__ import annotations

from datetime import date

import polars as pl

from policeperf.compute.national_ranks import NATIONAL_COLUMNS, national_rankings
from policeperf.render.national import render_national_html, short_title
from policeperf.report.national import national_view

JUN = date(2022, 6, 30)
CITY = "ONS suppresses its rates"


def _rows(measure: str, title: str, polarity: str, values: dict[str, float | None], *,
          source: str, stand_in: str | None = None) -> list[dict[str, object]]:
    names = {"A": "Alpha <&>", "B": "Bravo", "L": "City of London"}
    labels = {"A": "2nd/8 MSG (higher than MSG average rates)",
              "B": "1st/8 similar forces (computed) (below group average rates)"}
    return [{"measure_id": measure, "title": title, "unit": "per 1,000 residents",
             "polarity": polarity, "source_used": source, "stand_in": stand_in,
             "area_code": code, "force": names[code], "period_end": JUN, "value": v,
             "count": None if v is None else v * 100, "denominator": 100_000.0,
             "national_value": 1.5, "peer_label": labels.get(code),
             "excluded": CITY if v is None else None}
            for code, v in values.items()]


def _html() -> str:
    values = {"A": 2.0, "B": 1.0, "L": None}
    frame = pl.DataFrame(
        _rows("serious_violence", "Police recorded serious violence offences",
              "lower_is_better", values, source="v",
              stand_in="Violence with injury (stand-in for serious violence)")
        + _rows("violence_with_injury", "Police recorded violence with injury offences",
                "lower_is_better", values, source="v")
        + _rows("drug_offences", "Police recorded drug offences", "higher_is_better", values,
                source="d"), schema=NATIONAL_COLUMNS)
    return render_national_html(national_view(national_rankings(frame, JUN), charts=False))


def test_short_titles_drop_the_boilerplate_but_keep_drug_offences_a_noun() -> None:
    assert short_title("Police recorded robbery offences (personal and business)") == (
        "Robbery (personal and business)")
    assert short_title("Police recorded drug offences") == "Drug offences"
    assert short_title("Neighbourhood crime") == "Neighbourhood crime"


def test_the_overview_says_which_measures_rank_the_highest_rate_first() -> None:
    html = _html()
    assert "Lower is better except for drug offences, where the highest rate ranks 1st" in html
    assert "also for serious violence" in html


def test_each_force_shows_its_own_peer_rank_with_its_basis_and_names_are_escaped() -> None:
    html = _html()
    assert "2nd/8 MSG (higher than MSG average rates)" in html
    assert "1st/8 similar forces (computed)" in html
    assert "Alpha &lt;&amp;&gt;" in html and "Alpha <&>" not in html


def test_city_of_london_is_not_ranked_and_the_reason_is_printed() -> None:
    html = _html()
    assert f"City of London is not ranked: {CITY}" in html
    assert f"City of London: not ranked, {CITY}" in html
    # Drug offences: higher is better, so Alpha (2.0) is 1st and Bravo 2nd.
    assert "Higher is better, so 1st is the highest rate." in html
    assert '1st/2</td><th scope="row">Alpha &lt;&amp;&gt;</th>' in html  # drug offences
    assert '1st/2</td><th scope="row">Bravo</th>' in html  # violence with injury
