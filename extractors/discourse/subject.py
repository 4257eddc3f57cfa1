"""What a figure is about: the organisation, place or person whose action or property it describes.

With a dependency parse, the nominal subject of the figure's governing verb; otherwise (or when that gives
nothing) the nearest organisation or place to its left in the sentence; else the last subject named."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from extractors.discourse.article import ArticleIndex, Mention
from extractors.officials import lexicon

_SAID_AFTER = re.compile(r"^\s*(?:said|told|announced|reported)")
_NOUN_GROUPS = {"share", "number", "volume", "amount", "value", "total"}


@lru_cache(maxsize=1)
def _place_rx() -> re.Pattern[str]:
    places = [p for p in lexicon().places if len(p) > 3]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
                      + r")\b(?:\s+Province)?")


class SubjectRules:
    def __init__(self, idx: ArticleIndex, doc: Any | None) -> None:
        self.idx = idx
        self.doc = doc if doc is not None and doc.has_annotation("DEP") else None

    def decide(self, start: int, end: int, i: int, speaker: str | None,
               last_subject: str | None) -> tuple[str | None, str]:
        found = self._from_parse(start, end) if self.doc is not None else None
        if found is not None:
            return found
        idx, text = self.idx, self.idx.text
        ss, _ = idx.sents[i]
        # window: the nearest organisation or place to the left in the sentence, not the speaker
        best: Mention | None = None
        for m in idx.mentions_starting(ss, start):
            if m.end <= start and m.kind == "org" and m.name != speaker:
                if _SAID_AFTER.match(text[m.end:m.end + 25]):
                    continue
                if best is None or m.end > best.end:
                    best = m
        for pm in _place_rx().finditer(text, ss, start):
            if best is None or pm.end() > best.end:
                best = Mention(pm.start(), pm.end(), "place", pm.group())
        if best is not None:
            return best.name, "subject.window.nearest_org"
        if last_subject is not None:
            return last_subject, "subject.carry"
        return None, "subject.none"

    def _from_parse(self, start: int, end: int) -> tuple[str | None, str] | None:
        doc: Any = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        tok = span.root
        verb = tok
        hops = 0
        while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and hops < 6:
            verb = verb.head
            hops += 1
        subj = None
        v = verb
        for _ in range(4):
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None or v.dep_ not in ("xcomp", "conj", "ccomp", "advcl") or v.head is v:
                break
            v = v.head
        if subj is None or span.start <= subj.i < span.end:
            return None
        lo, hi = doc[subj.left_edge.i].idx, doc[subj.right_edge.i].idx + len(doc[subj.right_edge.i])
        for m in self.idx.mentions_starting(lo, hi):
            if m.end <= hi and m.kind == "org":
                return m.name, "subject.nsubj.org"
        for ent in self.idx.entities_in(lo, hi):
            if ent.label in ("GPE", "ORG", "LOC"):
                return ent.text.removeprefix("the ").removeprefix("The "), "subject.nsubj.entity"
        if subj.pos_ == "PRON" or subj.lower_ in {"official", "minister", "he", "she", "it"}:
            return None
        if subj.pos_ in ("NOUN", "PROPN"):
            words = [t for t in doc[subj.left_edge.i:subj.i + 1] if t.dep_ not in ("det", "poss", "case")]
            if subj.lemma_ in _NOUN_GROUPS:
                pobj = [g for c in subj.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    words = [t for t in doc[pobj[0].left_edge.i:pobj[0].i + 1] if t.dep_ != "det"]
            if words:
                return doc[words[0].i:words[-1].i + 1].text, "subject.nsubj.noun"
        return None
