"""Report builds from the dashboard: downloads of a build, and a failed build said in one line."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import EXAMPLE, Dashboard, signed_in

from policeperf.web.build import Builds


def test_the_last_builds_files_are_offered_and_the_html_runs_no_script(
    dashboard: Dashboard
) -> None:
    # What a build leaves (the build itself is the report's, tested in tests/report).
    out = dashboard.app.state.web.builds.out_dir("example")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text("<!doctype html><style>h1{color:red}</style>"
                                     "<h1>Reduce neighbourhood crime</h1>")
    (out / "report.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    client, _ = signed_in(dashboard.app, "vic")
    page = client.get("/reports/example.json").json()
    assert [d["name"] for d in page["build"]["downloads"]] == ["report.html", "report.pdf"]
    html = client.get("/reports/example/downloads/report.html")
    assert html.status_code == 200 and "Reduce neighbourhood crime" in html.text
    csp = html.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script" not in csp
    pdf = client.get("/reports/example/downloads/report.pdf")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers[
        "content-disposition"]
    assert client.get("/reports/example/downloads/report.docx").status_code == 404
    anonymous = TestClient(dashboard.app).get("/reports/example/downloads/report.pdf",
                                              follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin")


def test_a_build_that_cannot_run_fails_with_one_line_saying_why(
    dashboard: Dashboard, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    yaml = (project / "report.yaml").read_text()
    (project / "report.yaml").write_text(yaml.replace(
        "bundled:force-series/example-avon-and-somerset.csv", "missing-series.csv"))
    builds = Builds(dashboard.settings.warehouse, tmp_path / "builds")
    assert builds.start("project", project, "ed")
    assert not builds.start("project", project, "ed")  # one build at a time
    deadline = time.monotonic() + 120
    while builds.status("project").state == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    status = builds.status("project")
    assert status.state == "failed" and status.by == "ed" and status.finished
    assert "missing-series.csv" in status.message and "\n" not in status.message.strip()
