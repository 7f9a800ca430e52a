"""Build the warehouse from the real data bundled with the package, on first use."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from policeperf.warehouse.store import LoadReport, Warehouse, file_digest

if TYPE_CHECKING:  # the ingest readers take a second to import: only a load needs them
    from policeperf.ingest.load import Progress


def bundled_files() -> list[Path]:
    """The bundled ONS data: the 2003-2018 CSV first, then the 18 workbooks.

    The CSV goes first so that, for the one period both hold (year ending December 2018), the
    workbook, loaded later with the same edition date, is the current revision.
    """
    root = Path(str(resources.files("policeperf.data")))
    csv = sorted((root / "ons-rec-crime-pfa").glob("*.csv.gz"))
    workbooks = sorted((root / "ons-pfa-tables").glob("*.xlsx"))
    return [*csv, *workbooks]


def missing_bundled(warehouse: Warehouse) -> list[Path]:
    """Bundled files not yet in the warehouse."""
    loaded = {r[0] for r in warehouse.con.execute("SELECT sha256 FROM sources").fetchall()}
    return [p for p in bundled_files() if file_digest(p) not in loaded]


def ensure_bundled(warehouse: Warehouse, *, progress: Progress | None = None) -> LoadReport:
    """Load whatever bundled file the warehouse lacks (nothing, after the first run)."""
    from policeperf.ingest.detect import SourceFile
    from policeperf.ingest.load import ingest_files

    missing = missing_bundled(warehouse)
    files = [SourceFile(p, f"bundled:{p.parent.name}/{p.name}") for p in missing]
    return ingest_files(warehouse, files, progress=progress)
