"""The ``policeperf`` command line: a thin shell over the library."""

from policeperf.cli.app import app, main

__all__ = ["app", "main"]
