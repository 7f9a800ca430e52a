"""``policeperf serve`` and ``policeperf users``: accounts from the command line, a real server."""

from __future__ import annotations

import ast
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from policeperf.cli import app, web_commands

PASSWORD = "a long enough password"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"


def _users(runner: CliRunner, db: Path, *args: str, answer: str | None = None) -> str:
    result = runner.invoke(app, ["--db", str(db), "users", *args], input=answer)
    assert result.exit_code == 0, result.output
    return result.output


def test_users_are_added_listed_given_a_new_password_and_removed(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "warehouse.duckdb"
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    assert "added ed (editor)" in _users(runner, db, "add", "ed", "--role", "editor",
                                         answer=typed)
    _users(runner, db, "add", "vic", answer=typed)
    listed = _users(runner, db, "list")
    assert re.search(r"^ed +editor ", listed, re.M) and re.search(r"^vic +viewer ", listed, re.M)
    assert (tmp_path / "warehouse.accounts.sqlite").is_file()
    new = "another long password"
    assert "sessions have ended" in _users(runner, db, "set-password", "ed",
                                           answer=f"{new}\n{new}\n")
    _users(runner, db, "remove", "vic")
    assert "vic" not in _users(runner, db, "list")


def test_bad_account_requests_are_one_line_errors(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "warehouse.duckdb")
    short = runner.invoke(app, ["--db", db, "users", "add", "ed"], input="short\nshort\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    role = runner.invoke(app, ["--db", db, "users", "add", "ed", "--role", "boss"])
    assert role.exit_code == 2 and "choose viewer, editor, admin" in role.output
    gone = runner.invoke(app, ["--db", db, "users", "remove", "nobody"])
    assert gone.exit_code == 2 and "no account named 'nobody'" in gone.output
    assert "Traceback" not in short.output + role.output + gone.output


def test_the_web_commands_import_no_web_stack_until_they_run() -> None:
    source = Path(web_commands.__file__).read_text()
    module_level = [n for n in ast.parse(source).body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {a.name for n in module_level for a in n.names} | {
        n.module or "" for n in module_level if isinstance(n, ast.ImportFrom)}
    heavy = {"fastapi", "uvicorn", "starlette", "argon2", "jinja2", "policeperf.web"}
    assert not {n for n in names for h in heavy if n == h or n.startswith(h + ".")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_http_with_its_project(
    runner: CliRunner, db: Path, tmp_path: Path
) -> None:
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    _users(runner, db, "add", "ed", "--role", "editor", answer=f"{PASSWORD}\n{PASSWORD}\n")
    port = _free_port()
    env = {**os.environ, "POLICEPERF_DB": str(db)}
    server = subprocess.Popen([sys.executable, "-m", "policeperf", "serve", "--port", str(port),
                               "--project", str(project)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                first = httpx.get(f"{base}/data.json", timeout=120)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        assert first.status_code == 401  # not public: sign in first
        with httpx.Client(base_url=base, timeout=300) as client:
            form = client.get("/signin").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            signed = client.post("/signin", data={"name": "ed", "password": PASSWORD,
                                                  "csrf_token": token, "next": "/"},
                                 follow_redirects=True)
            assert signed.status_code == 200 and "ed (editor)" in signed.text
            assert "/reports/example" in signed.text  # the project is served
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_a_broken_project_saying_where(runner: CliRunner, db: Path,
                                                    tmp_path: Path) -> None:
    project = tmp_path / "broken"
    shutil.copytree(EXAMPLE, project)
    (project / "report.yaml").write_text("force: Avon and Somerset\nperiod: [\n")
    result = runner.invoke(app, ["--db", str(db), "serve", "--project", str(project)])
    assert result.exit_code == 2 and "report.yaml" in result.output
    assert "Traceback" not in result.output
