"""Every page and its JSON twin, in process, against the real (bundled ONS) warehouse."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import FORCE, PERIOD, Dashboard

from policeperf.web.app import PAGES

MEASURE = "residential_burglary"
CONCRETE = {
    "/": "/",
    "/forces/{force}/{period}": f"/forces/{FORCE}/{PERIOD}",
    "/forces/{force}/{period}/measures/{measure}": f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}",
    "/forces/{force}/{period}/measures/{measure}/charts/{name}":
        f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}/charts/trend",
    "/compare/{measure}/{period}": f"/compare/{MEASURE}/{PERIOD}",
    "/data": "/data",
    "/reports/{name}": "/reports/example",
    "/reports/{name}/edit/{kind}/{priority}": "/reports/example/edit/comments/reduce_homicide",
}


def twin(path: str) -> str:
    return "/.json" if path == "/" else f"{path}.json"


def test_every_page_is_listed_here_with_a_real_address() -> None:
    assert sorted(CONCRETE) == sorted(p for p, _, _ in PAGES)


def test_every_get_page_has_a_json_twin_in_the_route_table(dashboard: Dashboard) -> None:
    paths = {getattr(r, "path", "") for r in dashboard.app.routes}
    for path, _, _ in PAGES:
        assert path in paths and twin(path) in paths, path


@pytest.mark.parametrize("template", sorted(CONCRETE))
def test_each_page_answers_as_html_and_as_json_from_the_same_context(
    editor: tuple[TestClient, str], template: str
) -> None:
    client, _ = editor
    path = CONCRETE[template]
    html = client.get(path)
    data = client.get(twin(path))
    assert html.status_code == 200 and data.status_code == 200, (html.text[:300], data.text[:300])
    assert html.headers["content-type"].startswith("text/html")
    assert data.headers["content-type"].startswith("application/json")
    context = data.json()
    title = context.get("title")
    if title and not path.endswith("/charts/trend"):
        assert _escape(title) in html.text, title


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&#34;").replace("'", "&#39;")


def test_the_overview_holds_every_measure_with_real_figures(
    editor: tuple[TestClient, str]
) -> None:
    client, _ = editor
    data = client.get(f"/forces/{FORCE}/{PERIOD}.json").json()
    assert data["force"] == {"slug": FORCE, "name": "Avon and Somerset", "code": "E23000036"}
    rows = {m["id"]: m for p in data["priorities"] for m in p["measures"]}
    burglary = rows[MEASURE]
    # ONS Table P3, year ending June 2022: 6.63 residential burglaries per 1,000 households.
    assert burglary["value_text"] == "6.63 per 1,000 households"
    assert burglary["benchmark"] == "7th/8 MSG (higher than MSG average rates)"
    assert burglary["mark"] == "worse"  # lower is better, and the rate is above the MSG average
    assert sum(data["summary"].values()) == len(rows)
    html = client.get(f"/forces/{FORCE}/{PERIOD}").text
    assert "7th/8 MSG (higher than MSG average rates)" in html
    assert f'href="/forces/{FORCE}/{PERIOD}/measures/{MEASURE}"' in html


def test_the_measure_page_has_the_peer_table_charts_and_explanation(
    editor: tuple[TestClient, str]
) -> None:
    client, _ = editor
    data = client.get(f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}.json").json()
    assert len(data["peers"]) == 8
    assert [p["rank"] for p in data["peers"]] == sorted(p["rank"] for p in data["peers"])
    me = [p for p in data["peers"] if p["is_force"]]
    assert len(me) == 1 and me[0]["rank"] == 7 and me[0]["count"] > 0 and me[0]["denominator"]
    assert {c["name"] for c in data["charts"]} >= {"trend", "funnel", "ranking"}
    assert "Rate: 1,000 x" in data["explain"]
    assert any("pfajun22.xlsx" in p for p in data["provenance"])


def test_a_chart_comes_with_its_spec_and_its_data_table(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    base = f"/forces/{FORCE}/{PERIOD}/measures/{MEASURE}/charts"
    data = client.get(f"{base}/funnel.json").json()
    assert data["kind"] == "funnel_plot"
    assert data["spec"]["width"] == "container"
    assert data["spec"]["config"]["mark"]["tooltip"] == {"content": "data"}
    assert "area" in data["columns"] and len(data["rows"]) >= 40
    html = client.get(f"{base}/funnel").text
    assert 'data-spec="{&#34;' in html and "<table>" in html and "Data table" in html
    assert client.get(f"{base}/nonsense.json").status_code == 404


def test_compare_ranks_every_force_and_highlights_the_one_asked_for(
    editor: tuple[TestClient, str]
) -> None:
    client, _ = editor
    data = client.get(f"/compare/{MEASURE}/{PERIOD}.json?force={FORCE}").json()
    rows = data["rows"]
    assert len(rows) >= 42
    values = [r["value"] for r in rows]
    assert values == sorted(values)  # lower is better: rank 1 has the lowest rate
    assert [r["name"] for r in rows if r["highlight"]] == ["Avon and Somerset"]
    assert data["funnel"]["kind"] == "funnel_plot"


def test_the_data_page_lists_sources_and_the_known_anomaly(
    editor: tuple[TestClient, str]
) -> None:
    client, _ = editor
    data = client.get("/data.json").json()
    names = {s["file_name"] for s in data["sources"]}
    assert "pfajun22.xlsx" in names and "rec-crime-pfa.csv.gz" in names
    assert "2022-06-30" in data["periods"]
    # Avon and Somerset's Action Fraud referrals, 12 months to March 2022: 2,048 (quality.py).
    assert any(w["kind"] == "anomaly" and "2,048" in w["message"] for w in data["warnings"])


def test_the_report_page_shows_the_projects_pages_narrative_and_drafts(
    editor: tuple[TestClient, str], dashboard: Dashboard
) -> None:
    client, _ = editor
    data = client.get("/reports/example.json").json()
    assert data["issues"] == []
    ids = [p["id"] for p in data["pages"]]
    assert ids[0] == "reduce_homicide" and "collaboration" in ids
    homicide = data["pages"][0]
    expected = (dashboard.project / "actions" / "reduce_homicide.md").read_text()
    assert homicide["actions"]["text"] == expected
    assert homicide["drafts"] and homicide["drafts"][0]["measure_id"] == "homicide"


@pytest.mark.parametrize("path", [
    f"/forces/nowhere/{PERIOD}", f"/forces/{FORCE}/2022-13", f"/forces/{FORCE}/{PERIOD}/measures/x",
    "/compare/x/2022-06", "/reports/nothing", "/reports/example/edit/secrets/reduce_homicide",
    "/no/such/page",
])
def test_a_bad_address_gets_a_404_saying_why_not_a_traceback(
    editor: tuple[TestClient, str], path: str
) -> None:
    client, _ = editor
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.text and 'class="error"' in response.text
    assert client.get(twin(path)).json()["status"] == 404


def test_the_openapi_description_lists_the_json_twins(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    spec = client.get("/openapi.json").json()
    assert "/forces/{force}/{period}.json" in spec["paths"]
    assert all(re.search(r"\.json$", p) for p in spec["paths"])


def test_a_month_that_ends_no_quarter_is_a_page_too(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    data = client.get(f"/forces/{FORCE}/2022-05.json").json()
    assert data["period"]["quarter"] == "Month ending May 2022"


def test_a_stand_in_measure_says_so_in_its_name(editor: tuple[TestClient, str]) -> None:
    client, _ = editor
    data = client.get(f"/forces/{FORCE}/{PERIOD}.json").json()
    rows = {m["id"]: m for p in data["priorities"] for m in p["measures"]}
    assert "stand-in for serious violence" in rows["serious_violence"]["title"]
    assert rows["serious_violence"]["stand_in_reason"]
    page = client.get(f"/forces/{FORCE}/{PERIOD}/measures/serious_violence").text
    assert "stand-in for serious violence" in page and "Stand-in:" in page
    chart = client.get(f"/forces/{FORCE}/{PERIOD}/measures/serious_violence/charts/trend.json")
    assert "stand-in for serious violence" in chart.json()["title"].lower()


def test_a_computed_groups_chart_names_its_average_as_similar_forces_not_an_msg(
    editor: tuple[TestClient, str]
) -> None:
    client = editor[0]
    kent = client.get("/forces/kent/2022-06/measures/residential_burglary/charts/trend.json")
    avon = client.get(
        "/forces/avon-and-somerset/2022-06/measures/residential_burglary/charts/trend.json")
    assert kent.status_code == 200 and avon.status_code == 200
    assert "Similar forces (computed) average" in kent.text and "MSG average" not in kent.text
    assert "MSG average" in avon.text and "(computed)" not in avon.text
