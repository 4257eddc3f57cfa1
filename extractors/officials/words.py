"""Word classes of the title and organisation grammar: title words, organisation heads, name words, places
and nationalities, and the runs of title words either side of a head."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.officials.acronyms import is_org_acronym
from extractors.officials.data import APPOINTED, FUNCTION_WORDS, LOWER_STOP, lexicon, lexicon_speech_word, regexes


def is_title_word(w: str) -> bool:
    return w.lower() in lexicon().title_words


def is_org_head(w: str) -> bool:
    """An organisation word, singular or plural ('Corporations', 'Unions', 'Companies')."""
    wl = w.lower()
    heads = lexicon().org_heads
    return wl in heads or (wl.endswith("ies") and wl[:-3] + "y" in heads) or (wl.endswith("s") and wl[:-1] in heads)


def is_name_word(w: str) -> bool:
    lex = lexicon()
    if regexes()["nonname_suffix"].match(w):
        return False
    if w in lex.nonname or w in lex.places or w in lex.nationalities or w.lower() in lex.title_words:
        return False
    if is_org_head(w):
        return False
    return w.lower() not in lex.agencies_lower


def place_only(s: str) -> bool:
    lex = lexicon()
    toks = [t.removesuffix("'s").removesuffix("\u2019s") for t in re.findall(r"[^\s(),]+", s)]
    toks = [t for t in toks if t.lower() not in ("the", "of", "and")]
    return bool(toks) and all(
        t in lex.nationalities or t in lex.places or t + "." in lex.places or NATIONALITY.match(t) for t in toks
    )


# "Indonesian", "Azerbaijani", "Vietnamese", "Danish": a nationality adjective the lexicon does not list
NATIONALITY = re.compile(r"^[A-Z][a-z]{2,}(?:ian|ese|ish|i)$")


def domain_only(s: str) -> bool:
    """'Commerce', 'Industry, Mine and Trade', 'Economic Affairs': a remit, not an organisation's name."""
    lex = lexicon()
    toks = [t for t in re.findall(r"[A-Za-z\-]+", s) if t.lower() not in ("of", "and", "the")]
    return bool(toks) and all(t.lower() in lex.domains and not is_org_acronym(t) for t in toks)


def title_words_left(words: list[tuple[str, int, int]], i: int) -> int:
    """Index of the word before the title words ending at words[i] ('Deputy Industry, Mining and Trade
    Minister', 'chairman, CEO and president'), or -1."""
    lex = lexicon()
    j = i
    while j >= 0 and (
        (is_title_word(words[j][0]) and not is_org_acronym(words[j][0]))
        # "Finance and Economic Affairs Minister", "Industry, Mine and Trade Minister"
        or (
            words[j][0] in ("and", ",")
            and j > 0
            and words[j - 1][0].lower() in lex.domains
            and words[j + 1][0].lower() in lex.domains
            and words[j - 1][0][:1].isupper() == words[j + 1][0][:1].isupper()
        )
        # "chairman, CEO and president", "founder and former CEO": a list of roles
        or (
            words[j][0] in ("and", ",", "&")
            and 0 < j < i
            and words[j - 1][0].lower() in lex.heads
            and is_title_word(words[j + 1][0])
            and not is_org_acronym(words[j + 1][0])
        )
        # "Industry, Mining, and Trade Minister": a comma before 'and'
        or (
            words[j][0] == "and"
            and j > 1
            and words[j - 1][0] == ","
            and words[j - 2][0].lower() in lex.domains
            and words[j + 1][0].lower() in lex.domains
        )
        or (
            words[j][0] == ","
            and 0 < j < i - 1
            and words[j + 1][0] == "and"
            and words[j - 1][0].lower() in lex.domains
            and words[j + 2][0].lower() in lex.domains
        )
    ):
        j -= 1
    return j


def title_words_right(words: list[tuple[str, int, int]], k: int, t0: int) -> int:
    """Index one past the title words from words[k] on, with the lists title_words_left accepts
    ('the deputy industry, mining and trade minister')."""
    best = k
    while k < len(words):
        if is_title_word(words[k][0]) and not is_org_acronym(words[k][0]):
            k += 1
            best = k
            continue
        if words[k][0] in (",", "and", "&"):
            m = k
            while m < len(words) and words[m][0] in (",", "and", "&"):
                m += 1
            if (
                m < len(words)
                and is_title_word(words[m][0])
                and not is_org_acronym(words[m][0])
                and title_words_left(words, m) < t0
            ):
                k = m
                continue
        break
    return best


def is_lower_org_head(w: str) -> bool:
    """A lower-case organisation word that can end an organisation's name ('ministry', 'council', 'company')."""
    return w in _lower_org_heads()


@lru_cache(maxsize=1)
def _lower_org_heads() -> frozenset[str]:
    return frozenset(lexicon().rules["official.lower_org_heads"]["words"])


def lower_modifiers(words: list[tuple[str, int, int]], k: int) -> int:
    """Number of lower-case modifiers at words[k:] (at most two) that lead up to a title ('branding' in 'the
    branding managing director', 'control' in "the NPC's control manager"), or 0."""
    lex = lexicon()
    q = 0
    while k + q < len(words) and q < 2 and lower_modifier(words[k + q][0]):
        q += 1
    r = k + q
    while r < len(words) and is_title_word(words[r][0]) and words[r][0].lower() not in lex.heads:
        r += 1
    # only before a lower-case title: "a sharp rise since President Hassan Rouhani" has none
    return q if q and r < len(words) and words[r][0] in lex.heads else 0


def lower_modifier(w: str) -> bool:
    """'branding' in 'the branding managing director': a lower-case noun before a title."""
    return (
        bool(re.fullmatch(r"[a-z][a-z\-]+", w))
        and w not in LOWER_STOP
        and w not in ("a", "an", "new", "newly", "recently", "just", "newly-appointed", "newly-elected")
        and w not in FUNCTION_WORDS
        and w not in APPOINTED
        and not w.endswith("ly")
        and not is_title_word(w)
        and not is_org_head(w)
        and not lexicon_speech_word(w)
    )


def looks_like_org(name: str) -> bool:
    lex = lexicon()
    ws = re.findall(r"[A-Za-z&]+", name)
    return bool(ws) and (
        is_org_acronym(ws[-1]) or any(w.lower() in lex.org_heads for w in ws) or bool(re.search(r"\([A-Z]", name))
    )


def is_title_object(s: str) -> bool:
    """'the Islamic Revolution': an 'of' object that names no organisation (org_words kind title_object)."""
    ws = re.findall(r"[A-Za-z]+", s)
    return bool(ws) and ws[-1].lower() in lexicon().title_objects and not is_org_acronym(ws[-1])
