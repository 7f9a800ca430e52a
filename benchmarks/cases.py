"""Benchmark cases. Each runs in its own process (``python -m benchmarks.cases CASE ARGS``) so that
its peak memory (``ru_maxrss``) is its own; it prints one JSON line with what it measured.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Case = Callable[[dict[str, Any]], dict[str, Any]]
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    """Register a case under its function name."""
    CASES[fn.__name__] = fn
    return fn


def _street_dir(args: dict[str, Any]) -> Path:
    return Path(args["data"]) / "synthetic"


@case
def generate(args: dict[str, Any]) -> dict[str, Any]:
    """Write the synthetic street files (and offence codes)."""
    from policeperf.synthetic import generate as gen

    start = time.perf_counter()
    report = gen(args["data"], int(args["rows"]), int(args["seed"]), months=int(args["months"]))
    return {"seconds": time.perf_counter() - start, "files": len(report.street_files),
            "bytes": sum(p.stat().st_size for p in report.street_files)}


@case
def ingest_policeperf(args: dict[str, Any]) -> dict[str, Any]:
    """policeperf ingest (adapters + one-transaction load) of the street files into a new file."""
    from policeperf.ingest.load import ingest_paths
    from policeperf.warehouse import Warehouse

    db = Path(args["db"])
    db.unlink(missing_ok=True)
    with Warehouse(db) as wh:
        start = time.perf_counter()
        report = ingest_paths(wh, sorted(_street_dir(args).glob("[0-9]*")))
        seconds = time.perf_counter() - start
        rows = wh.con.execute("SELECT count(*) FROM street_crime").fetchone()
        limit = wh.con.execute("SELECT current_setting('memory_limit')").fetchone()
    return {"seconds": seconds, "rows": int(rows[0]) if rows else 0,
            "rows_added": report.rows_added, "duckdb_memory_limit": str(limit[0]) if limit else ""}


@case
def ingest_duckdb(args: dict[str, Any]) -> dict[str, Any]:
    """Bare DuckDB: CREATE TABLE AS SELECT * FROM read_csv over the same files."""
    import duckdb

    db = Path(args["db"])
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    pattern = str(_street_dir(args) / "*" / "*-street.csv")
    start = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{pattern}')")
    seconds = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM t").fetchone()
    con.close()
    return {"seconds": seconds, "rows": int(rows[0]) if rows else 0}


@case
def add_bundled(args: dict[str, Any]) -> dict[str, Any]:
    """Load the bundled ONS data (populations) into the benchmark warehouse (setup, not timed)."""
    from policeperf.warehouse import Warehouse
    from policeperf.warehouse.bootstrap import ensure_bundled

    with Warehouse(args["db"]) as wh:
        start = time.perf_counter()
        ensure_bundled(wh)
    return {"seconds": time.perf_counter() - start}


def _peers() -> dict[str, tuple[str, ...]]:
    from policeperf.reference.peer_groups import load_peer_groups

    return {code: g.member_codes for code, g in load_peer_groups().items()}


@case
def measures_ibis(args: dict[str, Any]) -> dict[str, Any]:
    """All record-level measures, all forces x months, with the Ibis expressions on DuckDB.

    Imports (ibis and its DuckDB backend) happen before the clock starts, as pandas' do for the
    baseline; connecting, building, compiling and running the expression are timed.
    """
    import ibis
    import ibis.backends.duckdb  # noqa: F401 - loaded before timing, like pandas for the baseline

    from policeperf.reference.peer_groups import load_peer_groups
    from policeperf.scale import record_level as rl
    from policeperf.warehouse import Warehouse

    with Warehouse(args["db"], read_only=True) as wh:
        start, cpu = time.perf_counter(), time.process_time()
        con = ibis.duckdb.from_connection(wh.con)
        expr = rl.force_measures(con.table("street_crime"),
                                 con.table("denominators_current"),
                                 con.table("mid_year_estimates_current"),
                                 rl.peer_table(load_peer_groups(), con),
                                 sources=con.table("sources"))
        frame = expr.to_polars()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        again, cpu_again = time.perf_counter(), time.process_time()
        expr.to_polars()  # warm: Ibis compile caches and DuckDB buffers in place
        warm, warm_cpu = time.perf_counter() - again, time.process_time() - cpu_again
    frame.sort(["month", "area_code", "crime_type"]).write_parquet(args["out"])
    # CPU: this process's user + system time, DuckDB's worker threads included.
    return {"seconds": seconds, "cpu_seconds": cpu, "warm_seconds": warm,
            "warm_cpu_seconds": warm_cpu, "rows": frame.height}


@case
def reports(args: dict[str, Any]) -> dict[str, Any]:
    """compute_measures (the report's data) for one force, then for all 43 forces."""
    import importlib.util

    if importlib.util.find_spec("policeperf.compute.engine") is None:
        return {"status": "not available yet"}
    from policeperf.compute.engine import compute_measures
    from policeperf.reference.areas import forces
    from policeperf.warehouse import Warehouse

    with Warehouse(args["db"], read_only=True) as wh:
        start = time.perf_counter()
        compute_measures(wh, args.get("force", "Avon and Somerset"), args["period_end"])
        one = time.perf_counter() - start
        start = time.perf_counter()
        for area in forces():
            compute_measures(wh, area, args["period_end"])
        every = time.perf_counter() - start
    return {"status": "compute_measures only (report_builder times the full reports)",
            "seconds": one,
            "one_force_seconds": one, "all_forces_seconds": every}


@case
def report_builder(args: dict[str, Any]) -> dict[str, Any]:
    """The report builder (policeperf.report.build): one force's full report (HTML + PDF), then
    all 43 forces' default reports (``build_all``, 2 worker processes; forces without a peer
    group are benchmarked against England and Wales)."""
    import importlib.util

    if importlib.util.find_spec("policeperf.report.build") is None:
        return {"status": "not available yet"}
    from policeperf.reference.areas import forces
    from policeperf.report.build import build_all, build_report
    from policeperf.warehouse import Warehouse

    out = Path(args["out"])
    with Warehouse(args["db"], read_only=True) as wh:
        start = time.perf_counter()
        build_report(None, force=args.get("force", "Avon and Somerset"),
                     period=args["period_end"], warehouse=wh, out_dir=out / "one")
        one = time.perf_counter() - start
    start = time.perf_counter()
    every_force = [area.name for area in forces()]
    build_all(every_force, out / "all", period=args["period_end"], db=args["db"], workers=2)
    every = time.perf_counter() - start
    return {"seconds": one, "one_force_seconds": one, "all_forces_seconds": every}


@case
def national_summary(args: dict[str, Any]) -> dict[str, Any]:
    """The national summary alone (``build_national``, no PDF): every force's results computed
    one force after another, the rank history in one pass, ranks, 16 charts and the HTML;
    with the seconds of the data and of the rest. ``report --all-forces`` skips the first
    part (it reuses the results of the force reports). Run it by hand:
    ``python -m benchmarks.cases national_summary '{"db": ..., "period_end": "2022-06-30",
    "out": "/tmp/national"}'``."""
    from policeperf.report.national import build_national
    from policeperf.report.national_data import national_frame
    from policeperf.warehouse import Warehouse

    with Warehouse(args["db"], read_only=True) as wh:
        start = time.perf_counter()
        frame = national_frame(wh, args["period_end"])
        data = time.perf_counter() - start
        start = time.perf_counter()
        out = build_national(wh, args["period_end"], args["out"], pdf=False)
        whole = time.perf_counter() - start
    return {"seconds": whole, "data_seconds": data, "rows": frame.height,
            "measures_ranked": len(out.summary.rankings)}


@case
def measures_pandas(args: dict[str, Any]) -> dict[str, Any]:
    """The same measures in plain pandas (data read from the same warehouse tables)."""
    from benchmarks.pandas_oracle import measures
    from policeperf.warehouse import Warehouse

    with Warehouse(args["db"], read_only=True) as wh:
        start = time.perf_counter()
        street = wh.con.execute(
            "SELECT month, area_code, crime_type FROM street_crime_current").df()
        den = wh.con.execute("SELECT * FROM denominators_current").df()
        est = wh.con.execute("SELECT * FROM mid_year_estimates_current").df()
        loaded = time.perf_counter() - start
        frame = measures(street, den, est, _peers())
        seconds = time.perf_counter() - start
    frame.to_parquet(args["out"])
    return {"seconds": seconds, "load_seconds": loaded, "rows": len(frame)}


def run(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one case (optionally under cProfile) and add its peak memory."""
    if args.get("profile"):
        profiler = cProfile.Profile()
        result = profiler.runcall(CASES[name], args)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        result["profile"] = text.getvalue()
    else:
        result = CASES[name](args)
    # ru_maxrss is in KiB on Linux: the peak resident memory of this process.
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], json.loads(sys.argv[2]))))
