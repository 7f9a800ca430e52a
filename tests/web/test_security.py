"""Who may do what: every state-changing route needs a signed-in editor and a CSRF token; the
headers, the cookies, read-only access and sign-in throttling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Dashboard, csrf_of, signed_in

from policeperf.web.app import create_app
from policeperf.web.auth import require_admin, require_editor
from policeperf.web.settings import WebSettings

SIGN_IN_OUT = {"/signin", "/signout"}
ADMIN = "/admin/"


def _post_routes(dashboard: Dashboard) -> list[APIRoute]:
    return [r for r in dashboard.app.routes if isinstance(r, APIRoute)
            and r.methods - {"GET", "HEAD"}]


def _concrete(path: str) -> str:
    """A real address for a route: a project that does not exist, so an allowed request gets a
    404 after passing the checks (and changes nothing)."""
    return re.sub(r"\{(\w+)\}", lambda m: "no-such-project" if m[1] == "name" else "x", path)


def _depends_on(route: APIRoute, func: object) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if dep.call is func:
            return True
        stack += dep.dependencies
    return False


def test_the_state_changing_routes_are_the_known_ones(dashboard: Dashboard) -> None:
    paths = {r.path for r in _post_routes(dashboard)}
    assert paths >= SIGN_IN_OUT | {"/reports/{name}/edit/{kind}/{priority}",
                                   "/reports/{name}/drafts/{measure}"}
    for route in _post_routes(dashboard):
        assert route.methods == {"POST"}, route.path
        if route.path.startswith(ADMIN):
            assert _depends_on(route, require_admin), f"{route.path} does not need an admin"
        elif route.path not in SIGN_IN_OUT:
            assert _depends_on(route, require_editor), f"{route.path} does not need an editor"


def test_every_state_changing_route_needs_a_signed_in_editor_and_a_csrf_token(
    dashboard: Dashboard, editor: tuple[TestClient, str], viewer: tuple[TestClient, str],
    admin: tuple[TestClient, str]
) -> None:
    viewer_client, viewer_csrf = viewer
    anonymous = TestClient(dashboard.app)
    checked = 0
    for route in _post_routes(dashboard):
        if route.path in SIGN_IN_OUT:
            continue
        url = _concrete(route.path)
        form = {"text": "x", "version": "absent", "action": "accept", "key": "k",
                "role": "viewer"}
        # An admin route refuses editors too; the one allowed is an admin.
        editor_client, editor_csrf = admin if route.path.startswith(ADMIN) else editor
        if route.path.startswith(ADMIN):
            refused = editor[0].post(url, data={**form, "csrf_token": editor[1]})
            assert refused.status_code == 403, (url, refused.status_code)
        # Allowed, a request about no project or account is 404 (adding one without its
        # fields, 400) and changes nothing.
        allowed_status = 400 if route.path == "/admin/accounts" else 404
        no_session = anonymous.post(url, data={**form, "csrf_token": editor_csrf})
        assert no_session.status_code == 401, (url, no_session.status_code)
        as_viewer = viewer_client.post(url, data={**form, "csrf_token": viewer_csrf})
        assert as_viewer.status_code == 403, (url, as_viewer.status_code)
        no_token = editor_client.post(url, data=form)
        assert no_token.status_code == 403, (url, no_token.status_code)
        wrong_token = editor_client.post(url, data={**form, "csrf_token": viewer_csrf})
        assert wrong_token.status_code == 403, (url, wrong_token.status_code)
        allowed = editor_client.post(url, data={**form, "csrf_token": editor_csrf})
        assert allowed.status_code == allowed_status, (url, allowed.status_code,
                                                       allowed.text[:200])
        header = editor_client.post(url, data=form, headers={"X-CSRF-Token": editor_csrf})
        assert header.status_code == allowed_status, url
        checked += 1
    assert checked >= 7


def test_signing_in_and_out_need_their_csrf_tokens(dashboard: Dashboard) -> None:
    client = TestClient(dashboard.app)
    form = client.get("/signin")
    refused = client.post("/signin", data={"name": "ed", "password": PASSWORD})
    assert refused.status_code == 403
    forged = TestClient(dashboard.app).post(
        "/signin", data={"name": "ed", "password": PASSWORD, "csrf_token": csrf_of(form.text)})
    assert forged.status_code == 403  # the token without its cookie (another browser)
    client2, csrf = signed_in(dashboard.app, "ed")
    assert client2.post("/signout", data={}).status_code == 403
    out = client2.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client2.get("/data.json").status_code == 401


def test_pages_need_a_session_unless_the_server_is_public(
    dashboard: Dashboard, tmp_path: Path
) -> None:
    anonymous = TestClient(dashboard.app)
    page = anonymous.get("/data", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/signin?next=/data"
    assert anonymous.get("/data.json").status_code == 401
    assert anonymous.get("/openapi.json").status_code == 401
    public = create_app(WebSettings.for_warehouse(dashboard.settings.warehouse, public=True,
                                                  accounts=tmp_path / "a.sqlite"))
    open_client = TestClient(public)
    assert open_client.get("/data.json").status_code == 200
    assert open_client.post("/reports/x/build", data={}).status_code == 401


def test_every_response_carries_the_security_headers(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    for path in ("/data", "/data.json", "/static/app.css", "/signin", "/no/such/page"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
    assert client.get("/data").headers["cache-control"] == "no-store"


def test_no_page_has_inline_script_or_inline_style(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    for path in ("/", "/data", "/forces/avon-and-somerset/2022-06/measures/homicide",
                 "/reports/example", "/reports/example/edit/actions/reduce_homicide"):
        html = client.get(path).text
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script, (path, script)
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path  # no event-handler attributes


def test_session_cookies_are_httponly_lax_and_secure_over_https(dashboard: Dashboard) -> None:
    client = TestClient(dashboard.app, base_url="https://testserver")
    form = client.get("/signin")
    assert "HttpOnly" in form.headers["set-cookie"] and "Secure" in form.headers["set-cookie"]
    response = client.post("/signin", data={"name": "vic", "password": PASSWORD,
                                            "csrf_token": csrf_of(form.text)},
                           follow_redirects=False)
    cookie = [c for c in response.headers.get_list("set-cookie")
              if c.startswith("policeperf_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    plain = TestClient(dashboard.app).get("/signin").headers["set-cookie"]
    assert "Secure" not in plain


def test_sign_in_is_refused_for_a_while_after_repeated_failures(
    dashboard: Dashboard, tmp_path: Path
) -> None:
    app = create_app(WebSettings.for_warehouse(dashboard.settings.warehouse, max_failures=2,
                                               accounts=tmp_path / "a.sqlite"))
    app.state.web.accounts.add("sam", "editor", PASSWORD)
    client = TestClient(app)
    token = csrf_of(client.get("/signin").text)
    for _ in range(2):
        wrong = client.post("/signin", data={"name": "sam", "password": "not the password",
                                             "csrf_token": token})
        assert wrong.status_code == 401 and "wrong account name or password" in wrong.text
    refused = client.post("/signin", data={"name": "sam", "password": PASSWORD,
                                           "csrf_token": token})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "too many failed sign-ins" in refused.text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "\\\\evil"])
def test_sign_in_never_redirects_off_the_site(dashboard: Dashboard, target: str) -> None:
    client = TestClient(dashboard.app)
    token = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"name": "vic", "password": PASSWORD,
                                            "csrf_token": token, "next": target},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
