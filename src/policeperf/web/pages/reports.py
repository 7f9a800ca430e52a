"""``/reports/{name}``: a report project's preview, its narrative editors and its build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request

from policeperf.definitions.load import default_catalogue
from policeperf.reference.areas import resolve_area
from policeperf.report.drafts import draft_for
from policeperf.report.model import Project, ProjectError
from policeperf.report.project import load_project, parse_config, split_items
from policeperf.web.narrative import ProjectFiles, entry_version
from policeperf.web.pages.common import (
    NotFound,
    force_slug,
    measure_row,
    period_texts,
)
from policeperf.web.state import state
from policeperf.web.templating import render_markdown

__all__ = ["context", "edit_context", "project_files", "project_root"]


def project_root(request: Request, name: str) -> Path:
    """The folder of a served project (404 for any other name)."""
    roots = state(request).projects
    if name not in roots:
        known = ", ".join(sorted(roots)) or "none (start the server with --project FOLDER)"
        raise NotFound(f"no report project {name!r} is served; served: {known}")
    return roots[name]


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """(name, modification time, size) of every file a project load reads: equal signatures
    mean an unchanged project (a save replaces a file, so its time and inode change)."""
    found = []
    for path in sorted([*root.glob("*.yaml"), *root.glob("*.md"), *root.glob("*/*.md")]):
        st = path.stat()
        found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(found)


_LOADED: dict[Path, tuple[Any, Any]] = {}


def _cached(root: Path, key: str, make: Any) -> Any:
    """``make()`` once per project signature (parsing report.yaml costs tens of ms)."""
    signature = (key, _signature(root))
    found = _LOADED.get(root / key)
    if found is not None and found[0] == signature:
        return found[1]
    value = make()
    _LOADED[root / key] = (signature, value)
    return value


def _parsed(root: Path) -> Any:
    return _cached(root, "config", lambda: parse_config(
        (root / "report.yaml").read_text(encoding="utf-8")))


def _project(root: Path) -> Project | ProjectError:
    def load() -> Project | ProjectError:
        try:
            return load_project(root, measure_ids=default_catalogue().ids())
        except ProjectError as exc:
            return exc
    result: Project | ProjectError = _cached(root, "project", load)
    return result


def project_files(request: Request, name: str) -> ProjectFiles:
    """The editable files of a served project (its priorities read from report.yaml)."""
    root = project_root(request, name)
    config, issues = _parsed(root)
    if config is None:
        raise NotFound("; ".join(str(i) for i in issues))
    return ProjectFiles(root, tuple(p.id for p in config.priorities))


def _priority(project: Project, files: ProjectFiles, priority_id: str,
              measures: dict[str, Any], force: str, name: str,
              accepted: dict[str, dict[str, str]]) -> dict[str, Any]:
    config = next(p for p in project.config.priorities if p.id == priority_id)
    drafts = []
    for measure_id in config.measures:
        result = measures.get(measure_id)
        draft = draft_for(result, force) if result is not None else None
        if draft is None:
            continue
        entry = accepted.get(measure_id)
        status = "draft"
        if entry is not None and entry.get("key") == draft.key:
            status = "edited" if entry.get("text") else "accepted"
        elif entry is not None:
            status = "numbers changed since accepted"
        drafts.append({"measure_id": measure_id, "key": draft.key, "text": draft.text,
                       "text_html": str(render_markdown(draft.text)), "status": status,
                       "accepted_text": entry.get("text") if entry else None,
                       "version": entry_version(entry),
                       "url": f"/reports/{name}/drafts/{measure_id}"})
    actions = files.read(files.relative("actions", priority_id))
    comments = files.read(files.relative("comments", priority_id))
    return {
        "id": config.id,
        "title": config.title,
        "part": config.part,
        "rows": [measure_row(measures[m]) for m in config.measures if m in measures],
        "actions": {"text": actions.text, "version": actions.version,
                    "html": str(render_markdown(actions.text)),
                    "edit_url": f"/reports/{name}/edit/actions/{config.id}"},
        "comments": {"text": comments.text, "version": comments.version,
                     "items_html": [str(render_markdown(c)) for c in split_items(comments.text)],
                     "edit_url": f"/reports/{name}/edit/comments/{config.id}"},
        "drafts": drafts,
    }


def context(request: Request, name: str) -> dict[str, Any]:
    """The project's pages with their measures, narrative and drafts; its history and build."""
    app = state(request)
    root = project_root(request, name)
    files = project_files(request, name)
    build = app.builds.status(name)
    base: dict[str, Any] = {
        "name": name,
        "history": list(reversed(files.history(limit=30))),
        "build": {"state": build.state, "started": build.started, "finished": build.finished,
                  "by": build.by, "message": build.message,
                  "downloads": [{"name": f, "url": f"/reports/{name}/downloads/{f}"}
                                for f in build.files]},
        "build_url": f"/reports/{name}/build",
    }
    project = _project(root)
    if isinstance(project, ProjectError):
        return {**base, "title": f"Report project {name}", "issues": [str(i) for i in
                                                                    project.issues], "pages": []}
    area = resolve_area(project.config.force, kind="force")
    period = project.config.period
    report = app.results.measures(area, period)
    measures = {m.id: m for m in report.measures}
    accepted = files.drafts()
    pages = [_priority(project, files, p.id, measures, area.name, name, accepted)
             for p in project.config.priorities]
    return {
        **base,
        "title": f"{project.config.title}: {area.name}, {period_texts(period)['quarter']}",
        "issues": [],
        "force": {"slug": force_slug(area), "name": area.name},
        "period": period_texts(period),
        "cover_html": str(render_markdown(project.cover)),
        "pages": pages,
    }


def edit_context(request: Request, name: str, kind: str, priority: str) -> dict[str, Any]:
    """One narrative file's editor: its text and the version the save will be checked against."""
    files = project_files(request, name)
    try:
        relative = files.relative(kind, priority)
    except Exception as exc:
        raise NotFound(str(exc)) from None
    current = files.read(relative)
    what = "Planned actions" if kind == "actions" else "Comments"
    hint = ("A numbered list, one action per item." if kind == "actions" else
            "Each list item or paragraph is one comment. Markdown: **bold**, *italic*, lists.")
    return {
        "title": f"{what}: {priority} ({name})",
        "name": name,
        "kind": kind,
        "priority": priority,
        "file": relative,
        "text": current.text,
        "version": current.version,
        "html": str(render_markdown(current.text)),
        "hint": hint,
        "save_url": f"/reports/{name}/edit/{kind}/{priority}",
        "preview_url": f"/reports/{name}/preview",
        "back_url": f"/reports/{name}#{priority}",
    }
