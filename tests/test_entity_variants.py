"""Spelling variants merge only with evidence; different people stay apart (issue 10). Fixture articles written
for these tests: tests/fixtures/crossref/entities.jsonl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.crossref import rebuild_crossref, update_crossref
from pipeline.crossref.names import role_title, same_org, surname_spelling_variant
from pipeline.crossref.report import iter_entities
from pipeline.store import Store
from tests.crossref_fixtures import extraction_of, load_articles

FIXTURE = Path(__file__).parent / "fixtures" / "crossref" / "entities.jsonl"


def _build(path: Path, incremental: bool = False) -> Store:
    st = Store(path)
    run = st.start_run({"command": "test"})
    for a in load_articles(FIXTURE):
        st.save_extraction(extraction_of(a), run_id=run, config_hash="h")
        if incremental:
            update_crossref(st, [a["id"]])
    if not incremental:
        rebuild_crossref(st)
    return st


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _build(tmp_path_factory.mktemp("ent") / "c.db")


def _entity_of(st: Store, variant: str) -> dict[str, Any]:
    (e,) = [e for e in iter_entities(st, kind="person") if variant in e["variants"]]
    return e


def test_entity_variants_misspelt_surname_with_same_role_and_org_merges_with_evidence(store: Store) -> None:
    e = _entity_of(store, "Reza Forahmand")
    assert {"Ali-Reza Farahmand", "Reza Forahmand", "Reza Farahmand"} <= set(e["variants"])
    (m,) = [m for m in e["merges"] if m["rule"] == "person.surname_spelling_variant"]
    assert m["evidence"]["edit_distance"] == 1 and m["evidence"]["title"] == "deputy head"
    assert m["evidence"]["surnames"] == ["farahmand", "furahmand"]


def test_entity_variants_same_spelling_distance_in_another_org_stays_apart(store: Store) -> None:
    assert _entity_of(store, "Reza Ferahmand")["id"] != _entity_of(store, "Reza Forahmand")["id"]


@pytest.mark.parametrize(("a", "b"), [
    ("Hamid Rahimi", "Hamid Karimi"),    # a short distance apart, same title and org: different names
    ("Mehdi Sadeghi", "Ahmad Sadeghi"),  # one surname, two people
])
def test_entity_variants_different_people_never_merge(store: Store, a: str, b: str) -> None:
    assert _entity_of(store, a)["id"] != _entity_of(store, b)["id"]


def test_entity_variants_incremental_equals_rebuild(tmp_path: Path) -> None:
    inc = _build(tmp_path / "i.db", incremental=True)
    reb = _build(tmp_path / "r.db")
    assert list(iter_entities(inc)) == list(iter_entities(reb))


@pytest.mark.parametrize(("a", "b", "same"), [
    ("musaheb", "masaheb", True), ("rahimi", "karimi", False), ("sadeqi", "sadeqi", False),
    ("farahmand", "farahmandi", False), ("tavakuli", "tavakoli", True),
])
def test_entity_variants_surname_rule(a: str, b: str, same: bool) -> None:
    assert (surname_spelling_variant(a, b) is not None) is same


@pytest.mark.parametrize(("a", "b", "same"), [
    ("ISIPO", "Iran Small Industries and Industrial Parks Organization (ISIPO)", True),
    ("ISIPO", "Iran Small Industries and Industrial Parks Organization", True),
    ("ISIPO", "IMIDRO", False), ("Iran Fisheries Organization (IFO)", "Iran Chamber of Commerce", False),
])
def test_entity_variants_same_org(a: str, b: str, same: bool) -> None:
    assert same_org(a, b) is same


def test_entity_variants_role_title() -> None:
    assert role_title("deputy head for small industries affairs") == role_title("Deputy Head") == "deputy head"
    assert role_title(None) is None


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("entq") / "c.db"
    _build(path).close()
    return path


def test_entity_variants_query_layer_uses_canonical_names(db_path: Path) -> None:
    from pipeline.query.claims import ClaimQuery, find_claims

    st = Store(db_path, readonly=True)
    try:
        rows = list(find_claims(st, ClaimQuery(official="Ali-Reza Farahmand")))
        # written "Reza Forahmand" in ent-9: found through the canonical person and its variants
        assert {r["speaker"] for r in rows} == {"Reza Forahmand"} and len(rows) == 4
        assert {r["speaker_canonical"] for r in rows} == {"Ali-Reza Farahmand"}
        subj = {r["figure"]: r["subject_canonical"] for r in find_claims(st, ClaimQuery())}
    finally:
        st.close()
    # figures, pronouns, generic nouns and common-noun acronyms are no subject; ministry spellings are one
    assert subj["410"] is None and subj["500 farms"] is None and subj["20 trillion rials"] is None
    assert subj["60 new hatcheries"] == subj["22 percent"] is not None


@pytest.mark.parametrize("acronym", ["MOU", "SMEs", "GDP"])
def test_entity_variants_common_noun_acronyms_are_not_organisations(acronym: str) -> None:
    from pipeline.crossref.names import clean_subject, key_kind, org_key

    key = org_key(acronym)
    assert key is not None and key_kind(key) == "other"
    assert clean_subject(acronym) == (None, "subject.common_noun_acronym")
    assert key_kind(org_key("ISIPO") or "") == "org"


def test_entity_variants_site_facets_offer_canonical_names(db_path: Path) -> None:
    import asyncio

    from datasette.app import Datasette

    from pipeline.query.serve import PLUGINS, TEMPLATES, metadata_for

    ds = Datasette(files=[str(db_path)], metadata=metadata_for(db_path.stem), template_dir=str(TEMPLATES),
                   plugins_dir=str(PLUGINS))
    r = asyncio.run(ds.client.get(f"/{db_path.stem}/claims_in_context.json"))
    facets = r.json()["facet_results"]
    speakers = {v["value"] for v in facets["speaker_canonical"]["results"]}
    assert "Ali-Reza Farahmand" in speakers and "Reza Forahmand" not in speakers
    subjects = {v["value"] for v in facets["subject_canonical"]["results"]}
    assert not subjects & {"number", "targeted figure", "MOU", "22 percent"}
    r = asyncio.run(ds.client.get(f"/{db_path.stem}/claims_by_official.json?_shape=array&official=Farahmand"))
    assert {row["speaker"] for row in r.json()} == {"Reza Forahmand"}


def test_entity_variants_exports_carry_canonical_names_beside_the_written_ones(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io
    import json

    from pipeline.cli import main

    assert main(["export", "--format", "jsonl", "--db", str(db_path)]) == 0
    claims = [c for line in capsys.readouterr().out.splitlines() for c in json.loads(line)["claims"]]
    by_text = {c["text"]: c for c in claims}
    assert by_text["60 new hatcheries"]["speaker"] == "Reza Forahmand"
    assert by_text["60 new hatcheries"]["speaker_entity"]["name"] == "Ali-Reza Farahmand"
    assert by_text["410"]["subject"] == "number" and by_text["410"]["subject_entity"] is None
    assert main(["export", "--format", "csv", "--db", str(db_path)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    row = next(r for r in rows if r["text"] == "60 new hatcheries")
    assert (row["speaker"], row["speaker_canonical"]) == ("Reza Forahmand", "Ali-Reza Farahmand")


def test_entity_variants_pages_show_canonical_subjects_not_generic_ones(db_path: Path) -> None:
    import asyncio

    from datasette.app import Datasette

    from pipeline.query.serve import PLUGINS, TEMPLATES, metadata_for

    ds = Datasette(files=[str(db_path)], metadata=metadata_for(db_path.stem), template_dir=str(TEMPLATES),
                   plugins_dir=str(PLUGINS))
    st = Store(db_path, readonly=True)
    try:
        (e,) = [e for e in iter_entities(st, kind="person") if "Reza Forahmand" in e["variants"]]
    finally:
        st.close()
    page = asyncio.run(ds.client.get(f"/entity/{e['id']}")).text
    assert "Reza Forahmand" in page and ">number<" not in page and ">targeted figure<" not in page
    assert 'title="as written: number"' in page  # the name as written stays beside, as a tooltip
