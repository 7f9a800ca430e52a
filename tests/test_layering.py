"""Imports flow one way: reference/definitions -> ingest/compute -> results -> render | cli."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "policeperf"

# package -> modules it must never import (prefix match on the imported module name)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "reference": ("policeperf.ingest", "policeperf.compute", "policeperf.definitions",
                  "policeperf.render", "policeperf.report", "policeperf.cli",
                  "policeperf.warehouse"),
    "definitions": ("policeperf.ingest", "policeperf.compute", "policeperf.render",
                    "policeperf.report", "policeperf.cli", "policeperf.warehouse"),
    "ingest": ("policeperf.compute", "policeperf.render", "policeperf.report", "policeperf.cli"),
    "compute": ("policeperf.render", "policeperf.report", "policeperf.cli", "jinja2",
                "weasyprint", "altair", "vl_convert", "typer", "rich"),
    "render": ("policeperf.cli", "policeperf.ingest", "policeperf.web", "typer", "fastapi"),
    "report": ("policeperf.cli", "policeperf.web", "typer", "fastapi"),
    "web": ("policeperf.cli", "typer"),
}
# Nothing below the dashboard imports it (or its web framework): only the CLI starts it.
for _package in ("reference", "definitions", "ingest", "compute", "warehouse", "scale",
                 "synthetic", "download"):
    FORBIDDEN[_package] = (*FORBIDDEN.get(_package, ()), "policeperf.web", "fastapi",
                           "starlette", "uvicorn")
# render/_svg_text.py is render/pdf.py's private helper (it patches how WeasyPrint draws SVG text).
PDF_ENGINE_ONLY_IN = {"render/pdf.py", "render/_svg_text.py"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(package: str) -> None:
    for path in (SRC / package).rglob("*.py"):
        bad = {n for n in imports_of(path) for f in FORBIDDEN[package]
               if n == f or n.startswith(f + ".")}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_only_the_pdf_module_imports_the_pdf_engine() -> None:
    for path in SRC.rglob("*.py"):
        rel = str(path.relative_to(SRC))
        if rel not in PDF_ENGINE_ONLY_IN:
            assert "weasyprint" not in imports_of(path), rel
