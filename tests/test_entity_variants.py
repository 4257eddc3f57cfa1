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
