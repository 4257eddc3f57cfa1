import json
from pathlib import Path

import pytest

from extractors.attribution import AttributionState, attribute
from extractors.officials import find_officials, find_organisations
from tests.spacy_pipelines import pipeline

CASES = Path(__file__).parent / "cases"
PATTERNS = Path(__file__).parents[1] / "extractors" / "patterns"
SEED = Path(__file__).parent / "fixtures" / "seed_isipo.txt"
ATTR_CASES = [
    json.loads(x) for x in (CASES / "attribution.jsonl").read_text(encoding="utf-8").splitlines() if x
]
KINDS = ["model", "blank"]


def _params() -> list:
    out = []
    for i, c in enumerate(ATTR_CASES):
        for kind in KINDS:
            marks = (
                [pytest.mark.skip(reason="needs the model")]
                if kind == "blank" and c.get("needs_model")
                else []
            )
            out.append(pytest.param(c, kind, id=f"{i}-{kind}", marks=marks))
    return out


def _run(text: str, claim: str, kind: str, before: tuple[str, ...] = ()):
    """Attribute ``claim`` after the claims in ``before`` (in text order), as a pipeline would."""
    doc = pipeline(kind)(text)
    officials = find_officials(doc)
    orgs = find_organisations(doc)
    state = AttributionState(doc, officials, orgs)
    pos = 0
    for b in before:
        at = text.index(b, pos)
        pos = at + len(b)
        attribute(doc, at, pos, officials, orgs, state)
    at = text.index(claim, pos)
    return attribute(doc, at, at + len(claim), officials, orgs, state)


@pytest.mark.parametrize("case,kind", _params())
def test_attribution_cases(case: dict, kind: str) -> None:
    a = _run(case["text"], case["claim"], kind, tuple(case.get("before", ())))
    exp = case["expect"]
    if "speaker" in exp:
        assert a.speaker == exp["speaker"]
    assert a.modality == exp["modality"]
    if "rule" in exp:
        assert a.rule("modality") == exp["rule"]
    if "subject" in exp:
        assert a.subject == exp["subject"]
    assert {f for f, _ in a.evidence} == {"speaker", "modality", "subject"}


def test_attribution_every_modality_cue_fires_on_a_case() -> None:
    rows = [json.loads(x) for x in (PATTERNS / "modality_cues.jsonl").read_text().splitlines() if x]
    ids = {r["id"] for r in rows if "side" in r}  # the cues that decide (context rows only qualify them)
    fired = set()
    for c in ATTR_CASES:
        a = _run(c["text"], c["claim"], "blank", tuple(c.get("before", ())))
        fired.add(a.rule("modality"))
    assert ids - fired == set()


SEED_EXPECT = [
    ("1400 idle production units", "target", "Ali Asqar Mosaheb"),
    ("529 idle production units", "actual", "Ali Asqar Mosaheb"),
    ("2000 idle units", "target", "Ali Asqar Mosaheb"),
    ("1,000 units", "target", "Ali Asqar Mosaheb"),
    ("1,726 small industrial units", "actual", "Ali Asqar Mosaheb"),
    ("15 trillion rials", "actual", "Saied Zarandi"),
    ("$357 million", "actual", "Saied Zarandi"),
    ("900,000 job opportunities", "potential", "Mohsen Salehinia"),
    ("22 percent", "actual", "Mohsen Salehinia"),
]


@pytest.mark.parametrize("kind", KINDS)
def test_attribution_seed_article_in_order(kind: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    doc = pipeline(kind)(text)
    officials, orgs = find_officials(doc), find_organisations(doc)
    state = AttributionState(doc, officials, orgs)
    pos = text.index("TEHRAN")  # the headline carries no attribution of its own
    for claim, modality, speaker in SEED_EXPECT:
        at = text.index(claim, pos)
        pos = at + len(claim)
        a = attribute(doc, at, pos, officials, orgs, state)
        assert (a.modality, a.speaker) == (modality, speaker), claim
