"""Commands about the report: report, new-report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policeperf.cli.common import console, handle_errors, open_warehouse, progress_bar
from policeperf.cli.measure_commands import user_catalogue
from policeperf.report import build_report, scaffold


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
    final: Annotated[bool, typer.Option("--final", help="Refuse to build (exit code 2, every "
                                        "problem listed) while any drafted comment is not "
                                        "accepted or any page uses illustrative data.")] = False,
) -> None:
    """Build the quarterly performance report: self-contained HTML, PDF and CSVs."""
    if all_forces:
        if final:
            raise typer.BadParameter("--final checks one report: give a project folder")
        if period is None:
            raise typer.BadParameter("--all-forces needs --period")
        from policeperf.report.national import build_national_pack, forces_left_out

        with open_warehouse() as warehouse:
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
    if project is not None:
        from policeperf.report.build import load_project_series

        with open_warehouse(write=True) as warehouse:  # the project's own force series
            load_project_series(project, warehouse)
    with open_warehouse() as warehouse, progress_bar("report") as bar:
        task = bar.add_task("building", total=None)
        output = build_report(project, force=force, period=period, warehouse=warehouse,
                              out_dir=out, pdf=pdf, catalogue=user_catalogue(), final=final)
        bar.update(task, total=1, completed=1)
    console.print(f"wrote {output.html}" + (f", {output.pdf}" if output.pdf else "")
                  + f" and {len(output.csv_files)} CSV files in {out / 'data'}", highlight=False)


@handle_errors
def new_report(
    directory: Annotated[Path, typer.Argument(help="Folder to create.")],
    force: Annotated[str, typer.Option(help="Any force name, alias or ONS code.")],
    period: Annotated[str, typer.Option(help="Quarter end: 2022-06 or '2022/23 Q1'.")],
) -> None:
    """Create a report project from the measure catalogue, ready to edit."""
    root = scaffold(directory, force, period, catalogue=user_catalogue())
    console.print(f"created report project {root}: edit report.yaml and the Markdown files, "
                  f"then run: policeperf report {root}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(report)
    app.command("new-report")(new_report)
