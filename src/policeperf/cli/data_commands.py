"""Commands about the data: ingest, sources, export, check, revisions, forces."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from policeperf.cli.checks import check_choice, check_output_file
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
from policeperf.cli.output import FormatOption, JsonAlias, frame_json, json_text, output_format
from policeperf.reference.areas import forces, resolve_area

EXPORT_FORMATS = ("csv", "parquet", "xlsx")  # policeperf.export.EXPORT_FORMATS, without its import


def ingest_summary(statuses: list[tuple[str, str, int]]) -> list[str]:
    """One line per (status, format): how many files and rows, from (status, format, rows)."""
    files: Counter[tuple[str, str]] = Counter()
    rows: Counter[tuple[str, str]] = Counter()
    for status, fmt, n in statuses:
        files[status, fmt] += 1
        rows[status, fmt] += n
    return [f"{status:>15}  {files[status, fmt]:>6,} file{'s' if files[status, fmt] != 1 else ' '}"
            f"  {fmt:<22} {rows[status, fmt]:>12,} rows"
            for status, fmt in sorted(files)]


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or zip archives.")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every file, not only "
                                          "the summary.")] = False,
) -> None:
    """Load files into the warehouse (format detected; all or nothing; re-loading adds nothing).

    Prints a summary: files and rows by format, loaded or already loaded (--verbose lists every
    file)."""
    from policeperf.ingest.load import ingest_paths

    for path in paths:  # before the warehouse is opened: a typo costs nothing
        if not path.exists() and not path.is_symlink():
            raise typer.BadParameter(f"{path}: no such file or folder", param_hint="PATHS")
    with open_warehouse(write=True) as warehouse, progress_bar("ingest") as bar:
        report = ingest_paths(warehouse, paths, progress=load_callback(bar, "files"))
    if verbose:
        for source in report.sources:
            console.print(f"{source.status:>15}  {source.format:<22} {source.rows:>10,} rows  "
                          f"{source.path}", soft_wrap=True)
    for line in ingest_summary([(s.status, s.format, s.rows) for s in report.sources]):
        console.print(line)
    console.print(f"{report.rows_added:,} rows added from {len(report.sources):,} file(s)")


@handle_errors
def sources(
    fmt: FormatOption = "table",
    as_json: JsonAlias = False,
) -> None:
    """What is loaded: each source file, its format, edition, load time and rows."""
    fmt = output_format(fmt, as_json)
    with open_warehouse() as warehouse:
        frame = warehouse.sources()
    if fmt == "json":
        typer.echo(frame_json(frame), nl=False)
        return
    shown = frame.select("source_id", "file_name", "format", "edition", "loaded_at", "rows")
    if fmt == "csv":
        typer.echo(shown.write_csv(), nl=False)
        return
    print_frame(shown, title=f"Loaded sources in {warehouse_path()}",
                units={"rows": "rows per table"})


@handle_errors
def export(
    dataset: Annotated[str, typer.Argument(help="What to export: recorded-crime.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet or xlsx.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file (default: standard output "
                                             "for csv).")] = None,
) -> None:
    """Export the latest revision of every figure, one row per period, area and offence group."""
    from policeperf.export import recorded_crime_frame, write_frame

    check_choice(dataset, "DATASET", ("recorded-crime",), "dataset")
    check_choice(fmt, "--format", EXPORT_FORMATS, "format")
    if out is not None:
        check_output_file(out, "--out")
    with open_warehouse() as warehouse:
        frame = recorded_crime_frame(warehouse)
    if out is None:
        if fmt != "csv":
            raise typer.BadParameter("--out is required for parquet and xlsx",
                                     param_hint="'--out'")
        from policeperf.csvcells import write_csv

        typer.echo(write_csv(frame, date_format="%Y-%m-%d", null_value=""), nl=False)
        return
    write_frame(frame, fmt, out)
    console.print(f"wrote {frame.height:,} rows to {out}")


@handle_errors
def check_command(
    force: Annotated[str | None, typer.Option(help="Only this force (and the national "
                                              "gaps).")] = None,
    threshold: Annotated[float, typer.Option(help="Flag a figure more than this fraction "
                                             "away from both neighbours (above 0, e.g. 0.5 = "
                                             "50%).")] = 0.5,
    fmt: FormatOption = "table",
    as_json: JsonAlias = False,
) -> None:
    """Data-quality report: missing periods, blanks as published, and anomalies."""
    import polars as pl

    from policeperf.quality import QualitySettings, check

    fmt = output_format(fmt, as_json)
    if not threshold > 0 or threshold == float("inf"):
        raise typer.BadParameter(f"{threshold} is out of range; expected a fraction above 0, "
                                 "e.g. 0.5 for 50%", param_hint="'--threshold'")
    areas = [resolve_area(force).code] if force else None
    with open_warehouse() as warehouse:
        warnings = check(warehouse, QualitySettings(change_threshold=threshold), area_codes=areas)
    rows = [
        {"kind": w.kind, "period_end": w.period_end.isoformat(), "area_code": w.area_code,
         "offence": w.offence, "message": w.message}
        for w in warnings
    ]
    if fmt == "json":
        typer.echo(json_text(rows), nl=False)
        return
    if fmt == "csv":
        typer.echo(pl.DataFrame(rows, schema=list(rows[0]) if rows else
                                ["kind", "period_end", "area_code", "offence", "message"]
                                ).write_csv(), nl=False)
        return
    counts = pl.DataFrame(rows).group_by("kind").len().sort("kind") if rows else None
    for row in rows:
        console.print(f"[{row['kind']}] {row['message']}", soft_wrap=True)
    if counts is not None:
        print_frame(counts.rename({"len": "warnings"}), title="Data-quality warnings by kind",
                    units={"warnings": "count"})
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
    from policeperf.reference.offences import group

    if offence:
        offence = group(offence).id  # an unknown id is an error with "did you mean"
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
    print_frame(frame, title=f"{frame.height:,} revised figures (recorded crime)",
                units={"previous_offences": "offences", "offences": "offences"})


@handle_errors
def forces_command(
    fmt: FormatOption = "table",
    as_json: JsonAlias = False,
) -> None:
    """The 43 police force areas: ONS code, name, data.police.uk id and peer group (official
    or computed)."""
    import polars as pl

    from policeperf.compute.groups import no_group_reason, peer_groups_in_force

    fmt = output_format(fmt, as_json, ("table", "json"))
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
    if fmt == "json":
        typer.echo(json_text(rows), nl=False)
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
            console.print(f"{r['name']}: {r['no_group_reason']}.", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(ingest)
    app.command()(sources)
    app.command()(export)
    app.command("check")(check_command)
    app.command()(revisions)
    app.command("forces")(forces_command)
