"""The results store: every measure for every force and period, computed once, read in
milliseconds (issue 10; docs/results-store.md).

* :func:`build_results` runs the one pass (:mod:`policeperf.compute.batch`) for the measures
  whose inputs changed and writes their rows into the warehouse (a writable warehouse:
  ``open_warehouse(write=True)``).
* :func:`measures_report` reads one force and period (the same :class:`MeasuresReport` as
  :func:`policeperf.compute.engine.compute_measures`).
* :func:`results_frame` reads a whole table: every force and/or every period.

Readers never write. A reader that finds the store stale (an ingest, a new catalogue measure, new
peer groups, new settings or new code since the last build) computes in memory and gives the same
answers, only slower; the command line builds the store first (:func:`ensure_built`).
"""

from policeperf.store.api import (
    BuildSummary,
    build_results,
    ensure_built,
    measures_report,
    measures_reports,
    results_frame,
    store_status,
)

__all__ = [
    "BuildSummary",
    "build_results",
    "ensure_built",
    "measures_report",
    "measures_reports",
    "results_frame",
    "store_status",
]
