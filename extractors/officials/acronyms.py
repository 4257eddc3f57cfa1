"""Acronyms: what an organisation's acronym looks like, acronyms defined in brackets after their full name,
and the roles written with them ("ISIPO Deputy Head")."""

from __future__ import annotations

import re

from extractors.officials.data import NOT_ORG, lexicon, regexes

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")


def is_org_acronym(word: str) -> bool:
    lex = lexicon()
    return (
        bool(_ACRONYM.match(word))
        and word not in {"TEHRAN", "MW", "GW", "KW", "US", "UK", "EU", "UAE"}
        and word not in lex.places
        # "CEO", "MP", "ICT": title words written in capitals are not organisations
        and word.lower().rstrip("s") not in lex.heads | lex.domains
        and word.lower() not in lex.heads | lex.domains
    )


def has_acronym(s: str) -> bool:
    return any(is_org_acronym(w) for w in re.findall(r"[A-Za-z&]+", s))


def acronym_roles(text: str) -> dict[str, str]:
    """Acronyms the text defines for a role: 'The New York State Attorney General (NYAG)' -> NYAG."""
    lex = lexicon()
    out: dict[str, str] = {}
    for m in regexes()["acronym_definition"].finditer(text):
        acr = m.group(1)
        words = re.findall(r"[A-Za-z][\w\-]*", text[max(0, m.start() - 80) : m.start()])
        k = len(words)
        while k > 0 and words[k - 1][:1].isupper() and words[k - 1] not in NOT_ORG:
            k -= 1
        long = words[k:]
        if len(long) < 2 or not initials_match(" ".join(long), acr):
            continue
        tail = [w.lower() for w in long]
        if tail[-1] == "general" and len(tail) > 1:
            tail = tail[:-1]
        if tail[-1] in lex.heads:
            # the long form as the text writes it, from its first initial on
            first = next(i for i, w in enumerate(long) if w[0].upper() == acr[0])
            out[acr] = " ".join(long[first:])
    return out


def initials_match(long: str, acr: str) -> bool:
    initials = [w[0].upper() for w in re.findall(r"[A-Za-z]+", long) if w[0].isupper()]
    a = [c for c in acr.rstrip("s").upper() if c.isalpha()]
    it = iter(initials)
    return bool(a) and bool(initials) and a[0] in initials[:3] and all(c in it for c in a)
