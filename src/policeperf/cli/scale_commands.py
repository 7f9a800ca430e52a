"""Commands for national scale: generate synthetic record-level data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policeperf.cli.checks import check_choice, check_output_folder, check_range
from policeperf.cli.common import console, handle_errors, progress_bar
from policeperf.limits import GENERATE_MAX_MONTHS, GENERATE_MAX_ROWS

# Limits of `generate`: one place, policeperf.limits, says why each figure (docs/cli.md,
# docs/reliability.md).
MAX_ROWS = GENERATE_MAX_ROWS
MAX_MONTHS = GENERATE_MAX_MONTHS
# Bytes written per street row: measured 232 of street CSV plus the offence-code files, about
# 255 in all (200,000 rows, 12 months); 270 leaves a margin for the free-space check.
BYTES_PER_ROW = 270


def _end_month(text: str) -> str:
    import re

    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12 or not 1900 < int(m[1]) < 2200:
        raise typer.BadParameter(f"{text!r} is not a month; expected YYYY-MM, e.g. 2022-06",
                                 param_hint="'--end-month'")
    return f"{int(m[1]):04d}-{int(m[2]):02d}"


def _check_space(out: Path, rows: int) -> None:
    import shutil

    probe = out
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    need = rows * BYTES_PER_ROW
    if need > free:
        raise typer.BadParameter(f"{rows:,} rows need about {need / 1e9:,.1f} GB, and only "
                                 f"{free / 1e9:,.1f} GB are free under {probe}",
                                 param_hint="'--rows'")


@handle_errors
def generate_command(
    rows: Annotated[int, typer.Option(help="Street-level rows over all forces and months "
                                      f"(0 to {MAX_ROWS:,}).")],
    out: Annotated[Path, typer.Option(help="Folder to write into (files go to OUT/synthetic).")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 1,
    months: Annotated[int, typer.Option(help="Months, ending with --end-month (1 to "
                                        f"{MAX_MONTHS}).")] = 120,
    end_month: Annotated[str, typer.Option(help="Last month, YYYY-MM.")] = "2022-06",
    layout: Annotated[str, typer.Option(help="csv (YYYY-MM/…-street.csv) or zip (one archive "
                                        "per month, as downloaded).")] = "csv",
) -> None:
    """Write SYNTHETIC data.police.uk street files and offence-code records for all 43 forces.

    Volumes follow each force's real ONS offence mix; everything else is made up. Never real data.
    """
    from policeperf.synthetic import generate

    check_range(rows, "--rows", low=0, high=MAX_ROWS,
                why="about 26 GB of files at the limit; see docs/cli.md")
    check_range(months, "--months", low=1, high=MAX_MONTHS)
    check_range(seed, "--seed", low=0, why="NumPy seeds are whole numbers 0 or more")
    check_choice(layout, "--layout", ("csv", "zip"), "layout")
    end_month = _end_month(end_month)
    check_output_folder(out, "--out")
    _check_space(out, rows)
    with progress_bar("generating synthetic data") as bar:
        task = bar.add_task("months", total=months)
        report = generate(out, rows, seed, months=months, end_month=end_month,
                          layout="zip" if layout == "zip" else "csv",
                          progress=lambda done, total: bar.update(task, completed=done,
                                                                  total=total))
    console.print(f"wrote {report.street_rows:,} synthetic street rows in "
                  f"{len(report.street_files):,} files and {report.offence_code_rows:,} "
                  f"offence-code rows under {report.root}")


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command("generate")(generate_command)
