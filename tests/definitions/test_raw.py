"""Reading catalogue files: the shipped ones take a faster parser with the same result."""

from __future__ import annotations


def test_the_shipped_files_parse_to_the_same_values_and_lines_with_the_fast_loader() -> None:
    import yaml

    from policeperf.definitions.raw import SHIPPED, _LineLoader, _ShippedLineLoader
    from policeperf.textfiles import load_yaml

    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) >= 2
    for file in files:
        text = file.read_text(encoding="utf-8")
        fast = yaml.load(text, Loader=_ShippedLineLoader)  # noqa: S506
        assert fast == load_yaml(text, _LineLoader), file.name
        assert fast["measures"][0]["__line__"] > 1
