"""Dashboard page timings as a user meets them: ``uv run python -m benchmarks.dashboard``.

Starts ``policeperf serve --public`` as its own process on a fresh warehouse built from the
bundled data (plus the example project), then times each page over HTTP: the first request
(results not yet cached: computed, or read from the results store once it lands) and the median
and 90th percentile of ``--repeat`` further requests. Targets (issue 11): every page under
300 ms, the overview's JSON under 100 ms. Results go to ``benchmarks/results/dashboard-*.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
FORCE, PERIOD, MEASURE = "avon-and-somerset", "2022-06", "residential_burglary"
PAGES = {
    "overview.json": f"/forces/{FORCE}/{PERIOD}.json",
    "overview.json, 2nd force": f"/forces/kent/{PERIOD}.json",
    "overview": f"/forces/{FORCE}/{PERIOD}",
    "measure": f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}",
    "measure chart (trend)": f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}/charts/trend",
    "compare": f"/compare/{MEASURE}/{PERIOD}",
    "data": "/data",
    "report project": "/reports/example",
    "home": "/",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(work: Path) -> tuple[Path, Path]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    db = work / "warehouse.duckdb"
    project = work / "example"
    shutil.copytree(ROOT / "examples" / "avon-and-somerset-2022-q1", project)
    env = {**os.environ, "POLICEPERF_DB": str(db)}
    subprocess.run([sys.executable, "-m", "policeperf", "sources"], env=env, check=True,
                   capture_output=True)
    return db, project


def _time(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed * 1000.0


def run(work: Path, repeat: int) -> dict[str, Any]:
    """Serve, time every page, stop the server; milliseconds per page."""
    db, project = _prepare(work)
    port = _free_port()
    env = {**os.environ, "POLICEPERF_DB": str(db), "XDG_CACHE_HOME": str(work / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "policeperf", "serve", "--public",
                               "--port", str(port), "--project", str(project)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=300) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    client.get("/static/app.css")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            pages: dict[str, Any] = {}
            # The period's results made once (with the results store: computed for every area
            # and stored; without it: this force computed), so that "first" below is a read.
            prepare = _time(client, f"/forces/west-midlands/{PERIOD}.json")
            for name, path in PAGES.items():
                first = _time(client, path)
                warm = sorted(_time(client, path) for _ in range(repeat))
                pages[name] = {"path": path, "first_ms": round(first, 1),
                               "median_ms": round(statistics.median(warm), 1),
                               "p90_ms": round(warm[int(0.9 * (len(warm) - 1))], 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    from policeperf.web.data import _store

    return {"started": time.strftime("%Y%m%dT%H%M%S"), "load": os.getloadavg(),
            "repeat": repeat, "results_store": _store() is not None,
            "prepare_period_ms": round(prepare, 1), "pages": pages,
            "note": "prepare = the period's first request (the store built for every area, or "
                    "one force computed); first = not cached in the server (read from the store, "
                    "or computed per force without it); median/p90 = cached in the server"}


def main(argv: list[str] | None = None) -> int:
    """Run the timings, print them and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard", description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policeperf-bench-dashboard"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    ns = parser.parse_args(argv)
    result = run(ns.work, ns.repeat)
    print(f"load average {result['load'][0]:.2f}; {ns.repeat} warm requests per page; results "
          f"store: {result['results_store']}; period prepared in {result['prepare_period_ms']} ms")
    print(f"{'page':<24}{'first ms':>10}{'median ms':>11}{'p90 ms':>9}")
    for name, page in result["pages"].items():
        print(f"{name:<24}{page['first_ms']:>10.1f}{page['median_ms']:>11.1f}"
              f"{page['p90_ms']:>9.1f}")
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / f"dashboard-{result['started']}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
