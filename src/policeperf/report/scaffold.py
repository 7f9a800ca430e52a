"""Start a report project from the measure catalogue, or build the default project in memory.

`scaffold` writes a folder an analyst then edits: every catalogue priority with its measures and
one chart per measure, plus empty narrative files to fill in. `default_project` is the same
project without a folder: what `build_report` uses when it is given no project.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from policeperf.definitions.load import default_catalogue
from policeperf.definitions.model import Catalogue, Measure
from policeperf.errors import PolicePerfError
from policeperf.reference.areas import resolve_area
from policeperf.report.period import parse_period, period_slug, quarter_label
from policeperf.report.project import Project, parse_config, parse_glossary, split_items

DEFAULT_CHART: dict[str, str] = {
    "recorded_crime_rate": "rolling_rate_lines",
    "count": "rolling_count_quarterly",
    "survey_proportion": "survey_rate_lines",
    "proportion": "survey_rate_lines",
    "duration": "paired_bars",
    "difference_vs_national": "force_vs_national_series",
}
"""The chart a new project draws for each measure kind."""

STARTER_GLOSSARY = """\
# Glossary: one "- **Term**: definition" line per term

- **MSG**: Most Similar Group, the forces most alike in demographic, social and economic make-up, \
as designated by HMICFRS; with the force itself the group has up to 8 members.
- **Similar forces (computed)**: where no official MSG is loaded, the 7 forces nearest to the \
force on open data (deprivation, density, household make-up), computed by policeperf; not the \
official MSG, and ranks within it say "similar forces (computed)".
- **Rolling 12 months**: the total for the twelve months up to and including the month shown.
- **Rate per 1,000**: the count divided by the resident population (households for residential \
burglary) and multiplied by 1,000.
"""

STARTER_COVER = """\
This report shows the force's performance against the national Police and Crime Measures and the
local Police and Crime Plan, using published recorded crime figures and the force's own series.
"""


def _charts_for(measures: list[Measure]) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = []
    for measure in measures:
        kind = DEFAULT_CHART.get(measure.kind.value)
        if kind is not None:
            charts.append({"kind": kind, "measure": measure.id})
    return charts


def starter_config(force: str, period: dt.date | str, catalogue: Catalogue) -> dict[str, Any]:
    """The ``report.yaml`` content of a new project, as plain data.

    Args:
        force: Force name, alias or ONS code.
        period: Quarter end (date, "2022-06-30" or "Q1 2022/23").
        catalogue: The measure catalogue whose priorities become the pages.

    Returns:
        A mapping ready to dump as YAML.
    """
    area = resolve_area(force, kind="force")
    period_end = parse_period(period)
    priorities: list[dict[str, Any]] = []
    for part in ("national", "local"):
        chosen = [p for p in catalogue.priorities if p.part.value == part]
        for priority in sorted(chosen, key=lambda p: p.order):
            measures = [m for m in catalogue.measures if m.priority == priority.id]
            priorities.append({
                "id": priority.id,
                "part": part,
                "title": priority.title,
                "measures": [m.id for m in measures],
                "charts": _charts_for(measures),
            })
    return {
        "force": area.name,
        "period": period_end.isoformat(),
        "title": "Performance Report",
        "version": "v1",
        "force_series": [],
        "priorities": priorities,
        "mapping": [],
    }


def starter_files(force: str, period: dt.date | str, catalogue: Catalogue) -> dict[str, str]:
    """Every file of a new project by relative path, with its text."""
    config = starter_config(force, period, catalogue)
    header = (
        f"# Report project: {config['force']}, {quarter_label(parse_period(period))}.\n"
        "# Priorities appear in this order; measures are catalogue ids; see docs/report.md.\n"
    )
    files = {
        "report.yaml": header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        "cover.md": STARTER_COVER,
        "glossary.md": STARTER_GLOSSARY,
    }
    for priority in config["priorities"]:
        files[f"actions/{priority['id']}.md"] = "1. Describe a planned action.\n"
        files[f"comments/{priority['id']}.md"] = ""
    return files


def scaffold(
    directory: Path | str,
    force: str,
    period: dt.date | str,
    *,
    catalogue: Catalogue | None = None,
) -> Path:
    """Create a report project folder from the catalogue.

    Args:
        directory: The folder to create (it may exist but must not hold a report.yaml).
        force: Force name, alias or ONS code.
        period: Quarter end (date, "2022-06-30" or "Q1 2022/23").
        catalogue: The measure catalogue; the shipped one when None.

    Returns:
        The project folder.

    Raises:
        PolicePerfError: The folder already holds a project.
    """
    root = Path(directory)
    if (root / "report.yaml").exists():
        raise PolicePerfError(f"{root} already holds a report project (report.yaml exists)")
    for relative, text in starter_files(force, period, catalogue or default_catalogue()).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def default_project(
    force: str, period: dt.date | str, *, catalogue: Catalogue | None = None
) -> Project:
    """The project `scaffold` would write, built in memory (no folder, no narrative)."""
    catalogue = catalogue or default_catalogue()
    files = starter_files(force, period, catalogue)
    config, issues = parse_config(files["report.yaml"], measure_ids=catalogue.ids())
    if config is None or issues:
        raise PolicePerfError("; ".join(str(i) for i in issues))
    glossary, _ = parse_glossary(files["glossary.md"])
    return Project(
        config=config,
        root=None,
        cover=files["cover.md"],
        glossary=tuple(glossary),
        actions={p.id: "" for p in config.priorities},
        comments={p.id: split_items("") for p in config.priorities},
    )


def default_folder_name(force: str, period: dt.date | str) -> str:
    """A folder name for a new project, e.g. "avon-and-somerset-2022-23-q1"."""
    area = resolve_area(force, kind="force")
    slug = "-".join(area.name.lower().replace("&", "and").split())
    return f"{slug}-{period_slug(parse_period(period))}"
