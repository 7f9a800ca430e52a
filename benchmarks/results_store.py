"""The results store against today's per-force path: ``uv run python -m benchmarks.results_store``.

Issue 10's acceptance, as ratios measured in one run on one machine (the machine's load is
recorded, since every target is a ratio):

* **the pass**: ``build_results`` (the whole catalogue x 43 forces x every bundled period, written
  to the store) against looping ``compute_measures`` over the same work, timed on a sample of
  periods (all 43 forces each) and scaled to every period: target >= 100x;
* **one force from a built store**: ``policeperf measures --force F --period P`` as a whole
  process, against the same command of the baseline checkout (commit 6089101, its own venv, in
  ``--baseline``): target >= 4x; and ``policeperf --help`` the same way (target >= 6x);
* ``--equality``: every force, period and measure read from the store against
  ``compute_measures``, value by value (the exhaustive form of tests/compute/test_batch.py). The
  per-force path runs one force at a time with one set of warehouse reads for all its periods
  (``compute_measures(..., cache=)``, as a report's two quarters share them); every period is
  still computed by ``compute_measures``. ``--equality-periods N`` checks N periods only;
  ``--equality-only`` builds the store and checks, with no timings against the baseline.

Results go to ``benchmarks/results/results-store-<time>.json`` and are quoted in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"


def _load() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def _python(code: str, db: Path, checkout: Path = ROOT,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter of a checkout (its own environment); it prints one
    JSON line."""
    argv = ([sys.executable] if checkout == ROOT else ["uv", "run", "python"])
    proc = subprocess.run([*argv, "-c", code, str(db)], cwd=checkout, capture_output=True,
                          text=True, check=True, env=env)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


LOOP = """
import json, sys, time
from datetime import date
from policeperf.compute.engine import compute_measures
from policeperf.reference.areas import forces
from policeperf.warehouse import Warehouse
periods = [date.fromisoformat(p) for p in sys.argv[2].split(",")]
with Warehouse(sys.argv[1], read_only=True) as wh:
    compute_measures(wh, "Kent", periods[0])  # imports and first reads outside the clock
    start = time.perf_counter()
    for p in periods:
        for area in forces():
            compute_measures(wh, area, p)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "force_periods": len(periods) * len(forces())}))
"""

PASS = """
import json, sys, time
from policeperf.store import build_results
from policeperf.warehouse import Warehouse
with Warehouse(sys.argv[1]) as wh:
    start = time.perf_counter()
    cpu = time.process_time()
    s = build_results(wh, rebuild=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "periods": s.periods,
                  "results": s.rows, "measures": len(s.built)}))
"""

EQUALITY = """
import json, sys, time
from policeperf.compute.batch import warehouse_periods
from policeperf.compute.engine import compute_measures
from policeperf.reference.areas import forces
from policeperf.store.read import freshness, read_report, resolve_inputs
from policeperf.warehouse import Warehouse
limit = int(sys.argv[2])
only = [n for n in FORCES.split(",") if n]
checked, results, missing, different = 0, 0, [], []
start, cpu = time.perf_counter(), time.process_time()
with Warehouse(sys.argv[1], read_only=True) as wh:
    cat, groups, cfg = resolve_inputs(wh, None, None, None)
    assert freshness(wh, cat, groups, cfg).fresh
    periods = warehouse_periods(wh)
    step = max(1, len(periods) // limit) if limit else 1
    chosen = periods[::step][: limit or None]
    for area in [f for f in forces() if not only or f.name in only]:
        # The per-force path, one force at a time: its warehouse reads (every period and area
        # of each source, as compute_measures caches them) serve all its periods, as a report's
        # two quarters share them. Each period is still computed by compute_measures.
        cache = {}
        for p in chosen:
            stored = read_report(wh, area, p, groups, cfg, cat)
            computed = compute_measures(wh, area, p, catalogue=cat, peer_groups=groups,
                                        settings=cfg, cache=cache).to_dict()
            checked += 1
            if stored is None:
                missing.append(f"{area.name} {p}")
                continue
            mine = stored.to_dict()
            for a, b in zip(mine.pop("measures"), computed.pop("measures"), strict=True):
                results += 1
                if a != b:
                    fields = sorted(k for k in a if a[k] != b.get(k))
                    different.append(f"{area.name} {p} {a['id']}: {', '.join(fields)}")
            if mine != computed:
                different.append(f"{area.name} {p}: report fields")
        print(json.dumps({"force": area.name, "force_periods": checked, "results": results,
                          "different": len(different), "missing": len(missing),
                          "cpu_seconds": time.process_time() - cpu}), file=sys.stderr, flush=True)
print(json.dumps({"force_periods": checked, "periods": len(chosen), "results": results,
                  "missing": missing, "different": different,
                  "seconds": time.perf_counter() - start,
                  "cpu_seconds": time.process_time() - cpu}))
"""


def _process(argv: list[str], cwd: Path, env: dict[str, str], repeat: int) -> dict[str, Any]:
    """Median wall time of a whole process (after one warm-up run)."""
    subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"median_seconds": statistics.median(times), "seconds": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.results_store",
                                     description=__doc__)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policeperf-store-bench"))
    parser.add_argument("--baseline", type=Path, default=Path("/work/baseline"),
                        help="checkout of commit 6089101 with its own environment (uv)")
    parser.add_argument("--sample-periods", type=int, default=2,
                        help="periods of the per-force loop timed (all 43 forces each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each whole process")
    parser.add_argument("--equality", action="store_true", help="also check every result")
    parser.add_argument("--equality-periods", type=int, default=0,
                        help="with --equality: check this many periods (0 = every period)")
    parser.add_argument("--equality-forces", default="",
                        help="with --equality: only these forces (names, comma-separated), e.g. "
                             "to finish a run that stopped part way")
    parser.add_argument("--equality-only", action="store_true",
                        help="build the store and check every result; no timings against the "
                             "baseline")
    parser.add_argument("--no-loop", action="store_true",
                        help="skip the per-force loop (whole-process timings only)")
    parser.add_argument("--force", default="Kent")
    parser.add_argument("--period", default="2022-06")
    ns = parser.parse_args(argv)
    from policeperf.compute.batch import warehouse_periods
    from policeperf.warehouse import Warehouse
    from policeperf.warehouse.bootstrap import ensure_bundled

    ns.work.mkdir(parents=True, exist_ok=True)
    db = ns.work / "store.duckdb"
    db.unlink(missing_ok=True)
    with Warehouse(db) as wh:
        ensure_bundled(wh)
        periods = warehouse_periods(wh)
    out: dict[str, Any] = {"started": datetime.now().strftime("%Y%m%dT%H%M%S"),
                           "load_before": _load(), "nproc": os.cpu_count()}
    sample = [periods[i * (len(periods) - 1) // max(1, ns.sample_periods - 1)].isoformat()
              for i in range(ns.sample_periods)]
    env = {**os.environ, "POLICEPERF_DB": str(db)}
    base_db = ns.work / "baseline.duckdb"
    base_env = {**os.environ, "POLICEPERF_DB": str(base_db),
                "XDG_DATA_HOME": str(ns.work / "xdg")}
    base_env.pop("VIRTUAL_ENV", None)
    measures = ["measures", "--force", ns.force, "--period", ns.period, "--format", "json"]
    baseline = (not ns.equality_only and (ns.baseline / "pyproject.toml").exists()
                and shutil.which("uv") is not None)
    ns.equality = ns.equality or ns.equality_only
    ns.no_loop = ns.no_loop or ns.equality_only
    if baseline:  # first, so that the baseline builds its own warehouse (its warm-up run)
        print("baseline whole processes: measures, --help ...", flush=True)
        out["measures_baseline"] = _process(["uv", "run", "policeperf", *measures],
                                            ns.baseline, base_env, ns.repeat)
        out["help_baseline"] = _process(["uv", "run", "policeperf", "--help"], ns.baseline,
                                        base_env, ns.repeat)
    # Today's per-force path: the baseline checkout's own, else this checkout's.
    where = "baseline" if baseline else "this checkout"
    if not ns.no_loop:
        print(f"per-force loop ({where}) over {len(sample)} periods x 43 forces ...", flush=True)
        loop_code = LOOP.replace("sys.argv[2]", repr(",".join(sample)))
        loop = (_python(loop_code, base_db, ns.baseline, base_env) if baseline
                else _python(loop_code, db))
        per = loop["seconds"] / loop["force_periods"]
        loop["scaled_seconds"] = per * 43 * len(periods)
        out["loop"] = {**loop, "sample_periods": sample, "seconds_per_force_period": per,
                       "code": where}
    print("the pass (build_results, every measure, force and period) ...", flush=True)
    out["pass"] = _python(PASS, db)
    if "loop" in out:
        out["pass_speedup"] = out["loop"]["scaled_seconds"] / out["pass"]["seconds"]
    if not ns.equality_only:
        print("whole processes: measures from the store, --help ...", flush=True)
        out["measures_store"] = _process(["uv", "run", "policeperf", *measures], ROOT, env,
                                         ns.repeat)
        out["help"] = _process(["uv", "run", "policeperf", "--help"], ROOT, env, ns.repeat)
    if baseline:
        out["measures_speedup"] = (out["measures_baseline"]["median_seconds"]
                                   / out["measures_store"]["median_seconds"])
        out["help_speedup"] = (out["help_baseline"]["median_seconds"]
                               / out["help"]["median_seconds"])
    if ns.equality:
        print("equality: the store against compute_measures ...", flush=True)
        code = EQUALITY.replace("sys.argv[2]", repr(str(ns.equality_periods)))
        out["equality"] = _python(code.replace("FORCES", repr(ns.equality_forces)), db)
    out["load_after"] = _load()
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"results-store-{out['started']}.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if "speedup" in k or k.startswith("load")},
                     indent=1))
    print(f"wrote {target}")
    equality = out.get("equality", {})
    return 1 if equality.get("different") or equality.get("missing") else 0


if __name__ == "__main__":
    sys.exit(main())
