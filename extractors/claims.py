"""Figures -> claims: keep the claim kinds whose extractor is enabled, link parenthetical equivalents,
and attribute modality, speaker, subject and time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.tokens import Doc

CLAIM_KINDS = ("count", "money", "percent", "quantity")


def build_claims(doc: Doc, st: dict[str, Any], published: dt.date | None, version: str) -> list[dict[str, Any]]:
    figures = [f for f in st.get("figures", []) if f.get("kind") in CLAIM_KINDS and f.get("extractor")]
    index_of = {f["index"]: i for i, f in enumerate(figures)}
    claims = []
    for f in figures:
        eq = f.get("paren_equivalent_of")
        claims.append(
            {
                "type": f["kind"], "text": f["text"], "value": f["value"], "value_max": f.get("value_max"),
                "approx": f.get("approx") or "=", "unit": f.get("unit"), "direction": f.get("direction"),
                "modality": "actual", "subject": None, "speaker": None, "time_start": None, "time_end": None,
                "start": f["start"], "end": f["end"], "rule_id": f.get("rule_id", ""),
                "extractor": f["extractor"], "equivalent_of": index_of.get(eq) if eq is not None else None,
                "evidence": {"attribution": version},
            }
        )
    return claims
