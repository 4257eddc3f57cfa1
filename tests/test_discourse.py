"""The discourse layer on paragraph-level cases (tests/cases/discourse.jsonl), through the real pipeline:
each case names a figure and what its speaker, time and modality must be, and which rules must have decided
them (the report that opened, the rule that ended the report before it). Cases cover every rule that opens
or ends a report, and the places where a report's period or speaker must not carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.discourse.reports import END_RULES, OPEN_RULES
from pipeline.extract import build_nlp
from pipeline.settings import Settings

CASES = [json.loads(x) for x in (Path(__file__).parent / "cases" / "discourse.jsonl").read_text().splitlines()
         if x.strip()]


@pytest.fixture(scope="module")
def claims_of() -> Any:
    nlp, _ = build_nlp(Settings())
    cache: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def run(text: str, published: str) -> list[dict[str, Any]]:
        key = (text, published)
        if key not in cache:
            doc = nlp.make_doc(text)
            doc._.newsclaims = {"published": published}
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            assert not doc._.newsclaims.get("errors")
            cache[key] = doc._.newsclaims["claims"]
        return cache[key]

    return run


def _claim(claims: list[dict[str, Any]], case: dict[str, Any]) -> dict[str, Any]:
    pos = -1
    for _ in range(case.get("occurrence", 0) + 1):
        pos = case["text"].index(case["figure"], pos + 1)
    hit = [c for c in claims if c["start"] <= pos < c["end"]]
    assert hit, f"no claim at {case['figure']!r}"
    return hit[0]


def _decided(c: dict[str, Any]) -> dict[str, Any]:
    ev = c["evidence"]
    rep = ev["report"]
    return {"time": ev["time"], "speaker": ev["speaker"], "modality": ev["modality"],
            "opened_by": rep["opened_by"], "closed_by": rep["closed_by"],
            "previous_closed_by": rep["previous_closed_by"]}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_discourse_case(claims_of: Any, case: dict[str, Any]) -> None:
    c = _claim(claims_of(case["text"], case["published"]), case)
    got = {"speaker": c["speaker"], "time": [c["time_start"], c["time_end"]], "modality": c["modality"]}
    for k, v in case.get("expect", {}).items():
        assert got[k] == v, f"{k}: {got[k]!r} != {v!r}"
    decided = _decided(c)
    for k, v in case.get("rules", {}).items():
        assert decided[k] == v, f"{k}: {decided[k]!r} != {v!r}"


def test_discourse_every_report_rule_has_a_case(claims_of: Any) -> None:
    seen: set[str] = set()
    for case in CASES:
        for c in claims_of(case["text"], case["published"]):
            d = _decided(c)
            seen.update(x for x in (d["opened_by"], d["closed_by"], d["previous_closed_by"]) if x)
    assert set(OPEN_RULES) - seen == set()
    assert set(END_RULES) - seen == set()


def test_discourse_evidence_answers_why_this_period(claims_of: Any) -> None:
    case = next(c for c in CASES if c["id"] == "carry.breakdown_same_release")
    c = _claim(claims_of(case["text"], case["published"]), case)
    ev = c["evidence"]
    assert ev["time"] == "time.report"
    assert ev["time_from"]["text"].startswith("the first four months")
    period = ev["report"]["period"]
    assert (period["start"], period["end"]) == (c["time_start"], c["time_end"])
    s, e = ev["report"]["sentence"]
    assert case["text"][s:e].startswith("The value of Iran")


def test_discourse_evidence_names_the_figure_a_conversion_restates(claims_of: Any) -> None:
    text = ("In the first five months of the current year, the ministry allocated 15 trillion rials "
            "(about $357 million) to small industries, deputy minister Saied Zarandi said.")
    claims = claims_of(text, "2019-09-01")
    rials = next(c for c in claims if c["text"].startswith("15 trillion"))
    dollars = next(c for c in claims if "$357" in c["text"])
    assert dollars["evidence"]["converts"] == [rials["start"], rials["end"]]
    assert dollars["evidence"]["time"] == "time.inherit.conversion"
    assert (dollars["time_start"], dollars["time_end"]) == (rials["time_start"], rials["time_end"]) != (None, None)
    assert "converts" not in rials["evidence"]
