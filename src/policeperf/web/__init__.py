"""The local dashboard: FastAPI + Jinja2 + HTMX over the warehouse, read-only by design.

``policeperf serve`` runs :func:`policeperf.web.app.create_app`. Pages read the warehouse through
:mod:`policeperf.web.data` (the one adapter to the results), edit report projects through
:mod:`policeperf.web.narrative` and check who may do what through :mod:`policeperf.web.auth`.
See docs/dashboard.md.
"""
