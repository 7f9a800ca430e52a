"""The dashboard in a real browser (headless Chromium via pytest-playwright) against a real
server (uvicorn on a free port, in a thread), one server and one browser for the session.

Needs Debian's chromium (/usr/bin/chromium), which .ci/run installs; skipped without it.
Set POLICEPERF_SCREENSHOTS=docs/images to write the screenshots there (they go to a temporary
folder otherwise).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import FORCE, PASSWORD, PERIOD, Dashboard

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
MEASURE_TITLE = "Police recorded residential burglary offences"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """pytest-playwright launches Debian's chromium (playwright cannot download browsers here)."""
    return {"executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="session")
def live_server(dashboard: Dashboard) -> Iterator[str]:
    """The session's dashboard served by uvicorn on a free port."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(dashboard.app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def shot_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $POLICEPERF_SCREENSHOTS to keep them, else this session's own
    temporary folder. (A fixed /tmp/policeperf-shots was shared by every run on the machine:
    a concurrent run rewriting a screenshot failed the size check of this one.)"""
    folder = os.environ.get("POLICEPERF_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("shots")


def _watch(page: Any) -> list[str]:
    """Console errors and page errors (a CSP violation is reported as a console error)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _sign_in(page: Any, base: str, name: str, path: str = "/") -> None:
    page.goto(f"{base}{path}")
    page.wait_for_url(re.compile(r"/signin\?next="))
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form.signin button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def _charts_drawn(page: Any, count: int) -> None:
    # Locators, not wait_for_function: the CSP (rightly) refuses the eval that would need.
    page.locator(".vega-chart[data-ready] svg").nth(count - 1).wait_for(timeout=120_000)


def test_an_editor_browses_to_a_measure_and_edits_a_comment_seen_in_the_preview(
    page: Any, live_server: str
) -> None:
    problems = _watch(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _sign_in(page, live_server, "ed")
    page.select_option("#force", FORCE)
    page.select_option("#period", PERIOD)
    page.click("form.chooser button[type=submit]")
    page.wait_for_url(f"{live_server}/forces/{FORCE}/{PERIOD}")
    assert "7th/8 MSG (higher than MSG average rates)" in page.inner_text("main")
    page.click(f"text={MEASURE_TITLE}")
    page.wait_for_url("**/measures/residential_burglary")
    _charts_drawn(page, 3)
    assert page.locator("table.peers tbody tr").count() == 8
    assert page.locator("details.chart-data table").count() >= 3  # each chart as a table
    # A tooltip: hover a point of the funnel plot.
    page.locator("figure.chart[data-chart=funnel] .mark-symbol path").first.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
    assert page.inner_text("#vg-tooltip-element").strip()
    # Sort the peer table by force name.
    page.click("table.peers thead button:has-text('Force')")
    names = page.locator("table.peers tbody th").all_inner_texts()
    assert names == sorted(names, key=str.lower)

    page.goto(f"{live_server}/reports/example")
    page.click("#tackle_cybercrime >> text=Edit comments")
    page.wait_for_url("**/edit/comments/tackle_cybercrime")
    text = "1. Action Fraud referrals are **falling** since March."
    page.fill("#text", text)
    page.locator("#preview strong", has_text="falling").wait_for()
    page.click("form.editor button[type=submit]")
    page.wait_for_url("**/reports/example#tackle_cybercrime")
    comments = page.locator("#tackle_cybercrime ol.comments").inner_text()
    assert "Action Fraud referrals are falling since March." in comments
    assert not problems, problems
    assert all(url.startswith(live_server) for url in requests), requests


def test_a_viewer_can_read_but_not_edit(page: Any, live_server: str) -> None:
    _sign_in(page, live_server, "vic", "/reports/example")
    assert page.locator("text=Edit comments").count() == 0
    assert page.locator("form.draft-form").count() == 0
    page.goto(f"{live_server}/reports/example/edit/comments/public_engagement")
    assert page.locator("textarea").count() == 0
    csrf = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    refused = page.request.post(f"{live_server}/reports/example/edit/comments/public_engagement",
                                form={"csrf_token": csrf, "text": "x", "version": "absent"})
    assert refused.status == 403


def test_a_post_without_a_session_or_without_the_csrf_token_is_refused(
    page: Any, live_server: str
) -> None:
    url = f"{live_server}/reports/example/edit/comments/public_engagement"
    form = {"text": "forged", "version": "absent"}
    assert page.request.post(url, form=form).status == 401
    _sign_in(page, live_server, "ed", "/reports/example")
    assert page.request.post(url, form=form).status == 403
    assert page.request.post(url, form={**form, "csrf_token": "guessed"}).status == 403


def test_a_script_in_a_comment_renders_as_text(page: Any, live_server: str) -> None:
    problems = _watch(page)
    _sign_in(page, live_server, "ed", "/reports/example/edit/comments/collaboration")
    payload = "<script>window.pwned = 1</script> <img src=x onerror=\"window.pwned = 2\">"
    page.fill("#text", payload)
    page.click("form.editor button[type=submit]")
    page.wait_for_url("**/reports/example#collaboration")
    shown = page.locator("#collaboration ol.comments").inner_text()
    assert "<script>window.pwned = 1</script>" in shown
    assert page.evaluate("window.pwned") is None
    assert page.locator("#collaboration ol.comments img, #collaboration ol.comments script"
                        ).count() == 0
    assert not problems, problems


def test_two_editors_saving_the_same_comment_get_a_conflict(
    browser: Any, live_server: str, shot_folder: Path
) -> None:
    url = "/reports/example/edit/comments/public_engagement"
    first, second = browser.new_page(), browser.new_page()  # two separate sessions
    try:
        _sign_in(first, live_server, "ed", url)
        _sign_in(second, live_server, "eve", url)
        first.fill("#text", "1. Ed: engagement events doubled.")
        second.fill("#text", "1. Eve: fewer people feel informed.")
        first.click("form.editor button[type=submit]")
        first.wait_for_url("**/reports/example#public_engagement")
        second.click("form.editor button[type=submit]")
        second.wait_for_selector("h1:has-text('Not saved')")
        body = second.inner_text("main")
        assert "Ed: engagement events doubled." in body
        assert "Eve: fewer people feel informed." in body
        assert "by ed" in body
        _screenshots(second, shot_folder, "conflict", 1280)
    finally:
        first.close()
        second.close()


def _screenshots(page: Any, folder: Path, name: str, width: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"dashboard-{name}-{width}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@pytest.mark.parametrize("width", [1280, 375])
def test_the_main_pages_render_at_desktop_and_phone_widths(
    browser: Any, live_server: str, width: int, shot_folder: Path
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 780})
    try:
        problems = _watch(page)
        _sign_in(page, live_server, "vic", "/")
        pages = {
            "home": "/",
            "overview": f"/forces/{FORCE}/{PERIOD}",
            "measure": f"/forces/{FORCE}/{PERIOD}/measures/residential_burglary",
            "compare": f"/compare/residential_burglary/{PERIOD}?force={FORCE}",
            "data": "/data",
            "report": "/reports/example",
        }
        for name, path in pages.items():
            page.goto(f"{live_server}{path}")
            if name in ("measure", "compare"):
                _charts_drawn(page, 1)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} is wider than the screen at {width} px"
            shot = _screenshots(page, shot_folder, name, width)
            assert shot.stat().st_size > 10_000, shot
        assert not problems, problems
    finally:
        page.close()
