"""The ``policeperf`` commands. Each parses its arguments, calls the library and prints."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from policeperf.cli import (
    data_commands,
    download_commands,
    measure_commands,
    peer_commands,
    report_commands,
    scale_commands,
    web_commands,
)
from policeperf.cli.common import OPTIONS, fail
from policeperf.errors import PolicePerfError
from policeperf.reference.peer_groups import ENV_VAR as PEER_GROUPS_ENV

app = typer.Typer(
    name="policeperf",
    help="A police force's quarterly performance report from real public data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    db: Annotated[
        Path | None,
        typer.Option(help="Warehouse file (default: $POLICEPERF_DB or "
                     "~/.local/share/policeperf/warehouse.duckdb)."),
    ] = None,
    peer_groups: Annotated[
        Path | None,
        typer.Option(help="Your own peer-group (MSG) file; its groups override the shipped ones "
                     "(default: $POLICEPERF_PEER_GROUPS)."),
    ] = None,
    catalogue: Annotated[
        list[Path] | None,
        typer.Option(help="Your own measure catalogue file (repeatable); its measures add to or "
                     "override the shipped ones by id."),
    ] = None,
) -> None:
    OPTIONS.catalogue = tuple(catalogue or ())
    OPTIONS.db = db
    OPTIONS.peer_groups = peer_groups
    if peer_groups is not None:
        # The library reads user peer groups from this variable (see reference.peer_groups).
        os.environ[PEER_GROUPS_ENV] = str(peer_groups)


data_commands.register(app)
measure_commands.register(app)
report_commands.register(app)
scale_commands.register(app)
download_commands.register(app)
peer_commands.register(app)
web_commands.register(app)


def main() -> None:
    """Entry point of the console script: user errors get a message and exit code 2."""
    try:
        app()
    except PolicePerfError as exc:
        raise SystemExit(fail(str(exc)).exit_code) from None
