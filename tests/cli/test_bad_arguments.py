"""Every command, given bad arguments, says what was wrong in one line and exits 2: no
traceback reaches the terminal, and the warehouse is left exactly as it was."""

import hashlib
import shutil
from importlib.util import find_spec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policeperf.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures"
MARKUP = "[x][u][/x][bold]"

# (arguments, words the error line must contain). {tmp} is a scratch folder, {file} a file in
# it, {ro} a read-only folder; {db} is filled in before the sub-command.
CASES: list[tuple[list[str], list[str]]] = [
    # top level
    (["nosuchcommand"], ["No such command"]),
    (["results", "--nosuch"], ["No such option"]),
    (["measures", "--force", "all", "--period", "2022-06", "--format", "xml"], ["'xml'"]),
    (["measures", "--force", "all", "--period", "all", "--format", "parquet"],
     ["--format parquet needs --out"]),
    (["mesures"], ["Did you mean 'measures'"]),
    (["--nosuch", "sources"], ["No such option"]),
    (["--peer-groups", "{tmp}/missing.yaml", "forces"], ["--peer-groups", "no such file"]),
    (["forces", "--peer-groups", "{tmp}"], ["--peer-groups", "is a folder"]),
    (["--catalogue", "{tmp}/none.yaml", "measures"], ["--catalogue", "no such file"]),
    # data commands
    (["ingest"], ["Missing argument"]),
    (["ingest", "{tmp}/" + MARKUP + ".csv"], ["no such file", MARKUP]),
    (["sources", "--format", "xml"], ["--format", "'xml'"]),
    (["export", "crimes"], ["'crimes'", "recorded-crime"]),
    (["export", "recorded-crime", "--format", "parquet"], ["--out is required"]),
    (["export", "recorded-crime", "--format", "pdf", "--out", "{tmp}/x"], ["--format"]),
    (["export", "recorded-crime", "--out", "{file}/below.csv"], ["--out", "is a file"]),
    (["export", "recorded-crime", "--out", "{tmp}"], ["--out", "is a folder"]),
    (["export", "recorded-crime", "--out", "/dev/full"], ["No space left on device"]),
    (["check", "--threshold", "-1"], ["--threshold", "above 0"]),
    (["check", "--threshold", "nan"], ["--threshold"]),
    (["check", "--force", "Ke" + MARKUP + "nt"], ["unknown", MARKUP]),
    (["revisions", "--offence", "burglry"], ["did you mean 'burglary'"]),
    (["revisions", "--force", "Atlantis"], ["unknown"]),
    (["forces", "--format", "csv"], ["--format"]),
    # measures
    (["measures", "--force", "kent"], ["Missing option '--period'"]),
    (["measures", "--force", "kent", "--period", "1900-03"], ["before the data", "2024"]),
    (["measures", "--force", "kent", "--period", "2099-03"], ["after the data", "2024"]),
    (["measures", "--force", "kent", "--period", "2022-13"], ["--period"]),
    (["measures", "--force", "kent", "--period", "2022-06", "--format", "xml"], ["--format"]),
    (["measures", "--force", "kent", "--period", "2022-06", "--engine", "oracle"], ["--engine"]),
    (["measures", "--force", "kent", "--period", "2022-06", "--out", "{file}/x.json"],
     ["--out"]),
    (["measures", "--force", "Nowhere", "--period", "2022-06"], ["unknown force"]),
    (["explain", "residential_burglry", "--force", "kent", "--period", "2099-06"],
     ["did you mean 'residential_burglary'"]),
    (["explain", "residential_burglary", "--force", "kent", "--period", "2099-06"],
     ["after the data"]),
    (["validate", "{tmp}/missing.yaml"], ["missing.yaml"]),
    # report
    (["report"], ["give a project folder"]),
    (["report", "--force", "kent", "--period", "1900-03"], ["before the data"]),
    (["report", "--force", "kent", "--period", "2099-06"], ["after the data", "March 2024"]),
    (["report", "--force", "kent", "--period", "2022-05"], ["last day of a quarter"]),
    (["report", "--force", "kent", "--period", "2022-06", "--out", "{file}"], ["is a file"]),
    (["report", "--force", "kent", "--period", "2022-06", "--out", "{file}/below"],
     ["is a file"]),
    (["report", "--force", "kent", "--period", "2022-06", "--out", "{ro}/out"], ["read-only"]),
    (["report", "--all-forces", "--period", "2022-06", "--workers", "0"], ["--workers"]),
    (["report", "--all-forces"], ["--all-forces needs --period"]),
    (["report", "{tmp}/no-project"], ["no such folder"]),
    (["new-report", "{file}", "--force", "kent", "--period", "2022-06"], ["is a file"]),
    (["new-report", "{ro}", "--force", "kent", "--period", "2022-06"], ["read-only"]),
    (["new-report", "{tmp}/p", "--force", "kent", "--period", "2022-05"], ["quarter"]),
    (["new-report", "{tmp}/p", "--force", "Nowhere", "--period", "2022-06"], ["unknown"]),
    # generate
    (["generate", "--rows", "-5", "--out", "{tmp}/g"], ["--rows", "out of range"]),
    (["generate", "--rows", "10000000000", "--out", "{tmp}/g"], ["--rows", "100,000,000"]),
    (["generate", "--rows", "10", "--months", "0", "--out", "{tmp}/g"], ["--months"]),
    (["generate", "--rows", "10", "--end-month", "2022-13", "--out", "{tmp}/g"],
     ["--end-month"]),
    (["generate", "--rows", "10", "--layout", "tar", "--out", "{tmp}/g"], ["--layout"]),
    (["generate", "--rows", "10", "--out", "{file}"], ["--out", "is a file"]),
    (["generate", "--rows", "10", "--out", "{ro}"], ["--out", "read-only"]),
    (["generate", "--rows", "ten", "--out", "{tmp}/g"], ["--rows"]),
    # a negative seed was an internal error (NumPy's ValueError)
    (["generate", "--rows", "10", "--seed", "-1", "--out", "{tmp}/g"],
     ["--seed", "-1 is out of range; expected at least 0"]),
    # download (nothing is fetched: the arguments are refused first)
    (["download", "nosuch"], ["'nosuch'"]),
    (["download", "ons", "--since", "June"], ["June"]),
    (["download", "ons", "--sources", "{tmp}/none.yaml", "--list"], ["none.yaml"]),
    # dashboard
    (["serve", "--port", "70000"], ["--port"]),
    (["serve", "--project", "{tmp}/none"], ["none"]),
    (["users", "add", "bob", "--role", "king", "--accounts", "{tmp}/a.sqlite"], ["role"]),
    (["users", "remove", "nobody", "--accounts", "{tmp}/a.sqlite"], ["nobody"]),
    (["users", "list", "--accounts", "{file}"], ["not an accounts file"]),
    (["users", "list", "--accounts", "{tmp}"], ["is a folder"]),
    (["serve", "--accounts", "{file}"], ["not an accounts file"]),
    (["users", "set-password", "nobody", "--accounts", "{tmp}/a.sqlite"], ["nobody"]),
    # peers
    (["peers", "import", "{tmp}/none.csv"], ["no such file"]),
    (["peers", "import", "{file}", "--date", "yesterday"], ["--date"]),
    (["peers", "set", "kent"], ["Missing argument"]),
    (["peers", "set", "kent", "kent"], ["the force itself"]),
    (["peers", "set", "kent", "surrey", "Essx"], ["did you mean"]),
    (["peers", "show", "Nowhere"], ["unknown"]),
    (["peers", "show", "kent", "--format", "yaml"], ["--format"]),
]


# Without the [spark] / [postgres] extras (the default install) these say what to install.
if find_spec("pyspark") is None:
    CASES.append((["measures", "--force", "kent", "--period", "2022-06", "--engine", "spark"],
                  ["--engine", "[spark] extra", "uv sync --extra spark"]))
if find_spec("psycopg") is None:
    CASES.append((["measures", "--force", "kent", "--period", "2022-06", "--engine",
                   "postgres"], ["--engine", "[postgres] extra"]))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def shared_db(bundled_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("bad-arguments") / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, copy)
    return copy


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_bad_argument_is_one_error_line_and_exit_code_2(
    args: list[str], words: list[str], shared_db: Path, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    a_file = scratch / "a-file.txt"
    a_file.write_text("force,peer\n")
    read_only = scratch / "read-only"
    read_only.mkdir(mode=0o555)
    before = _digest(shared_db)
    filled = [a.replace("{tmp}", str(scratch)).replace("{file}", str(a_file))
              .replace("{ro}", str(read_only)) for a in args]
    result = CliRunner().invoke(app, ["--db", str(shared_db), *filled])
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert all(line.startswith(("error: ", "  ")) for line in result.stderr.splitlines()
               if line.strip()), result.stderr
    for word in words:  # in the error line, or the problems listed below it
        assert word in result.stderr, result.stderr
    assert _digest(shared_db) == before  # a refused command never writes the warehouse


def test_the_table_covers_every_command() -> None:
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names |= {f"{group.name} {c.name}" for c in group.typer_instance.registered_commands}
    covered = {" ".join(args[:2]) if args[0] in ("peers", "users") else args[0]
               for args, _ in CASES}
    assert names - covered == set()
