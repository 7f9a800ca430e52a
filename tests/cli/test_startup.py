"""`policeperf --help` starts fast: the command modules import nothing heavy at import time."""

import json
import subprocess
import sys

HEAVY = ("scipy", "duckdb", "ibis", "polars", "pandas", "pyarrow", "numpy", "weasyprint",
         "fastapi", "uvicorn", "rich", "jinja2", "pydantic", "yaml", "openpyxl", "vl_convert")


def _imported(code: str) -> list[str]:
    loaded = "{m.split('.')[0] for m in sys.modules}"
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted({loaded} & {set(HEAVY)!r})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _imported("import policeperf.cli.app") == []


def test_help_imports_no_heavy_library() -> None:
    code = ("import sys\nsys.argv = ['policeperf', '--help']\nfrom policeperf.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _imported(code) == []
