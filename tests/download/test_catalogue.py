"""The catalogue of published files: one bundled list, the user's additions, --since/--until."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policeperf.download import CatalogueError, load_catalogue, parse_month, plan
from policeperf.download.catalogue import mirrored, name_of

TODAY = dt.date(2026, 12, 2)


def test_every_ons_edition_is_listed_once_with_a_url_on_the_ons_file_server() -> None:
    items = plan("ons", today=TODAY)
    periods = [i.period for i in items]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)
    assert all(i.url.startswith("https://www.ons.gov.uk/file?uri=/peoplepopulationandcommunity/"
                                "crimeandjustice/datasets/policeforceareadatatables/yearending")
               for i in items)
    june22 = next(i for i in items if i.period == dt.date(2022, 6, 1))
    assert june22.name == "pfajun22.xlsx"
    assert june22.sha256 == "1f410ae89fbb899d317d1f7c525218b80b6c5c919d9bd8db132cd9c8636f035e"


def test_since_keeps_the_editions_covering_that_month_and_later() -> None:
    items = plan("ons", since=parse_month("2024-06"), today=TODAY)
    assert items[0].period == dt.date(2024, 6, 1)
    assert items[0].name == "policeforceareatablesfinal.xlsx"
    assert [f"{i.period:%Y-%m}" for i in items] == [
        "2024-06", "2024-09", "2024-12", "2025-03", "2025-06", "2025-09", "2025-12", "2026-03"]


def test_police_uk_months_follow_the_pattern_up_to_two_months_before_today() -> None:
    assert [i.url for i in plan("police-uk", today=TODAY)] == [
        "https://data.police.uk/data/archive/2026-10.zip"]
    since = plan("police-uk", since=dt.date(2026, 8, 1), today=TODAY)
    assert [i.name for i in since] == ["2026-08.zip", "2026-09.zip", "2026-10.zip"]
    window = plan("police-uk", since=dt.date(2023, 1, 1), until=dt.date(2023, 2, 1), today=TODAY)
    assert [i.name for i in window] == ["2023-01.zip", "2023-02.zip"]


def test_offence_codes_default_to_the_latest_edition_which_holds_the_whole_series() -> None:
    (latest,) = plan("offence-codes", today=TODAY)
    assert latest.name == "prc-pfa-mar2013-onwards-tables-290126.ods"
    assert latest.period == dt.date(2025, 9, 1)
    assert len(plan("offence-codes", since=dt.date(2013, 1, 1), today=TODAY)) == 5


def test_a_users_sources_file_and_url_add_files(tmp_path: Path) -> None:
    mine = tmp_path / "sources.yaml"
    mine.write_text(
        "ons:\n  files:\n"
        "    - period: 2026-06\n"
        "      url: https://www.ons.gov.uk/file?uri=/x/yearendingjune2026/pfatablesyejune2026.xlsx\n")
    items = plan("ons", since=dt.date(2026, 1, 1), source_files=[mine],
                 urls=["https://example.org/data/extra.xlsx"], today=TODAY)
    assert [i.name for i in items] == ["pfatablesyemarch2026.xlsx", "pfatablesyejune2026.xlsx",
                                       "extra.xlsx"]


def test_the_sources_file_can_be_named_by_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "sources.yaml"
    mine.write_text("offence-codes:\n  files:\n    - url: https://example.org/prc-pfa-new.ods\n")
    monkeypatch.setenv("POLICEPERF_SOURCES", str(mine))
    assert [i.name for i in plan("offence-codes", today=TODAY)] == [
        "prc-pfa-mar2013-onwards-tables-290126.ods", "prc-pfa-new.ods"]


@pytest.mark.parametrize(("text", "message"), [
    ("ons: [1]\n", "source 'ons' must be a mapping"),
    ("crime:\n  files: []\n", "unknown source 'crime'"),
    ("ons:\n  files:\n    - period: 2026-06\n", "ons.files[0]: no url"),
    ("ons:\n  files:\n    - url: ftp://x/y.xlsx\n", "is not an http(s) URL"),
    ("ons:\n  files:\n    - url: https://x/y.xlsx\n      when: 2026\n", "unknown key(s) when"),
    ("ons:\n  files:\n    - url: https://x/y.xlsx\n      period: June\n", "is not a month"),
    ("ons: {files: [\n", "is not valid YAML"),
])
def test_a_bad_sources_file_is_named_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([bad])
    assert message in str(caught.value) and str(bad) in str(caught.value)


def test_two_files_that_would_be_saved_under_one_name_are_refused() -> None:
    with pytest.raises(CatalogueError, match="would be saved as extra.xlsx"):
        plan("ons", urls=["https://a.example/extra.xlsx", "https://b.example/extra.xlsx"],
             today=TODAY)


@pytest.mark.parametrize("text", ["2024", "June 2024", "2024-13", ""])
def test_since_must_be_a_month(text: str) -> None:
    with pytest.raises(CatalogueError, match="expected YYYY-MM"):
        parse_month(text)


def test_a_mirror_keeps_each_hosts_files_under_its_name() -> None:
    url = "https://www.ons.gov.uk/file?uri=/a/b/pfajun22.xlsx"
    assert mirrored(url, "http://mirror.local/policeperf/") == (
        "http://mirror.local/policeperf/www.ons.gov.uk/file?uri=/a/b/pfajun22.xlsx")
    assert name_of(url) == "pfajun22.xlsx"
    assert name_of("https://data.police.uk/data/archive/2023-01.zip") == "2023-01.zip"
