"""The measure catalogue: YAML definitions -> validated, frozen objects; ``validate``."""

from policeperf.definitions.load import (
    CatalogueError,
    builtin_paths,
    default_catalogue,
    load_catalogue,
    validate,
)
from policeperf.definitions.model import (
    BenchmarkKind,
    Catalogue,
    Denominator,
    Measure,
    MeasureKind,
    Part,
    Polarity,
    Priority,
    Source,
    SourceKind,
    TrendSpec,
)
from policeperf.definitions.rules import Issue

__all__ = [
    "BenchmarkKind",
    "Catalogue",
    "CatalogueError",
    "Denominator",
    "Issue",
    "Measure",
    "MeasureKind",
    "Part",
    "Polarity",
    "Priority",
    "Source",
    "SourceKind",
    "TrendSpec",
    "builtin_paths",
    "default_catalogue",
    "load_catalogue",
    "validate",
]
