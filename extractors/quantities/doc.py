"""With a tagged spaCy Doc: counted noun phrases end on their last noun ("787 jets flew" -> "jets")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from extractors.doctext import doc_text
from extractors.quantities.lexicons import CLASSIFIERS
from extractors.quantities.model import Candidate

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc


_NP_POS = {"NOUN", "PROPN", "ADJ", "NUM", "X", "CCONJ", "PART"}


def _doc_words(span: Any) -> list[tuple[int, int, str]]:
    """The span's whitespace-delimited words as (start, end, pos): tokens glued together form one word.

    A hyphenated compound ("state-owned", "oil-rich", "well-known") is one word; it is a noun only when its
    last part is one, otherwise a modifier (ADJ), whatever the tagger says of its parts."""
    words: list[tuple[int, int, str]] = []
    group: list[Any] = []
    for tok in span:
        group.append(tok)
        if tok.whitespace_ or tok.i == span.end - 1:
            s, e = group[0].idx, group[-1].idx + len(group[-1].text)
            if len(group) == 1:
                pos = group[0].pos_
            elif group[-1].pos_ in ("NOUN", "PROPN"):
                pos = group[-1].pos_
            elif any(t.text in ("-", "\u2010") for t in group) or group[0].text.endswith("-"):
                pos = "ADJ"
            else:
                pos = group[-1].pos_
            words.append((s, e, pos))
            group = []
    return words


def trim_with_doc(text: str, cands: list[Candidate], doc: Doc) -> None:
    """With a tagged spaCy Doc over ``text``, end each counted noun phrase on its last noun."""
    if doc_text(doc) != text or not doc.has_annotation("POS"):
        return
    for c in cands:
        if c.rule_id != "count.noun" or not c.unit:
            continue
        np_start = c.end - len(c.unit)
        span = doc.char_span(np_start, c.end, alignment_mode="expand")
        if span is None:
            continue
        words: list[tuple[int, int, str]] = []
        for w in _doc_words(span):
            after_classifier = bool(words) and text[words[-1][0] : words[-1][1]].lower() in CLASSIFIERS
            prenominal = (  # "121 developing countries", "20 renovated wagons": a participle before any noun
                w[2] == "VERB"
                and not any(p in ("NOUN", "PROPN") for _, _, p in words)
                and text[w[0] : w[1]].lower().endswith(("ing", "ed"))
            )
            if w[0] >= c.end or (
                w[2] not in _NP_POS and not prenominal and not (after_classifier and text[w[0] : w[1]] == "of")
            ):
                break
            if (
                w[2] == "ADJ"
                and words
                and words[-1][2] == "NOUN"
                and re.search(r"[^s]s$", text[words[-1][0] : words[-1][1]])
            ):
                break  # "gives 121 developing countries easier access": a plural noun ends the phrase
            words.append(w)
        while words and words[-1][2] not in ("NOUN", "PROPN"):
            words.pop()
        if words and words[-1][1] <= c.end:
            c.end = words[-1][1]
            c.unit = text[np_start : c.end]
    for c in cands:
        if c.rule_id == "count.bare" and c.kind == "count":
            _plural_noun_from_doc(text, c, doc)


def _plural_noun_from_doc(text: str, c: Candidate, doc: Doc) -> None:
    """A bare count whose noun the word rules missed because its first word can also be a verb ("5 million
    face masks"): the tagger's nouns and adjectives right after it, up to the first plural noun."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or span.end >= len(doc) or span.end_char != c.end:
        return
    first = doc[span.end]
    if first.idx != c.end + 1 or text[c.end] not in " \u00a0":
        return
    for tok in doc[span.end : span.end + 4]:
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or tok.tag_ == "POS":
            return
        if tok.tag_ in ("NNS", "NNPS"):
            c.end = tok.idx + len(tok.text)
            c.unit, c.rule_id = text[first.idx : c.end], "count.noun.tagged"
            return
