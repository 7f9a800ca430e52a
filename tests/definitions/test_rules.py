"""Each validation rule reports its problem with the file and line of the entry at fault."""

from __future__ import annotations

from pathlib import Path

from policeperf.definitions import validate

MEASURE = """\
  - id: {id}
    title: T
    priority: {priority}
    kind: {kind}
    sources:
{sources}
    denominator: {denominator}
    benchmark: {benchmark}
"""
SOURCE = "      - {{kind: {kind}, id: {id}{caveat}}}\n"


def write(tmp_path: Path, *measures: str, head: str = "") -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(head + "measures:\n" + "".join(measures))
    return path


def measure(id: str = "m", priority: str = "reduce_homicide", kind: str = "recorded_crime_rate",
            sources: str = SOURCE.format(kind="ons_offence", id="homicide", caveat=""),
            denominator: str = "residents", benchmark: str = "msg_rank") -> str:
    return MEASURE.format(id=id, priority=priority, kind=kind, sources=sources.rstrip("\n"),
                          denominator=denominator, benchmark=benchmark)


def rules(tmp_path: Path, *measures: str, head: str = "") -> dict[str, list[tuple[int, str]]]:
    path = write(tmp_path, *measures, head=head)
    out: dict[str, list[tuple[int, str]]] = {}
    for issue in validate([path]):
        assert issue.file == str(path)
        out.setdefault(issue.rule, []).append((issue.line, issue.message))
    return out


def test_the_shipped_catalogue_has_no_issues() -> None:
    assert validate() == []


def test_a_valid_extra_measure_has_no_issues(tmp_path: Path) -> None:
    assert rules(tmp_path, measure()) == {}


def test_an_unknown_key_is_reported_on_its_line_with_the_valid_keys(tmp_path: Path) -> None:
    found = rules(tmp_path, measure() + "    colour: red\n")
    [(line, message)] = found["unknown_keys"]
    assert line == 2  # the measure mapping starts on line 2 (line 1 is "measures:")
    assert "'colour'" in message and "polarity" in message and "denominator" in message


def test_an_unknown_offence_group_is_reported(tmp_path: Path) -> None:
    src = SOURCE.format(kind="ons_offence", id="burglary_of_sheds", caveat="")
    assert "burglary_of_sheds" in rules(tmp_path, measure(sources=src))["source_ids"][0][1]


def test_an_unknown_offence_code_set_is_reported(tmp_path: Path) -> None:
    src = SOURCE.format(kind="offence_codes", id="no_such_set", caveat="")
    assert "no_such_set" in rules(tmp_path, measure(sources=src))["source_ids"][0][1]


def test_an_undocumented_force_series_is_a_warning(tmp_path: Path) -> None:
    src = SOURCE.format(kind="force_series", id="made_up_series", caveat="")
    path = write(tmp_path, measure(kind="count", sources=src, denominator="none",
                                   benchmark="none"))
    [issue] = validate([path])
    assert issue.rule == "source_ids" and issue.level == "warning"


def test_a_duplicate_id_in_one_file_is_reported_on_the_second_line(tmp_path: Path) -> None:
    found = rules(tmp_path, measure(), measure())
    [(line, message)] = found["duplicate_ids"]
    assert line == 10 and "line 2" in message  # each measure block is 8 lines long


def test_a_crime_rate_without_denominator_is_reported(tmp_path: Path) -> None:
    assert "kind_denominator" in rules(tmp_path, measure(denominator="none"))


def test_a_count_with_a_denominator_is_reported(tmp_path: Path) -> None:
    assert "kind_denominator" in rules(tmp_path, measure(kind="count", benchmark="none"))


def test_a_fallback_without_caveat_is_reported(tmp_path: Path) -> None:
    srcs = (SOURCE.format(kind="ons_offence", id="homicide", caveat="")
            + SOURCE.format(kind="ons_offence", id="robbery", caveat=""))
    [(_, message)] = rules(tmp_path, measure(sources=srcs))["fallback_order"]
    assert "fallback source 2" in message


def test_a_fallback_with_a_caveat_is_accepted(tmp_path: Path) -> None:
    srcs = (SOURCE.format(kind="ons_offence", id="homicide", caveat="")
            + SOURCE.format(kind="ons_offence", id="robbery", caveat=", caveat: differs"))
    assert rules(tmp_path, measure(sources=srcs)) == {}


def test_an_undeclared_priority_is_reported(tmp_path: Path) -> None:
    assert "nowhere" in rules(tmp_path, measure(priority="nowhere"))["priorities_exist"][0][1]


def test_difference_vs_national_needs_the_national_benchmark(tmp_path: Path) -> None:
    src = SOURCE.format(kind="force_series", id="reoffending_proportion", caveat="")
    found = rules(tmp_path, measure(kind="difference_vs_national", sources=src,
                                    denominator="none", benchmark="none"))
    assert "kind_benchmark" in found


def test_a_bad_enum_value_is_reported_with_the_field(tmp_path: Path) -> None:
    [(_, message)] = rules(tmp_path, measure(kind="velocity"))["field_values"]
    assert "kind" in message


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("measures:\n  - id: [unclosed\n")
    [issue] = validate([path])
    assert issue.rule == "file_readable" and issue.line >= 2


def test_a_priority_declared_in_the_same_file_can_be_used(tmp_path: Path) -> None:
    head = "priorities:\n  - {id: local_thing, title: Local, order: 9, part: local}\n"
    assert rules(tmp_path, measure(priority="local_thing"), head=head) == {}
