"""Commands about the data: ingest, sources, export, check, revisions, forces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from policeperf.cli.common import (
    OPTIONS,
    console,
    handle_errors,
    load_callback,
    open_warehouse,
    print_frame,
    progress_bar,
    warehouse_path,
)
from policeperf.export import EXPORT_FORMATS, recorded_crime_frame, write_frame
from policeperf.ingest.load import ingest_paths
from policeperf.quality import QualitySettings, check
from policeperf.reference.areas import forces, resolve_area


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")],
) -> None:
    """Load files into the warehouse (format detected; all or nothing; re-loading adds nothing)."""
    with open_warehouse(write=True) as warehouse, progress_bar("ingest") as bar:
        report = ingest_paths(warehouse, paths, progress=load_callback(bar, "files"))
    for source in report.sources:
        console.print(f"{source.status:>15}  {source.format:<22} {source.rows:>10,} rows  "
                      f"{source.path}", highlight=False)
    console.print(f"{report.rows_added:,} rows added", highlight=False)


@handle_errors
def sources(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What is loaded: each source file, its format, edition, load time and rows."""
    with open_warehouse() as warehouse:
        frame = warehouse.sources()
    if as_json:
        console.print_json(frame.write_json())
        return
    print_frame(frame.select("source_id", "file_name", "format", "edition", "loaded_at", "rows"),
                title="Loaded sources")


@handle_errors
def export(
    dataset: Annotated[str, typer.Argument(help="What to export: recorded-crime.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet or xlsx.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file (default: standard output "
                                             "for csv).")] = None,
) -> None:
    """Export the latest revision of every figure, one row per period, area and offence group."""
    if dataset != "recorded-crime":
        raise typer.BadParameter(f"unknown dataset {dataset!r}; available: recorded-crime")
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; choose {', '.join(EXPORT_FORMATS)}")
    with open_warehouse() as warehouse:
        frame = recorded_crime_frame(warehouse)
    if out is None:
        if fmt != "csv":
            raise typer.BadParameter("--out is required for parquet and xlsx")
        from policeperf.csvcells import write_csv

        typer.echo(write_csv(frame, date_format="%Y-%m-%d", null_value=""), nl=False)
        return
    write_frame(frame, fmt, out)
    console.print(f"wrote {frame.height:,} rows to {out}", highlight=False)


@handle_errors
def check_command(
    force: Annotated[str | None, typer.Option(help="Only this force (and the national "
                                              "gaps).")] = None,
    threshold: Annotated[float, typer.Option(help="Flag a figure more than this fraction "
                                             "away from both neighbours.")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Data-quality report: missing periods, blanks as published, and anomalies."""
    areas = [resolve_area(force).code] if force else None
    with open_warehouse() as warehouse:
        warnings = check(warehouse, QualitySettings(change_threshold=threshold), area_codes=areas)
    rows = [
        {"kind": w.kind, "period_end": w.period_end.isoformat(), "area_code": w.area_code,
         "offence": w.offence, "message": w.message}
        for w in warnings
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    counts = pl.DataFrame(rows).group_by("kind").len().sort("kind") if rows else None
    for row in rows:
        console.print(f"[{row['kind']}] {row['message']}", highlight=False, soft_wrap=True)
    if counts is not None:
        print_frame(counts, title="Data-quality warnings")
    else:
        console.print("no data-quality warnings")


@handle_errors
def revisions(
    force: Annotated[str | None, typer.Option(help="Only this area (name, alias or code).")] = None,
    offence: Annotated[str | None, typer.Option(help="Only this offence group id.")] = None,
    all_rows: Annotated[bool, typer.Option("--all", help="Also figures that did not change.")] = (
        False),
) -> None:
    """Figures a later edition revised: old and new value, and which editions."""
    where = ["previous_edition IS NOT NULL"]
    params: list[object] = []
    if not all_rows:
        where.append("offences IS DISTINCT FROM previous_offences")
    if force:
        where.append("area_code = ?")
        params.append(resolve_area(force).code)
    if offence:
        where.append("offence = ?")
        params.append(offence)
    with open_warehouse() as warehouse:
        frame = warehouse.query(
            "SELECT period_end, area_code, offence, previous_offences, offences, "
            "previous_edition, edition, file_name FROM recorded_crime_revisions "
            f"WHERE {' AND '.join(where)} ORDER BY period_end, area_code, offence", params)
    print_frame(frame, title=f"{frame.height:,} revised figures")


@handle_errors
def forces_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The 43 police force areas: ONS code, name, data.police.uk id and peer group (official
    or computed)."""
    from policeperf.compute.groups import no_group_reason, peer_groups_in_force

    if warehouse_path().exists():  # groups imported into it count
        with open_warehouse() as warehouse:
            groups = peer_groups_in_force(warehouse, OPTIONS.peer_groups)
    else:  # no warehouse yet, so nothing imported: do not build one just to list forces
        groups = peer_groups_in_force(None, OPTIONS.peer_groups)
    names = {f.code: f.name for f in forces()}
    rows: list[dict[str, Any]] = []
    for f in forces():
        g = groups.get(f.code)
        group = None if g is None else {
            "kind": g.kind, "size": g.size, "source": g.source, "published": g.published,
            "members": [{"code": c, "name": names[c]} for c in g.member_codes]}
        rows.append({"code": f.code, "name": f.name, "police_uk_id": f.police_uk_id,
                     "peer_group_size": g.size if g else None, "peer_group": group,
                     "no_group_reason": no_group_reason(f.code) if g is None else None})
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = pl.DataFrame([
        {"code": r["code"], "name": r["name"], "police_uk_id": r["police_uk_id"],
         "peer group": ("none" if r["peer_group"] is None else
                        f"{r['peer_group']['size']} forces, "
                        + ("official MSG" if r["peer_group"]["kind"] == "official"
                           else "similar forces (computed)"))}
        for r in rows])
    print_frame(table, title="Police force areas of England and Wales")
    for r in rows:
        if r["no_group_reason"]:
            console.print(f"{r['name']}: {r['no_group_reason']}.", highlight=False,
                          soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(ingest)
    app.command()(sources)
    app.command()(export)
    app.command("check")(check_command)
    app.command()(revisions)
    app.command("forces")(forces_command)
