"""The role before a name: "ISIPO Deputy Head Ali Asqar Mosaheb", "the head of ISIPO, Mohsen Salehinia",
"his deputy"."""

from __future__ import annotations

import re

from extractors.officials.acronyms import has_acronym, is_org_acronym
from extractors.officials.data import APPOINTED, LOWER_STOP, lexicon, lexicon_speech_word, regexes
from extractors.officials.lower_orgs import lower_org_left
from extractors.officials.model import Person, Role
from extractors.officials.orgs import ORG_BREAK, clean_org, org_left
from extractors.officials.roles import role_at
from extractors.officials.text import word_tokens
from extractors.officials.words import is_org_head, is_title_word, looks_like_org, lower_modifier, title_words_left


def title_before(text: str, sent_start: int, name_start: int) -> Role | None:
    """[ORG] TITLE right before a name: 'ISIPO Deputy Head', 'the deputy industry minister'."""
    words = word_tokens(text, sent_start, name_start)
    # "the Supreme Leader Ayatollah Seyed Ali Khamenei": honorifics between the title and the name
    hon = regexes()["hon"]
    while words and hon.match(words[-1][0]):
        words.pop()
        name_start = words[-1][2] if words else sent_start
    if not words:
        return None
    # a role must touch the name: 'Ceres Robotics Inc. "There are ...' has a sentence between them
    if ORG_BREAK.search(text[words[-1][2] : name_start]) and not (
        "." in words[-1][0] or len(words[-1][0]) == 1 or hon.match(text[words[-1][1] : name_start].strip())
    ):
        return None
    lex = lexicon()
    i = len(words) - 1
    if words[i][0].lower() not in lex.heads | lex.modifiers:
        return _title_of_before(text, words, name_start)
    j = title_words_left(words, i)
    # "His national security adviser": lower-case modifiers after a determiner or a possessive
    q = j
    while q >= 0 and j - q < 3 and (
        lower_modifier(words[q][0]) or (words[q][0].islower() and is_title_word(words[q][0]))
    ):
        q -= 1
    if (
        q < j
        and q >= 0
        and words[q][0].lower() in ("the", "a", "an", "his", "her", "its", "their", "'s", "\u2019s")
        and words[i][0].islower()
    ):
        j = q
    t_first = j + 1
    if t_first > i or not any(w.lower() in lex.heads for w, _, _ in words[t_first : i + 1]):
        return _title_of_before(text, words, name_start)
    # "PSEEZ's newly appointed Managing Director": a participle between the organisation and the title
    if j >= 0 and words[j][0].lower() in APPOINTED:
        j -= 1
        if j >= 0 and words[j][0].lower() in ("newly", "recently", "just"):
            j -= 1
    elif j >= 0 and words[j][0].lower() in ("new", "newly-appointed", "newly-elected"):
        j -= 1
    # a trailing capitalised domain word glued to an org head belongs to the org ("Planning Organization")
    title = text[words[t_first][1] : words[i][2]]
    org = None
    o_start = words[t_first][1]
    if j >= 0:
        if (
            words[j][0] in ("'s", "\u2019s")
            or words[j][0] == ")"
            or is_org_acronym(words[j][0])
            or words[j][0][:1].isupper()
        ):
            first = org_left(words, j)
            if first <= j:
                cleaned = clean_org(text, words[first][1], words[j][2])
                if cleaned:
                    org = cleaned[0]
                    o_start = cleaned[1]
        elif (first := lower_org_left(words, j)) < j:
            # "the Kish free zone organization CEO", "the energy ministry spokesman": a lower-case organisation
            org, o_start = text[words[first][1] : words[j][2]], words[first][1]
            j = first - 1
    definite = j >= 0 and words[j][0].lower() == "the"
    return Role(title, org, o_start, words[i][2], definite, True, "official.title_before")


_OF_PREPS = ("of", "at", "to", "for", "with", "from")


def _title_of_before(text: str, words: list[tuple[str, int, int]], name_start: int) -> Role | None:
    """TITLE of ORG right before a name: 'Head of Iran's Budget and Planning Organization Mohammad
    Baqer Nobakht', "Director of NPC's Projects Ali-Mohammad Bosaqzadeh", 'the head of innovation department
    of science and technology vice presidency Hessam Zand-Hessami', 'an official from Thermal Power Plants
    Holding Company Mehdi Khabbaz'; with an organisation before a title of a unit or a remit ('KPMG Director of
    Financial Service Ulrich von Zanthier', 'NPC Director for Planning and Development Farnaz Alavi')."""
    lex = lexicon()
    i = len(words) - 1
    # a lower-case organisation or remit may close the phrase: "the CEO of the PSEEZ organization",
    # "the Chinese minister of industry and information technology"
    lower_ok = lex.domains | lex.org_heads
    last = words[i][0]
    if not (is_org_acronym(last) or last[:1].isupper() or last == ")" or last in lower_ok or is_org_head(last)):
        return None
    for t in range(i - 1, max(-1, i - 16), -1):
        w = words[t][0]
        if w in (".", ";") or (w[:1].islower() and w not in _OF_PREPS + ("a", "an") and (
            w in LOWER_STOP - {"and", "the"} or lexicon_speech_word(w)
        )):
            return None
        if w not in _OF_PREPS or t == 0:
            continue
        h = t - 1
        if words[h][0].lower() == "general" and h > 0:
            h -= 1  # "Director General of ..."
        if words[h][0].lower() not in lex.heads:
            continue
        h = title_words_left(words, h) + 1
        # "the branding managing director of ...": lower-case modifiers after a determiner
        m = h
        while m > 1 and h - m < 2 and lower_modifier(words[m - 1][0]):
            m -= 1
        r_start = words[h][1]
        if m < h and words[m - 1][0].lower() in ("the", "a", "an"):
            h = m
            r_start = words[m - 1][1]
        role = role_at(text, r_start, name_start)
        if role is None or role.end < words[i][2]:
            return None
        if h > 0 and words[h - 1][0].lower() == "the":
            role.start, role.definite = words[h - 1][1], True
        elif h > 0 and (
            words[h - 1][0] in ("'s", "\u2019s", ")") or is_org_acronym(words[h - 1][0])
            or words[h - 1][0][:1].isupper()
        ) and (
            role.org is None
            or not looks_like_org(role.org)
            # "KPMG Director of Financial Service": after an acronym or a possessive, an 'of' object without an
            # acronym of its own is a unit of that organisation
            or ((words[h - 1][0] in ("'s", "\u2019s") or is_org_acronym(words[h - 1][0])) and not has_acronym(role.org))
        ):
            # an organisation before "TITLE of UNIT" or "TITLE for REMIT" owns the role
            first = org_left(words, h - 1)
            cleaned = clean_org(text, words[first][1], words[h - 1][2]) if first < h else None
            if cleaned is not None:
                if role.org is not None:
                    role.title = text[words[h][1] : role.end]
                role.org, role.start = cleaned[0], cleaned[1]
        if role.org is None and not role.specific:
            return None
        role.rule_id = "official.title_before"
        role.specific = True
        return role
    return None


def apposed_title_before(text: str, ss: int, s: int, acr_roles: dict[str, str]) -> Role | None:
    """TITLE, NAME: "WeWork's founder and former CEO, Adam Neumann", 'the NYAG, Letitia James'. The words before
    the comma must end in a role word (or an acronym the text defines for a role) and must not themselves be
    an apposition after a comma."""
    m = re.search(r"[ \t]*,[ \t]*$", text[ss:s])
    if not m:
        return None
    comma = ss + m.start()
    words = word_tokens(text, ss, comma)
    if not words:
        return None
    last = words[-1][0]
    role: Role | None = None
    if last in acr_roles:
        start = words[-2][1] if len(words) > 1 and words[-2][0].lower() == "the" else words[-1][1]
        role = Role(acr_roles[last], None, start, words[-1][2], True, True, "")
    elif last.lower() in lexicon().heads:
        role = title_before(text, ss, comma)
    if role is None or not role.title:
        return None
    if re.search(r",[ \t]*$", text[ss : role.start]):
        return None
    role.rule_id = "official.title_apposition_before"
    return role


def possessive_role(text: str, sent_start: int, name_start: int, persons: dict[str, Person]) -> Role | None:
    """'Nobakht and one of his deputies Hamid Poormohammadi': the role belongs to the organisation of the
    person the pronoun refers to (the most recent one with a title)."""
    m = regexes()["possessive_role"].search(text[sent_start:name_start])
    if not m:
        return None
    word = m.group(1)
    lex = lexicon()
    single = word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word
    if single not in lex.heads:
        return None
    owner = max(
        (p for p in persons.values() if p.title and min(x for x, _ in p.mentions) < name_start),
        key=lambda p: max(x for x, _ in p.mentions if x < name_start),
        default=None,
    )
    org = owner.org if owner is not None else None
    start = sent_start + m.start()
    return Role(single, org, start, sent_start + m.end(), False, True, "official.possessive_role")
