"""Compiled Jinja templates kept between runs, as Python keeps ``.pyc`` files.

Jinja compiles a template's source to Python each time a process first renders it: about 0.1 s
of the report command's 3 s. :func:`bytecode_cache` keeps the compiled code under
``$XDG_CACHE_HOME/policeperf/templates`` (``~/.cache/policeperf/templates``). Jinja stores a
checksum of the source with it, so an edited template is compiled afresh. The cache is only an
optimisation: a folder that cannot be made or written, or a damaged file, means compiling
again, never an error.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from policeperf.cache_dir import user_cache_dir

__all__ = ["bytecode_cache", "cache_folder"]


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/policeperf/templates``, else ``~/.cache/policeperf/templates``."""
    return user_cache_dir() / "templates"


class _QuietCache(FileSystemBytecodeCache):
    """A file cache whose failures fall back to compiling (never raise)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged file (bad pickle or marshal data) is a miss
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            return


def bytecode_cache(folder: Path | None = None) -> BytecodeCache:
    """The compiled-template cache (``folder`` for tests; the user's cache folder by default)."""
    return _QuietCache(str(folder or cache_folder()), pattern="policeperf-%s.cache")
