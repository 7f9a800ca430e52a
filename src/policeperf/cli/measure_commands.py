"""Commands about measures: measures, explain, validate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policeperf.cli.checks import check_choice, check_output_file
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
from policeperf.cli.output import frame_json, json_text

if TYPE_CHECKING:
    import polars as pl

    from policeperf.definitions import Catalogue
    from policeperf.results import MeasuresReport

FORMATS = ("json", "table", "csv")
TABLE_FORMATS = ("csv", "parquet", "json")

ForceOption = Annotated[str, typer.Option(help="Any force name, alias or ONS code.")]
PeriodOption = Annotated[str, typer.Option(help="Period end: 2022-06, 2022-06-30 or '2022/23 Q1'.")]


def user_catalogue() -> Catalogue | None:
    """The shipped catalogue extended by the user's --catalogue files, if any were given."""
    from policeperf.definitions import load_catalogue

    return load_catalogue(OPTIONS.catalogue) if OPTIONS.catalogue else None


ENGINES = ("duckdb", "spark", "postgres")


def check_engine_installed(engine: str, postgres_url: str | None = None) -> None:
    """Spark and PostgreSQL need their extra (Spark needs Java; PostgreSQL without a URL needs
    initdb and pg_ctl to start a local server): say which, before any work."""
    import shutil
    from importlib.util import find_spec

    module, extra = {"spark": ("pyspark", "spark"), "postgres": ("psycopg", "postgres")}[engine]
    if find_spec(module) is None:
        raise typer.BadParameter(
            f"the {engine} engine needs the [{extra}] extra, which is not installed ({module} is "
            f"missing); install it with: uv sync --extra {extra}", param_hint="'--engine'")
    if engine == "spark" and shutil.which("java") is None and not _java_home():
        raise typer.BadParameter("the spark engine needs Java 17 (no java on PATH and no "
                                 "JAVA_HOME)", param_hint="'--engine'")
    if engine == "postgres" and postgres_url is None:
        found = shutil.which("pg_ctl")
        if found is None or not Path(found).with_name("initdb").exists():
            raise typer.BadParameter(
                "the postgres engine needs --postgres-url (or $POLICEPERF_POSTGRES_URL), or "
                "PostgreSQL's initdb and pg_ctl on PATH to start a throwaway local server",
                param_hint="'--engine'")


def _java_home() -> bool:
    import os

    home = os.environ.get("JAVA_HOME")
    return home is not None and Path(home, "bin", "java").exists()


def _report(force: str, period: str, engine: str = "duckdb",
            postgres_url: str | None = None) -> MeasuresReport:
    from policeperf.cli.periods import check_period

    check_choice(engine, "--engine", ENGINES, "engine")
    if engine != "duckdb":
        check_engine_installed(engine, postgres_url)
    with open_warehouse() as warehouse:
        check_period(warehouse, period, quarter=False)
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
    import polars as pl

    from policeperf.csvcells import write_csv

    check_choice(fmt, "--format", FORMATS, "format")
    if out is not None:
        check_output_file(out, "--out")
    report = _report(force, period, engine, postgres_url)
    if fmt == "json":
        text = json_text(report.to_dict())
    elif fmt == "csv":
        text = write_csv(pl.DataFrame(report.to_table_rows()))
    else:
        rows = pl.DataFrame(report.to_table_rows())
        if out is None:
            print_frame(measures_table(report.to_table_rows()),
                        title=f"{report.force}, period ending {report.period_end:%d %B %Y}",
                        no_wrap=("id",),
                        caption="--format json or csv for every field; policeperf explain "
                                "MEASURE for how a number was made")
            return
        text = write_csv(rows)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")


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
        from policeperf.csvcells import write_csv

        text = write_csv(frame) if fmt == "csv" else frame_json(frame)
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
    from policeperf.definitions.load import default_catalogue
    from policeperf.explain import explain

    known = (user_catalogue() or default_catalogue()).ids()
    if measure not in known:  # before any work: a typo costs nothing
        raise unknown_measure(measure, list(known))
    report = _report(force, period)
    try:
        result = report.measure(measure)
    except KeyError:
        raise unknown_measure(measure, [m.id for m in report.measures]) from None
    typer.echo(explain(result))


@handle_errors
def validate_command(
    files: Annotated[list[Path] | None, typer.Argument(help="Catalogue files to check with the "
                                                       "shipped ones.")] = None,
) -> None:
    """Check measure catalogue files: every problem with its file and line."""
    from policeperf.cli.checks import check_input_file
    from policeperf.definitions import validate

    for file in files or ():
        check_input_file(file, "FILES")
    issues = validate(files or None)
    for issue in issues:
        console.print(str(issue), soft_wrap=True)
    errors = [i for i in issues if i.level == "error"]
    if errors:
        raise fail(f"{len(errors)} error(s) in the catalogue")
    console.print(f"catalogue valid ({len(issues)} warning(s))")


def unknown_measure(measure: str, known: list[str]) -> Exception:
    """The error for a measure id that is not in the catalogue: the closest ids, else all."""
    import difflib

    from policeperf.errors import UnknownNameError

    close = difflib.get_close_matches(measure, known, n=3, cutoff=0.6)
    if close:
        return UnknownNameError("measure", measure, close)
    return UnknownNameError("measure", measure, [], known=known)


def value_text(value: float | None, unit: str | None) -> str:
    """A value as people read it: thousands separated, at most 3 significant figures below 1,000,
    with its unit; "-" when there is none."""
    if value is None:
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}"
    return f"{text} {unit}" if unit else text


def measures_table(rows: list[dict[str, str | float | int | None]]) -> pl.DataFrame:
    """The measures table people read: id, title, value with its unit, trend, comparison."""
    import polars as pl

    return pl.DataFrame(
        [{"id": r["id"], "measure": r["measure"],
          "value": value_text(r["value"] if isinstance(r["value"], int | float) else None,
                              str(r["unit"]) if r["unit"] else None),
          "trend": r["trend"], "compared with peers": r["benchmark"]} for r in rows],
        schema=["id", "measure", "value", "trend", "compared with peers"])


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(measures)
    app.command("explain")(explain_command)
    app.command("results")(results_command)
    app.command("validate")(validate_command)
