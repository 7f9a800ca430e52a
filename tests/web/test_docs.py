"""docs/dashboard.md covers what the dashboard declares: its settings and its pages."""

from pathlib import Path

from policeperf.web.app import ADMIN_PAGES, PAGES
from policeperf.web.settings import SETTINGS, WebSettings

DOC = (Path(__file__).parents[2] / "docs" / "dashboard.md").read_text()


def test_every_setting_is_declared_once_and_documented() -> None:
    assert set(SETTINGS) == set(WebSettings.__dataclass_fields__)
    for name in SETTINGS:
        assert f"`{name}`" in DOC, name


def test_every_page_is_documented() -> None:
    for path, _, _ in PAGES + ADMIN_PAGES:
        assert f"`{path}`" in DOC, path
