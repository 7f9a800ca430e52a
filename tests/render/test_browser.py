"""The HTML report in a real browser (headless Chromium): it renders, and asks for nothing.

Needs Debian's chromium (/usr/bin/chromium), which .ci/run installs; skipped without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policeperf.report.build import ReportOutput

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="module")
def browser_visit(example_report: ReportOutput, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[list[str], str, Path, int]:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    shot = tmp_path_factory.mktemp("browser") / "report.png"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(example_report.html.resolve().as_uri())
        page.wait_for_load_state("networkidle")
        text = page.inner_text("body")
        svg_count = page.locator("svg").count()
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    return requests, text, shot, svg_count


def test_the_report_asks_the_network_for_nothing(
    browser_visit: tuple[list[str], str, Path, int]
) -> None:
    requests = browser_visit[0]
    assert requests, "the page itself should have been requested"
    assert all(url.startswith(("file://", "data:")) for url in requests), requests


def test_the_report_renders_its_pages_and_charts_in_the_browser(
    browser_visit: tuple[list[str], str, Path, int]
) -> None:
    _, text, shot, svg_count = browser_visit
    assert "Reduce neighbourhood crime" in text and "Benchmarking detail" in text
    assert "7th/8 MSG (higher than MSG average rates)" in text
    assert svg_count >= 30
    assert shot.stat().st_size > 20_000  # a real picture, not a blank page
