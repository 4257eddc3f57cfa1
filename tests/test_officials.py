import json
from pathlib import Path

import pytest

from extractors.officials import find_officials, find_organisations
from extractors.officials.text import sent_spans
from tests.spacy_pipelines import pipeline

CASES = Path(__file__).parent / "cases"
SEED = Path(__file__).parent / "fixtures" / "seed_isipo.txt"


def _load(name: str) -> list[dict]:
    return [json.loads(x) for x in (CASES / name).read_text(encoding="utf-8").splitlines() if x.strip()]


OFFICIAL_CASES = _load("officials.jsonl")
ORG_CASES = _load("organisations.jsonl")
KINDS = ["model", "blank"]


def _params(cases: list[dict]) -> list:
    out = []
    for i, c in enumerate(cases):
        for kind in KINDS:
            marks = (
                [pytest.mark.skip(reason="needs the model")]
                if kind == "blank" and c.get("needs_model")
                else []
            )
            out.append(pytest.param(c, kind, id=f"{i}-{kind}", marks=marks))
    return out


@pytest.fixture(scope="session")
def seed_docs() -> dict:
    text = SEED.read_text(encoding="utf-8")
    return {kind: pipeline(kind)(text) for kind in KINDS}


@pytest.mark.parametrize("case,kind", _params(OFFICIAL_CASES))
def test_officials_cases(case: dict, kind: str) -> None:
    doc = pipeline(kind)(case["text"])
    got = [{"name": o.name, "title": o.title, "org": o.org} for o in find_officials(doc)]
    assert got == case["expect"]


@pytest.mark.parametrize("case,kind", _params(OFFICIAL_CASES))
def test_officials_offsets_point_at_the_name(case: dict, kind: str) -> None:
    doc = pipeline(kind)(case["text"])
    for o in find_officials(doc):
        assert doc.text[o.start : o.end] == o.name
        assert (o.start, o.end) in o.mentions
        assert o.rule_id.startswith("official.")


@pytest.mark.parametrize("case,kind", _params(ORG_CASES))
def test_officials_organisations_with_acronyms(case: dict, kind: str) -> None:
    doc = pipeline(kind)(case["text"])
    got = [o for o in find_organisations(doc) if o.acronym]
    assert [(o.name, o.acronym) for o in got] == [(e["name"], e["acronym"]) for e in case["expect"]]
    for o, e in zip(got, case["expect"], strict=True):
        assert doc.text[o.start : o.end] == o.name
        assert len([m for m in o.mentions if doc.text[m[0] : m[1]] == o.acronym]) == e["mentions"]


@pytest.mark.parametrize("case,kind", _params(ORG_CASES))
def test_officials_organisation_names(case: dict, kind: str) -> None:
    """Organisation phrases end where the name ends: no remit of a title, no role or person after the name."""
    doc = pipeline(kind)(case["text"])
    names = {o.name for o in find_organisations(doc)}
    assert set(case.get("names", [])) <= names
    assert not set(case.get("not_names", [])) & names


@pytest.mark.parametrize("kind", KINDS)
def test_officials_seed_article(seed_docs: dict, kind: str) -> None:
    got = {o.name: (o.title, o.org) for o in find_officials(seed_docs[kind])}
    assert got == {
        "Ali Asqar Mosaheb": ("Deputy Head", "ISIPO"),
        "Saied Zarandi": ("Deputy Industry Minister", None),
        "Mohsen Salehinia": ("head", "ISIPO"),
    }
    assert not any("IRNA" in name for name in got)


@pytest.mark.parametrize("kind", KINDS)
def test_officials_seed_mentions_resolve_references(seed_docs: dict, kind: str) -> None:
    doc = seed_docs[kind]
    mosaheb = next(o for o in find_officials(doc) if o.name == "Ali Asqar Mosaheb")
    texts = [doc.text[s:e] for s, e in mosaheb.mentions]
    assert "a deputy with ISIPO" in texts
    assert "the official" in texts
    assert "he" in texts


@pytest.mark.parametrize("text,name,kind", [
    ("The figures were reported by IRNA on Monday.", "IRNA", "agency"),
    ("Tasnim news agency said the plan was approved.", "Tasnim news agency", "agency"),
    ("Iran Small Industries and Industrial Parks Organization (ISIPO) approved it.",
     "Iran Small Industries and Industrial Parks Organization", "org"),
])
def test_officials_agencies_are_sources(text: str, name: str, kind: str) -> None:
    nlp = pipeline("blank")
    assert [(o.name, o.kind) for o in find_organisations(nlp(text))] == [(name, kind)]


@pytest.mark.parametrize("kind", KINDS)
def test_officials_sentence_spans_match_doc_sents(seed_docs: dict, kind: str) -> None:
    """The array-based sentence spans (a speed path) are exactly doc.sents' character spans."""
    doc = seed_docs[kind]
    assert sent_spans(doc) == [(s.start_char, s.end_char) for s in doc.sents]
    assert len(sent_spans(doc)) > 1
