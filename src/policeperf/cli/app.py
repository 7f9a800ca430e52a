"""The ``policeperf`` commands. Each parses its arguments, calls the library and prints.

Importing this module must stay cheap (``policeperf --help`` starts in a fraction of a second):
the command modules import DuckDB, Polars, Ibis, SciPy, Rich and the rest inside the command
functions. ``tests/cli/test_startup.py`` checks it.
"""

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
from policeperf.cli.common import OPTIONS
from policeperf.cli.group import PolicePerfGroup

PEER_GROUPS_ENV = "POLICEPERF_PEER_GROUPS"  # read by policeperf.reference.peer_groups

app = typer.Typer(
    name="policeperf",
    cls=PolicePerfGroup,
    help="A police force's quarterly performance report from real public data.\n\n"
         "Global options (--db, --peer-groups, --catalogue) go before or after the command. "
         "Errors: one line on standard error and exit code 2; see docs/cli.md.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no Rich import, so --help starts fast
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"policeperf {version('policeperf')}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Warehouse file (default: $POLICEPERF_DB or "
                     "~/.local/share/policeperf/warehouse.duckdb)."),
    ] = None,
    peer_groups: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Your own peer-group (MSG) file; its groups override "
                     "the shipped ones (default: $POLICEPERF_PEER_GROUPS)."),
    ] = None,
    catalogue: Annotated[
        list[Path] | None,
        typer.Option(metavar="FILE", help="Your own measure catalogue file (repeatable); its "
                     "measures add to or override the shipped ones by id."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_version,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    from policeperf.cli.checks import check_input_file

    OPTIONS.catalogue = tuple(check_input_file(p, "--catalogue") for p in catalogue or ())
    OPTIONS.db = db
    OPTIONS.peer_groups = (None if peer_groups is None
                           else check_input_file(peer_groups, "--peer-groups"))
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
    """Entry point of the console script (errors: see :mod:`policeperf.cli.failures`)."""
    app()
