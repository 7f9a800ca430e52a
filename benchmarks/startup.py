"""Start-up time of ``policeperf --help`` as whole processes, against a baseline checkout.

    uv run python -m benchmarks.startup --baseline /work/baseline/.venv/bin/policeperf [--runs 10]

Runs the two commands alternately (so that machine load hits both alike), after warm-up runs
that also write the ``.pyc`` caches (bytecode caching stays on: PYTHONDONTWRITEBYTECODE is
removed from the environment), and prints the mean, median and the ratio of the medians.
Issue 10's target: at least 6 times faster than commit 6089101.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def measure(commands: dict[str, list[str]], runs: int, warmup: int) -> dict[str, list[float]]:
    """Seconds per run of each command, run alternately after ``warmup`` runs of each."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(warmup):
        for command in commands.values():
            _time(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_time(command, env))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True,
                        help="the baseline's policeperf script (its own environment)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    ours = shutil.which("policeperf")
    if ours is None:
        raise SystemExit("policeperf is not on PATH: use uv run python -m benchmarks.startup")
    load = os.getloadavg()
    times = measure({"baseline": [str(args.baseline), "--help"], "now": [ours, "--help"]},
                    args.runs, args.warmup)
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, values in times.items():
        print(f"{name:>8}: mean {statistics.mean(values):.3f} s, median "
              f"{statistics.median(values):.3f} s, min {min(values):.3f} s ({len(values)} runs)")
    ratio = statistics.median(times["baseline"]) / statistics.median(times["now"])
    print(f"policeperf --help is {ratio:.1f} times faster than the baseline (target: 6)")


if __name__ == "__main__":
    main()
