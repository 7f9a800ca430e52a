"""Build the quarterly report: project + warehouse -> ``report.html``, ``report.pdf``, ``data/``.

`build_report` ingests the project's force series, reads every measure from the results store
(or computes it when the store is stale), assembles
`ReportData`, renders one self-contained HTML file, prints it to PDF and writes a CSV behind
every chart and table. `build_all` does it for many forces on all cores.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from policeperf.compute.groups import peer_groups_in_force
from policeperf.definitions.load import default_catalogue
from policeperf.definitions.model import Catalogue
from policeperf.errors import PolicePerfError
from policeperf.ingest.detect import SourceFile
from policeperf.ingest.load import ingest_files
from policeperf.quality import check
from policeperf.reference.areas import forces, resolve_area
from policeperf.render.html import render_html
from policeperf.render.pdf_process import PdfPrinter
from policeperf.report.assemble import assemble, write_tables
from policeperf.report.data import ReportData
from policeperf.report.final import FinalReportError, final_problems
from policeperf.report.period import parse_period, previous_quarter
from policeperf.report.project import Project, load_project
from policeperf.report.scaffold import default_folder_name, default_project
from policeperf.results import MeasuresReport
from policeperf.store import measures_reports
from policeperf.warehouse.store import Warehouse, file_digest

Progress = Callable[[str, int, int], None]
"""progress(force, done, total), called as each force's report is finished."""

Stage = Callable[[str], None]
"""stage(name), called as each stage of one report starts: "compute", "charts", "HTML", "PDF",
"PowerPoint"."""


@dataclass(frozen=True)
class ReportOutput:
    """What `build_report` wrote."""

    html: Path
    pdf: Path | None
    csv_files: tuple[Path, ...]
    report: ReportData
    pptx: Path | None = None
    measures: MeasuresReport | None = None  # every measure for the quarter, as computed


def _illustrative_files(warehouse: Warehouse) -> frozenset[str]:
    """Names of loaded files whose rows are marked illustrative (made-up example data)."""
    rows = warehouse.query("SELECT file_name, notes FROM sources")
    names = set()
    for name, notes in rows.iter_rows():
        if any("illustrative" in str(n).lower() for n in json.loads(notes or "[]")):
            names.add(Path(str(name)).name)
    return frozenset(names)


def _series_files(project: Project) -> list[SourceFile]:
    return [SourceFile(s.resolve(project.root), s.path) for s in project.config.force_series]


def missing_series(project: Project, warehouse: Warehouse) -> list[str]:
    """The project's force series files that are not loaded in the warehouse yet (by content:
    a file loaded under another name counts as loaded)."""
    files = _series_files(project)
    if not files:
        return []
    loaded = {str(r[0]) for r in warehouse.con.execute("SELECT sha256 FROM sources").fetchall()}
    return [f.display_name for f in files if file_digest(f.path) not in loaded]


def _ingest_series(project: Project, warehouse: Warehouse) -> None:
    files = _series_files(project)
    if not files:
        return
    if warehouse.read_only:
        if missing := missing_series(project, warehouse):
            raise PolicePerfError(f"the project's force series {', '.join(missing)} are not "
                                  "loaded: load them first (load_project_series)")
        return
    ingest_files(warehouse, files)


def load_project_series(project_dir: Path | str | Project, warehouse: Warehouse) -> None:
    """Load a report project's force series files into a writable warehouse (nothing happens
    for files already loaded)."""
    project = project_dir if isinstance(project_dir, Project) else load_project(project_dir)
    _ingest_series(project, warehouse)


def build_report(
    project_dir: Path | str | Project | None,
    *,
    force: str | None = None,
    period: dt.date | str | None = None,
    warehouse: Warehouse,
    out_dir: Path | str,
    pdf: bool = True,
    catalogue: Catalogue | None = None,
    final: bool = False,
    pptx: bool = False,
    stage: Stage | None = None,
    pdf_process: bool = False,
) -> ReportOutput:
    """Build one force's report.

    Args:
        project_dir: A report project folder (or the project already loaded from one), or
            None for the default report from the catalogue.
        force: The force (required without a project; must match the project's when given).
        period: The quarter end (required without a project; overrides the project's).
        warehouse: The warehouse holding the data (force series from the project are loaded
            into it first).
        out_dir: Output folder: ``report.html``, ``report.pdf`` and ``data/*.csv``.
        pdf: Also print the PDF.
        catalogue: The measure catalogue (the shipped one by default; a user's catalogue files
            add or override measures, see ``definitions.load_catalogue``).
        final: Refuse to build (nothing is written) while any drafted comment is not accepted
            or any page uses illustrative data.
        pptx: Also write ``report.pptx``, an editable PowerPoint deck.
        stage: Called with the name of each stage as it starts ("compute", "charts",
            "HTML", "PDF", "PowerPoint"), for progress display.
        pdf_process: Print the PDF in a second process, started at once so that it loads the
            PDF engine on another core while the measures are computed (render/pdf_process.py;
            what the command line does). Otherwise the engine is imported on a thread.

    Returns:
        The paths written and the assembled report.

    Raises:
        ProjectError: The project is invalid (every problem, with file and line).
        FinalReportError: ``final`` was asked for and the report is not final (every problem,
            one a line).
        ValueError: Neither a project nor force and period were given.
    """
    printer = PdfPrinter() if pdf and pdf_process else None
    engine = _start_importing_pdf_engine() if pdf and printer is None else None
    try:
        return _build(project_dir, force=force, period=period, warehouse=warehouse,
                      out_dir=out_dir, pdf=pdf, catalogue=catalogue, final=final, pptx=pptx,
                      say=stage or (lambda _name: None), engine=engine, printer=printer)
    finally:
        if printer is not None:
            printer.close()


def _build(
    project_dir: Path | str | Project | None, *, force: str | None,
    period: dt.date | str | None, warehouse: Warehouse, out_dir: Path | str, pdf: bool,
    catalogue: Catalogue | None, final: bool, pptx: bool, say: Stage,
    engine: threading.Thread | None, printer: PdfPrinter | None,
) -> ReportOutput:  # fmt: skip
    catalogue = catalogue or default_catalogue()
    if project_dir is not None:
        project = (project_dir if isinstance(project_dir, Project)
                   else load_project(project_dir, measure_ids=catalogue.ids()))
        if period is not None:
            config = project.config.model_copy(update={"period": parse_period(period)})
            project = Project(config, project.root, project.cover, project.glossary,
                              project.actions, project.comments, project.accepted)
        _ingest_series(project, warehouse)
    elif force is None or period is None:
        raise ValueError("without a project folder, give both force and period")
    else:
        project = default_project(force, period, catalogue=catalogue)
    config = project.config
    name = force or config.force
    say("compute")
    # "What changed since the previous quarter": the same engine, run for the quarter before
    # (one call, so that the second quarter reuses the first one's warehouse reads).
    before = previous_quarter(config.period)
    measures, previous_ = _measures(warehouse, name, (config.period, before), catalogue)
    previous: MeasuresReport | None = previous_
    note = ""
    if previous is not None and not any(m.value is not None for m in previous.measures):
        previous, note = None, f"No figures are loaded for the quarter ending {before:%B %Y}."
    say("charts")
    report = assemble(project, measures, quality=check(warehouse),
                      illustrative_files=_illustrative_files(warehouse), previous=previous,
                      previous_note=note)
    if final and (problems := final_problems(report)):
        raise FinalReportError(problems)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say("HTML")
    html = render_html(report)
    pdf_target = out / "report.pdf"
    if printer is not None:  # the child prints while this process writes the HTML and CSVs
        printer.send(render_html(report, images=True), pdf_target)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    csv_files = write_tables(report, out)
    pptx_path = None
    if pptx:
        say("PowerPoint")
        from policeperf.render.pptx import report_to_pptx

        pptx_path = report_to_pptx(report, out / "report.pptx")
    pdf_path = None
    if pdf:
        say("PDF")
        if printer is not None:
            pdf_path = printer.result()
        else:
            if engine is not None:
                engine.join()
            from policeperf.render.pdf import html_to_pdf

            pdf_path = html_to_pdf(render_html(report, images=True), pdf_target)
    return ReportOutput(html_path, pdf_path, csv_files, report, pptx_path, measures)


def _start_importing_pdf_engine() -> threading.Thread:
    """Import the PDF engine on a second thread while the report is computed and drawn.

    Importing WeasyPrint costs about 1 s of CPU (cffi parses its C declarations in Python) that
    would otherwise open the PDF stage; the compute stage mostly waits on DuckDB and Polars,
    outside the GIL, so on two or more cores the import takes no wall time. A failed import is
    left to the PDF stage, whose own import raises it again in the main thread.
    """
    def load() -> None:
        try:
            importlib.import_module("policeperf.render.pdf")
        except Exception:  # noqa: BLE001 - re-raised by the PDF stage's own import
            return

    thread = threading.Thread(target=load, name="import-pdf-engine", daemon=True)
    thread.start()
    return thread


def _measures(warehouse: Warehouse, force: str, periods: tuple[dt.date, dt.date],
              catalogue: Catalogue) -> tuple[MeasuresReport, MeasuresReport]:
    """Every measure for one force, this quarter and the one before (one place, so that both
    quarters of a report always come from the same engine): from the results store when it is
    fresh, else computed with one set of warehouse reads for both
    (policeperf.store.measures_reports; the same answers either way)."""
    this, before = measures_reports(warehouse, force, periods, catalogue=catalogue)
    return this, before


def forces_with_peer_group() -> list[str]:
    """Names of the forces that have a peer group, official or computed (all but City of
    London, which has none: compute/similar_forces.NO_GROUP)."""
    groups = peer_groups_in_force()
    return [a.name for a in forces() if a.code in groups]


def _build_one(db: str, force: str, period: str, out_dir: str,
               pdf: bool) -> tuple[str, MeasuresReport | None]:
    with Warehouse(db, read_only=True) as warehouse:
        target = Path(out_dir) / default_folder_name(force, period)
        output = build_report(None, force=force, period=period, warehouse=warehouse,
                              out_dir=target, pdf=pdf)
    return force, output.measures


def build_all(
    forces_: Sequence[str] | None,
    out_dir: Path | str,
    *,
    period: dt.date | str,
    db: Path | str,
    workers: int = 2,
    pdf: bool = True,
    progress: Progress | None = None,
    results: list[MeasuresReport] | None = None,
) -> list[Path]:
    """Build the default report of many forces in parallel, one process per core.

    Args:
        forces_: Force names; every force with a peer group when None.
        out_dir: Parent folder; each force gets ``<force>-<period>/``.
        period: The quarter end.
        db: The warehouse file (opened read-only by each worker).
        workers: Processes to run (2 uses both cores of a 2-core machine).
        pdf: Also print PDFs.
        progress: Called with (force, done, total) as each report is finished.
        results: When given, each force's results for the period are appended to it (the
            national summary ranks them without computing them again).

    Returns:
        The output folders, in the order of ``forces_``.
    """
    names = [resolve_area(f, kind="force").name for f in (forces_ or forces_with_peer_group())]
    period_text = parse_period(period).isoformat()
    done = 0
    # "spawn": a forked child inherits DuckDB's threads and locks mid-use and can hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_build_one, str(db), name, period_text, str(out_dir), pdf)
                   for name in names]
        for future in as_completed(futures):
            finished, measures = future.result()
            if results is not None and measures is not None:
                results.append(measures)
            done += 1
            if progress is not None:
                progress(finished, done, len(names))
    return [Path(out_dir) / default_folder_name(n, period_text) for n in names]
