"""What an admin may do beyond an editor: manage accounts in the dashboard, see who changed
the narrative; and what nobody may do: remove themselves or the last admin."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Dashboard, signed_in


def test_only_an_admin_sees_the_accounts_page(
    admin: tuple[TestClient, str], editor: tuple[TestClient, str],
    anonymous: TestClient,
) -> None:
    page = admin[0].get("/admin/accounts")
    assert page.status_code == 200
    assert "ada (you)" in page.text and "<th scope=\"row\">vic</th>" in page.text
    twin = admin[0].get("/admin/accounts.json").json()
    roles = {a["name"]: a["role"] for a in twin["accounts"]}
    assert roles["ada"] == "admin" and roles["ed"] == "editor" and roles["vic"] == "viewer"
    assert "password_hash" not in str(twin)
    assert editor[0].get("/admin/accounts.json").status_code == 403
    assert anonymous.get("/admin/accounts.json").status_code == 401


def test_the_accounts_link_is_shown_to_admins_only(
    admin: tuple[TestClient, str], editor: tuple[TestClient, str]
) -> None:
    assert 'href="/admin/accounts"' in admin[0].get("/data").text
    assert 'href="/admin/accounts"' not in editor[0].get("/data").text


def test_an_admin_adds_promotes_and_removes_an_account(
    dashboard: Dashboard, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    added = client.post("/admin/accounts", data={"name": "newbie", "role": "viewer",
                                                 "password": PASSWORD, "csrf_token": csrf})
    assert added.status_code == 200 and "newbie" in added.text  # redirected to the page
    newbie, newbie_csrf = signed_in(dashboard.app, "newbie")
    assert newbie.post("/reports/example/preview",
                       data={"text": "x", "csrf_token": newbie_csrf}).status_code == 403

    promoted = client.post("/admin/accounts/newbie/role",
                           data={"role": "editor", "csrf_token": csrf})
    assert promoted.status_code == 200
    assert dashboard.app.state.web.accounts.get("newbie").role.value == "editor"
    # The role change ended the viewer-era session: that cookie no longer signs anyone in.
    assert newbie.get("/data.json").status_code == 401
    editor_client, editor_csrf = signed_in(dashboard.app, "newbie")
    assert editor_client.post("/reports/example/preview",
                              data={"text": "*x*", "csrf_token": editor_csrf}).status_code == 200

    removed = client.post("/admin/accounts/newbie/remove", data={"csrf_token": csrf})
    assert removed.status_code == 200
    assert dashboard.app.state.web.accounts.get("newbie") is None
    assert editor_client.get("/data.json").status_code == 401


def test_a_weak_password_or_a_taken_name_is_refused_with_a_reason(
    admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    weak = client.post("/admin/accounts", data={"name": "shorty", "role": "viewer",
                                                "password": "short", "csrf_token": csrf})
    assert weak.status_code == 400 and "at least 10 characters" in weak.text
    taken = client.post("/admin/accounts", data={"name": "ed", "role": "viewer",
                                                 "password": PASSWORD, "csrf_token": csrf})
    assert taken.status_code == 400 and "already exists" in taken.text


def test_nobody_removes_themselves_or_the_last_admin(
    dashboard: Dashboard, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    self_removal = client.post("/admin/accounts/ada/remove", data={"csrf_token": csrf})
    assert self_removal.status_code == 400 and "your own account" in self_removal.text
    demotion = client.post("/admin/accounts/ada/role", data={"role": "editor",
                                                             "csrf_token": csrf})
    assert demotion.status_code == 400 and "last admin" in demotion.text
    assert dashboard.app.state.web.accounts.get("ada").role.value == "admin"


def test_the_accounts_page_lists_narrative_changes_with_who_and_when(
    dashboard: Dashboard, admin: tuple[TestClient, str]
) -> None:
    history = dashboard.project / "history.jsonl"
    before = history.read_text(encoding="utf-8") if history.exists() else None
    line = ('{"action": "edit", "at": "2026-12-02T10:00:00+0000", "file": "comments/x.md", '
            '"user": "eve"}\n')
    try:
        with open(history, "a", encoding="utf-8") as fh:
            fh.write(line)
        twin = admin[0].get("/admin/accounts.json").json()
        assert {"project": dashboard.project.name, "at": "2026-12-02T10:00:00+0000",
                "user": "eve", "file": "comments/x.md", "what": "edit"} in twin["history"]
    finally:
        if before is None:
            history.unlink()
        else:
            history.write_text(before, encoding="utf-8")
