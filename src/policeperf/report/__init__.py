"""The quarterly performance report: projects, assembly, drafted comments and the build.

The build (which imports the renderers) is loaded on first use, so that a renderer importing
``policeperf.report.data`` does not import itself back through the build: no import cycle.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from policeperf.report.project import Project, ProjectError, load_project
from policeperf.report.scaffold import default_project, scaffold

if TYPE_CHECKING:
    from policeperf.report.build import ReportOutput, build_all, build_report

__all__ = [
    "Project",
    "ProjectError",
    "ReportOutput",
    "build_all",
    "build_report",
    "default_project",
    "load_project",
    "scaffold",
]

_LAZY = {"ReportOutput", "build_all", "build_report"}


def __getattr__(name: str) -> Any:
    """Load the build's public names on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'policeperf.report' has no attribute {name!r}")
    return getattr(import_module("policeperf.report.build"), name)
