"""Reads never stop: the dashboard answers while another process ingests into its warehouse,
and sees the new data as soon as that write is swapped in."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from policeperf.reference.areas import forces
from policeperf.web.app import create_app
from policeperf.web.pages.common import force_slug
from policeperf.web.settings import WebSettings

STREET = (Path(__file__).resolve().parents[1] / "fixtures" / "police_uk"
          / "2023-01-avon-and-somerset-street.csv.gz")


def _writer_active(lock: Path) -> bool:
    """True while a writer holds the warehouse's lock file."""
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def test_pages_keep_answering_while_another_process_ingests(
    bundled_warehouse_path: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(bundled_warehouse_path, warehouse)
    lock = warehouse.with_name(warehouse.name + ".lock")
    app = create_app(WebSettings.for_warehouse(warehouse, public=True,
                                               accounts=tmp_path / "accounts.sqlite"))
    client = TestClient(app)
    before = len(client.get("/data.json").json()["sources"])
    env = {**os.environ, "POLICEPERF_DB": str(warehouse)}
    ingest = subprocess.Popen([sys.executable, "-m", "policeperf", "ingest", str(STREET)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    answers: list[tuple[str, int, float, float]] = []  # path, status, start, end
    stop = threading.Event()

    def serve() -> None:
        slugs = [force_slug(f) for f in forces()]
        n = 0
        while not stop.is_set():
            path = "/data.json" if n % 2 else f"/forces/{slugs[n // 2 % len(slugs)]}/2022-06.json"
            began = time.monotonic()
            status = client.get(path).status_code
            answers.append((path, status, began, time.monotonic()))
            n += 1

    reader = threading.Thread(target=serve)
    reader.start()
    locked: list[float] = []  # moments the writer was seen holding the warehouse's lock
    try:
        while ingest.poll() is None:
            if _writer_active(lock):
                locked.append(time.monotonic())
            time.sleep(0.01)
        output = ingest.communicate(timeout=60)[0].decode()
        # The command line reads the warehouse while the dashboard keeps serving it.
        listed = subprocess.run([sys.executable, "-m", "policeperf", "sources", "--json"],
                                env=env, capture_output=True, text=True, timeout=240)
    finally:
        stop.set()
        reader.join(timeout=300)
    assert ingest.returncode == 0, output
    assert listed.returncode == 0 and STREET.name in listed.stdout, listed.stderr
    assert answers and all(status == 200 for _, status, _, _ in answers), answers
    assert locked, "the writer was never seen holding the lock"
    # Requests ran back to back, so some request was being served while the writer wrote.
    assert any(began <= moment <= ended for moment in locked for _, _, began, ended in answers)
    # The write is visible at once: the next request reads the new file.
    after = client.get("/data.json").json()["sources"]
    assert len(after) == before + 1 and after[-1]["file_name"] == STREET.name
