"""Commands about measures: measures, explain, validate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from policeperf.cli.common import (
    OPTIONS,
    _wait_message,
    console,
    err_console,
    fail,
    handle_errors,
    open_warehouse,
    print_frame,
    warehouse_path,
)
from policeperf.definitions import Catalogue, load_catalogue, validate
from policeperf.explain import explain
from policeperf.results import MeasuresReport

FORMATS = ("json", "table", "csv")
TABLE_FORMATS = ("csv", "parquet", "json")

ForceOption = Annotated[str, typer.Option(help="Any force name, alias or ONS code.")]
PeriodOption = Annotated[str, typer.Option(help="Period end: 2022-06, 2022-06-30 or '2022/23 Q1'.")]


def user_catalogue() -> Catalogue | None:
    """The shipped catalogue extended by the user's --catalogue files, if any were given."""
    return load_catalogue(OPTIONS.catalogue) if OPTIONS.catalogue else None


ENGINES = ("duckdb", "spark", "postgres")


def _report(force: str, period: str, engine: str = "duckdb",
            postgres_url: str | None = None) -> MeasuresReport:
    if engine not in ENGINES:
        raise typer.BadParameter(f"unknown engine {engine!r}; choose {', '.join(ENGINES)}")
    with open_warehouse() as warehouse:
        if engine == "duckdb":
            # From the results store when it is fresh (built by `policeperf results build` or
            # `measures --force all`), else computed for this force alone: the same answers.
            from policeperf.store import measures_report

            return measures_report(warehouse, force, period, catalogue=user_catalogue(),
                                   peer_groups=OPTIONS.peer_groups)
        path = warehouse.path
    # The same measure definitions on another engine, over the warehouse's tables.
    from policeperf.compute.engine import compute_measures
    from policeperf.compute.sources import TABLES_READ
    from policeperf.scale import engines

    def run(url: str | None) -> MeasuresReport:
        backend = engines.connect("spark" if engine == "spark" else "postgres", path,
                                  postgres_url=url, tables=TABLES_READ)
        return compute_measures(backend, force, period, catalogue=user_catalogue(),
                                peer_groups=OPTIONS.peer_groups)

    if engine == "postgres" and postgres_url is None:
        with engines.LocalPostgres() as server:  # a throwaway local server
            return run(server.url)
    return run(postgres_url)


@handle_errors
def measures(
    force: Annotated[str, typer.Option(help="Any force name, alias or ONS code; 'all' for the "
                                       "results table of every force.")],
    period: Annotated[str, typer.Option(help="Period end: 2022-06, 2022-06-30 or '2022/23 Q1'; "
                                        "'all' for every period.")],
    fmt: Annotated[str, typer.Option("--format", help="json, table or csv (a results table: "
                                     "csv, parquet or json).")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead.")] = None,
    engine: Annotated[str, typer.Option(help="duckdb (default), spark (the [spark] extra, "
                                        "Java 17) or postgres (the [postgres] extra).")] = "duckdb",
    postgres_url: Annotated[str | None, typer.Option(
        envvar="POLICEPERF_POSTGRES_URL",
        help="postgresql://user@host:port/db for --engine postgres (default: a throwaway "
             "local server)")] = None,
) -> None:
    """Every catalogue measure for a force and period: value, rank, comparison, trend, SPC.

    --force all and/or --period all give the whole results table (csv, parquet or json), from
    the results store, which is brought up to date first."""
    if force.strip().lower() == "all" or period.strip().lower() == "all":
        _results_table(force, period, "csv" if fmt == "table" else fmt, out)
        return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    report = _report(force, period, engine, postgres_url)
    if fmt == "json":
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = pl.DataFrame(report.to_table_rows()).write_csv()
    else:
        rows = pl.DataFrame(report.to_table_rows())
        if out is None:
            compact = rows.select(
                "id",
                pl.col("value").round(3).cast(pl.Utf8).fill_null("-").alias("value"),
                "trend",
                "benchmark",
            )
            print_frame(compact, title=f"{report.force}, period ending "
                        f"{report.period_end:%d %B %Y} (--format json for every field)")
            return
        text = rows.write_csv()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}", highlight=False)


def _ensure_store() -> None:
    """Bring the results store up to date (a write, only when stale), telling the user why."""
    from policeperf.store import ensure_built

    def building() -> None:
        err_console.print("results store: computing every measure for every force and period "
                          "(once per change of data, catalogue, peer groups or code)",
                          highlight=False)

    with open_warehouse():  # a new warehouse is set up first
        pass
    ensure_built(warehouse_path(), catalogue=user_catalogue(), peer_groups=OPTIONS.peer_groups,
                 on_build=building, on_wait=_wait_message)


def _results_table(force: str, period: str, fmt: str, out: Path | None) -> None:
    """``measures --force all`` / ``--period all``: the results table from the store."""
    if fmt not in TABLE_FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r} for a results table; choose "
                                 f"{', '.join(TABLE_FORMATS)}")
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("--format parquet needs --out FILE")
    from policeperf.store import results_frame

    _ensure_store()
    with open_warehouse() as warehouse:
        frame = results_frame(warehouse, force=force.strip(), period=period.strip(),
                              catalogue=user_catalogue(), peer_groups=OPTIONS.peer_groups)
    if fmt == "parquet":
        assert out is not None
        frame.write_parquet(out)
    else:
        text = frame.write_csv() if fmt == "csv" else frame.write_json()
        if out is None:
            typer.echo(text, nl=not text.endswith("\n"))
            return
        out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out} ({frame.height} rows)", highlight=False)


@handle_errors
def results_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute every measure, even "
                                          "those whose stored results are fresh.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Only say which measures are stale; "
                                         "write nothing.")] = False,
) -> None:
    """Build the results store: every measure for every force and period, computed once (only
    what changed since the last build), so measures, explain, report and the dashboard read it."""
    from policeperf.store import build_results, store_status

    if status:
        with open_warehouse() as warehouse:
            state = store_status(warehouse, catalogue=user_catalogue(),
                                 peer_groups=OPTIONS.peer_groups)
        stale = state.stale
        console.print(f"results store: {len(state.wanted) - len(stale)} of {len(state.wanted)} "
                      f"measures fresh" + (f"; stale: {', '.join(stale)}" if stale else ""),
                      highlight=False)
        return
    with open_warehouse(write=True) as warehouse:
        summary = build_results(warehouse, catalogue=user_catalogue(),
                                peer_groups=OPTIONS.peer_groups, rebuild=rebuild)
    console.print(f"results store: {len(summary.built)} measures computed for {summary.periods} "
                  f"periods ({summary.rows:,} results) in {summary.seconds:.1f} s; "
                  f"{len(summary.kept)} were fresh", highlight=False)


@handle_errors
def explain_command(
    measure: Annotated[str, typer.Argument(help="Measure id, e.g. residential_burglary.")],
    force: ForceOption,
    period: PeriodOption,
) -> None:
    """Explain one number in plain words: counts, denominator, peers, rule, trend, sources."""
    report = _report(force, period)
    try:
        result = report.measure(measure)
    except KeyError:
        ids = ", ".join(m.id for m in report.measures)
        raise fail(f"unknown measure {measure!r}; measures are: {ids}") from None
    typer.echo(explain(result))


@handle_errors
def validate_command(
    files: Annotated[list[Path] | None, typer.Argument(help="Catalogue files to check with the "
                                                       "shipped ones.")] = None,
) -> None:
    """Check measure catalogue files: every problem with its file and line."""
    issues = validate(files or None)
    for issue in issues:
        console.print(str(issue), highlight=False, soft_wrap=True)
    errors = [i for i in issues if i.level == "error"]
    if errors:
        raise fail(f"{len(errors)} error(s) in the catalogue")
    console.print(f"catalogue valid ({len(issues)} warning(s))", highlight=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(measures)
    app.command("explain")(explain_command)
    app.command("results")(results_command)
    app.command("validate")(validate_command)
