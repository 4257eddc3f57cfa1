"""Figures -> claims: keep the claim kinds whose extractor is enabled, link parenthetical equivalents,
and attribute modality, speaker, subject and time to each from the article's discourse model (in text
order: a figure may restate or break down the ones before it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from spacy.tokens import Doc

from extractors.dates import FoundDate
from extractors.discourse import Discourse
from extractors.officials import FoundOfficial, FoundOrg
from extractors.quantities import CLAIM_KINDS

T = TypeVar("T")


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


def rebuild(cls: type[T], d: dict[str, Any]) -> T:
    """A frozen dataclass back from its plain dict (lists back to tuples)."""
    names = _field_names(cls)
    kw = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
          for k, v in d.items() if k in names}
    return cls(**kw)


def build_claims(doc: Doc, st: dict[str, Any], published: dt.date | None, version: str) -> list[dict[str, Any]]:
    figures = [f for f in st.get("figures", []) if f.get("kind") in CLAIM_KINDS and f.get("extractor")]
    figures.sort(key=lambda f: (f["start"], f["end"]))
    index_of = {f["index"]: i for i, f in enumerate(figures)}
    officials = [rebuild(FoundOfficial, o) for o in st.get("officials", [])]
    orgs = [rebuild(FoundOrg, o) for o in st.get("orgs", [])]
    dates = [rebuild(FoundDate, d) for d in st.get("dates", [])]
    disc = Discourse.from_doc(doc, officials, orgs, dates, published)
    claims = []
    for f in figures:
        a = disc.attribute(f["start"], f["end"], f["kind"])
        eq = f.get("paren_equivalent_of")
        claims.append(
            {
                "type": f["kind"], "text": f["text"], "value": f["value"], "value_max": f.get("value_max"),
                "approx": f.get("approx") or "=", "unit": f.get("unit"), "direction": f.get("direction"),
                "modality": a.modality, "subject": a.subject, "speaker": a.speaker,
                "time_start": a.time.start, "time_end": a.time.end,
                "start": f["start"], "end": f["end"], "rule_id": f.get("rule_id", ""),
                "extractor": f["extractor"], "equivalent_of": index_of.get(eq) if eq is not None else None,
                "evidence": {**a.evidence, "attribution": version},
            }
        )
    return claims
