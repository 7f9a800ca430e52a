"""``policeperf peers``: import, set and show peer groups (official or computed)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from policeperf.cli.common import (
    OPTIONS,
    console,
    handle_errors,
    open_warehouse,
    warehouse_path,
)
from policeperf.cli.group import WrappedHelpGroup
from policeperf.cli.output import FormatOption, JsonAlias, json_text, output_format

peers_app = typer.Typer(
    name="peers",
    help="Peer groups: import a published list, set one force's group, show the group in force.",
    no_args_is_help=True,
    rich_markup_mode=None, cls=WrappedHelpGroup,
)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; expected YYYY-MM-DD, e.g. "
                                 "2021-03-31", param_hint="--date") from None


def _name(code: str) -> str:
    from policeperf.reference.areas import by_code

    return by_code(code).name


def _stored(groups: dict[str, tuple[str, ...]], source: str, published: date | None,
            origin: str) -> int:
    from policeperf.compute.groups import store_groups

    with open_warehouse(write=True) as warehouse:
        return store_groups(warehouse, groups, source=source, published=published, origin=origin)


@peers_app.command("import")
@handle_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="A published list, CSV or XLSX: columns force, "
                                         "peer (long) or force, peer 1 ... peer 7 (wide).")],
    source: Annotated[str | None, typer.Option(help="Where the list comes from (default: the "
                                               "file name).")] = None,
    published: Annotated[str | None, typer.Option("--date", help="The list's publication date, "
                                                  "YYYY-MM-DD (default: not recorded).")] = None,
) -> None:
    """Import official peer groups (Most Similar Groups) from a published list."""
    from policeperf.cli.checks import check_input_file
    from policeperf.reference.peer_group_lists import read_peer_list

    when = _date(published)
    check_input_file(file, "FILE")
    peer_list = read_peer_list(file)
    text = source or f"imported from {file.name}"
    rows = _stored(peer_list.groups, text, when, str(file))
    console.print(f"stored {len(peer_list.groups)} official groups ({peer_list.layout} layout, "
                  f"{rows} rows) from {file}", highlight=False)
    console.print(f"source: {text}" + ("" if source else " (default: give --source)"),
                  highlight=False)
    console.print(f"date: {when.isoformat()}" if when else
                  "date: not recorded (give --date YYYY-MM-DD)", highlight=False)


@peers_app.command("set")
@handle_errors
def set_command(
    force: Annotated[str, typer.Argument(help="The force (any name, alias or ONS code).")],
    peers: Annotated[list[str], typer.Argument(help="Its peers, 1 to 7 forces.")],
    source: Annotated[str | None, typer.Option(help="Where the group comes from (default: set "
                                               "by the user).")] = None,
    published: Annotated[str | None, typer.Option("--date", help="The group's publication "
                                                  "date, YYYY-MM-DD.")] = None,
) -> None:
    """Set one force's official peer group: the force and up to 7 peers."""
    from policeperf.errors import UnknownNameError
    from policeperf.reference.areas import resolve_area
    from policeperf.reference.peer_group_lists import MAX_PEERS, PeerListError

    when = _date(published)
    problems: list[str] = []
    try:
        code = resolve_area(force, kind="force").code
    except UnknownNameError as exc:
        raise typer.BadParameter(str(exc), param_hint="FORCE") from None
    codes: list[str] = []
    for i, name in enumerate(peers, start=1):
        try:
            peer = resolve_area(name, kind="force").code
        except UnknownNameError as exc:
            problems.append(f"peer {i}: {exc}")
            continue
        if peer == code:
            problems.append(f"peer {i}: {name} is the force itself")
        elif peer in codes:
            problems.append(f"peer {i}: {name} is given twice")
        else:
            codes.append(peer)
    if len(peers) > MAX_PEERS:
        problems.append(f"{len(peers)} peers given; a group has at most {MAX_PEERS}")
    if problems:
        raise PeerListError("peers set", problems)
    text = source or "set by the user (policeperf peers set)"
    _stored({code: tuple(codes)}, text, when, "policeperf peers set")
    console.print(f"{_name(code)}: official group of {len(codes) + 1} stored: "
                  + ", ".join(_name(c) for c in (code, *codes)), highlight=False)


def group_payload(code: str, *, computed_only: bool) -> dict[str, Any]:
    """Everything ``peers show`` prints, as data."""
    from policeperf.compute.groups import (
        computed_groups,
        group_origin,
        no_group_reason,
        peer_groups_in_force,
    )
    from policeperf.compute.similar_forces import VARIABLES, force_variables, standardised

    if computed_only:
        group = computed_groups().get(code)
        origin = "computed (shown because --computed was given)"
    else:
        with ExitStack() as stack:
            # A warehouse that does not exist yet has nothing imported: do not build one.
            warehouse = (stack.enter_context(open_warehouse()) if warehouse_path().exists()
                         else None)
            group = peer_groups_in_force(warehouse, OPTIONS.peer_groups).get(code)
            origin = group_origin(group, warehouse, OPTIONS.peer_groups) if group else ""
    out: dict[str, Any] = {"force": _name(code), "code": code}
    if group is None:
        return {**out, "group": None, "reason": no_group_reason(code)}
    raw, z = force_variables(), standardised()

    def values(c: str) -> dict[str, dict[str, float | None]]:
        return {v.id: {"raw": raw[c][v.id], "standardised": z[c][v.id]} for v in VARIABLES}

    out.update({
        "kind": group.kind, "label": group.label, "size": group.size, "source": group.source,
        "published": group.published, "from": origin,
        "members": [{"code": c, "name": _name(c)} for c in group.member_codes],
    })
    if group.kind == "computed":
        out["variables"] = [{"id": v.id, "label": v.label, "unit": v.unit,
                             "log_before_standardising": v.log, "source": v.source}
                            for v in VARIABLES]
        out["force_values"] = values(code)
        out["peers"] = [{"code": p.code, "name": _name(p.code), "distance": p.distance,
                         "variables_used": list(p.variables), "values": values(p.code)}
                        for p in group.distances]
        if code.startswith("W") or any(p.code.startswith("W") for p in group.distances):
            out["note"] = ("Welsh forces have no English IMD: distances with a Welsh force use "
                           "the other variables, rescaled (docs/methods/peer-groups.md).")
    return out


def _fmt(value: float, variable: str) -> str:
    if variable == "population":
        return f"{value / 1e6:.2f}m"
    if variable in ("imd_rank", "density"):
        return f"{value:,.0f}"
    if variable == "household_size":
        return f"{value:.2f}"
    return f"{value:.1f}"


HEADERS = {
    "imd_rank": "IMD rank\n(avg)", "density": "density\n/km2", "population": "residents",
    "lone_parents": "lone\nparents %", "terraced": "terraced\n%",
    "household_size": "household\nsize",
}


def _print_group(data: dict[str, Any]) -> None:
    from rich.table import Table

    if data.get("group", "") is None:
        console.print(f"{data['force']} ({data['code']}): {data['reason']}.",
                      highlight=False, soft_wrap=True)
        return
    kind = ("official Most Similar Group" if data["kind"] == "official"
            else "similar forces (computed; not the official MSG)")
    console.print(f"{data['force']} ({data['code']}): {kind}, {data['size']} forces",
                  highlight=False)
    console.print(f"  from: {data['from']}", highlight=False, soft_wrap=True)
    console.print(f"  source: {data['source']}" + (f", {data['published']}" if data["published"]
                                                     else ""), highlight=False, soft_wrap=True)
    if data["kind"] == "official":
        for i, m in enumerate(data["members"]):
            console.print(f"  {i}. {m['name']}" if i else f"  -  {m['name']} (the force)",
                          highlight=False)
        return
    table = Table(title="Distance and the variables behind it: raw value, standardised below")
    table.add_column("force")
    table.add_column("distance", justify="right")
    for v in data["variables"]:
        table.add_column(HEADERS.get(v["id"], v["id"]), justify="right")

    def cells(values: dict[str, dict[str, float | None]]) -> list[str]:
        out = []
        for v in data["variables"]:
            raw, z = values[v["id"]]["raw"], values[v["id"]]["standardised"]
            out.append("-" if raw is None or z is None else f"{_fmt(raw, v['id'])}\n{z:+.2f}")
        return out

    table.add_row(f"{data['force']}\n(the force)", "", *cells(data["force_values"]))
    for p in data["peers"]:
        table.add_row(p["name"], f"{p['distance']:.2f}", *cells(p["values"]))
    console.print(table)
    if "note" in data:
        console.print(f"  {data['note']}", highlight=False, soft_wrap=True)


@peers_app.command("show")
@handle_errors
def show_command(
    force: Annotated[str, typer.Argument(help="Any force name, alias or ONS code.")],
    fmt: FormatOption = "table",
    as_json: JsonAlias = False,
    computed: Annotated[bool, typer.Option("--computed", help="Show the computed group even "
                                           "when an official one is in force.")] = False,
) -> None:
    """The group in force (official or computed) and its source; computed: distances, variables."""
    from policeperf.reference.areas import resolve_area

    fmt = output_format(fmt, as_json, ("table", "json"))
    data = group_payload(resolve_area(force, kind="force").code, computed_only=computed)
    if fmt == "json":
        typer.echo(json_text(data), nl=False)
    else:
        _print_group(data)


def register(app: typer.Typer) -> None:
    """Add the ``peers`` command group to the app."""
    app.add_typer(peers_app, name="peers")
