"""Commands for national scale: generate synthetic record-level data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policeperf.cli.common import console, progress_bar
from policeperf.synthetic import generate


def generate_command(
    rows: Annotated[int, typer.Option(help="Street-level rows over all forces and months.")],
    out: Annotated[Path, typer.Option(help="Folder to write into (files go to OUT/synthetic).")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 1,
    months: Annotated[int, typer.Option(help="Months, ending with --end-month.")] = 120,
    end_month: Annotated[str, typer.Option(help="Last month, YYYY-MM.")] = "2022-06",
    layout: Annotated[str, typer.Option(help="csv (YYYY-MM/…-street.csv) or zip (one archive "
                                        "per month, as downloaded).")] = "csv",
) -> None:
    """Write SYNTHETIC data.police.uk street files and offence-code records for all 43 forces.

    Volumes follow each force's real ONS offence mix; everything else is made up. Never real data.
    """
    if layout not in ("csv", "zip"):
        raise typer.BadParameter("--layout must be csv or zip")
    with progress_bar("generating synthetic data") as bar:
        task = bar.add_task("months", total=months)
        report = generate(out, rows, seed, months=months, end_month=end_month,
                          layout="zip" if layout == "zip" else "csv",
                          progress=lambda done, total: bar.update(task, completed=done,
                                                                  total=total))
    console.print(f"wrote {report.street_rows:,} synthetic street rows in "
                  f"{len(report.street_files):,} files and {report.offence_code_rows:,} "
                  f"offence-code rows under {report.root}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("generate")(generate_command)
