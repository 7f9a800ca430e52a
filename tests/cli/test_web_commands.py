"""``policeperf serve`` and ``policeperf users``: accounts from the command line, a real server."""

from __future__ import annotations

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

from policeperf.cli import app

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


def test_the_command_line_loads_no_web_stack_until_serve_runs() -> None:
    code = ("import sys; import policeperf.cli.app; "
            "print([m for m in ('fastapi', 'uvicorn', 'starlette', 'argon2') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


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
                first = httpx.get(f"{base}/data.json")
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        assert first.status_code == 401  # not public: sign in first
        with httpx.Client(base_url=base) as client:
            form = client.get("/signin").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            signed = client.post("/signin", data={"name": "ed", "password": PASSWORD,
                                                  "csrf_token": token, "next": "/reports/example"},
                                 follow_redirects=True)
            assert signed.status_code == 200 and "Edit comments" in signed.text
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
