"""Commands (placeholder until the library functions land)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
