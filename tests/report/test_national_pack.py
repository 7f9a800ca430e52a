"""The national pack on the real bundled ONS data: two forces' reports and the summary that
ranks all 42 forces with a rate (checked against ONS's published Table P3, June 2022)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from policeperf.report.national import NationalPack, build_national_pack, forces_left_out

# ONS, "Police force area data tables, year ending June 2022" (pfajun22.xlsx, bundled),
# Table P3, column "Residential burglary (households)": rate per 1,000 households.
ONS_HIGHEST = ("Greater Manchester", 15.563692445712299)
ONS_LOWEST = ("Devon and Cornwall", 2.0766044883937456)


@pytest.fixture(scope="module")
def pack(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> NationalPack:
    out = tmp_path_factory.mktemp("national-pack")
    return build_national_pack(out, period="2022-06", db=bundled_warehouse_path,
                               forces_=["Avon and Somerset", "Kent"], workers=2, pdf=False)


@pytest.mark.slow
def test_the_pack_writes_each_forces_report_and_the_national_summary(pack: NationalPack) -> None:
    assert [f.name for f in pack.folders] == ["avon-and-somerset-2022-23-q1", "kent-2022-23-q1"]
    assert all((f / "report.html").is_file() for f in pack.folders)
    folder = pack.national.html.parent
    assert folder.name == "national" and folder.parent == pack.folders[0].parent
    assert {p.name for p in folder.iterdir()} == {
        "summary.html", "national-ranks.csv", "rank-history.csv", "funnel-limits.csv"}


@pytest.mark.slow
def test_greater_manchester_has_the_highest_residential_burglary_rate_as_ons_publishes(
    pack: NationalPack,
) -> None:
    ranking = pack.national.summary.ranking("residential_burglary")
    worst, best = ranking.ranked[-1], ranking.ranked[0]
    assert (worst.figure.name, worst.label) == (ONS_HIGHEST[0], "42nd/42")
    assert worst.figure.value == pytest.approx(ONS_HIGHEST[1], abs=5e-4)
    assert (best.figure.name, best.label) == (ONS_LOWEST[0], "1st/42")
    assert best.figure.value == pytest.approx(ONS_LOWEST[1], abs=5e-4)
    assert worst.band == "above 99.8%"


@pytest.mark.slow
def test_city_of_london_is_left_out_of_every_ranking_with_the_reason(pack: NationalPack) -> None:
    assert [name for name, _ in pack.left_out] == ["City of London"]
    for ranking in pack.national.summary.rankings:
        assert [r.figure.name for r in ranking.left_out] == ["City of London"]
        assert "ONS suppresses its rates" in str(ranking.left_out[0].figure.excluded)
        assert len(ranking.ranked) == 42 and {r.of for r in ranking.ranked} == {42}
    assert "no peer group" in forces_left_out()[0][1]


@pytest.mark.slow
def test_each_forces_own_peer_rank_says_which_group_it_is(pack: NationalPack) -> None:
    ranking = pack.national.summary.ranking("residential_burglary")
    labels = {r.figure.name: r.figure.peer_label for r in ranking.ranks}
    assert " MSG" in str(labels["Avon and Somerset"])  # the official group
    assert "similar forces (computed)" in str(labels["Kent"])
    assert labels["Essex"] is None  # no report computed for it here
    html = pack.national.html.read_text(encoding="utf-8")
    assert "not the Home Office&#39;s MSG" in html and "not computed" in html


@pytest.mark.slow
def test_the_rank_history_ranks_every_force_with_a_figure_at_eight_quarter_ends(
    pack: NationalPack,
) -> None:
    summary = pack.national.summary
    assert len(summary.periods) == 8 and summary.periods[-1] == summary.period_end
    history = summary.ranking("residential_burglary").history
    for period in summary.periods:
        points = [p for p in history if p.period_end == period]
        assert len(points) in (41, 42) and {p.of for p in points} == {len(points)}
    # ONS published no figures for Greater Manchester for the year ending December 2019 (its
    # new IT system): it is not ranked at that quarter end, and the 41 others are.
    december = {p.name for p in history if p.period_end.isoformat() == "2019-12-31"}
    assert len(december) == 41 and "Greater Manchester" not in december


@pytest.mark.slow
def test_a_stand_in_is_ranked_under_the_measure_whose_figures_it_uses(pack: NationalPack) -> None:
    summary = pack.national.summary
    ids = [r.measure_id for r in summary.rankings]
    assert "serious_violence" not in ids and "violence_with_injury" in ids
    assert summary.ranking("serious_violence").measure_id == "violence_with_injury"


@pytest.mark.slow
def test_the_csv_holds_every_force_for_every_measure_ranked(pack: NationalPack) -> None:
    path = pack.national.html.parent / "national-ranks.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 43 * len(pack.national.summary.rankings)
    city = [r for r in rows if r["force"] == "City of London"]
    assert all(r["national_rank"] == "" and r["left_out_because"] for r in city)
    gm = next(r for r in rows if r["measure_id"] == "residential_burglary"
              and r["force"] == "Greater Manchester")
    assert gm["rank_label"] == "42nd/42" and gm["funnel_band"] == "above 99.8%"


@pytest.mark.slow
def test_the_summary_html_states_its_method_and_refers_to_nothing_outside(
    pack: NationalPack,
) -> None:
    html = pack.national.html.read_text(encoding="utf-8")
    for heading in ("Basis of the ranks", "Direction and ties", "Forces left out",
                    "Funnel plots", "Rank history", "Measures ranked"):
        assert heading in html
    assert "src=\"http" not in html and "href=\"http" not in html
    assert html.count("<svg") == 2 * len(pack.national.summary.rankings)
