"""The fact-checker's pages through Datasette's test client (issue 10): the agreement panel, the conflicts page,
entity pages and the series chart, on fixture articles written for the tests, plus hostile input: names with
markup are escaped, injection strings in the page parameters are inert, unknown ids are 404s."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from pipeline.crossref import rebuild_crossref
from pipeline.crossref.report import iter_clusters
from pipeline.query.chart import series_svg
from pipeline.query.serve import PLUGINS, TEMPLATES, metadata_for
from pipeline.store import Store
from tests.crossref_fixtures import extraction_of, load_articles
from tests.test_serve import INJECTIONS

FIXTURE = Path(__file__).parent / "fixtures" / "crossref" / "independence.jsonl"
EVIL = '<script>alert("x")</script>'


def _get(ds: Datasette, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Datasette, dict[str, str]]:
    path = tmp_path_factory.mktemp("agree") / "claims.db"
    st = Store(path)
    run = st.start_run({"command": "test"})
    for a in load_articles(FIXTURE):
        ex = extraction_of(a)
        if a["id"] == "ind-7":  # a speaker whose name carries markup
            ex = dataclasses.replace(ex, claims=tuple(dataclasses.replace(c, speaker=EVIL) for c in ex.claims))
        st.save_extraction(ex, run_id=run, config_hash="h")
    rebuild_crossref(st)
    ids = {a["article_id"]: a["claim_id"] for c in iter_clusters(st) for a in c["appearances"]}
    st.close()
    ds = Datasette(files=[str(path)], metadata=metadata_for(path.stem), template_dir=str(TEMPLATES),
                   plugins_dir=str(PLUGINS), settings={"sql_time_limit_ms": 3000})
    return ds, ids


def test_serve_agreement_panel_says_the_status_in_words(site: tuple[Datasette, dict[str, str]]) -> None:
    ds, ids = site
    for aid, words in (("ind-8", "Conflicting"), ("ind-6", "Corroborated"), ("ind-3", "Restated"),
                       ("ind-10", "Disagreement")):
        r = _get(ds, f"/claim/{ids[aid]}")
        assert r.status_code == 200 and words in r.text, aid


def test_serve_agreement_markup_in_names_is_escaped(site: tuple[Datasette, dict[str, str]]) -> None:
    ds, ids = site
    r = _get(ds, f"/claim/{ids['ind-6']}")
    assert EVIL not in r.text and "&lt;script&gt;" in r.text


@pytest.mark.parametrize("value", INJECTIONS)
def test_serve_agreement_page_parameters_are_inert(site: tuple[Datasette, dict[str, str]], value: str) -> None:
    ds, _ = site
    from urllib.parse import quote

    r = _get(ds, f"/series?subject={quote(value)}&measure={quote(value)}")
    assert r.status_code == 200 and "No figures for this subject and measure" in r.text
    assert _get(ds, f"/entity/{quote(value, safe='')}").status_code in (302, 404)  # no such entity
    assert _get(ds, "/conflicts").status_code == 200  # the tables are still there


def test_serve_agreement_conflicts_entity_and_series_pages(site: tuple[Datasette, dict[str, str]]) -> None:
    ds, ids = site
    c = _get(ds, "/conflicts").text
    assert c.count('class="nc-conflict"') == 2 and "Revision" in c and "Disagreement" in c
    e = _get(ds, "/entity/person:said-tavakuli")
    assert e.status_code == 200 and "managing director" in e.text and ids["ind-9"] in e.text
    s = _get(ds, "/series?subject=org:golestan-water-company&measure=water+reservoir").text
    assert s.count('class="nc-point"') == 2 and f'/claim/{ids["ind-8"]}' in s
    assert "http://" not in s.replace("http://www.w3.org/2000/svg", "")  # no CDN, no external asset


def test_serve_agreement_chart_escapes_and_links_each_point() -> None:
    pts = [{"claim_id": 'a"><b', "value_decimal": "5", "modality": "actual", "period_start": None,
            "period_end": "2020-01-01", "published": "2020-01-02", "text": "<i>5</i>"}]
    svg = series_svg(pts, lambda cid: "/claim/" + cid, "t")
    assert "<i>" not in svg and 'a"><b' not in svg and "&lt;i&gt;" in svg
    assert series_svg([], lambda cid: cid).endswith("</svg>")


def test_serve_agreement_claim_page_accepts_a_unique_id_prefix(site: tuple[Datasette, dict[str, str]]) -> None:
    ds, ids = site
    full = ids["ind-8"]
    r = _get(ds, f"/claim/{full[:8]}")
    assert r.status_code == 200 and "300 water reservoirs" in r.text and "Conflicting" in r.text
    assert _get(ds, f"/claim/{full[:3]}").status_code == 404  # too short to name a claim
