"""The top-level command group: global options anywhere, and the one error path.

:class:`PolicePerfGroup` is the ``cls`` of the ``policeperf`` Typer app. It

* accepts the global options (``--db``, ``--peer-groups``, ``--catalogue``) after the
  sub-command too (``policeperf sources --db x.duckdb``), by moving them in front of it;
* runs every command through :meth:`PolicePerfGroup.main`, which turns every failure into one
  line on standard error (see :mod:`policeperf.cli.failures`): a usage error, a user error or an
  OS error the user can act on exits 2; anything else is an internal error, logged, exit 1.

It applies to the console script and to ``typer.testing.CliRunner`` alike, so tests see what
users see.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

from policeperf.cli.failures import (
    EXIT_USER,
    echo_error,
    expected_os_error,
    report_internal,
)
from policeperf.errors import PolicePerfError

# Global options that take a value, accepted before or after the sub-command.
GLOBAL_OPTIONS = ("--db", "--peer-groups", "--catalogue")


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move global options given after the sub-command in front of it, in their order.

    ``["sources", "--db", "x"]`` becomes ``["--db", "x", "sources"]``. Anything after ``--`` is
    left alone, as are options given before the sub-command.
    """
    args = list(args)
    start = 0
    while start < len(args) and args[start].startswith("-"):  # options before the sub-command
        token = args[start]
        start += 2 if token in GLOBAL_OPTIONS else 1
    hoisted: list[str] = []
    rest: list[str] = []
    i = start
    while i < len(args):
        token = args[i]
        if token == "--":
            rest.extend(args[i:])
            break
        name = token.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in token:
                hoisted.append(token)
                i += 1
                continue
            if i + 1 < len(args):
                hoisted.extend(args[i:i + 2])
                i += 2
                continue
        rest.append(token)
        i += 1
    return [*args[:start], *hoisted, *rest]


def _usage_message(exc: UsageError) -> str:
    ctx = exc.ctx
    message = " ".join(exc.format_message().split())
    if ctx is None:
        return message
    return f"{ctx.command_path}: {message} (see '{ctx.command_path} --help')"


def run_safely(group: TyperGroup, args: list[str], prog_name: str | None,
               complete_var: str | None, extra: dict[str, Any]) -> int:
    """Run the app; return the exit code, having printed any failure as one line."""
    try:
        result = TyperGroup.main(group, args=args, prog_name=prog_name,
                                 complete_var=complete_var, standalone_mode=False, **extra)
        return result if isinstance(result, int) else 0
    except NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help())
        return 0
    except UsageError as exc:
        echo_error(_usage_message(exc))
        return EXIT_USER
    except TyperException as exc:  # click's other errors, e.g. a file that cannot be opened
        echo_error(" ".join(exc.format_message().split()))
        return EXIT_USER
    except Abort:
        echo_error("aborted: no input")
        return EXIT_USER
    except PolicePerfError as exc:
        echo_error(str(exc))
        return EXIT_USER
    except KeyboardInterrupt:
        echo_error("interrupted")
        return 130
    except BrokenPipeError:  # e.g. `policeperf export ... | head`: the reader went away
        return 1
    except SystemExit:
        raise
    except Exception as exc:
        message = expected_os_error(exc)
        if message is not None:
            echo_error(message)
            return EXIT_USER
        return report_internal(exc, args)


class WrappedHelpGroup(TyperGroup):
    """A command group whose help lists each command's whole first sentence, wrapped."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands with their whole first sentence, wrapped (click would cut it)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)



class PolicePerfGroup(WrappedHelpGroup):
    """The ``policeperf`` group: global options anywhere, one error path (see module doc)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = hoist_global_options(sys.argv[1:] if args is None else args)
        code = run_safely(self, argv, prog_name or "policeperf", complete_var, extra)
        if standalone_mode:
            sys.exit(code)
        return code
