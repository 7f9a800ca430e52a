"""Editing a report project's narrative: versioned saves, conflicts that lose nothing, atomic
writes, the history, and drafted comments the report's own loader reads back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import EXAMPLE, Dashboard, csrf_of, signed_in

from policeperf.errors import PolicePerfError
from policeperf.report.project import load_project
from policeperf.web.narrative import (
    DRAFTS_FILE,
    HISTORY_FILE,
    Conflict,
    ProjectFiles,
    entry_version,
)

PRIORITIES = ("reduce_homicide", "reduce_serious_violence")


@pytest.fixture()
def project(tmp_path: Path) -> ProjectFiles:
    root = tmp_path / "project"
    shutil.copytree(EXAMPLE, root)
    return ProjectFiles(root, PRIORITIES)


def test_a_save_from_the_current_version_is_written_and_recorded(project: ProjectFiles) -> None:
    path = project.relative("comments", "reduce_homicide")
    before = project.read(path)
    saved = project.save(path, "1. First.\r\n2. Second.\r\n", before.version, "ed")
    assert (project.root / path).read_text() == "1. First.\n2. Second.\n"
    assert saved.version != before.version
    [entry] = project.history()
    assert entry["user"] == "ed" and entry["file"] == path and entry["action"] == "edit"
    assert entry["old_text"] == before.text and entry["before"] == before.version
    assert not [p for p in (project.root / "comments").iterdir() if p.name.startswith(".")]


def test_a_save_from_a_stale_version_is_refused_with_both_versions(
    project: ProjectFiles
) -> None:
    path = project.relative("comments", "reduce_homicide")
    base = project.read(path).version
    project.save(path, "Theirs.", base, "eve")
    with pytest.raises(Conflict) as caught:
        project.save(path, "Mine.", base, "ed")
    conflict = caught.value
    assert conflict.theirs == "Theirs.\n" and conflict.yours == "Mine.\n"
    assert conflict.changed_by == "eve"
    assert (project.root / path).read_text() == "Theirs.\n"  # nothing lost, nothing written
    assert len(project.history()) == 1


def test_only_the_projects_narrative_files_can_be_named(project: ProjectFiles) -> None:
    for kind, priority in [("cover", "reduce_homicide"), ("actions", "../report"),
                           ("comments", "no_such_priority")]:
        with pytest.raises(PolicePerfError):
            project.relative(kind, priority)


def test_drafted_comments_are_accepted_edited_and_rejected_per_measure(
    project: ProjectFiles
) -> None:
    before = project.drafts()
    header = (project.root / DRAFTS_FILE).read_text().splitlines()[0]
    base = {m: entry_version(before.get(m)) for m in ("homicide", "serious_violence")}
    project.decide_draft("homicide", "accept", "abc123", None, base["homicide"], "ed")
    # Another editor, from the page they loaded before: a different measure, no conflict.
    project.decide_draft("serious_violence", "edit", "def456", "Better *words*.",
                         base["serious_violence"], "eve")
    drafts = project.drafts()
    assert drafts["homicide"] == {"key": "abc123"}
    assert drafts["serious_violence"] == {"key": "def456", "text": "Better *words*."}
    assert {k: v for k, v in drafts.items() if k not in base} == {
        k: v for k, v in before.items() if k not in base}  # the others are kept as they were
    assert (project.root / DRAFTS_FILE).read_text().splitlines()[0] == header
    loaded = load_project(project.root)  # the report reads what the dashboard wrote
    assert loaded.accepted["serious_violence"].text == "Better *words*."
    assert loaded.accepted["homicide"].key == "abc123"
    with pytest.raises(Conflict):  # decided from the version before ed's acceptance
        project.decide_draft("homicide", "reject", "abc123", None, base["homicide"], "vic")
    project.decide_draft("homicide", "reject", "abc123", None,
                         entry_version({"key": "abc123"}), "ed")
    assert "homicide" not in project.drafts()
    actions = [e["action"] for e in project.history()]
    assert actions == ["accept draft", "edit draft", "reject draft"]


def test_an_edited_draft_needs_words(project: ProjectFiles) -> None:
    before = (project.root / DRAFTS_FILE).read_bytes()
    with pytest.raises(PolicePerfError):
        project.decide_draft("homicide", "edit", "abc", "  ", "absent", "ed")
    assert (project.root / DRAFTS_FILE).read_bytes() == before


def _edit_form(client: TestClient, url: str) -> dict[str, str]:
    page = client.get(url).text
    version = page.split('name="version" value="')[1].split('"')[0]
    return {"csrf_token": csrf_of(page), "version": version}


def test_two_editors_saving_the_same_comments_get_a_conflict_page(
    dashboard: Dashboard
) -> None:
    url = "/reports/example/edit/comments/reduce_serious_violence"
    ed, _ = signed_in(dashboard.app, "ed")
    eve, _ = signed_in(dashboard.app, "eve")
    ed_form, eve_form = _edit_form(ed, url), _edit_form(eve, url)
    first = ed.post(url, data={**ed_form, "text": "1. Ed's comment."}, follow_redirects=False)
    assert first.status_code == 303
    second = eve.post(url, data={**eve_form, "text": "1. Eve's comment."})
    assert second.status_code == 409
    assert "Ed&#39;s comment." in second.text and "Eve&#39;s comment." in second.text
    assert "not</strong> saved" in second.text and "by ed" in second.text
    file = dashboard.project / "comments" / "reduce_serious_violence.md"
    assert file.read_text() == "1. Ed's comment.\n"
    # Eve chooses to save hers over Ed's: the conflict page's form carries the new version.
    retry = {"csrf_token": csrf_of(second.text), "text": "1. Eve's comment.",
             "version": second.text.split('name="version" value="')[1].split('"')[0]}
    assert eve.post(url, data=retry, follow_redirects=False).status_code == 303
    assert file.read_text() == "1. Eve's comment.\n"
    history = [json.loads(line) for line in
               (dashboard.project / HISTORY_FILE).read_text().splitlines()]
    assert [h["user"] for h in history if h["file"].endswith("reduce_serious_violence.md")] == [
        "ed", "eve"]


def test_a_script_in_a_comment_is_shown_as_text(dashboard: Dashboard) -> None:
    url = "/reports/example/edit/comments/reduce_homicide"
    ed, csrf = signed_in(dashboard.app, "ed")
    form = _edit_form(ed, url)
    text = "1. <script>alert('x')</script> and <b>bold</b> [link](javascript:alert(1))"
    assert ed.post(url, data={**form, "text": text}, follow_redirects=False).status_code == 303
    page = ed.get("/reports/example").text
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    preview = ed.post("/reports/example/preview", data={"text": "<script>x</script> **b**"},
                      headers={"X-CSRF-Token": csrf})
    assert preview.status_code == 200
    assert "&lt;script&gt;" in preview.text and "<strong>b</strong>" in preview.text


def test_a_viewer_sees_the_narrative_but_no_editor(dashboard: Dashboard) -> None:
    vic, _ = signed_in(dashboard.app, "vic")
    page = vic.get("/reports/example").text
    assert "Planned actions" in page and "Edit comments" not in page
    assert 'name="action" value="accept"' not in page
    edit = vic.get("/reports/example/edit/comments/reduce_homicide").text
    assert "<textarea" not in edit and "editing needs an editor" in edit
