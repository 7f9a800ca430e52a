"""The DuckDB warehouse: one file holding every loaded figure, its revisions and provenance."""

from policeperf.warehouse.location import default_db_path
from policeperf.warehouse.store import LoadReport, Warehouse

__all__ = ["LoadReport", "Warehouse", "default_db_path"]
