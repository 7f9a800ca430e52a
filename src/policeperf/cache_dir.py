"""The user's cache folder for policeperf: ``$XDG_CACHE_HOME/policeperf``, else
``~/.cache/policeperf`` (what can be made again: compiled templates, the dashboard's Vega
bundle)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["user_cache_dir"]


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/policeperf``, else ``~/.cache/policeperf``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policeperf"
