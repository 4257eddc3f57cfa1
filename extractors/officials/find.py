"""Officials assembled: :func:`find_officials`, every named person with a title or a speech verb, with
the mentions that refer to them."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.doctext import doc_text
from extractors.officials.acronyms import acronym_roles
from extractors.officials.data import regexes
from extractors.officials.model import FoundOfficial, Person
from extractors.officials.orgs import expand_bare_org
from extractors.officials.people import (
    company_like,
    credit_spans,
    has_speech,
    name_runs,
    not_a_name_here,
    person_follows,
    person_key,
    verb_follows,
)
from extractors.officials.resolve import resolve_pronouns, resolve_roles
from extractors.officials.roles import role_at
from extractors.officials.text import sent_index, sent_spans, word_occurrences
from extractors.officials.titles import apposed_title_before, possessive_role, title_before
from extractors.officials.words import is_org_head


def find_officials(doc: Doc) -> list[FoundOfficial]:
    """Every named person of the article, once, with title and organisation and all mentions."""
    text = doc_text(doc)
    sents = sent_spans(doc)
    persons: dict[str, Person] = {}
    used: list[tuple[int, int]] = []  # title/org spans consumed by named officials
    person_ents: list[tuple[int, int]] = []
    if doc.has_annotation("ENT_IOB"):
        person_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]

    def overlaps_person_ent(s: int, e: int) -> bool:
        return any(ps < e and s < pe for ps, pe in person_ents)

    credits = credit_spans(text)
    acr_roles = acronym_roles(text)
    for s, e, n in name_runs(text):
        if regexes()["agency"].fullmatch(text[s:e]):
            continue
        # "(Reporting by Greg Roumeliotis; editing by Martin Howell)": the writers' credits name no one in the story
        if any(cs <= s < ce for cs, ce in credits):
            continue
        # "Jeffrey Halley, a market analyst with the research firm Oanda": a name inside an earlier person's role
        # is part of that role
        if any(us <= s < ue for us, ue in used):
            continue
        # "Islamic Republic of Iran Railways (IRIR)": a single word defined by an acronym names an organisation
        if n < 2 and re.match(r"[ \t]*\([A-Z][A-Za-z&]{1,9}\)", text[e : e + 14]):
            continue
        si = sent_index(sents, s)
        ss, se = sents[si]
        before = title_before(text, ss, s)
        if before is None:
            before = apposed_title_before(text, ss, s, acr_roles)
            if before is not None and any(us < before.end and before.start < ue for us, ue in used):
                before = None
        after = None
        if text[e : e + 1] == ",":
            after = role_at(text, e + 1, min(se, e + 160))
            if after is not None and (
                (after.org is None and not after.specific and verb_follows(text, after.end))
                or (n < 2 and re.match(r"[ \t]+[A-Z][a-z]", text[after.end : after.end + 3]))
                or person_follows(text, after.end)
            ):
                # "in Southeast Asia, the official added": a role followed by its verb is the subject of a new
                # clause; "Recently, Pakistan's finance minister Shamshad Akhtar": the role names the next person
                after = None
        elif re.match(r"[ \t]+the[ \t]", text[e : e + 6]):
            # "Ali Pajouhan the managing director of PRTC has said": apposition without a comma
            after = role_at(text, e, min(se, e + 160))
            if after is not None and not after.org:
                after = None
        if after is not None and not after.title:
            after = None
        if before is None and after is None:
            before = possessive_role(text, ss, s, persons)
        key = person_key(text[s:e])
        known = key in persons
        rule = None
        if before is not None:
            rule = before.rule_id
        elif after is not None:
            rule = "official.title_after"
        elif has_speech(text, s, e, ss):
            rule = "official.speech"
        elif overlaps_person_ent(s, e):
            rule = "official.ner_person"
        if rule is None and not known:
            continue
        if n < 2 and not known and rule not in ("official.title_before", "official.title_after",
                                                "official.possessive_role", "official.title_apposition_before"):
            continue
        if not known and not_a_name_here(text, s, e, n, before is not None):
            continue
        if n < 2 and before is not None and before.rule_id == "official.title_apposition_before":
            continue  # "Mr. Chairman, Over the span of 20 years"
        p = persons.get(key)
        if p is None:
            p = Person(key, text[s:e], s, e, n >= 2, rule or "official.ner_person")
            persons[key] = p
        elif n >= 2 and not p.full:
            p.name, p.start, p.end, p.full = text[s:e], s, e, True
        p.mentions.add((s, e))
        role = before or after
        if before is not None:
            p.mentions.add((before.start, e))  # "Deputy Industry Minister Saied Zarandi" as one mention
        elif after is not None:
            p.mentions.add((s, after.end))  # "Mohsen Salehinia, the head of ISIPO" as one mention
        if role is not None:
            used.append((role.start, role.end))
            if p.title is None:
                p.title, p.org, p.title_rule = role.title, role.org, role.rule_id
                # "Carlineo's attorney, Sonya Zoghlin": a person is no organisation
                if p.org and any(p.org == q.name or p.org in q.name.split() for q in persons.values() if q is not p):
                    p.org = None

    # "Home Depot reported", "Rival Lowe's": a company read as a person (no role, and the text treats the name
    # as a company elsewhere: "Home Depot shares", "LOWE'S COMPANIES INC.")
    for key in [k for k, p in persons.items() if p.title is None and company_like(text, p.name)]:
        del persons[key]
    # surname-only and repeated mentions of known persons
    for p in persons.values():
        last = re.split(r"[\s]+", p.name)[-1]
        for ms, me in word_occurrences(text, last):
            p.mentions.add((ms, me))
    # a full-name mention may hide a longer first mention with honorific: keep the first full form
    # unnamed roles: forward ("Head of IGEDC said ... Bahram Salavati") or back ("the official")
    resolve_roles(text, sents, persons, used)
    resolve_pronouns(text, persons)
    # "an official with the Organization": a bare organisation word refers back to the organisation named so
    for p in persons.values():
        if p.org and is_org_head(p.org) and p.org[:1].isupper():
            p.org = expand_bare_org(text, sents, p.org, p.start) or p.org
    out = []
    for p in sorted(persons.values(), key=lambda x: x.start):
        out.append(
            FoundOfficial(
                name=p.name,
                title=p.title,
                org=p.org,
                start=p.start,
                end=p.end,
                mentions=tuple(sorted(p.mentions)),
                rule_id=p.rule_id,
                title_rule_id=p.title_rule,
            )
        )
    return out
