"""Properties every rendered chart has: valid inline SVG, self-contained, deterministic."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import vl_convert as vlc

from policeperf.render import charts
from policeperf.render.charts import SIZE_PX, Chart, ChartSize
from policeperf.render.charts._theme import FONT

from . import samples
from .conftest import render_all
from .svg_helpers import SVG_NS, all_text, parse

ELEVEN_KINDS = {
    "rolling_rate_lines", "rolling_count_quarterly", "monthly_count_bars", "survey_rate_lines",
    "category_bars", "dual_axis_volume_rate", "paired_bars", "force_vs_national_series",
    "spc_chart", "peer_ranking", "funnel_plot",
}


def test_all_eleven_chart_kinds_render(all_charts: dict[str, Chart]) -> None:
    assert set(all_charts) == ELEVEN_KINDS


def test_every_chart_is_well_formed_svg_without_an_xml_declaration(
    all_charts: dict[str, Chart],
) -> None:
    for name, chart in all_charts.items():
        assert chart.svg.startswith("<svg"), name
        assert parse(chart.svg).tag == f"{SVG_NS}svg", name


def test_every_chart_draws_its_title(all_charts: dict[str, Chart]) -> None:
    for name, chart in all_charts.items():
        assert chart.title in all_text(parse(chart.svg)), name


def test_the_svg_root_is_an_image_labelled_with_title_and_described_by_the_alt_text(
    all_charts: dict[str, Chart],
) -> None:
    for chart in all_charts.values():
        root = parse(chart.svg)
        assert root.get("role") == "img"
        assert root.get("aria-label") == chart.title
        assert root.findtext(f"{SVG_NS}title") == chart.title
        assert root.findtext(f"{SVG_NS}desc") == chart.alt_text


def test_no_chart_refers_to_any_http_url_beyond_the_svg_namespace(
    all_charts: dict[str, Chart],
) -> None:
    for name, chart in all_charts.items():
        body = chart.svg.replace('xmlns="http://www.w3.org/2000/svg"', "", 1)
        assert "http" not in body, name
        assert "href" not in body, name
        assert re.findall(r"url\((?!#)", body) == [], name


def test_rendering_the_same_input_twice_gives_byte_identical_svg(
    all_charts: dict[str, Chart],
) -> None:
    again = render_all()
    for name, chart in all_charts.items():
        assert again[name].svg == chart.svg, name


def test_clip_path_ids_are_stable_between_renders_and_differ_between_charts() -> None:
    first = charts.rolling_rate_lines(samples.rolling_rates(), title="Rates")
    again = charts.rolling_rate_lines(samples.rolling_rates(), title="Rates")
    other = charts.rolling_rate_lines(samples.rolling_rates(), title="Other rates")
    ids = re.findall(r'\bid="([^"]+)"', first.svg)
    assert ids
    assert first.svg == again.svg
    assert set(ids).isdisjoint(re.findall(r'\bid="([^"]+)"', other.svg))
    assert set(re.findall(r"url\(#([^)]+)\)", first.svg)) == set(ids)


def test_drawing_a_chart_does_not_load_vl_convert() -> None:
    """The report draws its charts itself; vl-convert (a JavaScript engine) is only for the
    PNG previews of a spec."""
    import subprocess

    code = ("import sys; from policeperf.render import charts; import polars as pl, datetime as d;"
            "charts.monthly_count_bars(pl.DataFrame({'period_end': [d.date(2022, 6, 30)], "
            "'value': [3]}), title='t'); print('vl_convert' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_chart_uses_the_generic_sans_serif_font_stack(
    all_charts: dict[str, Chart],
) -> None:
    for chart in all_charts.values():
        fonts = set(re.findall(r'font-family="([^"]+)"', chart.svg))
        assert fonts == {FONT}


def test_charts_render_at_the_documented_default_sizes(all_charts: dict[str, Chart]) -> None:
    for chart in all_charts.values():
        root = parse(chart.svg)
        size = (int(root.get("width", "0")), int(root.get("height", "0")))
        assert size in set(SIZE_PX.values())
    width, height = SIZE_PX[ChartSize.FULL]
    assert parse(all_charts["rolling_rate_lines"].svg).get("width") == str(width)
    assert parse(all_charts["peer_ranking"].svg).get("height") == str(SIZE_PX[ChartSize.HALF][1])
    assert (width, height) == (669, 189)  # 177 x 50 mm at 96 px an inch


def test_every_chart_svg_converts_to_png_on_its_own(
    all_charts: dict[str, Chart], tmp_path: Path
) -> None:
    for name, chart in all_charts.items():
        png: bytes = vlc.svg_to_png(chart.svg)
        assert png.startswith(b"\x89PNG"), name
        (tmp_path / f"{name}.png").write_bytes(png)
    assert len(list(tmp_path.glob("*.png"))) == len(all_charts)


def test_every_chart_returns_the_data_behind_it(all_charts: dict[str, Chart]) -> None:
    assert all_charts["monthly_count_bars"].data.columns == ["period_end", "value"]
    assert all_charts["monthly_count_bars"].data.height == 15
    assert all(chart.data.height > 0 for chart in all_charts.values())


def test_no_two_charts_of_a_page_share_an_id(all_charts: dict[str, Chart]) -> None:
    ids = [i for chart in all_charts.values() for i in re.findall(r'\bid="([^"]+)"', chart.svg)]
    assert len(ids) >= len(all_charts) - 1
    assert len(ids) == len(set(ids))
