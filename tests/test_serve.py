"""The Datasette site, through Datasette's own test client: canned queries, facets, search, claim pages,
notices, read-only serving and injection strings."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from pipeline.query.serve import PLUGINS, TEMPLATES, canned_query_names, metadata_for
from tests.claims_fixture import build, build_empty

ROOT = Path(__file__).resolve().parent.parent
INJECTIONS = [
    "'; drop table claims; --",
    "\" or 1=1 --",
    "x' union select id, text, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 from articles --",
    "idle\" OR units",
    "NEAR(",
    "%' or '1'='1",
    "\x00",
]

# Each canned query with form values that must find rows, and the claim figures it must return.
CANNED_EXPECT: dict[str, tuple[dict[str, str], set[str]]] = {
    "claims_by_official": ({"official": "Ali Asqar Mosaheb"},
                           {"15 trillion rials", "$357 million", "3,000", "40 percent", "8%", "$1.2 billion"}),
    "subject_over_time": ({"subject": "idle units", "unit": "%"}, {"40 percent"}),
    "money_over": ({"currency": "IRR", "min_amount": "10 trillion", "since": "2019"}, {"15 trillion rials"}),
    "said_about": ({"who": "ISIPO", "topic": "idle units"}, {"15 trillion rials", "$357 million", "3,000",
                                                             "40 percent"}),
    "claims_since": ({"since": "2021-01-01", "type": "money"}, {"$1.2 billion"}),
    "claim": ({}, {"15 trillion rials"}),  # claim_id filled in by the test
}


def _get(ds: Datasette, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


def _datasette(db: Path, **settings: Any) -> Datasette:
    return Datasette(files=[str(db)], metadata=metadata_for(db.stem), template_dir=str(TEMPLATES),
                     plugins_dir=str(PLUGINS), settings={"sql_time_limit_ms": 3000, **settings})


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("serve") / "claims.db")


@pytest.fixture(scope="module")
def ds(db_path: Path) -> Datasette:
    return _datasette(db_path)


@pytest.fixture(scope="module")
def money_claim_id(ds: Datasette) -> str:
    r = _get(ds, "/claims/claims_in_context.json?figure=15+trillion+rials&_shape=array")
    return str(r.json()[0]["claim_id"])


def _figures(ds: Datasette, path: str) -> set[str]:
    r = _get(ds, path)
    assert r.status_code == 200, (path, r.text[:500])
    return {row.get("figure") for row in r.json()}


def test_serve_canned_query_list_is_the_documented_one() -> None:
    assert set(canned_query_names()) == set(CANNED_EXPECT)


@pytest.mark.parametrize("name", sorted(CANNED_EXPECT))
def test_serve_canned_query_answers(ds: Datasette, money_claim_id: str, name: str) -> None:
    params, expect = CANNED_EXPECT[name]
    if name == "claim":
        params = {"claim_id": money_claim_id}
    qs = "&".join(f"{k}={v.replace(' ', '+').replace('%', '%25')}" for k, v in params.items())
    assert _figures(ds, f"/claims/{name}.json?_shape=array&{qs}") == expect
    html = _get(ds, f"/claims/{name}?{qs}")
    assert html.status_code == 200
    assert '<mark class="nc-figure">' in html.text  # the sentence is shown with its figure highlighted


@pytest.mark.parametrize("name", sorted(CANNED_EXPECT))
def test_serve_canned_query_renders_with_empty_form(ds: Datasette, name: str) -> None:
    r = _get(ds, f"/claims/{name}")
    assert r.status_code == 200
    assert "Traceback" not in r.text


def test_serve_official_tolerates_name_variants(ds: Datasette) -> None:
    a = _figures(ds, "/claims/claims_by_official.json?_shape=array&official=Ali-Asghar+MOSAHEB")
    b = _figures(ds, "/claims/claims_by_official.json?_shape=array&official=ali+asqar+mosaheb")
    c = _figures(ds, "/claims/claims_by_official.json?_shape=array&official=Mosaheb")
    assert a == b == c and len(a) == 6
    assert _figures(ds, "/claims/claims_by_official.json?_shape=array&official=Hemmati") == {"20 trillion rials"}


def test_serve_money_over_excludes_smaller_amounts_and_other_currencies(ds: Datasette) -> None:
    got = _figures(ds, "/claims/money_over.json?_shape=array&currency=IRR&min_amount=1e13")
    assert got == {"15 trillion rials", "20 trillion rials"}
    got = _figures(ds, "/claims/money_over.json?_shape=array&currency=usd&min_amount=500+million")
    assert got == {"$1.2 billion"}


@pytest.mark.parametrize(("param", "value"), [("since", "2019-13-01"), ("min_amount", "lots")])
def test_serve_malformed_parameter_gets_a_notice(ds: Datasette, param: str, value: str) -> None:
    r = _get(ds, f"/claims/money_over?{param}={value}")
    assert r.status_code == 200
    assert "nc-notice" in r.text and f"{param}: not a" in r.text
    assert _figures(ds, f"/claims/money_over.json?_shape=array&{param}={value}") == set()


def test_serve_subject_over_time_is_ordered_by_period(ds: Datasette) -> None:
    r = _get(ds, "/claims/subject_over_time.json?_shape=array&subject=exports&unit=")
    periods = [row["period"] for row in r.json()]
    assert periods == sorted(periods) and len(periods) == 2


def test_serve_claim_query_has_provenance(ds: Datasette, money_claim_id: str) -> None:
    (row,) = _get(ds, f"/claims/claim.json?_shape=array&claim_id={money_claim_id}").json()
    assert row["url"] == "https://www.tehrantimes.com/news/1/isipo-idle-units"
    assert row["warc_file"] == "archive/2019.warc.gz" and row["warc_offset"] == 1234
    assert row["warc_record_id"].startswith("<urn:uuid:")
    assert row["sentence"][row["figure_start"]:row["figure_end"]] == "15 trillion rials"


FACETS = ["type", "modality", "unit", "speaker_canonical", "speaker", "speaker_org", "source", "year"]


@pytest.mark.parametrize("facet", FACETS)
def test_serve_facets_on_claims_in_context(ds: Datasette, facet: str) -> None:
    r = _get(ds, "/claims/claims_in_context.json")
    assert r.status_code == 200
    results = r.json()["facet_results"]
    assert facet in results, sorted(results)
    values = {v["value"]: v["count"] for v in results[facet]["results"]}
    assert sum(values.values()) >= 1
    if facet == "year":
        assert values == {"2018": 2, "2019": 3, "2021": 3}
    if facet == "type":
        assert values == {"money": 4, "percent": 3, "count": 1}


def test_serve_facet_selection_filters(ds: Datasette) -> None:
    r = _get(ds, "/claims/claims_in_context.json?_shape=array&year=2019&unit=USD")
    assert {row["figure"] for row in r.json()} == {"$357 million"}


def test_serve_search_claims_in_context(ds: Datasette) -> None:
    r = _get(ds, "/claims/claims_in_context.json?_search=idle+units&_shape=array")
    assert {row["figure"] for row in r.json()} == {"15 trillion rials", "$357 million", "3,000", "40 percent"}
    html = _get(ds, "/claims/claims_in_context?_search=idle+units")
    assert html.status_code == 200 and '<mark class="nc-figure">' in html.text
    assert 'class="nc-claim-link"' in html.text


def test_serve_search_articles_and_claims_tables(ds: Datasette) -> None:
    r = _get(ds, "/claims/articles.json?_search=budget&_shape=array")
    assert [row["id"] for row in r.json()] == ["financialtribune/budget"]
    r = _get(ds, "/claims/claims.json?_search=exports&_shape=array")
    assert {row["text"] for row in r.json()} == {"8%", "$1.2 billion"}


def test_serve_claim_page_shows_sentence_and_source(ds: Datasette, money_claim_id: str) -> None:
    r = _get(ds, f"/claim/{money_claim_id}")
    assert r.status_code == 200
    assert '<mark class="nc-figure">15 trillion rials</mark>' in r.text
    assert 'href="https://www.tehrantimes.com/news/1/isipo-idle-units"' in r.text
    assert "archive/2019.warc.gz" in r.text
    assert _get(ds, "/claim/0000000000000000").status_code == 404


@pytest.mark.parametrize("path", ["/-/nope", "/claims/claims/a/b/c/d", "/nope", "/claims/nope"])
def test_serve_unknown_paths_are_plain_404s(ds: Datasette, path: str) -> None:
    r = _get(ds, path)
    assert r.status_code == 404 and "Traceback" not in r.text


def test_serve_claims_table_row_highlights_sentence(ds: Datasette, money_claim_id: str) -> None:
    r = _get(ds, f"/claims/claims/{money_claim_id}")
    assert r.status_code == 200 and '<mark class="nc-figure">15 trillion rials</mark>' in r.text


def test_serve_metadata_describes_tables_and_columns(ds: Datasette) -> None:
    meta = _get(ds, "/-/metadata.json").json()
    tables = meta["databases"]["claims"]["tables"]
    assert meta["title"] and meta["license"] and meta["source"]
    for table in ("claims", "articles", "claims_in_context"):
        assert tables[table]["description"]
    assert {"claim_id", "sentence", "year", "url"} <= set(tables["claims_in_context"]["columns"])


def test_serve_database_is_read_only_not_immutable(ds: Datasette) -> None:
    """Immutable mode on a file an extract changes shows stale and even "malformed" pages; the site opens it
    read-only instead (mode=ro): changes show, writes are impossible."""
    (db,) = [d for n, d in ds.databases.items() if n != "_internal"]
    assert db.is_mutable is True
    conn = db.connect()
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("delete from claims")
    finally:
        conn.close()
    r = _get(ds, "/claims.json?sql=delete+from+claims")
    assert r.status_code == 400
    assert _get(ds, "/claims/claims.json?_shape=array").json()


@pytest.mark.parametrize("sql", [
    "select length(randomblob(999999999))",
    "with recursive x(s) as (select 'ab' union all select s || s from x where length(s) < 1e10) "
    "select max(length(s)) from x",
    "select zeroblob(2000000000)",
])
def test_serve_sqlite_length_limit_stops_huge_values(ds: Datasette, sql: str) -> None:
    r = asyncio.run(ds.client.get("/claims.json", params={"sql": sql}))
    assert r.status_code == 400 and "too big" in r.json()["error"]


def test_serve_length_limit_stays_above_the_largest_article_allowed(tmp_path: Path) -> None:
    """The largest article the input limits let in (max_text_chars characters, each 4 bytes in UTF-8) is
    still readable through the site."""
    from pipeline.models import Article, Extraction
    from pipeline.settings import Settings
    from pipeline.store import Store

    chars = Settings().max_text_chars
    st = Store(tmp_path / "claims.db")
    run = st.start_run({"command": "test"})
    st.save_extraction(Extraction(Article("big", "\U0001d11e" * chars, title="t" * 4096), (), (), ()),
                       run_id=run, config_hash="h")
    st.close()
    ds = _datasette(tmp_path / "claims.db")
    r = asyncio.run(ds.client.get("/claims.json", params={"sql": "select length(text) as n from articles",
                                                           "_shape": "array"}))
    assert r.status_code == 200 and r.json() == [{"n": chars}]
    r = _get(ds, "/claims/articles.json?_shape=array&_col=text&_col=title")
    assert r.status_code == 200 and len(r.json()[0]["text"]) == chars


def test_serve_arbitrary_sql_only_on_loopback_unless_allowed() -> None:
    from pipeline.query.serve import datasette_args

    local = datasette_args(Path("c.db"), Path("m.json"), host="127.0.0.1")
    public = datasette_args(Path("c.db"), Path("m.json"), host="0.0.0.0")
    opted = datasette_args(Path("c.db"), Path("m.json"), host="0.0.0.0", allow_sql=True)
    assert "default_allow_sql" not in local and "default_allow_sql" not in opted
    assert public[public.index("default_allow_sql") + 1] == "off"
    assert "-i" not in local and "--immutable" not in local


def test_serve_sql_off_still_answers_canned_queries_and_tables(db_path: Path) -> None:
    ds = _datasette(db_path, default_allow_sql=False)
    assert _get(ds, "/claims.json?sql=select+1").status_code == 403
    assert _get(ds, "/claims/claims_since.json?since=2021&_shape=array").status_code == 200
    assert _get(ds, "/claims/claims.json?_shape=array").status_code == 200


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    ("name", "param"),
    [("claims_by_official", "official"), ("subject_over_time", "subject"), ("subject_over_time", "unit"),
     ("money_over", "currency"), ("money_over", "min_amount"), ("money_over", "since"), ("money_over", "subject"),
     ("said_about", "who"), ("said_about", "topic"), ("claims_since", "since"), ("claims_since", "type"),
     ("claim", "claim_id")],
)
def test_serve_injection_strings_are_inert(ds: Datasette, name: str, param: str, value: str) -> None:
    r = asyncio.run(ds.client.get(f"/claims/{name}.json", params={param: value, "_shape": "array"}))
    assert r.status_code == 200, r.text[:300]
    baseline = asyncio.run(ds.client.get(f"/claims/{name}.json", params={param: "", "_shape": "array"})).json()
    assert all(row in baseline for row in r.json())  # only rows the query can return anyway, nothing injected
    if any(ch.isalpha() for ch in value) and "or" not in value.lower().split() and value != "NEAR(":
        assert r.json() == []  # taken as a plain value that nothing has
    assert _get(ds, "/claims/claims.json?_shape=array&_size=max").status_code == 200
    assert len(_get(ds, "/claims/claims.json?_shape=array&_size=max").json()) == 8


def test_serve_empty_database_renders_with_notice(tmp_path: Path) -> None:
    ds = _datasette(build_empty(tmp_path / "claims.db"))
    for path in ["/", "/claims", "/claims/claims_in_context", "/claims/claims_by_official",
                 "/claims/said_about?who=x&topic=y", "/claims/claims"]:
        r = _get(ds, path)
        assert r.status_code == 200, path
        assert "no claims yet" in r.text and "make extract" in r.text, path
        assert "Traceback" not in r.text


def test_serve_database_without_schema_gets_notice(tmp_path: Path) -> None:
    empty = tmp_path / "claims.db"
    empty.write_bytes(b"")
    r = _get(_datasette(empty), "/")
    assert r.status_code == 200 and "has no claims tables" in r.text


def test_serve_datasette_get_smoke(db_path: Path, tmp_path: Path) -> None:
    meta = tmp_path / "metadata.json"
    meta.write_text(json.dumps(metadata_for(db_path.stem)))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    datasette = Path(sys.executable).with_name("datasette")
    from pipeline.query.serve import datasette_args

    cmd = [str(datasette), "serve", *datasette_args(db_path, meta)]
    out = subprocess.run([*cmd, "--get", "/-/versions.json"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["datasette"]["version"] == "0.65.5"
    out = subprocess.run([*cmd, "--get", "/claims/said_about.json?who=ISIPO&topic=idle+units&_shape=array"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "15 trillion rials" in {r["figure"] for r in json.loads(out.stdout)}


def test_serve_cli_get_and_missing_database(db_path: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--db", str(db_path), "--get",
                          "/claims/claims_since.json?since=2021&_shape=array"],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) == 3
    out = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--db", str(tmp_path / "none.db")],
                         capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert out.returncode != 0
    assert out.stderr.strip().count("\n") == 0 and "make extract" in out.stderr


def test_serve_make_target_without_database_says_run_make_extract(tmp_path: Path) -> None:
    out = subprocess.run(["make", "-s", "serve", f"DB={tmp_path / 'none.db'}"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode != 0
    lines = (out.stdout + out.stderr).strip().splitlines()
    assert len(lines) == 1 and "make extract" in lines[0]
