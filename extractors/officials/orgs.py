"""Organisation phrases written with capitals: where a name starts and ends around its head word ("Budget and
Planning Organization", "the Ministry of Industry, Mine and Trade"), its remit ("for ..."), cleaned of
what is not part of it; a bare head ("the Organization") expanded to the full name met earlier."""

from __future__ import annotations

import re

from extractors.officials.acronyms import is_org_acronym
from extractors.officials.data import LOWER_STOP, NOT_ORG, lexicon, lexicon_speech_word, regexes, word_set
from extractors.officials.text import sent_index, word_occurrences, word_tokens
from extractors.officials.words import (
    NATIONALITY,
    is_org_head,
    looks_like_org,
    place_only,
)


def org_left(words: list[tuple[str, int, int]], i: int) -> int:
    """Index of the first word of an organisation phrase that ends at words[i] (walking left), or i+1.
    It crosses 'and' only into another part of the same name: never into a person or a role before it ('Oil
    Minister Bijan Namdar Zanganeh and Budget and Planning Organization', 'Donald Trump and Chinese')."""
    lex = lexicon()
    j = i
    first = i + 1
    crossed = -1  # index of the rightmost 'and' crossed, while its left side is not yet proven part of the name
    while j >= 0:
        w = words[j][0]
        wl = w.lower()
        if w in ("(", ")") or is_org_acronym(w) or w in ("'s", "\u2019s"):
            first = j if w not in ("'s", "\u2019s") or first <= i else first
            j -= 1
            continue
        if w[0].isupper():
            if w in NOT_ORG or w.lower() in lex.heads:
                if crossed >= 0 and w.lower() in lex.heads:
                    first = crossed + 1  # the left side of 'and' was a titled person
                break
            if crossed >= 0 and (is_org_head(w) or wl in lex.domains):
                crossed = -1  # "Budget and Planning", "Oil and Gas": the same name
            first = j
            j -= 1
            continue
        if wl in ("of", "and", "&", "for") and j > 0 and words[j - 1][0][:1].isupper() and first <= i:
            if wl in ("and", "&"):
                # "Trump and Chinese President": a nationality or an acronym after 'and' starts a new phrase
                right = words[j + 1][0]
                if right in lex.nationalities or NATIONALITY.match(right) or (is_org_acronym(right) and first == j + 1):
                    break
                if crossed < 0:
                    crossed = j
            j -= 1
            continue
        if wl == "and" and j > 1 and words[j - 1][0] == "," and words[j - 2][0].lower() in lex.domains:
            j -= 2
            continue
        if w == "," and j > 0 and first <= i and words[j - 1][0].lower() in lex.domains | lex.org_heads:
            j -= 1
            continue
        break
    # never start on a connector or a possessive
    while first <= i and words[first][0].lower() in ("of", "and", "&", "for", ",", "'s", "\u2019s", ")"):
        first += 1
    return first


ORG_BREAK = re.compile(r"[.;:!?\"\u201c\u201d]")


def org_right(text: str, words: list[tuple[str, int, int]], i: int) -> int:
    """Index one past the last word of an organisation phrase starting at words[i], or i."""
    lex = lexicon()
    j = i
    last = i - 1
    n = len(words)
    while j < n:
        w = words[j][0]
        # a sentence or a quotation ends the name: 'Ceres Robotics Inc. "There are ...'
        if j > i and ORG_BREAK.search(text[words[j - 1][2] : words[j][1]]) and not (
            "." in words[j - 1][0] or len(words[j - 1][0]) == 1
        ):
            break
        if is_org_acronym(w) or (w[0].isupper() and w not in {"TEHRAN", "The"}):
            if w in NOT_ORG or regexes()["hon"].match(w):
                break
            # "Budget and Planning Organization (PBO) Head Mohammad Baqer Nobakht": a role after the name ends it
            if last >= i and w.lower() in lex.heads and not is_org_acronym(w):
                break
            last = j
            j += 1
            continue
        if (
            w.lower() in ("of", "and", "&", "for", "on")
            and j + 1 < n
            and words[j + 1][0][:1].isupper()
            and words[j + 1][0] not in NOT_ORG
            and last >= i
        ):
            j += 1
            continue
        if (
            w == ","
            and last >= i
            and words[last][0].lower() in lex.domains | lex.org_heads
            and j + 1 < n
            and words[j + 1][0][:1].isupper()
            and words[j + 1][0].lower() in lex.domains
        ):
            j += 1
            continue
        # "the Cultural Heritage, Handicrafts and Tourism Organization": a comma list of capitalised words that
        # closes with 'and' and an organisation word
        if w == "," and last >= i:
            close = _comma_list_close(words, j)
            if close > j:
                last = close
                j = close + 1
                continue
        if w == "(" and last >= i and j + 2 < n and is_org_acronym(words[j + 1][0]) and words[j + 2][0] == ")":
            last = j + 2
            j += 3
            continue
        # "Iran's Planning and Budget Organization": a possessive inside the name
        if w in ("'s", "\u2019s") and last == j - 1 and j + 1 < n and words[j + 1][0][:1].isupper():
            j += 1
            continue
        # "Iran union for software producers and exporters": a lower-case remit after a lower-case organisation
        # word; after a capitalised name ("Arvand Free Zone Organization for investment affairs") it is the
        # remit of a title, not part of the name
        if w == "for" and last >= i and is_org_head(words[last][0]) and words[last][0][:1].islower():
            end = for_phrase(text, words[last][2], len(text))
            if end > words[last][2]:
                k = j + 1
                while k < n and words[k][2] <= end:
                    k += 1
                last = k - 1
                break  # the remit closes the name
        # "the Iran-Iraq joint chamber of commerce": lower-case words up to an organisation word
        if last >= i and w[:1].islower():
            k = j
            while k < n and k < j + 3 and re.fullmatch(r"[a-z][a-z\-]+", words[k][0]):
                if words[k][0] in LOWER_STOP:
                    break
                if words[k][0] in lex.org_heads:
                    last = k
                    if k + 2 < n and words[k + 1][0] == "of" and words[k + 2][0].lower() in lex.domains:
                        last = k + 2
                    break
                k += 1
            if last > j - 1:
                j = last + 1
                continue
        break
    if last >= i and words[last][0] in ("'s", "\u2019s"):
        last -= 1
    return last + 1


def _comma_list_close(words: list[tuple[str, int, int]], j: int) -> int:
    """Index of the organisation word that closes a comma list starting at the comma words[j]
    (", Handicrafts and Tourism Organization"), or -1."""
    n = len(words)
    k = j + 1
    seen_and = False
    best = -1
    while k < n and k <= j + 14:
        w = words[k][0]
        if w[:1].isupper() and w not in NOT_ORG and not regexes()["hon"].match(w):
            if seen_and and is_org_head(w):
                best = k
            k += 1
        elif w == "," and not seen_and and k > j + 1:
            k += 1
        elif w in ("and", "&") and k > j + 1:
            if seen_and:
                break
            seen_and = True
            k += 1
        elif w == "of" and seen_and and k + 1 < n and words[k + 1][0][:1].isupper():
            k += 1
        else:
            break
    return best


def clean_org(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    s = text[start:end].strip(" ,")
    if not s:
        return None
    start = start + text[start:end].index(s)
    for prefix in ("the ", "The "):
        if s.startswith(prefix):
            s, start = s[len(prefix) :], start + len(prefix)
    if s.endswith(("'s", "\u2019s")):
        s = s[:-2]
    lex = lexicon()
    toks = s.replace("(", " ").replace(")", " ").split()
    # a country or city on its own ("Russia's Ambassador", "U.S. Secretary") is a place, not an organisation
    if not toks or place_only(s):
        return None
    if s.lower() in lex.agencies_lower:
        return None
    return s, start, start + len(s)


_FOR = re.compile(r"^[ \t]+for[ \t]+")
_FOR_STOP = word_set("official.words.for_stop")


def for_phrase(text: str, pos: int, limit: int) -> int:
    """End of a 'for ...' remit after a title ('deputy minister for planning and economic affairs', 'spokesman
    for the presiding board of the parliament', 'director for education, promotion, and public participation',
    'Deputy Head for Direct Tax Affairs'), or ``pos`` when there is none. A capitalised object that is no remit
    ('spokesman for the Foreign Ministry') is an organisation, not part of the title."""
    m = _FOR.match(text[pos:limit])
    if not m:
        return pos
    cur = pos + m.end()
    toks = [
        (w.group(), cur + w.start(), cur + w.end())
        for w in re.finditer(r"[A-Za-z\-]+|[^\sA-Za-z\-]", text[cur:limit])
    ]
    if toks and toks[0][0][:1].isupper():
        return _capitalised_remit(toks, pos)

    def word_ok(tok: str) -> bool:
        return bool(re.fullmatch(r"[a-z][a-z\-]*", tok)) and tok not in _FOR_STOP and not lexicon_speech_word(tok)

    end = pos
    n = 0
    ok_words: list[str] = []
    before_list = -1  # the end before an open comma list ("education, promotion, and ..."), or -1
    item = 0  # words in the current list item: the items of a remit list are short
    k = 0
    while k < len(toks) and n < 10:
        tok = toks[k][0]
        if before_list != -1 and tok not in ("and", ",") and item >= 3:
            break
        if tok == "," and ok_words and k + 1 < len(toks):
            item = 0
            nxt = toks[k + 1][0]
            nxt2 = toks[k + 2][0] if k + 2 < len(toks) else ""
            if word_ok(nxt) and nxt not in ("and", "of", "the", "for") or (nxt == "and" and word_ok(nxt2)):
                if before_list < 0:
                    before_list = end
                k += 1
                continue
            break
        if not word_ok(tok):
            break
        if tok == "and" and before_list >= 0:
            before_list = -2  # the list is closed by 'and'
        item = 0 if tok == "and" else item + 1
        n += 1
        ok_words.append(tok)
        if tok not in ("and", "of", "the", "for"):
            end = toks[k][2]
        k += 1
    if before_list >= 0:
        end = before_list
    if not ok_words or ok_words[0] in ("and", "of"):
        return pos
    return end


def _capitalised_remit(toks: list[tuple[str, int, int]], pos: int) -> int:
    """'for Direct Tax Affairs', 'for Planning and Development': capitalised words closed by 'Affairs', or
    remit words only; ``pos`` when the object is an organisation ('for Foreign Ministry')."""
    lex = lexicon()
    affairs = -1
    domain_end = -1
    all_domain = True
    for k, (tok, _, e) in enumerate(toks[:9]):
        if tok in ("and", "&", ","):
            continue
        if not tok[:1].isupper() or tok in NOT_ORG:
            break
        if tok.lower() in ("affairs", "affair"):
            affairs = e
            break
        if tok.lower() in lex.domains and not is_org_acronym(tok) and all_domain:
            domain_end = e
            if k + 1 < len(toks) and is_org_head(toks[k + 1][0]) and toks[k + 1][0][:1].isupper():
                return pos  # "for Foreign Ministry"
        else:
            all_domain = False
    if affairs > 0:
        return affairs
    return domain_end if domain_end > 0 else pos


def split_possessive(title: str, org: str) -> tuple[str, str]:
    """'Director' of "NPC's Projects" -> ('Director of Projects', 'NPC'): what follows the possessive is a
    unit of the organisation when it has no organisation word of its own ("Iran's Planning Organization"
    stays whole)."""
    m = re.match(r"^(.+?)['\u2019]s\s+(.+)$", org)
    if not m or looks_like_org(m.group(2)):
        return title, org
    return f"{title} of {m.group(2)}", m.group(1)


def expand_bare_org(text: str, sents: list[tuple[int, int]], head: str, pos: int) -> str | None:
    """The fullest organisation name ending in ``head`` ('Organization') last written before ``pos`` (or else
    first written after it): 'Natural Resources and Watershed Management Organization'."""
    before: str | None = None
    after: str | None = None
    for ms, me in word_occurrences(text, head, hyphen=True):
        ss, _ = sents[sent_index(sents, ms)]
        words = word_tokens(text, ss, me)
        if len(words) < 2:
            continue
        first = org_left(words, len(words) - 1)
        if first >= len(words) - 1:
            continue
        cleaned = clean_org(text, words[first][1], words[-1][2])
        if cleaned is None or len(cleaned[0].split()) < 2:
            continue
        if ms < pos:
            before = cleaned[0]
        elif after is None:
            after = cleaned[0]
    return before or after
