"""The quarterly performance report: projects, assembly, drafted comments and the build."""

from policeperf.report.build import ReportOutput, build_all, build_report
from policeperf.report.project import Project, ProjectError, load_project
from policeperf.report.scaffold import default_project, scaffold

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
