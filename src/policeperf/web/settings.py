"""The dashboard's settings, declared once (name, default, help); docs/dashboard.md lists them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["SETTINGS", "WebSettings", "accounts_path"]


def accounts_path(warehouse: Path) -> Path:
    """The accounts file beside a warehouse: ``warehouse.duckdb`` -> ``warehouse.accounts.sqlite``.

    Accounts live in SQLite, not in the warehouse: the warehouse is replaced whole by every
    write (copy and swap), while sign-ins and sessions are small writes that must not wait for
    an ingest.
    """
    return warehouse.with_name(warehouse.stem + ".accounts.sqlite")


@dataclass(frozen=True)
class WebSettings:
    """Everything ``create_app`` needs; each field is one of :data:`SETTINGS`."""

    warehouse: Path
    accounts: Path
    projects: tuple[Path, ...] = ()
    public: bool = False
    session_hours: float = 12.0
    max_failures: int = 5
    lockout_seconds: float = 60.0
    cache_dir: Path | None = None
    report_out: Path | None = None

    @classmethod
    def for_warehouse(cls, warehouse: Path, **changes: object) -> WebSettings:
        """Settings for a warehouse file, its accounts file beside it."""
        values: dict[str, object] = {"warehouse": warehouse, "accounts": accounts_path(warehouse)}
        values.update(changes)
        return cls(**values)  # type: ignore[arg-type]


SETTINGS: dict[str, tuple[str, str]] = {
    "warehouse": ("--db / $POLICEPERF_DB / the user data folder",
                  "The warehouse file the pages read (opened read-only, never locked)."),
    "accounts": ("<warehouse>.accounts.sqlite",
                 "SQLite file holding accounts, sessions and failed sign-ins."),
    "projects": ("none", "Report project folders served under /reports/{name} (--project, "
                 "repeatable; name = the folder's name)."),
    "public": ("false", "Read-only pages are public (--public); otherwise every page needs a "
               "signed-in account. Editing always needs an editor."),
    "session_hours": ("12", "A session ends this many hours after sign-in."),
    "max_failures": ("5", "Failed sign-ins (per account, and per client address) before "
                     "sign-in is refused for a while."),
    "lockout_seconds": ("60", "The first refusal lasts this long; each further failure "
                        "doubles it, up to 1 hour."),
    "cache_dir": ("$XDG_CACHE_HOME/policeperf", "Where the generated Vega JavaScript bundle "
                  "is cached."),
    "report_out": ("<project>/.policeperf-build", "Where a report built from the dashboard "
                   "is written."),
}
"""Setting name -> (default, help)."""
