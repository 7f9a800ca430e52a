"""Where the warehouse file lives: ``--db``, else ``POLICEPERF_DB``, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "POLICEPERF_DB"


def default_db_path() -> Path:
    """The warehouse used when no ``--db`` is given.

    ``$POLICEPERF_DB`` if set, otherwise ``$XDG_DATA_HOME/policeperf/warehouse.duckdb`` (that is
    ``~/.local/share/policeperf/warehouse.duckdb`` when XDG_DATA_HOME is unset).
    """
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policeperf" / "warehouse.duckdb"
