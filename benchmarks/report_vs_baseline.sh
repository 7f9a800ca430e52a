#!/usr/bin/env bash
# The example report from the command line, this checkout against a baseline checkout (its own
# venv), side by side as whole processes with hyperfine. Each run starts from a fresh copy of a
# warehouse holding only the bundled ONS data, built by that side's own code (so neither side
# reuses anything an earlier run stored); bytecode caches are on (as after any first run).
#
#   bash benchmarks/report_vs_baseline.sh /work/baseline [runs]
#
# Writes benchmarks/results/report-vs-baseline-<time>.json and prints both ratios, by wall time
# (median) and by CPU time (user + sys).
set -euo pipefail
BASE=${1:?baseline checkout}
RUNS=${2:-3}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_DATA_HOME=$WORK/xdg
for side in base:"$BASE" new:"$HERE"; do
  name=${side%%:*}; dir=${side#*:}
  (cd "$dir" && uv run python -c "
from policeperf.warehouse import Warehouse
from policeperf.warehouse.bootstrap import ensure_bundled
with Warehouse('$WORK/$name-pristine.duckdb') as w: ensure_bundled(w)")
done
EX=examples/avon-and-somerset-2022-q1
run() {  # name dir extra-args
  echo "cd $2 && POLICEPERF_DB=$WORK/$1.duckdb uv run policeperf report $EX --out $WORK/out-$1 $3"
}
prep() { echo "cp $WORK/$1-pristine.duckdb $WORK/$1.duckdb && rm -rf $WORK/out-$1"; }
STAMP=$(date -u +%Y%m%dT%H%M%S)
OUT=$HERE/benchmarks/results/report-vs-baseline-$STAMP.json
mkdir -p "$HERE/benchmarks/results"
hyperfine --runs "$RUNS" --export-json "$OUT" --style basic \
  --prepare "$(prep base)" -n "baseline HTML+PDF" "$(run base "$BASE" "")" \
  --prepare "$(prep new)" -n "this HTML+PDF" "$(run new "$HERE" "")" \
  --prepare "$(prep base)" -n "baseline HTML only" "$(run base "$BASE" --no-pdf)" \
  --prepare "$(prep new)" -n "this HTML only" "$(run new "$HERE" --no-pdf)"
python3 - "$OUT" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
# Wall time (median) and CPU time (user + sys, mean of the runs: hyperfine exports no median for
# it; with 2 runs the two are the same): on a shared, loaded machine the CPU time is the steadier.
for what in ("HTML+PDF", "HTML only"):
    b, n = r[f"baseline {what}"], r[f"this {what}"]
    bc, nc = b["user"] + b["system"], n["user"] + n["system"]
    print(f"{what}: wall baseline {b['median']:.1f} s, this {n['median']:.1f} s, "
          f"{b['median'] / n['median']:.2f}x; CPU baseline {bc:.1f} s, this {nc:.1f} s, "
          f"{bc / nc:.2f}x")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
