"""Time of drawing the example report's charts, in-process, chart by chart.

    uv run python -m benchmarks.chart_drawing [--repeat 3] [--save calls.pickle]

Builds the example report once (HTML only) into a temporary folder with the warehouse named by
``POLICEPERF_DB`` (a copy of it: the build loads the project's force series), recording every
call the report makes to a chart function of :mod:`policeperf.render.charts` (its arguments and
the height the page gave it). Then draws those same charts again ``--repeat`` times and prints
the total time and the time per chart (the best of the repeats), by chart kind.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policeperf.render import charts as ch
from policeperf.render.charts import _theme

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "avon-and-somerset-2022-q1"
KINDS = ("rolling_rate_lines", "rolling_count_quarterly", "monthly_count_bars",
         "survey_rate_lines", "category_bars", "dual_axis_volume_rate", "paired_bars",
         "force_vs_national_series", "spc_chart", "peer_ranking", "funnel_plot")

Call = tuple[str, tuple[Any, ...], dict[str, Any], int | None]


def record_report_calls(db: Path) -> list[Call]:
    """Build the example report (HTML only) and return every chart call it made."""
    from policeperf.report.build import build_report
    from policeperf.warehouse import Warehouse

    calls: list[Call] = []
    originals = {kind: getattr(ch, kind) for kind in KINDS}

    def recorder(kind: str, function: Callable[..., ch.Chart]) -> Callable[..., ch.Chart]:
        def wrapped(*args: Any, **kwargs: Any) -> ch.Chart:
            calls.append((kind, args, kwargs, _theme._HEIGHT.get()))
            return function(*args, **kwargs)
        return wrapped

    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "warehouse.duckdb"
        shutil.copy(db, copy)
        for kind, function in originals.items():
            setattr(ch, kind, recorder(kind, function))
        try:
            with Warehouse(copy) as warehouse:
                build_report(EXAMPLE, warehouse=warehouse, out_dir=Path(work) / "out", pdf=False)
        finally:
            for kind, function in originals.items():
                setattr(ch, kind, function)
    return calls


def draw(calls: list[Call]) -> dict[str, list[float]]:
    """Draw each call once; seconds per chart, by kind."""
    seconds: dict[str, list[float]] = defaultdict(list)
    for kind, args, kwargs, height in calls:
        function = getattr(ch, kind)
        start = time.perf_counter()
        with _theme.chart_height(height):
            function(*args, **kwargs)
        seconds[kind].append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", type=Path, help="draw calls saved by --save instead")
    parser.add_argument("--save", type=Path, help="save the recorded calls (pickle)")
    args = parser.parse_args()
    if args.load:
        calls: list[Call] = pickle.loads(args.load.read_bytes())
    else:
        db = Path(os.environ.get("POLICEPERF_DB", ""))
        if not db.is_file():
            raise SystemExit("set POLICEPERF_DB to a warehouse holding the bundled data")
        calls = record_report_calls(db)
    if args.save:
        args.save.write_bytes(pickle.dumps(calls))
    draw(calls[:1])  # first-use costs (imports, engine start) are not drawing
    runs = [draw(calls) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: sum(map(sum, r.values())))
    total = sum(map(sum, best.values()))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{len(calls)} charts: {total * 1000:.0f} ms in all, "
          f"{total / len(calls) * 1000:.1f} ms a chart (best of {args.repeat}; load {load})")
    for kind, values in sorted(best.items()):
        print(f"  {kind:<26} {len(values):>3} x {sum(values) / len(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
