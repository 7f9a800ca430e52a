"""Commands about the dashboard: serve, and users (add, list, remove, set-password).

FastAPI, uvicorn and argon2 are imported inside the commands, so ``policeperf --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policeperf.cli.common import console, fail, handle_errors, open_warehouse, warehouse_path
from policeperf.cli.group import WrappedHelpGroup

users_app = typer.Typer(help="Dashboard accounts: add, list, remove, set-password.",
                        no_args_is_help=True, rich_markup_mode=None, cls=WrappedHelpGroup)

ROLES = ("viewer", "editor", "admin")


def _accounts_file(accounts: Path | None) -> Path:
    """The accounts file: --accounts, else beside the warehouse; it must be a SQLite file or
    not exist yet (then it is created)."""
    from policeperf.web.settings import accounts_path

    path = accounts or accounts_path(warehouse_path())
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; expected an accounts file (SQLite)",
                                 param_hint="'--accounts'")
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as fh:
            if not fh.read(16).startswith(b"SQLite format 3"):
                raise typer.BadParameter(f"{path} is not an accounts file (not SQLite); it was "
                                         "not opened", param_hint="'--accounts'")
    return path


AccountsOption = Annotated[Path | None, typer.Option(
    help="Accounts file (default: beside the warehouse, <warehouse>.accounts.sqlite).")]


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                      "only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    project: Annotated[list[Path] | None, typer.Option(
        help="A report project folder to preview and edit (repeatable).")] = None,
    public: Annotated[bool, typer.Option("--public", help="Read-only pages need no sign-in "
                                         "(editing always needs an editor).")] = False,
    accounts: AccountsOption = None,
) -> None:
    """Run the local dashboard: browse every force and quarter, edit a report's narrative."""
    from policeperf.cli.checks import check_range

    check_range(port, "--port", low=1, high=65535)
    _accounts_file(accounts)  # a folder or a file that is not SQLite: refused now
    import uvicorn

    from policeperf.report.project import load_project
    from policeperf.web.app import create_app
    from policeperf.web.settings import WebSettings

    with open_warehouse():  # builds the warehouse from bundled data on first use
        pass
    folders = tuple(p.resolve() for p in project or ())
    for folder in folders:
        load_project(folder)  # a broken project is reported now, with file and line
    settings = WebSettings.for_warehouse(warehouse_path(), projects=folders, public=public,
                                         **({"accounts": accounts} if accounts else {}))
    app = create_app(settings)
    users = app.state.web.accounts.users()
    console.print(f"policeperf dashboard on http://{host}:{port}/ (warehouse "
                  f"{settings.warehouse}; accounts {settings.accounts}, {len(users)} "
                  f"account(s)){'; read-only pages are public' if public else ''}",
                  highlight=False)
    if not users:
        console.print("no accounts yet: add one with `policeperf users add NAME --role editor`",
                      highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)


def _password(confirm: bool = True) -> str:
    text: str = typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    return text


@handle_errors
def users_add(
    name: Annotated[str, typer.Argument(help="Account name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option(help="viewer (read), editor (also edit the narrative) "
                                      "or admin.")] = "viewer",
    accounts: AccountsOption = None,
) -> None:
    """Add an account; the password is asked for (twice, not echoed)."""
    from policeperf.web.accounts import Accounts

    if role not in ROLES:
        raise fail(f"unknown role {role!r}; choose {', '.join(ROLES)}")
    store = Accounts(_accounts_file(accounts))
    user = store.add(name, role, _password())
    console.print(f"added {user.name} ({user.role.value}) to {store.path}", highlight=False)


@handle_errors
def users_list(accounts: AccountsOption = None) -> None:
    """List the accounts and their roles."""
    from policeperf.web.accounts import Accounts

    store = Accounts(_accounts_file(accounts))
    found = store.users()
    if not found:
        console.print(f"no accounts in {store.path}", highlight=False)
    for user in found:
        console.print(f"{user.name:<24} {user.role.value:<7} created {user.created_at}, "
                      f"password set {user.changed_at}", highlight=False)


@handle_errors
def users_remove(
    name: Annotated[str, typer.Argument(help="Account name.")],
    accounts: AccountsOption = None,
) -> None:
    """Remove an account (its sessions end at once)."""
    from policeperf.web.accounts import Accounts

    store = Accounts(_accounts_file(accounts))
    store.remove(name)
    console.print(f"removed {name}", highlight=False)


@handle_errors
def users_set_password(
    name: Annotated[str, typer.Argument(help="Account name.")],
    accounts: AccountsOption = None,
) -> None:
    """Set a new password (asked for twice); the account's sessions end."""
    from policeperf.web.accounts import Accounts

    store = Accounts(_accounts_file(accounts))
    if store.get(name) is None:
        raise fail(f"no account named {name!r}")
    store.set_password(name, _password())
    console.print(f"password of {name} changed; its sessions have ended", highlight=False)


users_app.command("add")(users_add)
users_app.command("list")(users_list)
users_app.command("remove")(users_remove)
users_app.command("set-password")(users_set_password)


def register(app: typer.Typer) -> None:
    """Add these commands to the app."""
    app.command()(serve)
    app.add_typer(users_app, name="users")
