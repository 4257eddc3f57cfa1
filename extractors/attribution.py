"""Speaker, modality and subject of one figure: the interface of the first attribution layer, now served by
the discourse model (:mod:`extractors.discourse`), which keeps every rule and cue.

Usage, once per article, claims in text order::

    state = AttributionState(doc, officials, orgs)
    for start, end in claim_spans:
        a = attribute(doc, start, end, officials, orgs, state)

New code should use :class:`extractors.discourse.Discourse` directly (it also gives time and the report
each figure belongs to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from extractors.dates import FoundDate
from extractors.discourse import Discourse
from extractors.officials import FoundOfficial, FoundOrg


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    modality: str  # actual | target | forecast | potential
    subject: str | None
    evidence: tuple[tuple[str, str], ...] = ()  # (field, rule id)

    def rule(self, name: str) -> str | None:
        return next((r for f, r in self.evidence if f == name), None)


class AttributionState:
    """Per-article state: the article's discourse model (build once, then attribute in text order)."""

    def __init__(self, doc: Doc, officials: Sequence[FoundOfficial], orgs: Sequence[FoundOrg],
                 dates: Sequence[FoundDate] = (), published: dt.date | None = None) -> None:
        self.discourse = Discourse.from_doc(doc, officials, orgs, dates, published)


def attribute(
    doc: Doc,
    claim_start: int,
    claim_end: int,
    officials: Sequence[FoundOfficial],
    orgs: Sequence[FoundOrg],
    state: AttributionState | None = None,
) -> Attribution:
    """Speaker, modality and subject of the claim at ``doc.text[claim_start:claim_end]``."""
    if state is None:
        state = AttributionState(doc, officials, orgs)
    a = state.discourse.attribute(claim_start, claim_end)
    return Attribution(a.speaker, a.modality, a.subject, tuple(
        (f, str(a.evidence[f])) for f in ("speaker", "modality", "subject")))
