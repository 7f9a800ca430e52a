"""The one error path: plain one-line errors (exit 2), internal errors logged (exit 1)."""

import errno
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from policeperf.cli.failures import expected_os_error, log_dir
from policeperf.cli.group import PolicePerfGroup
from policeperf.errors import InputError

MARKUP = "[x] [u] [/x] [bold] [/]"


def _app_raising(exc: BaseException) -> typer.Typer:
    """A two-command app on the policeperf group whose command raises ``exc``."""
    app = typer.Typer(cls=PolicePerfGroup, add_completion=False, pretty_exceptions_enable=False)

    @app.command()
    def boom() -> None:
        raise exc

    @app.command()
    def fine() -> None:
        typer.echo("ok")

    return app


def test_a_user_error_is_one_plain_line_with_markup_printed_as_it_is() -> None:
    app = _app_raising(InputError(f"a marker such as {MARKUP}", file=f"in{MARKUP}.csv", row=3,
                                  column="Count [x]"))
    result = CliRunner().invoke(app, ["boom"])
    assert result.exit_code == 2
    assert result.stderr == (f"error: file in{MARKUP}.csv, row 3, column 'Count [x]': "
                             f"a marker such as {MARKUP}\n")


def test_an_unexpected_error_says_internal_error_and_where_the_traceback_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    result = CliRunner().invoke(_app_raising(ZeroDivisionError("division by zero")), ["boom"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    line = result.stderr.strip()
    assert line.startswith("internal error: ZeroDivisionError: division by zero")
    logs = list(log_dir().glob("internal-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in line
    assert logs[0].is_relative_to(tmp_path / "state" / "policeperf" / "logs")
    text = logs[0].read_text()
    assert "Traceback (most recent call last)" in text and "raise exc" in text
    assert "command: policeperf boom" in text


def test_a_full_disk_is_a_user_error_not_an_internal_one() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/data/out.csv")
    result = CliRunner().invoke(_app_raising(full), ["boom"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: /data/out.csv: No space left on device")


def test_only_os_errors_a_user_can_act_on_are_expected() -> None:
    assert expected_os_error(PermissionError(errno.EACCES, "Permission denied", "/x")) == (
        "/x: Permission denied")
    assert expected_os_error(OSError(errno.EIO, "Input/output error")) is None
    assert expected_os_error(ValueError("no")) is None


def test_a_usage_error_is_one_line_naming_the_command_and_its_help() -> None:
    result = CliRunner().invoke(_app_raising(ValueError()), ["fine", "--nope"])
    assert result.exit_code == 2
    assert result.stderr == ("error: root fine: No such option: --nope (see 'root fine "
                             "--help')\n")
