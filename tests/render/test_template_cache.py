"""The compiled-template cache: used when it can be, never a cause of failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from policeperf.render.template_cache import bytecode_cache, cache_folder

SOURCE = "{% for x in items %}<li>{{ x }}</li>{% endfor %}"


def _render(folder: Path, source: str = SOURCE) -> str:
    env = Environment(loader=DictLoader({"t.html": source}), autoescape=True,
                      bytecode_cache=bytecode_cache(folder))
    return env.get_template("t.html").render(items=["a", "<b>"])


def test_a_compiled_template_is_kept_and_read_back_with_the_same_output(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = _render(folder)
    kept = list(folder.iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("policeperf-")
    assert _render(folder) == first == "<li>a</li><li>&lt;b&gt;</li>"


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    _render(tmp_path)
    assert _render(tmp_path, SOURCE.replace("<li>", "<p>").replace("</li>", "</p>")) == (
        "<p>a</p><p>&lt;b&gt;</p>")


def test_a_damaged_cache_file_means_compiling_again(tmp_path: Path) -> None:
    _render(tmp_path)
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(kept.read_bytes()[:20] + b"\x00garbage")
    assert _render(tmp_path) == "<li>a</li><li>&lt;b&gt;</li>"


def test_a_cache_path_below_a_file_means_compiling_every_time(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    assert _render(tmp_path / "file" / "cache") == "<li>a</li><li>&lt;b&gt;</li>"


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "policeperf" / "templates"
