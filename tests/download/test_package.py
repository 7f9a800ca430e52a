"""The downloader is a small ingest-side library: standard library and PyYAML only."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "src" / "policeperf" / "download"
# policeperf.textfiles (the guarded YAML reader) and policeperf.limits are standard library and
# PyYAML only themselves.
ALLOWED = ("policeperf.download", "policeperf.errors", "policeperf.textfiles", "policeperf.limits",
           "yaml", "__future__")


def test_the_download_package_imports_nothing_above_it_and_nothing_heavy() -> None:
    stdlib = sys.stdlib_module_names
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                ok = name.split(".")[0] in stdlib or name.startswith(ALLOWED)
                assert ok, f"{path.name} imports {name}"


def test_importing_the_download_command_loads_no_dataframe_or_database_library() -> None:
    code = ("import sys, policeperf.download; "
            "print(sorted({'polars', 'duckdb', 'pyarrow', 'ibis'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
