"""Run the benchmark suite: ``uv run python -m benchmarks [--rows 1000000] [--quick]``.

Each measurement runs in a fresh subprocess (peak memory = that process's ``ru_maxrss``); every
result is a ratio against a baseline measured in the same run on the same files. Results go to
``benchmarks/results/<rows>-<timestamp>.json`` and a Rich table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from benchmarks.suite import SuiteConfig, render_table, run_suite

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the suite, print the table and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rows", type=int, action="append",
                        help="street rows (repeat for a scaling series); default 1,000,000")
    parser.add_argument("--quick", action="store_true",
                        help="20,000 rows over 24 months: checks the suite runs, not a measurement")
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policeperf-bench"),
                        help="scratch folder for the generated files and warehouses")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON results")
    parser.add_argument("--profile", action="store_true", help="cProfile the policeperf cases")
    parser.add_argument("--skip-pandas", action="store_true",
                        help="skip the pandas baseline (for the largest sizes)")
    parser.add_argument("--reports", action="store_true",
                        help="also time the report builder: one force's report, then all forces'")
    ns = parser.parse_args(argv)
    rows = [20_000] if ns.quick else (ns.rows or [1_000_000])
    months = 24 if ns.quick else ns.months
    console = Console()
    config = SuiteConfig(rows=tuple(rows), months=months, seed=ns.seed, work=ns.work,
                         profile=ns.profile, pandas=not ns.skip_pandas,
                         reports=ns.reports)
    result = run_suite(config, log=lambda msg: console.print(f"[dim]{msg}[/dim]"))
    console.print(render_table(result))
    ns.out.mkdir(parents=True, exist_ok=True)
    name = f"{'quick' if ns.quick else '-'.join(str(r) for r in rows)}-{result['started']}.json"
    target = ns.out / name.replace(":", "")
    target.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    console.print(f"wrote {target}")
    return 0 if result["equal"] is not False else 1


if __name__ == "__main__":
    sys.exit(main())
