"""Figures -> claims: keep the claim kinds whose extractor is enabled, link parenthetical equivalents,
and attribute modality, speaker, subject and time to each (in text order, with per-article state)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from spacy.tokens import Doc

from extractors.attribution import AttributionState, attribute
from extractors.dates import FoundDate
from extractors.doctext import doc_text
from extractors.officials import FoundOfficial, FoundOrg
from extractors.quantities import CLAIM_KINDS
from extractors.time_attribution import attribute_time

T = TypeVar("T")


def rebuild(cls: type[T], d: dict[str, Any]) -> T:
    """A frozen dataclass back from its plain dict (lists back to tuples)."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kw = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
          for k, v in d.items() if k in names}
    return cls(**kw)


def build_claims(doc: Doc, st: dict[str, Any], published: dt.date | None, version: str) -> list[dict[str, Any]]:
    figures = [f for f in st.get("figures", []) if f.get("kind") in CLAIM_KINDS and f.get("extractor")]
    figures.sort(key=lambda f: (f["start"], f["end"]))
    index_of = {f["index"]: i for i, f in enumerate(figures)}
    officials = [rebuild(FoundOfficial, o) for o in st.get("officials", [])]
    orgs = [rebuild(FoundOrg, o) for o in st.get("orgs", [])]
    astate = AttributionState(doc, officials, orgs)
    timer = _time_resolver(doc, st, published)
    claims = []
    for f in figures:
        att = attribute(doc, f["start"], f["end"], officials, orgs, astate)
        t_start, t_end, t_rule = timer(f)
        eq = f.get("paren_equivalent_of")
        evidence = {field: rule for field, rule in att.evidence}
        if t_rule:
            evidence["time"] = t_rule
        claims.append(
            {
                "type": f["kind"], "text": f["text"], "value": f["value"], "value_max": f.get("value_max"),
                "approx": f.get("approx") or "=", "unit": f.get("unit"), "direction": f.get("direction"),
                "modality": att.modality, "subject": att.subject, "speaker": att.speaker,
                "time_start": t_start, "time_end": t_end,
                "start": f["start"], "end": f["end"], "rule_id": f.get("rule_id", ""),
                "extractor": f["extractor"], "equivalent_of": index_of.get(eq) if eq is not None else None,
                "evidence": {**evidence, "attribution": version},
            }
        )
    return claims


def _time_resolver(doc: Doc, st: dict[str, Any], published: dt.date | None) -> Any:
    """A function giving each figure its (start, end, rule id) period, from the dates found in the doc."""
    dates = [rebuild(FoundDate, d) for d in st.get("dates", [])]
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    text = doc_text(doc)

    def resolve(f: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        sent = next((s for s in sents if s[0] <= f["start"] < s[1]), (f["start"], f["end"]))
        t = attribute_time(text, sent, (f["start"], f["end"]), dates, published, sentences=sents)
        return t.start, t.end, t.rule_id

    return resolve
