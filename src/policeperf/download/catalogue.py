"""Which files each source publishes: the bundled list (sources.yaml), a user's file, --url.

A :class:`Catalogue` maps a source name (``ons``, ``police-uk``, ``offence-codes``) to its
:class:`Source`; :meth:`Catalogue.select` turns a source and ``--since`` into the :class:`Item` s to
download. Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from policeperf.errors import InputError, PolicePerfError
from policeperf.textfiles import load_yaml, read_text, yaml_problem

SOURCE_NAMES = ("ons", "police-uk", "offence-codes")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")
_FILE_KEYS = {"period", "url", "path", "name", "verified", "sha256", "size", "note"}


class CatalogueError(PolicePerfError):
    """A sources file, a --since value or a --url that cannot be used."""


@dataclass(frozen=True)
class Item:
    """One file to download."""

    source: str
    url: str
    name: str
    period: dt.date | None = None  # first day of the last month the file covers
    sha256: str | None = None  # the bytes policeperf knows, if any
    size: int | None = None
    verified: str | None = None
    pattern: bool = False  # made from a monthly pattern: 404 may mean "not published yet"


@dataclass(frozen=True)
class Source:
    """A publisher's series of files."""

    name: str
    title: str
    page: str
    licence: str
    frequency: str
    default: str  # "all" or "latest"
    items: tuple[Item, ...] = ()
    pattern: str | None = None  # e.g. https://data.police.uk/data/archive/{month}.zip
    first: dt.date | None = None
    lag_months: int = 2
    extra: tuple[Item, ...] = field(default=())  # from user files and --url

    def listed(self, today: dt.date) -> list[Item]:
        """Every file known for this source, oldest first (pattern months up to the expected
        latest, ``lag_months`` before ``today``)."""
        items = list(self.items)
        if self.pattern and self.first:
            last = add_months(today.replace(day=1), -self.lag_months)
            month = self.first
            while month <= last:
                url = self.pattern.format(month=f"{month:%Y-%m}")
                items.append(Item(self.name, url, name_of(url), month, pattern=True))
                month = add_months(month, 1)
        return sorted(items, key=lambda i: (i.period or dt.date.min)) + list(self.extra)


@dataclass(frozen=True)
class Catalogue:
    """The sources, as bundled and as extended by the user."""

    sources: dict[str, Source]

    def source(self, name: str) -> Source:
        if name not in self.sources:
            choose = ", ".join(self.sources)
            raise CatalogueError(f"unknown source {name!r}; choose one of {choose}")
        return self.sources[name]

    def select(self, name: str, *, since: dt.date | None = None, until: dt.date | None = None,
               today: dt.date | None = None) -> list[Item]:
        """The files to fetch: with ``since`` (and/or ``until``), every file whose last month is
        in that range; without either, the source's default (every edition, or only the latest).
        User URLs are always kept."""
        source = self.source(name)
        listed = source.listed(today or dt.date.today())
        known = [i for i in listed if i not in source.extra]
        if since is not None or until is not None:
            chosen = [i for i in known if i.period is None or (
                (since is None or i.period >= since) and (until is None or i.period <= until))]
        elif source.default == "latest" and known:
            chosen = [known[-1]]
        else:
            chosen = known
        return chosen + list(source.extra)

    def with_user_items(self, name: str, items: list[Item]) -> Catalogue:
        source = self.source(name)
        new = replace(source, extra=source.extra + tuple(items))
        return Catalogue({**self.sources, name: new})


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str, what: str = "--since") -> dt.date:
    """``2024-06`` (or ``2024-06-30``) -> 1 June 2024."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CatalogueError(f"{what} {text!r} is not a month (expected YYYY-MM, e.g. 2024-06)")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def mirrored(url: str, mirror: str) -> str:
    """``url`` as served by a mirror that keeps each host's files under a folder named after it:
    ``https://www.ons.gov.uk/file?uri=/a.xlsx`` -> ``MIRROR/www.ons.gov.uk/file?uri=/a.xlsx``."""
    parts = urlsplit(url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{mirror.rstrip('/')}/{parts.netloc}{rest}"


def name_of(url: str) -> str:
    """The file name a URL's last path segment (or its ``uri=`` query) gives."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.query.startswith("uri="):  # ons.gov.uk/file?uri=/.../name.xlsx
        path = unquote(parts.query[4:])
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if not name or name in {".", ".."} or "\\" in name:
        raise CatalogueError(f"cannot tell a file name from URL {url!r}; give one with name:")
    return name


def user_item(source: str, url: str) -> Item:
    """An item for a URL given with --url."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise CatalogueError(f"--url {url!r} is not an http(s) URL")
    return Item(source, url, name_of(url))


def load_catalogue(user_files: list[Path] | None = None) -> Catalogue:
    """The bundled sources.yaml, with the ``files:`` of each user sources file added."""
    text = resources.files("policeperf.download").joinpath("sources.yaml").read_text("utf-8")
    catalogue = _parse(yaml.safe_load(text), "policeperf/download/sources.yaml", bundled=True)
    for path in user_files or []:
        try:
            raw = load_yaml(read_text(path))
        except InputError as exc:
            raise CatalogueError(f"cannot read sources file {path}: {exc.reason}") from None
        except yaml.YAMLError as exc:
            line, problem = yaml_problem(exc)
            raise CatalogueError(f"sources file {path} is not valid YAML (line {line}): "
                                 f"{problem}") from None
        user = _parse(raw, str(path), bundled=False)
        for name, source in user.sources.items():
            catalogue = catalogue.with_user_items(name, list(source.items))
    return catalogue


def _parse(raw: Any, file: str, *, bundled: bool) -> Catalogue:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{file}: expected a mapping of source names to sources")
    sources: dict[str, Source] = {}
    for name, body in raw.items():
        if name not in SOURCE_NAMES:
            raise CatalogueError(f"{file}: unknown source {name!r}; expected one of "
                                 f"{', '.join(SOURCE_NAMES)}")
        if not isinstance(body, dict):
            raise CatalogueError(f"{file}: source {name!r} must be a mapping")
        entries = body.get("files") or []
        if not isinstance(entries, list):
            raise CatalogueError(f"{file}: {name}.files must be a list")
        base = str(body.get("base", ""))
        items = tuple(_item(name, base, entry, f"{file}: {name}.files[{k}]")
                      for k, entry in enumerate(entries))
        sources[name] = Source(
            name=name,
            title=str(body.get("title", name)),
            page=str(body.get("page", "")),
            licence=str(body.get("licence", "")),
            frequency=str(body.get("frequency", "")),
            default=str(body.get("default", "all")),
            items=items,
            pattern=body.get("pattern") if bundled else None,
            first=parse_month(str(body["first"]), f"{file}: {name}.first")
            if bundled and body.get("first") else None,
            lag_months=int(body.get("lag_months", 2)),
        )
    return Catalogue(sources)


def _item(source: str, base: str, entry: Any, where: str) -> Item:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping with url (or path) and period")
    unknown = set(entry) - _FILE_KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; expected "
                             f"{', '.join(sorted(_FILE_KEYS))}")
    if "url" in entry:
        url = str(entry["url"])
    elif "path" in entry and base:
        url = base + str(entry["path"])
    else:
        raise CatalogueError(f"{where}: no url")
    if urlsplit(url).scheme not in {"http", "https"}:
        raise CatalogueError(f"{where}: url {url!r} is not an http(s) URL")
    period = parse_month(str(entry["period"]), f"{where}: period") if "period" in entry else None
    name = str(entry["name"]) if "name" in entry else name_of(url)
    if "/" in name or "\\" in name or name.startswith("."):
        raise CatalogueError(f"{where}: name {name!r} must be a plain file name")
    size = entry.get("size")
    return Item(source, url, name, period, entry.get("sha256"),
                int(size) if size is not None else None, entry.get("verified"))
