"""Argument checks shared by the commands: each raises a one-line usage error naming the option.

Commands call these before any work starts, so a bad argument costs nothing and writes nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import typer


def _bad(option: str, message: str) -> typer.BadParameter:
    return typer.BadParameter(message, param_hint=f"'{option}'")


def check_input_file(path: Path, option: str) -> Path:
    """An existing, readable regular file (not a folder, FIFO or device): the path."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _bad(option, f"{path}: no such file") from None
    except OSError as exc:
        raise _bad(option, f"{path}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise _bad(option, f"{path} is a folder; expected a file")
    if not stat.S_ISREG(mode):
        raise _bad(option, f"{path} is not a regular file (a pipe or device?); expected a file")
    if not os.access(path, os.R_OK):
        raise _bad(option, f"{path}: permission denied (cannot read it)")
    return path


def _first_existing(path: Path) -> Path:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def _writable_dir(folder: Path) -> bool:
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & 0o222)


def check_output_folder(path: Path, option: str) -> Path:
    """A folder that exists and is writable, or can be created (nothing below a file, nothing in a
    read-only folder): the path. Nothing is created here."""
    if path.exists():
        if not path.is_dir():
            raise _bad(option, f"{path} is a file; expected a folder (or a new name)")
        if not _writable_dir(path):
            raise _bad(option, f"{path} is read-only; expected a folder I can write to")
        return path
    existing = _first_existing(path)
    if not existing.is_dir():
        raise _bad(option, f"{path} is below {existing}, which is a file, not a folder")
    if not _writable_dir(existing):
        raise _bad(option, f"cannot create {path}: {existing} is read-only")
    return path


def check_output_file(path: Path, option: str) -> Path:
    """A file that can be written: not a folder, not below a file, its folder writable."""
    if path.is_dir():
        raise _bad(option, f"{path} is a folder; expected a file name")
    if path.exists() and not (os.access(path, os.W_OK) and path.stat().st_mode & 0o222):
        raise _bad(option, f"{path} is read-only")
    check_output_folder(path.parent if str(path.parent) else Path("."), option)
    return path


def check_range(value: int | float, option: str, *, low: float | None = None,
                high: float | None = None, why: str = "") -> None:
    """``low <= value <= high``, else a usage error saying the range (and why, if given)."""
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            want = f"from {low:,} to {high:,}"
        elif low is not None:
            want = f"at least {low:,}"
        else:
            want = f"at most {high:,}"
        raise _bad(option, f"{value:,} is out of range; expected {want}"
                   + (f" ({why})" if why else ""))


def check_choice(value: str, option: str, choices: tuple[str, ...], kind: str = "value") -> str:
    """One of ``choices``, else "unknown KIND 'x'; expected a, b or c" (and a "did you mean"
    for a near miss)."""
    if value in choices:
        return value
    import difflib

    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    expected = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
    raise _bad(option, f"unknown {kind} {value!r}; expected {expected}{hint}")
