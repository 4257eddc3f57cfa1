"""Organisations assembled: :func:`find_organisations`, every organisation with its acronym and mentions,
news agencies marked as such (a source, never an official)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.doctext import doc_text
from extractors.officials.acronyms import initials_match, is_org_acronym
from extractors.officials.data import regexes
from extractors.officials.model import FoundOrg
from extractors.officials.orgs import clean_org, org_left, org_right
from extractors.officials.text import sent_index, sent_spans, word_occurrences, word_tokens


def find_organisations(doc: Doc) -> list[FoundOrg]:
    """Organisations defined with an acronym ("... Organization (ISIPO)", "... (known as PAVEN)"),
    organisation phrases ending in an org word, NER ORG entities, and cited news agencies."""
    text = doc_text(doc)
    found: dict[str, FoundOrg] = {}
    sents = sent_spans(doc)
    for m in regexes()["acronym_definition"].finditer(text):
        acr = m.group(1)
        if not is_org_acronym(acr) and not acr.isupper() and not re.match(r"^[A-Z][a-z]+$", acr):
            continue
        ss = sents[sent_index(sents, m.start())][0]
        words = word_tokens(text, ss, m.start())
        if not words:
            continue
        first = org_left(words, len(words) - 1)
        if first >= len(words):
            continue
        long_start, long_end = words[first][1], words[-1][2]
        long = text[long_start:long_end]
        if long.startswith(("The ", "the ")):
            long, long_start = long[4:], long_start + 4
        known_as = "known as" in m.group(0) or "called" in m.group(0)
        if not known_as and not initials_match(long, acr):
            continue
        if acr in found:
            continue
        kind = "agency" if regexes()["agency"].fullmatch(acr) else "org"
        found[acr] = FoundOrg(
            long,
            acr,
            long_start,
            long_end,
            ((long_start, long_end),),
            kind,
            "org.acronym.known_as" if known_as else "org.acronym.parenthesis",
        )
    # org phrases ending in an org head word ("Industry Ministry", "Ministry of Industry, Mining and Trade")
    head_rx = regexes()["org_head"]
    words_of: dict[int, list[tuple[str, int, int]]] = {}
    for m in head_rx.finditer(text):
        si = sent_index(sents, m.start())
        ss, se = sents[si]
        if si not in words_of:
            words_of[si] = word_tokens(text, ss, se)
        words = words_of[si]
        idx = next((i for i, w in enumerate(words) if w[1] == m.start()), None)
        if idx is None:
            continue
        first = org_left(words, idx)
        last = org_right(text, words, idx) - 1
        if first > idx:
            first = idx
        cleaned = clean_org(text, words[first][1], words[max(last, idx)][2])
        if cleaned is None:
            continue
        name, s, e = cleaned
        if any(o.start <= s < o.end or s <= o.start < e for o in found.values()):
            continue
        if len(name.split()) < 2:
            continue
        found.setdefault(name, FoundOrg(name, None, s, e, ((s, e),), "org", "org.head_word"))
    if doc.has_annotation("ENT_IOB"):
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            name = ent.text
            if name.startswith(("the ", "The ")):
                name = name[4:]
            if (
                any(
                    o.start <= ent.start_char < o.end or ent.start_char <= o.start < ent.end_char
                    for o in found.values()
                )
                or name in found
            ):
                continue
            if not (name[:1].isupper()) or name in {"MW", "SME", "SMEs"} or "License" in name:
                continue
            kind = "agency" if regexes()["agency"].search(name) else "org"
            span = (ent.start_char, ent.end_char)
            found[name] = FoundOrg(name, None, span[0], span[1], (span,), kind, "org.ner")
    for m in regexes()["agency"].finditer(text):
        name = m.group()
        if any(o.start <= m.start() < o.end for o in found.values()):
            continue
        if name not in found:
            found[name] = FoundOrg(
                name, None, m.start(), m.end(), ((m.start(), m.end()),), "agency", "org.agency"
            )
    # every mention of each acronym and long form
    out = []
    for o in found.values():
        mentions = set(o.mentions)
        for form in filter(None, (o.acronym, o.name)):
            mentions.update(word_occurrences(text, form, hyphen=True))
        out.append(FoundOrg(o.name, o.acronym, o.start, o.end, tuple(sorted(mentions)), o.kind, o.rule_id))
    return sorted(out, key=lambda o: o.start)
