"""The one error path of the command line.

* An **expected** failure (bad input, a bad argument, a file that is not a warehouse, a full disk)
  is one line on standard error, ``error: ...``, saying what was expected and where, then exit
  code 2. A message that lists several problems puts each on its own indented line below it.
* An **unexpected** one (a bug) prints ``internal error: ...`` and the path of a log file holding
  the full traceback (under ``$XDG_STATE_HOME/policeperf/logs``, else
  ``~/.local/state/policeperf/logs``), then exit code 1. No traceback reaches the terminal.

Messages are plain text: never parsed as Rich markup, so ``[x]``, ``[/x]`` or ``[bold]`` in a
path, a cell or a name are printed as they are. See docs/cli.md.
"""

from __future__ import annotations

import errno
import os
import platform
import stat
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from policeperf.errors import PolicePerfError

EXIT_USER = 2
EXIT_INTERNAL = 1
LOG_ENV = "POLICEPERF_LOG_DIR"

# OS errors the user can act on (space, permissions, a read-only disk, a missing file or folder).
_USER_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT,
                errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENAMETOOLONG, errno.EMFILE}


class WarehouseError(PolicePerfError):
    """The warehouse file cannot be used: not a warehouse, damaged, locked or read-only."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def echo_error(message: str, prefix: str = "error") -> None:
    """Write ``prefix: message`` to standard error as plain text: the first line of the message
    on the error line, any further (non-blank) lines indented below it."""
    lines = [line.rstrip() for line in str(message).splitlines() if line.strip()] or [""]
    text = f"{prefix}: {lines[0].strip()}"
    for line in lines[1:]:
        text += "\n  " + line.strip()
    stream = sys.stderr
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):  # stderr closed or a broken pipe: nothing more can be said
        pass


def log_dir() -> Path:
    """Where tracebacks of internal errors are written."""
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV]).expanduser()
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "policeperf" / "logs"


def write_traceback(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the full traceback of an unexpected error to a new log file; its path, or None
    when no log could be written anywhere."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("policeperf")
    except PackageNotFoundError:
        ours = "unknown"
    stamp = datetime.now(UTC)
    body = (f"policeperf {ours}, Python {platform.python_version()}, {platform.platform()}\n"
            f"time: {stamp.isoformat()}\ncommand: {' '.join(['policeperf', *argv])}\n\n"
            + "".join(traceback.format_exception(exc)))
    name = f"internal-error-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    import tempfile

    for folder in (log_dir(), Path(tempfile.gettempdir()) / "policeperf-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(body, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def report_internal(exc: BaseException, argv: list[str]) -> int:
    """Tell the user an unexpected error happened and where its traceback is; the exit code."""
    log = write_traceback(exc, argv)
    where = f"the full traceback is in {log}" if log else "no log file could be written"
    detail = _one_line(str(exc))
    summary = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    echo_error(f"{summary} ({where}; please report it)", prefix="internal error")
    return EXIT_INTERNAL


def expected_os_error(exc: BaseException) -> str | None:
    """A one-line message for an OS error the user can act on (disk full, no permission...),
    or None when the error is unexpected."""
    number = exc.errno if isinstance(exc, OSError) else None
    if isinstance(exc, OSError) and number is None:  # raised by Rust code: "... (os error 28)"
        import re

        found = re.search(r"\(os error (\d+)\)", str(exc))
        number = int(found[1]) if found else None
        if number in _USER_ERRNOS:
            return " ".join(str(exc).split())
    if isinstance(exc, OSError) and number in _USER_ERRNOS:
        where = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            reason += " (free some space and run the command again; nothing was half-written)"
        return f"{where}: {reason}" if where else reason
    text = _one_line(str(exc))
    if not type(exc).__module__.startswith(("duckdb", "_duckdb")):
        return None
    if "No space left on device" in text:
        return ("no space left on device while writing the warehouse; free some space and run "
                "the command again (the warehouse is as it was before the command)")
    if "Corrupt database file" in text or "checksum" in text:
        return (f"the warehouse file is damaged (DuckDB says: {text[:200]}); restore it from a "
                "backup, or move it aside and ingest your files again into a new one")
    return None


def _magic(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(16)
    except OSError:
        return b""


_HINT = "give another file with --db, or move this one aside to start a new warehouse"


def check_warehouse_file(path: Path, *, write: bool) -> None:
    """Before the warehouse is opened: raise a WarehouseError for a folder, an empty file,
    another format, or a read-only file when a write is needed (the file is not touched)."""
    hint = _HINT
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise WarehouseError(f"warehouse {path}: {path.parent} is a file, not a folder; "
                                 f"{hint}")
        return
    if path.is_dir():
        raise WarehouseError(f"warehouse {path} is a folder; expected a policeperf warehouse "
                             f"file (DuckDB); {hint}")
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the header read; a device is no file
        from policeperf.textfiles import KINDS

        kind = KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise WarehouseError(f"warehouse {path} is {kind}, not a file; expected a policeperf "
                             f"warehouse file (DuckDB); it was not opened; {hint}")
    size = info.st_size
    if size == 0:
        raise WarehouseError(f"warehouse {path} is an empty file (0 bytes); expected a "
                             f"policeperf warehouse (DuckDB); {hint}")
    head = _magic(path)
    if head.startswith(b"SQLite format 3"):
        raise WarehouseError(f"warehouse {path} is a SQLite database, not a policeperf "
                             f"warehouse (DuckDB); it was not opened; {hint}")
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise WarehouseError(f"warehouse {path} is not a DuckDB file (it does not start "
                             f"with DuckDB's header; {size:,} bytes, perhaps truncated or "
                             f"another format); it was not opened; {hint}")
    if write and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        raise WarehouseError(f"warehouse {path} is read-only: this command writes to it; "
                             "read commands still work (give a writable file with --db)")
    if write and not os.access(path.parent, os.W_OK):
        raise WarehouseError(f"warehouse {path}: its folder {path.parent} is read-only, and "
                             "a write goes through a copy beside the file; read commands "
                             "still work")


def warehouse_open_error(path: Path, *, write: bool, error: BaseException) -> WarehouseError:
    """What went wrong when opening the warehouse raised ``error``, as a one-line error."""
    hint = _HINT
    text = _one_line(str(error))
    if isinstance(error, OSError):
        return WarehouseError(f"warehouse {path}: {error.strerror or text}")
    if "Could not set lock" in text or "Conflicting lock" in text:
        holder = ""
        if "PID" in text:
            holder = " (" + text[text.index("PID"):].split(")")[0] + ")"
        return WarehouseError(f"warehouse {path} is locked by another program{holder}; close "
                              "it and try again")
    if "No space left" in text:
        return WarehouseError(f"warehouse {path}: no space left on device; free some space "
                              "(the warehouse is as it was)")
    first = text[:300]
    return WarehouseError(f"warehouse {path} could not be opened: it is damaged or truncated "
                          f"(DuckDB says: {first}); restore it from a backup or {hint}")
