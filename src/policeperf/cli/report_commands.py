"""Commands about the report: report, new-report."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policeperf.cli.checks import check_output_folder, check_range
from policeperf.cli.common import console, handle_errors, open_warehouse, progress_bar
from policeperf.cli.measure_commands import user_catalogue

if TYPE_CHECKING:
    from policeperf.definitions.model import Catalogue
    from policeperf.report.build import ReportOutput
    from policeperf.report.project import Project
    from policeperf.warehouse.store import Warehouse


@handle_errors
def report(
    project: Annotated[Path | None, typer.Argument(help="A report project folder (see "
                                                   "docs/report.md); omit for the default "
                                                   "report of --force.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder: report.html, report.pdf, "
                                      "data/*.csv.")] = Path("out"),
    force: Annotated[str | None, typer.Option(help="Any force name, alias or ONS code.")] = None,
    period: Annotated[str | None, typer.Option(help="Quarter end: 2022-06 or '2022/23 Q1' "
                                               "(default: the project's).")] = None,
    all_forces: Annotated[bool, typer.Option("--all-forces", help="Every force with a peer "
                                             "group (42), in parallel, one folder each, and "
                                             "the national summary in national/.")] = False,
    workers: Annotated[int, typer.Option(help="Processes for --all-forces.")] = 2,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print the PDF.")] = True,
    pptx: Annotated[bool, typer.Option("--pptx", help="Also write report.pptx, an editable "
                                       "PowerPoint deck (native tables and charts).")] = False,
    final: Annotated[bool, typer.Option("--final", help="Refuse to build (exit code 2, every "
                                        "problem listed) while any drafted comment is not "
                                        "accepted or any page uses illustrative data.")] = False,
) -> None:
    """Build the quarterly performance report: self-contained HTML, PDF and CSVs."""
    from policeperf.cli.periods import check_period

    check_output_folder(out, "--out")
    check_range(workers, "--workers", low=1, high=64,
                why="each worker is a process building one report at a time")
    if project is not None and not project.is_dir():
        raise typer.BadParameter(f"{project}: no such folder; expected a report project folder "
                                 "(make one with policeperf new-report)", param_hint="PROJECT")
    if all_forces:
        if final:
            raise typer.BadParameter("--final checks one report: give a project folder")
        if period is None:
            raise typer.BadParameter("--all-forces needs --period")
        from policeperf.report.national import build_national_pack, forces_left_out

        with open_warehouse() as warehouse:
            check_period(warehouse, period, quarter=True)
            db = warehouse.path
            left_out = forces_left_out(warehouse)
        for name, why in left_out:
            console.print(f"{name}: no report ({why})", highlight=False)
        with progress_bar("reports", time_left=True) as bar:
            task = bar.add_task("forces", total=None)

            def step(force_name: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=force_name)

            pack = build_national_pack(out, period=period, db=db, workers=workers, pdf=pdf,
                                       progress=step)
        national = pack.national
        console.print(f"wrote {len(pack.folders)} reports under {out} and the national summary "
                      f"{national.html}" + (f", {national.pdf}" if national.pdf else "")
                      + f" with {len(national.csv_files)} CSV files", highlight=False)
        return
    if project is None and (force is None or period is None):
        raise typer.BadParameter("give a project folder, or --force and --period")
    from policeperf.definitions.load import default_catalogue
    from policeperf.report.build import load_project_series, missing_series
    from policeperf.report.project import load_project

    catalogue = user_catalogue()
    # The project is read once, and the warehouse opened once for reading (twice more only when
    # the project's own force series must be loaded first, which is the only write).
    loaded = (load_project(project, measure_ids=(catalogue or default_catalogue()).ids())
              if project is not None else None)
    with open_warehouse() as warehouse:
        to_load = bool(loaded is not None and missing_series(loaded, warehouse))
        if not to_load:
            output = _build(warehouse, loaded, force, period, out, pdf, catalogue, final, pptx)
    if to_load:
        assert loaded is not None
        with open_warehouse(write=True) as warehouse:  # the project's own force series
            load_project_series(loaded, warehouse)
        with open_warehouse() as warehouse:
            output = _build(warehouse, loaded, force, period, out, pdf, catalogue, final, pptx)
    console.print(f"wrote {output.html}" + (f", {output.pdf}" if output.pdf else "")
                  + (f", {output.pptx}" if output.pptx else "")
                  + f" and {len(output.csv_files)} CSV files in {out / 'data'}")


def _build(warehouse: Warehouse, project: Project | None, force: str | None, period: str | None,
           out: Path, pdf: bool, catalogue: Catalogue | None, final: bool,
           pptx: bool) -> ReportOutput:
    """Check the period against the data, then build the report with a progress bar by stage."""
    from policeperf.cli.periods import check_period
    from policeperf.report import build_report

    check_period(warehouse, period if period is not None else _project_period(project),
                 quarter=True)
    with progress_bar("report") as bar:
        stages = ["compute", "charts", "HTML", *(["PowerPoint"] if pptx else []),
                  *(["PDF"] if pdf else [])]
        task = bar.add_task("compute", total=len(stages))

        def stage(name: str) -> None:
            bar.update(task, completed=stages.index(name), description=name)

        # A short run that makes many objects and few cycles: the cyclic garbage collector
        # would cost about 8% of it for nothing (memory is the same without it).
        gc.disable()
        try:
            output = build_report(project, force=force, period=period, warehouse=warehouse,
                                  out_dir=out, pdf=pdf, catalogue=catalogue, final=final,
                                  pptx=pptx, stage=stage, pdf_process=True)
        finally:
            gc.enable()
        bar.update(task, completed=len(stages), description="done")
    return output


def _project_period(project: Project | None) -> str:
    assert project is not None
    return project.config.period.isoformat()


@handle_errors
def new_report(
    directory: Annotated[Path, typer.Argument(help="Folder to create.")],
    force: Annotated[str, typer.Option(help="Any force name, alias or ONS code.")],
    period: Annotated[str, typer.Option(help="Quarter end: 2022-06 or '2022/23 Q1'.")],
) -> None:
    """Create a report project from the measure catalogue, ready to edit.

    Into an existing folder it only adds the files that are missing, never overwriting yours
    (it refuses a folder that already holds a report.yaml)."""
    from policeperf.definitions.load import default_catalogue
    from policeperf.report.scaffold import starter_files

    check_output_folder(directory, "DIRECTORY")
    if (directory / "report.yaml").exists():
        raise typer.BadParameter(f"{directory} already holds a report project (report.yaml "
                                 "exists); nothing was written", param_hint="DIRECTORY")
    files = starter_files(force, period, user_catalogue() or default_catalogue())
    kept = [rel for rel in files if (directory / rel).exists()]
    for relative, text in files.items():
        path = directory / relative
        if relative in kept:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:  # never replaces a file
            fh.write(text)
    console.print(f"created report project {directory}: edit report.yaml and the Markdown "
                  f"files, then run: policeperf report {directory}")
    if kept:
        console.print(f"kept your existing files (not overwritten): {', '.join(kept)}",
                      soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(report)
    app.command("new-report")(new_report)
