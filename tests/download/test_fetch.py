"""The downloader against a real local HTTP server: resume, checksums, manifest, errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from tests.download.conftest import ONS, mirror_path
from tests.download.site import Site, closed_port

from policeperf.download import DownloadError, OfflineError, Report, download
from policeperf.download.catalogue import Item
from policeperf.download.fetch import Downloader

SEP23 = ONS / "pfatablessep23final.xlsx"
DEC23 = ONS / "pfatablesyedec23.xlsx"
SEP23_SHA = "41ebbfc65a359a8c1c57cea84fe08f9a0b6ea0bac13dad90d2cf94d1f1fb73c2"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ons(site: Site, tmp_path: Path) -> Report:
    """Download the ONS editions for September and December 2023 from the local mirror."""
    return download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 12, 1),
                    mirror=site.url)


def test_a_download_saves_the_real_bytes_and_records_their_checksum_in_the_manifest(
    site: Site, tmp_path: Path
) -> None:
    report = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 12, 1),
                      mirror=site.url)
    assert [o.status for o in report.outcomes] == ["downloaded", "downloaded"]
    assert report.ready == [tmp_path / "ons" / "pfatablessep23final.xlsx",
                            tmp_path / "ons" / "pfatablesyedec23.xlsx"]
    assert report.ready[0].read_bytes() == SEP23.read_bytes()
    manifest = json.loads((tmp_path / "ons" / "manifest.json").read_text())
    entry = manifest["files"]["pfatablessep23final.xlsx"]
    assert entry["sha256"] == SEP23_SHA and entry["size"] == 188733
    assert entry["url"] == site.url + mirror_path("ons", "pfatablessep23final.xlsx")
    # The bytes are those the catalogue knows for this edition: no note.
    assert report.outcomes[0].notes == ()
    assert sorted(p.name for p in (tmp_path / "ons").iterdir()) == [
        "manifest.json", "pfatablessep23final.xlsx", "pfatablesyedec23.xlsx"]


def test_a_file_already_downloaded_is_not_fetched_again(site: Site, tmp_path: Path) -> None:
    download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 12, 1),
             mirror=site.url)
    asked = len(site.requests)
    again = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 12, 1),
                     mirror=site.url)
    assert [o.status for o in again.outcomes] == ["already downloaded"] * 2
    assert len(site.requests) == asked  # nothing was asked of the server
    assert again.outcomes[0].sha256 == SEP23_SHA


def test_a_download_cut_short_resumes_with_a_range_request_and_ends_with_the_right_bytes(
    site: Site, tmp_path: Path
) -> None:
    path = mirror_path("ons", "pfatablessep23final.xlsx")
    site.cut[path] = 50_000
    first = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                     mirror=site.url)
    (failed,) = first.outcomes
    assert failed.status == "failed" and "run the command again to resume" in str(failed.error)
    assert "the connection closed after 50,000 of 188,733 bytes" in str(failed.error)
    part = tmp_path / "ons" / "pfatablessep23final.xlsx.part"
    assert part.stat().st_size == 50_000
    assert not (tmp_path / "ons" / "pfatablessep23final.xlsx").exists()

    second = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                      mirror=site.url)
    (done,) = second.outcomes
    assert done.status == "resumed" and done.sha256 == SEP23_SHA
    asked_path, headers = site.requests[-1]
    assert asked_path == path and headers["Range"] == "bytes=50000-"
    assert headers["If-Range"] == site.etag(path)
    assert (tmp_path / "ons" / "pfatablessep23final.xlsx").read_bytes() == SEP23.read_bytes()
    assert not part.exists()


def test_a_partial_file_of_a_file_that_changed_meanwhile_is_downloaded_whole(
    site: Site, tmp_path: Path
) -> None:
    path = mirror_path("ons", "pfatablessep23final.xlsx")
    site.cut[path] = 50_000
    ons(site, tmp_path)
    site.files[path] = DEC23.read_bytes()  # the publisher replaced the file
    report = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                      mirror=site.url)
    (outcome,) = report.outcomes
    assert outcome.status == "downloaded"  # If-Range did not match: the server sent it all
    assert outcome.sha256 == sha(DEC23.read_bytes())
    assert "differs from the copy policeperf knows" in outcome.notes[0]


def test_refresh_reports_a_file_whose_bytes_changed_since_the_previous_download(
    site: Site, tmp_path: Path
) -> None:
    ons(site, tmp_path)
    unchanged = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                         mirror=site.url, refresh=True)
    assert unchanged.outcomes[0].status == "unchanged"
    assert site.requests[-1][1]["If-None-Match"] == site.etag(
        mirror_path("ons", "pfatablessep23final.xlsx"))

    site.files[mirror_path("ons", "pfatablessep23final.xlsx")] = DEC23.read_bytes()
    changed = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                       mirror=site.url, refresh=True)
    (outcome,) = changed.outcomes
    assert outcome.status == "changed"
    new = sha(DEC23.read_bytes())
    assert any(f"sha256 {SEP23_SHA[:12]}... -> {new[:12]}..." in n for n in outcome.notes)
    entry = json.loads((tmp_path / "ons" / "manifest.json").read_text())["files"][
        "pfatablessep23final.xlsx"]
    assert entry["sha256"] == new and entry["previous"][0]["sha256"] == SEP23_SHA


def test_a_file_changed_on_disk_is_not_overwritten_without_refresh(
    site: Site, tmp_path: Path
) -> None:
    ons(site, tmp_path)
    mine = tmp_path / "ons" / "pfatablessep23final.xlsx"
    mine.write_bytes(b"my own edits")
    report = ons(site, tmp_path)
    outcome = report.outcomes[0]
    assert outcome.status == "failed" and "not overwritten" in str(outcome.error)
    assert mine.read_bytes() == b"my own edits"


def test_a_file_not_downloaded_by_policeperf_is_left_alone(site: Site, tmp_path: Path) -> None:
    (tmp_path / "ons").mkdir()
    theirs = tmp_path / "ons" / "pfatablesyedec23.xlsx"
    theirs.write_bytes(b"someone else's file")
    report = ons(site, tmp_path)
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["downloaded", "failed"]
    assert theirs.read_bytes() == b"someone else's file"


def test_a_copy_already_there_with_the_known_bytes_is_adopted_without_a_download(
    site: Site, tmp_path: Path
) -> None:
    (tmp_path / "ons").mkdir()
    (tmp_path / "ons" / "pfatablessep23final.xlsx").write_bytes(SEP23.read_bytes())
    report = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
                      mirror=site.url)
    assert report.outcomes[0].status == "already downloaded" and site.requests == []


def test_a_404_names_the_url_and_says_where_to_find_the_file(site: Site, tmp_path: Path) -> None:
    missing = Item("ons", site.url + "/www.ons.gov.uk/file?uri=/gone.xlsx", "gone.xlsx")
    downloader = Downloader(tmp_path, page="https://www.ons.gov.uk/policeforceareadatatables")
    with pytest.raises(DownloadError) as caught:
        downloader.fetch(missing)
    message = str(caught.value)
    assert message.startswith(f"{missing.url} answered 404 Not Found")
    assert "https://www.ons.gov.uk/policeforceareadatatables" in message and "--url" in message
    assert "\n" not in message
    assert not (tmp_path / "gone.xlsx").exists() and not (tmp_path / "gone.xlsx.part").exists()


def test_a_month_not_yet_published_says_so(site: Site, tmp_path: Path) -> None:
    report = download("police-uk", tmp_path, since=dt.date(2026, 10, 1), mirror=site.url,
                      today=dt.date(2026, 12, 2))
    (outcome,) = report.outcomes
    assert "2026-10.zip answered 404 Not Found: that month is not published" in str(
        outcome.error)


def test_a_server_that_cannot_be_reached_stops_the_run_with_one_line(tmp_path: Path) -> None:
    mirror = f"http://127.0.0.1:{closed_port()}"
    report = download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 12, 1),
                      mirror=mirror)
    assert len(report.outcomes) == 1 and len(report.skipped) == 1
    assert report.stopped is not None and "\n" not in report.stopped
    assert report.stopped.startswith("cannot reach 127.0.0.1 (connection refused)")
    assert "internet connection" in report.stopped


def test_offline_error_is_a_download_error() -> None:
    assert issubclass(OfflineError, DownloadError)


def test_a_redirect_is_followed_and_the_archive_saved_under_its_own_name(
    site: Site, tmp_path: Path
) -> None:
    report = download("police-uk", tmp_path, since=dt.date(2023, 1, 1),
                      until=dt.date(2023, 1, 1), mirror=site.url)
    (outcome,) = report.outcomes
    assert outcome.status == "downloaded" and outcome.path.name == "2023-01.zip"
    assert [p for p, _ in site.requests] == ["/data.police.uk/data/archive/2023-01.zip",
                                             "/policeuk-data.s3.amazonaws.com/archive/2023-01.zip"]


def test_progress_is_reported_in_bytes_up_to_the_total(site: Site, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int | None]] = []
    download("ons", tmp_path, since=dt.date(2023, 9, 1), until=dt.date(2023, 9, 1),
             mirror=site.url, progress=lambda name, done, total: seen.append((name, done, total)))
    assert seen[0] == ("pfatablessep23final.xlsx", 0, 188733)
    assert seen[-1] == ("pfatablessep23final.xlsx", 188733, 188733)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
