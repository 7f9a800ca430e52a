"""`policeperf --help` starts fast: the command modules import nothing heavy at import time."""

import json
import subprocess
import sys
from pathlib import Path

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


def test_a_report_imports_neither_scipy_nor_numpys_masked_arrays(
        bundled_warehouse_path: Path, tmp_path: Path) -> None:
    # scipy.special (0.3 s) and numpy.ma (0.1-0.2 s, from np.median/np.percentile's first call)
    # were a sixth of the report command's time; the statistics are computed without them.
    code = ("from policeperf.warehouse import Warehouse\n"
            "from policeperf.report.build import build_report\n"
            f"with Warehouse({str(bundled_warehouse_path)!r}, read_only=True) as w:\n"
            "    build_report(None, force='Kent', period='2022-06', warehouse=w, "
            f"out_dir={str(tmp_path)!r}, pdf=False)\n"
            "print(sorted({'scipy', 'numpy.ma'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", f"import sys\n{code}"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "report.html").exists()
