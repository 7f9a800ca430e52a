"""The corpus of bad inputs, user files: catalogue (--catalogue, validate), peer groups
(--peer-groups) and report projects; each with the message it must produce. Committed files are
under files/ (make_corpus.py); other encodings, FIFOs and large files are made at test time."""

from __future__ import annotations

import codecs
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policeperf.definitions import validate
from policeperf.reference.peer_groups import PeerGroupError, user_peer_groups
from policeperf.report.model import ProjectError
from policeperf.report.project import load_project

FILES = Path(__file__).parent / "files"
EXAMPLE_PROJECT = Path(__file__).resolve().parents[2] / "examples" / "avon-and-somerset-2022-q1"


def _latin1(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_bytes(text.encode("latin-1"))
    return path


CATALOGUE: dict[str, str] = {
    "catalogue/alias-bomb.yaml": "expands to more than 100,000 values",
    "catalogue/deep-nesting.yaml": "nested deeper than 50 levels",
    "catalogue/recursive-alias.yaml": "refers to a collection that contains it",
    "catalogue/invalid-yaml.yaml": "invalid YAML",
    "catalogue/not-a-mapping.yaml": "expected a mapping",
    "catalogue/python-tag.yaml": "could not determine a constructor",
}


@pytest.mark.parametrize("relative", sorted(CATALOGUE))
def test_a_bad_catalogue_file_is_reported_with_its_line(relative: str) -> None:
    issues = [str(i) for i in validate([FILES / relative]) if i.level == "error"]
    assert any(CATALOGUE[relative] in i and relative in i for i in issues), issues


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: _latin1(tmp, "c.yaml", "measures: []\n# café\n"),
     "is not UTF-8 text (byte 0xe9 at line 2, column 6"),
    (lambda tmp: tmp.joinpath("c.yaml").write_bytes(codecs.BOM_UTF16_LE
                                                    + "measures: []\n".encode("utf-16-le"))
     and tmp / "c.yaml", "is UTF-16 text"),
    (lambda tmp: os.mkfifo(tmp / "c.yaml") or tmp / "c.yaml", "is a FIFO"),
    (lambda tmp: tmp.joinpath("c.yaml").write_text("measures: []\n#" + "x" * (6 << 20))
     and tmp / "c.yaml", "is larger than 5 MiB"),
], ids=["latin-1", "utf-16", "fifo", "6 MiB"])
def test_an_unreadable_catalogue_file_is_reported_not_raised(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    issues = [str(i) for i in validate([make(tmp_path)]) if i.level == "error"]
    assert any(expected in i for i in issues), issues


def test_validate_lists_the_problems_of_valid_entries_beside_invalid_ones() -> None:
    # Before: an invalid entry stopped validate after the per-entry rules, so the valid entry's
    # unknown priority went unreported until the first problem was fixed.
    issues = [str(i) for i in validate([FILES / "catalogue/invalid-and-valid-entries.yaml"])
              if i.level == "error"]
    assert any("'broken' kind" in i for i in issues)
    assert any("'orphan': unknown priority 'no_such_priority'" in i for i in issues)


PEERS: dict[str, str] = {
    "peers/mixed-key-types.yaml": "unknown keys ['1']",
    "peers/alias-bomb.yaml": "expands to more than 100,000 values",
    "peers/deep-nesting.yaml": "nested deeper than 50 levels",
    "peers/unknown-force.yaml": "unknown force 'Gotham'",
    "peers/no-groups.yaml": "expected a mapping with a 'groups' list",
}


@pytest.mark.parametrize("relative", sorted(PEERS))
def test_a_bad_peer_group_file_is_refused_naming_the_fault(relative: str) -> None:
    with pytest.raises(PeerGroupError) as caught:
        user_peer_groups(FILES / relative)
    assert PEERS[relative] in str(caught.value) and relative in str(caught.value)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda tmp: _latin1(tmp, "p.yaml", "groups: []\n# café\n"), "is not UTF-8 text"),
    (lambda tmp: os.mkfifo(tmp / "p.yaml") or tmp / "p.yaml", "is a FIFO"),
    (lambda tmp: tmp / "absent.yaml", "no such file"),
], ids=["latin-1", "fifo", "missing"])
def test_an_unreadable_peer_group_file_is_refused(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    with pytest.raises(PeerGroupError, match=expected):
        user_peer_groups(make(tmp_path))


PROJECTS: dict[str, str] = {
    "project/alias-bomb": "expands to more than 100,000 values",
    "project/deep-nesting": "nested deeper than 50 levels",
    "project/invalid-yaml": "invalid YAML",
}


@pytest.mark.parametrize("relative", sorted(PROJECTS))
def test_a_bad_report_yaml_is_refused_naming_the_fault(relative: str) -> None:
    with pytest.raises(ProjectError, match=PROJECTS[relative]):
        load_project(FILES / relative)


def _project(tmp: Path) -> Path:
    folder = tmp / "project"
    shutil.copytree(EXAMPLE_PROJECT, folder)
    return folder


@pytest.mark.parametrize(("spoil", "expected"), [
    (lambda p: (p / "cover.md").write_bytes("Caf\xe9 au lait\n".encode("latin-1")),
     "cover.md: is not UTF-8 text (byte 0xe9 at line 1, column 4"),
    (lambda p: (p / "glossary.md").write_bytes(codecs.BOM_UTF16_LE
                                               + "- **A**: b\n".encode("utf-16-le")),
     "glossary.md: is UTF-16 text"),
    (lambda p: ((p / "cover.md").unlink(), os.mkfifo(p / "cover.md")),
     "cover.md: is a FIFO"),
    (lambda p: ((p / "cover.md").unlink(), (p / "cover.md").symlink_to(p / "gone.md")),
     "cover.md: a symbolic link to"),
    (lambda p: (p / "report.yaml").write_bytes(
        (p / "report.yaml").read_text().replace("title:", "# caf\xe9\ntitle:", 1)
        .encode("latin-1")), "report.yaml: is not UTF-8 text"),
    (lambda p: (p / "report.yaml").write_text(
        (p / "report.yaml").read_text().replace("\n", "\r")),
     "report.yaml"),
], ids=["latin-1 cover", "utf-16 glossary", "fifo cover", "dangling cover", "latin-1 yaml",
        "cr-only yaml"])
def test_a_spoilt_project_file_is_reported_with_its_name(
    tmp_path: Path, spoil: Callable[[Path], object], expected: str
) -> None:
    project = _project(tmp_path)
    spoil(project)
    try:
        load_project(project)
    except ProjectError as exc:
        assert expected in str(exc)
    else:
        # CR-only line ends are line ends to YAML and Markdown alike: the project still loads.
        assert expected == "report.yaml"


