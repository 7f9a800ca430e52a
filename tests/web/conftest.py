"""One dashboard per test session: a copy of the bundled warehouse, the example report project
copied to a temporary folder, and four accounts. In-process tests use FastAPI's TestClient;
browser tests use the same app served by uvicorn on a free port."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from policeperf.web.app import create_app
from policeperf.web.settings import WebSettings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"
PASSWORD = "correct horse battery staple"
USERS = {"ed": "editor", "eve": "editor", "vic": "viewer", "ada": "admin"}
FORCE, PERIOD = "avon-and-somerset", "2022-06"


@dataclass
class Dashboard:
    """The session's app and where its files are."""

    app: FastAPI
    settings: WebSettings
    project: Path


@pytest.fixture(scope="session")
def dashboard(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Dashboard:
    """The app over a copy of the bundled warehouse, serving a copy of the example project."""
    root = tmp_path_factory.mktemp("dashboard")
    warehouse = root / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, warehouse)
    project = root / "example"
    shutil.copytree(EXAMPLE, project)
    settings = WebSettings.for_warehouse(warehouse, projects=(project,),
                                         cache_dir=_cache_dir(tmp_path_factory),
                                         report_out=root / "builds")
    app = create_app(settings)
    for name, role in USERS.items():
        app.state.web.accounts.add(name, role, PASSWORD)
    return Dashboard(app, settings, project)


def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache folder when writable (the Vega bundle is made once per machine)."""
    from policeperf.web.vendor import default_cache_dir

    folder = default_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return tmp_path_factory.mktemp("cache")


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def signed_in(app: FastAPI, name: str) -> tuple[TestClient, str]:
    """A client signed in as ``name`` and its session's CSRF token."""
    client = TestClient(app)
    form = client.get("/signin")
    response = client.post("/signin", data={"name": name, "password": PASSWORD,
                                            "csrf_token": csrf_of(form.text), "next": "/data"})
    assert response.status_code == 200, response.text
    return client, csrf_of(response.text)


@pytest.fixture(scope="session")
def editor(dashboard: Dashboard) -> tuple[TestClient, str]:
    """A client signed in as the editor "ed"."""
    return signed_in(dashboard.app, "ed")


@pytest.fixture(scope="session")
def viewer(dashboard: Dashboard) -> tuple[TestClient, str]:
    """A client signed in as the viewer "vic"."""
    return signed_in(dashboard.app, "vic")


@pytest.fixture(scope="session")
def admin(dashboard: Dashboard) -> tuple[TestClient, str]:
    """A client signed in as the admin "ada"."""
    return signed_in(dashboard.app, "ada")


@pytest.fixture()
def anonymous(dashboard: Dashboard) -> Iterator[TestClient]:
    """A client with no session."""
    yield TestClient(dashboard.app)
