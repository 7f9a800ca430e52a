"""What the running app holds: settings, the results door, the accounts, the report projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from policeperf.web.accounts import Accounts
from policeperf.web.build import Builds
from policeperf.web.data import Results
from policeperf.web.settings import WebSettings
from policeperf.web.vendor import VegaBundle, default_cache_dir

__all__ = ["AppState", "state"]


@dataclass
class AppState:
    """The app's long-lived parts (``app.state.web``)."""

    settings: WebSettings
    results: Results
    accounts: Accounts
    vega: VegaBundle
    builds: Builds
    projects: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: WebSettings) -> AppState:
        """Open the accounts file and set up the results door for a settings object."""
        projects = {p.resolve().name: p.resolve() for p in settings.projects}
        return cls(
            settings=settings,
            results=Results(settings.warehouse),
            accounts=Accounts(settings.accounts, max_failures=settings.max_failures,
                              lockout_seconds=settings.lockout_seconds,
                              session_hours=settings.session_hours),
            vega=VegaBundle(settings.cache_dir),
            builds=Builds(settings.warehouse, settings.report_out
                          or (settings.cache_dir or default_cache_dir()) / "builds"),
            projects=projects,
        )


def state(request: Request) -> AppState:
    """The app state of a request."""
    found: AppState = request.app.state.web
    return found
