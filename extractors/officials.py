"""Officials (name, title, organisation) and organisations with their acronyms.

Works on any English pipeline: the rules are character-level regexes plus a small title grammar fed by the
gazetteers in ``extractors/patterns/`` (``official_titles.jsonl``, ``org_words.jsonl``), so a
``spacy.blank("en")`` + sentencizer pipeline gets the title shapes ("ISIPO Deputy Head Ali Asqar Mosaheb",
"Mohsen Salehinia, the head of ISIPO") and speech-verb shapes ("Zarandi said").  When the pipeline has an
``ner`` component its PERSON entities add names that have neither a title nor a speech verb next to them.

Public API: :func:`find_officials`, :func:`find_organisations`, :class:`FoundOfficial`, :class:`FoundOrg`.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

from extractors.doctext import doc_text

PATTERNS = Path(__file__).parent / "patterns"


@dataclass(frozen=True)
class FoundOfficial:
    name: str
    title: str | None
    org: str | None
    start: int  # the fullest (first full) mention of the name, end exclusive
    end: int
    mentions: tuple[tuple[int, int], ...]
    rule_id: str
    title_rule_id: str | None = None


@dataclass(frozen=True)
class FoundOrg:
    name: str  # long form as written ("Iran Small Industries and Industrial Parks Organization")
    acronym: str | None  # "ISIPO", or None
    start: int  # offsets of the long form's first mention
    end: int
    mentions: tuple[tuple[int, int], ...]  # every mention: long form, acronym, bare name
    kind: str  # "org" | "agency"
    rule_id: str


# --------------------------------------------------------------------------------------------- data


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    rows = []
    for line in (PATTERNS / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


@dataclass(frozen=True)
class Lexicon:
    heads: frozenset[str]
    modifiers: frozenset[str]
    domains: frozenset[str]
    org_heads: frozenset[str]
    agencies: tuple[str, ...]  # longest first
    places: frozenset[str]
    nationalities: frozenset[str]
    nonname: frozenset[str]
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    speech: tuple[tuple[str, str], ...] = ()
    title_objects: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    title_words: frozenset[str] = frozenset()  # heads | modifiers | domains
    agencies_lower: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    titles = _read_jsonl("official_titles.jsonl")
    orgs = _read_jsonl("org_words.jsonl")

    def pick(rows: list[dict[str, Any]], kind: str, lower: bool = True) -> list[str]:
        return [r["text"].lower() if lower else r["text"] for r in rows if r["kind"] == kind]

    agencies = sorted(set(pick(orgs, "agency", lower=False)), key=len, reverse=True)
    return Lexicon(
        heads=frozenset(pick(titles, "head")),
        modifiers=frozenset(pick(titles, "modifier")),
        domains=frozenset(pick(titles, "domain")),
        org_heads=frozenset(pick(orgs, "org_head")),
        agencies=tuple(agencies),
        places=frozenset(pick(orgs, "place", lower=False)),
        nationalities=frozenset(pick(orgs, "nationality", lower=False)),
        nonname=frozenset(pick(orgs, "nonname", lower=False)),
        rules={r["id"]: r for r in _read_jsonl("officials_rules.jsonl")},
        speech=tuple((r["id"], r["regex"]) for r in _read_jsonl("speech_verbs.jsonl")),
        title_objects=frozenset(pick(orgs, "title_object")),
        given_names=frozenset(pick(orgs, "given_name", lower=False)),
        title_words=frozenset(pick(titles, "head") + pick(titles, "modifier") + pick(titles, "domain")),
        agencies_lower=frozenset(a.lower() for a in agencies),
    )


@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    tok = lex.rules["official.name_token"]["regex"]
    hon = lex.rules["official.honorific"]["regex"]
    speech = "|".join(r for _, r in lex.speech)
    agencies = "|".join(re.escape(a) for a in lex.agencies)
    return {
        # "José Graziano da Silva", "Ursula von der Leyen": lower-case particles inside a name
        "run": re.compile(
            rf"(?<![\w'\u2019\-])(?:{hon}[ \t]+)*{tok}"
            rf"(?:[ \t]+(?:[A-Z]\.[ \t]+)?(?:(?:da|de|dos|del|van|von|der|bin|ibn)[ \t]+)*(?:{hon}[ \t]+)*{tok})*"
        ),
        "tok": re.compile(tok),
        "hon": re.compile(rf"^{hon}$"),
        "speech_after": re.compile(
            rf"^,?[ \t]+(?:(?:also|further|has|had|have|then|later|once|previously|recently|earlier|"
            rf"on [A-Z][a-z]+day)[ \t]+){{0,3}}(?:{speech})\b"
        ),
        "speech_before": re.compile(lex.rules["official.according_to"]["regex"]),
        "agency": re.compile(rf"\b(?:{agencies})\b", re.IGNORECASE),
        "pronoun": re.compile(lex.rules["official.coref.pronoun"]["regex"]),
        "nonname_suffix": re.compile(lex.rules["official.nonname_suffix"]["regex"]),
        "credit": re.compile(lex.rules["official.not_person.credit"]["regex"], re.MULTILINE),
        "byline": re.compile(lex.rules["official.not_person.byline"]["regex"], re.MULTILINE),
        "company_context": re.compile(lex.rules["official.not_person.company"]["regex"], re.IGNORECASE),
        "role_head": re.compile(
            r"\b(?:" + "|".join(sorted((re.escape(h) for h in lex.heads), key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        ),
        "org_head": re.compile(
            r"\b(?:" + "|".join(re.escape(h.capitalize()) for h in sorted(lex.org_heads) if h.isalpha()) + r")\b"
        ),
        "word": re.compile(
            r"\(|\)|[\u2019']s\b|,|&|[A-Za-z\u00c0-\u00ff][A-Za-z\u00c0-\u00ff0-9&.\-]*[A-Za-z\u00c0-\u00ff0-9]"
            r"|[A-Za-z]"
        ),
    }


# --------------------------------------------------------------------------------------------- helpers

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")
_CONNECTORS = {"of", "and", "&", "for", "the"}
_LOWER_STOP = {
    "and", "or", "of", "the", "to", "in", "on", "at", "for", "with", "from", "by", "as", "is", "was", "are",
    "were", "has", "have", "had", "will", "said", "says", "that", "which", "who", "also",
}
_GENERIC_ROLES = {"official", "expert", "analyst", "member", "agent", "officer", "economist", "researcher"}
_NOT_ORG = {
    "The",
    "A",
    "An",
    "According",
    "Earlier",
    "In",
    "On",
    "Back",
    "As",
    "Also",
    "By",
    "Last",
    "This",
    "That",
    "Speaking",
    "Noting",
    "Since",
    "During",
    "Following",
    "Meanwhile",
    "However",
    "Overall",
    "TEHRAN",
    "He",
    "She",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}
_DIPLOMATIC = {"ambassador", "envoy", "attache", "attach\u00e9", "consul", "consul-general", "charge"}
_APPOINTED = {"appointed", "elected", "named", "installed", "nominated"}
_RANK = {"deputy", "vice", "assistant", "acting", "undersecretary", "vice-president"}


def _is_acronym(word: str) -> bool:
    lex = lexicon()
    return (
        bool(_ACRONYM.match(word))
        and word not in {"TEHRAN", "MW", "GW", "KW", "US", "UK", "EU", "UAE"}
        and word not in lex.places
        # "CEO", "MP", "ICT": title words written in capitals are not organisations
        and word.lower().rstrip("s") not in lex.heads | lex.domains
        and word.lower() not in lex.heads | lex.domains
    )


def _fold(token: str) -> str:
    t = token.lower().replace("-", "").replace("'", "").replace("\u2019", "")
    for a, b in (("gh", "q"), ("ou", "u"), ("ee", "i"), ("kh", "x"), ("dh", "z")):
        t = t.replace(a, b)
    return t


def person_key(name: str) -> str:
    """Folding key for a person: the last name with transliteration variants folded (Asghar/Asqar)."""
    parts = [p for p in re.split(r"[\s\-]+", name) if p]
    return _fold(parts[-1]) if parts else ""


def _sent_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, as doc.sents gives them, read from token arrays (iterating
    doc.sents builds a Token object per token: the hot spot of this module)."""
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [(0, len(doc_text(doc)))]
    arr = doc.to_array([SENT_START, IDX, LENGTH])
    starts = [i for i, v in enumerate(arr[:, 0].tolist()) if v == 1 or i == 0]
    idx = arr[:, 1].tolist()
    length = arr[:, 2].tolist()
    ends = starts[1:] + [len(doc)]
    return [(idx[a], idx[b - 1] + length[b - 1]) for a, b in zip(starts, ends, strict=True)]


def _sent_index(spans: list[tuple[int, int]], pos: int) -> int:
    i = bisect_right(spans, (pos, _BIG)) - 1
    if 0 <= i < len(spans) and spans[i][0] <= pos < spans[i][1]:
        return i
    # between sentences (whitespace) or past the end: the sentence that starts next, else the last
    for j in range(max(i, 0), len(spans)):
        if pos < spans[j][1]:
            return j
    return len(spans) - 1


_BIG = 1 << 62


def _word_occurrences(text: str, form: str, hyphen: bool = False) -> list[tuple[int, int]]:
    """Spans of ``form`` standing as a word (not inside a longer word; with ``hyphen``, not joined by a hyphen
    either): plain string search, no pattern per form to compile."""
    out: list[tuple[int, int]] = []
    n = len(form)
    if not n:
        return out
    pos = text.find(form)
    while pos >= 0:
        end = pos + n
        left = text[pos - 1] if pos else " "
        right = text[end] if end < len(text) else " "
        # a form that starts or ends in a non-word character needs no boundary on that side
        lw = form[0].isalnum() or form[0] == "_"
        rw = form[-1].isalnum() or form[-1] == "_"
        ok_left = not lw or not (left.isalnum() or left == "_" or (hyphen and left == "-"))
        ok_right = not rw or not (right.isalnum() or right == "_" or (hyphen and right == "-"))
        if ok_left and ok_right:
            out.append((pos, end))
        pos = text.find(form, pos + 1)
    return out


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    rx = _regexes()["word"]
    return [(m.group(), start + m.start(), start + m.end()) for m in rx.finditer(text[start:end])]


def _is_title_word(w: str) -> bool:
    return w.lower() in lexicon().title_words


def _is_org_head(w: str) -> bool:
    """An organisation word, singular or plural ('Corporations', 'Unions', 'Companies')."""
    wl = w.lower()
    heads = lexicon().org_heads
    return wl in heads or (wl.endswith("ies") and wl[:-3] + "y" in heads) or (wl.endswith("s") and wl[:-1] in heads)


def _is_name_word(w: str) -> bool:
    lex = lexicon()
    if _regexes()["nonname_suffix"].match(w):
        return False
    if w in lex.nonname or w in lex.places or w in lex.nationalities or w.lower() in lex.title_words:
        return False
    if _is_org_head(w):
        return False
    return w.lower() not in lex.agencies_lower


# --------------------------------------------------------------------------------------------- org phrases


def _org_left(words: list[tuple[str, int, int]], i: int) -> int:
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
        if w in ("(", ")") or _is_acronym(w) or w in ("'s", "\u2019s"):
            first = j if w not in ("'s", "\u2019s") or first <= i else first
            j -= 1
            continue
        if w[0].isupper():
            if w in _NOT_ORG or w.lower() in lex.heads:
                if crossed >= 0 and w.lower() in lex.heads:
                    first = crossed + 1  # the left side of 'and' was a titled person
                break
            if crossed >= 0 and (_is_org_head(w) or wl in lex.domains):
                crossed = -1  # "Budget and Planning", "Oil and Gas": the same name
            first = j
            j -= 1
            continue
        if wl in ("of", "and", "&", "for") and j > 0 and words[j - 1][0][:1].isupper() and first <= i:
            if wl in ("and", "&"):
                # "Trump and Chinese President": a nationality or an acronym after 'and' starts a new phrase
                right = words[j + 1][0]
                if right in lex.nationalities or _NATIONALITY.match(right) or (_is_acronym(right) and first == j + 1):
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


_ORG_BREAK = re.compile(r"[.;:!?\"\u201c\u201d]")


def _org_right(text: str, words: list[tuple[str, int, int]], i: int) -> int:
    """Index one past the last word of an organisation phrase starting at words[i], or i."""
    lex = lexicon()
    j = i
    last = i - 1
    n = len(words)
    while j < n:
        w = words[j][0]
        # a sentence or a quotation ends the name: 'Ceres Robotics Inc. "There are ...'
        if j > i and _ORG_BREAK.search(text[words[j - 1][2] : words[j][1]]) and not (
            "." in words[j - 1][0] or len(words[j - 1][0]) == 1
        ):
            break
        if _is_acronym(w) or (w[0].isupper() and w not in {"TEHRAN", "The"}):
            if w in _NOT_ORG or _regexes()["hon"].match(w):
                break
            # "Budget and Planning Organization (PBO) Head Mohammad Baqer Nobakht": a role after the name ends it
            if last >= i and w.lower() in lex.heads and not _is_acronym(w):
                break
            last = j
            j += 1
            continue
        if (
            w.lower() in ("of", "and", "&", "for", "on")
            and j + 1 < n
            and words[j + 1][0][:1].isupper()
            and words[j + 1][0] not in _NOT_ORG
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
        if w == "(" and last >= i and j + 2 < n and _is_acronym(words[j + 1][0]) and words[j + 2][0] == ")":
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
        if w == "for" and last >= i and _is_org_head(words[last][0]) and words[last][0][:1].islower():
            end = _for_phrase(text, words[last][2], len(text))
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
                if words[k][0] in _LOWER_STOP:
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
        if w[:1].isupper() and w not in _NOT_ORG and not _regexes()["hon"].match(w):
            if seen_and and _is_org_head(w):
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


def place_only(s: str) -> bool:
    lex = lexicon()
    toks = [t.removesuffix("'s").removesuffix("\u2019s") for t in re.findall(r"[^\s(),]+", s)]
    toks = [t for t in toks if t.lower() not in ("the", "of", "and")]
    return bool(toks) and all(
        t in lex.nationalities or t in lex.places or t + "." in lex.places or _NATIONALITY.match(t) for t in toks
    )


# "Indonesian", "Azerbaijani", "Vietnamese", "Danish": a nationality adjective the lexicon does not list
_NATIONALITY = re.compile(r"^[A-Z][a-z]{2,}(?:ian|ese|ish|i)$")


def _domain_only(s: str) -> bool:
    """'Commerce', 'Industry, Mine and Trade', 'Economic Affairs': a remit, not an organisation's name."""
    lex = lexicon()
    toks = [t for t in re.findall(r"[A-Za-z\-]+", s) if t.lower() not in ("of", "and", "the")]
    return bool(toks) and all(t.lower() in lex.domains and not _is_acronym(t) for t in toks)


def _clean_org(text: str, start: int, end: int) -> tuple[str, int, int] | None:
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


# --------------------------------------------------------------------------------------------- titles


@dataclass
class _Role:
    title: str | None
    org: str | None
    start: int  # the whole role phrase, org included
    end: int
    definite: bool
    specific: bool  # has an org or a domain word: can introduce a person
    rule_id: str


def _title_words_left(words: list[tuple[str, int, int]], i: int) -> int:
    """Index of the word before the title words ending at words[i] ('Deputy Industry, Mining and Trade
    Minister', 'chairman, CEO and president'), or -1."""
    lex = lexicon()
    j = i
    while j >= 0 and (
        (_is_title_word(words[j][0]) and not _is_acronym(words[j][0]))
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
            and _is_title_word(words[j + 1][0])
            and not _is_acronym(words[j + 1][0])
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


def _title_words_right(words: list[tuple[str, int, int]], k: int, t0: int) -> int:
    """Index one past the title words from words[k] on, with the lists _title_words_left accepts
    ('the deputy industry, mining and trade minister')."""
    best = k
    while k < len(words):
        if _is_title_word(words[k][0]) and not _is_acronym(words[k][0]):
            k += 1
            best = k
            continue
        if words[k][0] in (",", "and", "&"):
            m = k
            while m < len(words) and words[m][0] in (",", "and", "&"):
                m += 1
            if (
                m < len(words)
                and _is_title_word(words[m][0])
                and not _is_acronym(words[m][0])
                and _title_words_left(words, m) < t0
            ):
                k = m
                continue
        break
    return best


def _title_before(text: str, sent_start: int, name_start: int) -> _Role | None:
    """[ORG] TITLE right before a name: 'ISIPO Deputy Head', 'the deputy industry minister'."""
    words = _words(text, sent_start, name_start)
    # "the Supreme Leader Ayatollah Seyed Ali Khamenei": honorifics between the title and the name
    hon = _regexes()["hon"]
    while words and hon.match(words[-1][0]):
        words.pop()
        name_start = words[-1][2] if words else sent_start
    if not words:
        return None
    # a role must touch the name: 'Ceres Robotics Inc. "There are ...' has a sentence between them
    if _ORG_BREAK.search(text[words[-1][2] : name_start]) and not (
        "." in words[-1][0] or len(words[-1][0]) == 1 or hon.match(text[words[-1][1] : name_start].strip())
    ):
        return None
    lex = lexicon()
    i = len(words) - 1
    if words[i][0].lower() not in lex.heads | lex.modifiers:
        return _title_of_before(text, words, name_start)
    j = _title_words_left(words, i)
    # "His national security adviser": lower-case modifiers after a determiner or a possessive
    q = j
    while q >= 0 and j - q < 3 and (
        _lower_modifier(words[q][0]) or (words[q][0].islower() and _is_title_word(words[q][0]))
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
    if j >= 0 and words[j][0].lower() in _APPOINTED:
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
            or _is_acronym(words[j][0])
            or words[j][0][:1].isupper()
        ):
            first = _org_left(words, j)
            if first <= j:
                cleaned = _clean_org(text, words[first][1], words[j][2])
                if cleaned:
                    org = cleaned[0]
                    o_start = cleaned[1]
        elif (first := _lower_org_left(words, j)) < j:
            # "the Kish free zone organization CEO", "the energy ministry spokesman": a lower-case organisation
            org, o_start = text[words[first][1] : words[j][2]], words[first][1]
            j = first - 1
    definite = j >= 0 and words[j][0].lower() == "the"
    return _Role(title, org, o_start, words[i][2], definite, True, "official.title_before")


def _is_lower_org_head(w: str) -> bool:
    """A lower-case organisation word that can end an organisation's name ('ministry', 'council', 'company')."""
    return w in _lower_org_heads()


@lru_cache(maxsize=1)
def _lower_org_heads() -> frozenset[str]:
    return frozenset(lexicon().rules["official.lower_org_heads"]["words"])


def _lower_org_right(words: list[tuple[str, int, int]], k: int) -> int:
    """Index of the lower-case organisation word that ends an organisation (partly) in lower case starting at
    words[k] and followed by a role ('energy ministry spokesman', 'Kish free zone organization CEO'), or k."""
    lex = lexicon()
    j = k
    while j < len(words) and j < k + 6:
        w = words[j][0]
        if _is_lower_org_head(w) and j > k:
            t_end = _title_words_right(words, j + 1, j + 1)
            if any(x[0].lower() in lex.heads for x in words[j + 1 : t_end]):
                return j
        if (w in ("of", "and") and j > k) or (
            re.fullmatch(r"[a-z][a-z\-]+", w) and w not in _LOWER_STOP and w not in _FUNCTION_WORDS
            and w not in lex.heads and not lexicon_speech_word(w)
        ) or (w[:1].isupper() and w not in _NOT_ORG and w.lower() not in lex.heads):
            j += 1
            continue
        break
    return k


def _lower_org_left(words: list[tuple[str, int, int]], j: int) -> int:
    """First index of an organisation written (partly) in lower case that ends in the lower-case organisation
    word words[j] ('Kish free zone organization', 'energy ministry', 'Tehran chamber of commerce' ends in
    'commerce' after 'chamber'), two to six words; ``j`` when there is none."""
    w = words[j][0]
    if not _is_lower_org_head(w):
        # "the Tehran chamber of commerce head": an 'of' remit after the organisation word
        if not (
            j >= 2
            and w.islower()
            and w in lexicon().domains
            and words[j - 1][0] == "of"
            and _is_lower_org_head(words[j - 2][0])
        ):
            return j
    k = j
    while k > 0 and j - k < 5:
        prev = words[k - 1][0]
        if prev in ("of", "and") and k - 1 > 0 and words[k - 2][0] not in ("the", "a", "an"):
            k -= 1
            continue
        if (prev.islower() and re.fullmatch(r"[a-z][a-z\-]+", prev) and prev not in _LOWER_STOP
                and prev not in _FUNCTION_WORDS and not lexicon_speech_word(prev) and prev not in ("a", "an")) or (
            prev[:1].isupper() and prev not in _NOT_ORG and prev.lower() not in lexicon().heads
        ):
            k -= 1
            continue
        break
    while k < j and words[k][0] in ("of", "and"):
        k += 1
    return k if k < j and j - k >= 1 else j


_OF_PREPS = ("of", "at", "to", "for", "with", "from")


def _title_of_before(text: str, words: list[tuple[str, int, int]], name_start: int) -> _Role | None:
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
    if not (_is_acronym(last) or last[:1].isupper() or last == ")" or last in lower_ok or _is_org_head(last)):
        return None
    for t in range(i - 1, max(-1, i - 16), -1):
        w = words[t][0]
        if w in (".", ";") or (w[:1].islower() and w not in _OF_PREPS + ("a", "an") and (
            w in _LOWER_STOP - {"and", "the"} or lexicon_speech_word(w)
        )):
            return None
        if w not in _OF_PREPS or t == 0:
            continue
        h = t - 1
        if words[h][0].lower() == "general" and h > 0:
            h -= 1  # "Director General of ..."
        if words[h][0].lower() not in lex.heads:
            continue
        h = _title_words_left(words, h) + 1
        # "the branding managing director of ...": lower-case modifiers after a determiner
        m = h
        while m > 1 and h - m < 2 and _lower_modifier(words[m - 1][0]):
            m -= 1
        r_start = words[h][1]
        if m < h and words[m - 1][0].lower() in ("the", "a", "an"):
            h = m
            r_start = words[m - 1][1]
        role = _role_at(text, r_start, name_start)
        if role is None or role.end < words[i][2]:
            return None
        if h > 0 and words[h - 1][0].lower() == "the":
            role.start, role.definite = words[h - 1][1], True
        elif h > 0 and (
            words[h - 1][0] in ("'s", "\u2019s", ")") or _is_acronym(words[h - 1][0]) or words[h - 1][0][:1].isupper()
        ) and (
            role.org is None
            or not looks_like_org(role.org)
            # "KPMG Director of Financial Service": after an acronym or a possessive, an 'of' object without an
            # acronym of its own is a unit of that organisation
            or ((words[h - 1][0] in ("'s", "\u2019s") or _is_acronym(words[h - 1][0])) and not _has_acronym(role.org))
        ):
            # an organisation before "TITLE of UNIT" or "TITLE for REMIT" owns the role
            first = _org_left(words, h - 1)
            cleaned = _clean_org(text, words[first][1], words[h - 1][2]) if first < h else None
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


def _org_before_head(words: list[tuple[str, int, int]], k: int) -> bool:
    """'National Iranian Oil Company (NIOC)'s director': a capitalised stretch that opens with a title word but
    holds an organisation word or an acronym before its first role word."""
    lex = lexicon()
    j = k
    while j < len(words) and (words[j][0][:1].isupper() or words[j][0] in ("(", ")", "of", "and")):
        w = words[j][0]
        if w.lower() in lex.heads and not _is_acronym(w):
            return False
        if _is_org_head(w) or _is_acronym(w):
            return True
        j += 1
    return False


def _has_acronym(s: str) -> bool:
    return any(_is_acronym(w) for w in re.findall(r"[A-Za-z&]+", s))


def _lower_modifiers(words: list[tuple[str, int, int]], k: int) -> int:
    """Number of lower-case modifiers at words[k:] (at most two) that lead up to a title ('branding' in 'the
    branding managing director', 'control' in "the NPC's control manager"), or 0."""
    lex = lexicon()
    q = 0
    while k + q < len(words) and q < 2 and _lower_modifier(words[k + q][0]):
        q += 1
    r = k + q
    while r < len(words) and _is_title_word(words[r][0]) and words[r][0].lower() not in lex.heads:
        r += 1
    # only before a lower-case title: "a sharp rise since President Hassan Rouhani" has none
    return q if q and r < len(words) and words[r][0] in lex.heads else 0


_FUNCTION_WORDS = {
    "after", "before", "since", "until", "while", "because", "than", "into", "over", "under", "about", "between",
    "against", "during", "without", "through", "among", "across", "toward", "towards", "upon", "within", "via",
    "but", "nor", "yet", "so", "if", "when", "where", "whose", "whom", "this", "these", "those", "its", "their",
    "his", "her", "our", "my", "your", "such", "any", "all", "some", "each", "every", "other", "another", "more",
    "most", "many", "much", "key", "then", "now", "not", "no",
}


def _lower_modifier(w: str) -> bool:
    """'branding' in 'the branding managing director': a lower-case noun before a title."""
    return (
        bool(re.fullmatch(r"[a-z][a-z\-]+", w))
        and w not in _LOWER_STOP
        and w not in ("a", "an", "new", "newly", "recently", "just", "newly-appointed", "newly-elected")
        and w not in _FUNCTION_WORDS
        and w not in _APPOINTED
        and not w.endswith("ly")
        and not _is_title_word(w)
        and not _is_org_head(w)
        and not lexicon_speech_word(w)
    )


_FOR = re.compile(r"^[ \t]+for[ \t]+")
_FOR_STOP = {
    "to", "in", "on", "at", "by", "as", "with", "from", "into", "who", "which", "that", "has", "have", "had",
    "is", "was", "are", "were", "will", "would", "also", "said", "says", "told", "announced", "added", "noted",
    "year", "years", "month", "months", "decade", "decades", "a", "an", "while", "since", "during", "over",
    "affiliated", "based", "located", "tasked", "charged", "responsible", "according",
}


def _for_phrase(text: str, pos: int, limit: int) -> int:
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
        if not tok[:1].isupper() or tok in _NOT_ORG:
            break
        if tok.lower() in ("affairs", "affair"):
            affairs = e
            break
        if tok.lower() in lex.domains and not _is_acronym(tok) and all_domain:
            domain_end = e
            if k + 1 < len(toks) and _is_org_head(toks[k + 1][0]) and toks[k + 1][0][:1].isupper():
                return pos  # "for Foreign Ministry"
        else:
            all_domain = False
    if affairs > 0:
        return affairs
    return domain_end if domain_end > 0 else pos


def lexicon_speech_word(tok: str) -> bool:
    return bool(_speech_word_rx().fullmatch(tok))


@lru_cache(maxsize=1)
def _speech_word_rx() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r})" for _, r in lexicon().speech))
_OF = re.compile(r"^[ \t]+(?:of|at|in|with|from|to)[ \t]+(?:(?:the|an|a)[ \t]+)?")


def looks_like_org(name: str) -> bool:
    lex = lexicon()
    ws = re.findall(r"[A-Za-z&]+", name)
    return bool(ws) and (
        _is_acronym(ws[-1]) or any(w.lower() in lex.org_heads for w in ws) or bool(re.search(r"\([A-Z]", name))
    )


def _split_possessive(title: str, org: str) -> tuple[str, str]:
    """'Director' of "NPC's Projects" -> ('Director of Projects', 'NPC'): what follows the possessive is a
    unit of the organisation when it has no organisation word of its own ("Iran's Planning Organization"
    stays whole)."""
    m = re.match(r"^(.+?)['\u2019]s\s+(.+)$", org)
    if not m or looks_like_org(m.group(2)):
        return title, org
    return f"{title} of {m.group(2)}", m.group(1)


def _is_title_object(s: str) -> bool:
    """'the Islamic Revolution': an 'of' object that names no organisation (org_words kind title_object)."""
    ws = re.findall(r"[A-Za-z]+", s)
    return bool(ws) and ws[-1].lower() in lexicon().title_objects and not _is_acronym(ws[-1])


def _lower_org(words: list[tuple[str, int, int]], k: int) -> int:
    """'science and technology vice presidency', 'telecommunications company': an organisation written in lower
    case, two to six words ending in an organisation word. Index one past it, or ``k``."""
    lex = lexicon()
    best = k
    j = k
    while j < len(words) and j < k + 6:
        w = words[j][0]
        if w == "and" and j > k and j + 1 < len(words):
            j += 1
            continue
        if not re.fullmatch(r"[a-z][a-z\-]+", w) or w in _LOWER_STOP or w in lex.heads or lexicon_speech_word(w):
            break
        if j > k and _is_lower_org_head(w):
            best = j + 1
        j += 1
    return best


def _unit_then_org(
    text: str, rest: list[tuple[str, int, int]], limit: int
) -> tuple[int, str, int] | None:
    """'strategic council of the Department of Environment', 'innovation department of science and technology
    vice presidency': a lower-case unit (up to four words ending in an organisation word) and the organisation
    it belongs to. Returns (end of the unit, organisation, end of the organisation), or None."""
    u = 0
    while u < len(rest) and u < 4 and re.fullmatch(r"[a-z][a-z\-]+", rest[u][0]) and rest[u][0] not in _LOWER_STOP:
        u += 1
        if _is_lower_org_head(rest[u - 1][0]):
            break
    if u == 0 or not _is_lower_org_head(rest[u - 1][0]):
        return None
    unit_end = rest[u - 1][2]
    m = _OF.match(text[unit_end:limit])
    if not m or m.group().split()[0] not in ("of", "at", "in"):
        return None
    rest2 = _words(text, unit_end + m.end(), limit)
    last = _org_right(text, rest2, 0) or _lower_org(rest2, 0)
    if last == 0:
        return None
    cleaned = _clean_org(text, rest2[0][1], rest2[last - 1][2])
    if cleaned is None or _is_title_object(cleaned[0]):
        return None
    return unit_end, cleaned[0], cleaned[2]


def _generic_compound(words: list[tuple[str, int, int]], k: int) -> int:
    """Number of lower-case noun modifiers at words[k:] that lead up to a generic role ('capital market'
    in 'a capital market expert', 'energy' in 'an energy analyst'), or 0."""
    lex = lexicon()
    n = 0
    while k + n < len(words) and n <= 3:
        w = words[k + n][0]
        if w.lower() in _GENERIC_ROLES:
            return n
        if (
            not re.fullmatch(r"[a-z][a-z\-]+", w)
            or w in _LOWER_STOP
            or w in lex.heads
            or w in lex.modifiers
            or lexicon_speech_word(w)
        ):
            return 0
        n += 1
    return 0


def _role_at(text: str, start: int, limit: int) -> _Role | None:
    """Parse '[the|a] [ORG] TITLE [for ... affairs] [of ORG]' starting at ``start``."""
    words = _words(text, start, limit)
    if not words:
        return None
    lex = lexicon()
    k = 0
    definite = False
    # "Ban Ki-moon, then UN secretary general": a time adverb before the role
    if words[0][0] in ("then", "now", "currently") and len(words) > 1:
        k = 1
    if words[k][0].lower() in ("the", "a", "an"):
        definite = words[k][0].lower() == "the"
        k += 1
    # "the country's deputy industry minister": a common noun's possessive is a determiner
    if (
        k + 2 < len(words)
        and re.fullmatch(r"[a-z]+", words[k][0])
        and words[k][0] in lex.rules["official.possessive_determiner"]["words"]
        and words[k + 1][0] in ("'s", "\u2019s")
    ):
        k += 2
    org: str | None = None
    if (e_org := _lower_org_right(words, k)) > k:
        # "Ali Rezaei, the energy ministry spokesman": a lower-case organisation before the title
        org = text[words[k][1] : words[e_org][2]]
        k = e_org + 1
    pre = _generic_compound(words, k) or _lower_modifiers(words, k)
    if pre == 0 and k + 1 < len(words) and words[k][0] == "then" and _is_title_word(words[k + 1][0]):
        pre = 1  # "the then deputy managing director of NPC"
    # ORG before the title: an acronym, or a capitalised phrase ending in an org word, then maybe 's
    if pre == 0 and k < len(words) and (not _is_title_word(words[k][0]) or _org_before_head(words, k)):
        m = k
        while (
            m < len(words)
            and (words[m][0][:1].isupper() or words[m][0] in ("(", ")", "of", "and"))
            and not (words[m][0].lower() in lex.heads and not _is_acronym(words[m][0]))
        ):
            m += 1
        # "the Iranian National Tax Administration Deputy Head": the title starts at the title words before the
        # first head that are not part of the organisation's name
        if m < len(words) and words[m][0].lower() in lex.heads:
            while (
                m > k
                and _is_title_word(words[m - 1][0])
                and not _is_acronym(words[m - 1][0])
                and not _is_org_head(words[m - 1][0])
            ):
                m -= 1
        if m > k and m < len(words) and words[m][0] in ("'s", "\u2019s"):
            cleaned = _clean_org(text, words[k][1], words[m - 1][2])
            m += 1
        elif m > k:
            cleaned = _clean_org(text, words[k][1], words[m - 1][2])
        else:
            cleaned = None
        if cleaned is not None:
            org = cleaned[0]
        elif m > k and place_only(text[words[k][1] : words[m - 1][2]]):
            pass  # "Iran's commercial attaché in Yerevan": a country is no organisation, the title goes on
        else:
            return None
        k = m
        pre = _lower_modifiers(words, k)  # "the NPC's control manager"
    t0 = k
    k += pre  # "a capital market expert": lower-case nouns before a generic role belong to the title
    k = _title_words_right(words, k, t0)
    heads = [w for w, _, _ in words[t0:k] if w.lower() in lex.heads]
    if not heads:
        return None
    # the title ends on its last head word ("deputy head", "industry minister")
    while k > t0 and words[k - 1][0].lower() not in lex.heads:
        k -= 1
    title_end = words[k - 1][2]
    # "director general": a head may be followed by 'general'
    if k < len(words) and words[k][0].lower() == "general" and words[k][1] == title_end + 1:
        title_end = words[k][2]
    remit_end = _for_phrase(text, title_end, limit)
    has_remit = remit_end > title_end
    title_end = remit_end
    title = text[words[t0][1] : title_end]
    end = title_end
    has_domain = any(w.lower() in lex.domains for w, _, _ in words[t0:k])
    if org is None:
        m_of = _OF.match(text[title_end:limit])
        if m_of:
            rest = _words(text, title_end + m_of.end(), limit)
            last = _org_right(text, rest, 0)
            prep = m_of.group().split()[0]
            obj = text[rest[0][1] : rest[last - 1][2]] if last > 0 else ""
            diplomatic = bool({w.lower() for w in heads} & _DIPLOMATIC)
            if obj and (
                (prep == "to" and place_only(obj))
                or (prep == "of" and _domain_only(obj))
                or (prep in ("to", "in") and diplomatic and not looks_like_org(obj))
            ):
                # "Ambassador to Iran", "Secretary of Commerce": the object belongs to the title
                title_end = end = rest[last - 1][2]
                title = text[words[t0][1] : title_end]
                has_domain = True
                last = 0
            elif last == 0 and prep == "of" and (unit := _unit_then_org(text, rest, limit)) is not None:
                # "the secretary of the strategic council of the Department of Environment": a lower-case unit
                # belongs to the title, the organisation after it is the org
                unit_end, org, end = unit
                title_end = unit_end
                title = text[words[t0][1] : title_end]
                has_domain = True
            elif last == 0 and prep == "of":
                # "minister of industry and information technology": a lower-case remit belongs to the title
                d = 0
                while d < len(rest) and (
                    rest[d][0] in lex.domains or (rest[d][0] in ("and", ",") and d > 0)
                ):
                    d += 1
                while d > 0 and rest[d - 1][0] in ("and", ","):
                    d -= 1
                if d > 0:
                    title_end = end = rest[d - 1][2]
                    title = text[words[t0][1] : title_end]
                    has_domain = True
                else:
                    # "the managing director of an Iranian company", "head of ... vice presidency"
                    last = _lower_org(rest, 0)
            elif last == 0 and prep in ("with", "from", "at"):
                last = _lower_org(rest, 0)
            if (
                0 < last < len(rest)
                and rest[0][0].islower()
                and rest[last][0][:1].isupper()
                and not _person_follows(text, rest[last - 1][2])
            ):
                # "a market analyst with the research firm Oanda": the name after the descriptor is the org
                named = _org_right(text, rest, last)
                if named > last and rest[last][0] not in _NOT_ORG:
                    rest, last = rest[last:], named - last
            if last > 0:
                cleaned = _clean_org(text, rest[0][1], rest[last - 1][2])
                if cleaned and (_is_title_object(cleaned[0]) or (has_remit and not looks_like_org(cleaned[0]))):
                    # "Leader of the Islamic Revolution": the object is no organisation, it belongs to the title;
                    # so does the object of a remit ("for Refining and Distribution of Oil Products")
                    title_end = end = cleaned[2]
                    title = text[words[t0][1] : title_end]
                    has_remit = True
                elif cleaned:
                    org = cleaned[0]
                    end = cleaned[2]
                    title, org = _split_possessive(title, org)
                    # "director general of X Office at TPO": the unit is part of the title, TPO the org
                    m_at = _OF.match(text[end:limit])
                    if m_at and title == text[words[t0][1] : title_end]:
                        rest2 = _words(text, end + m_at.end(), limit)
                        last2 = _org_right(text, rest2, 0)
                        if last2 > 0:
                            c2 = _clean_org(text, rest2[0][1], rest2[last2 - 1][2])
                            if c2 and looks_like_org(c2[0]):
                                title = text[words[t0][1] : cleaned[2]]
                                org, end = c2[0], c2[2]
            if org is not None and not has_remit:
                # "the deputy director of Arvand Free Zone Organization for investment affairs": the remit after
                # a capitalised organisation belongs to the title; after a lower-case one it is part of its name
                # ("an official with the vice presidency for science and technology")
                r_end = _for_phrase(text, end, limit)
                if r_end > end and org.split()[-1][:1].islower():
                    org = org + text[end:r_end]
                    end = r_end
                elif r_end > end:
                    title = title + text[end:r_end]
                    end = r_end
                    has_remit = True
    elif not has_remit and (m_rem := re.match(r"[ \t]+of[ \t]+", text[title_end:limit])):
        # "NIOC's director of international affairs": with the organisation named before the title, a lower-case
        # remit after 'of' belongs to the title
        rest = _words(text, title_end + m_rem.end(), limit)
        d = 0
        while d < len(rest) and (rest[d][0] in lex.domains or (rest[d][0] in ("and", ",") and d > 0)):
            d += 1
        while d > 0 and rest[d - 1][0] in ("and", ","):
            d -= 1
        if d > 0:
            title_end = end = rest[d - 1][2]
            title = text[words[t0][1] : title_end]
    specific = org is not None or has_domain or has_remit
    return _Role(title, org, words[0][1], end, definite, specific, "official.title_after")


# --------------------------------------------------------------------------------------------- officials


@dataclass
class _Person:
    key: str
    name: str
    start: int
    end: int
    full: bool
    rule_id: str
    title: str | None = None
    org: str | None = None
    title_rule: str | None = None
    mentions: set[tuple[int, int]] = field(default_factory=set)


def _name_runs(text: str) -> Iterable[tuple[int, int, int]]:
    """(start, end, number of words) of capitalised name runs, honorifics and non-name words split off."""
    rx = _regexes()
    for m in rx["run"].finditer(text):
        toks = [
            (t.group(), m.start() + t.start(), m.start() + t.end()) for t in re.finditer(r"\S+", m.group())
        ]
        run: list[tuple[str, int, int]] = []
        lex = lexicon()
        for k, (tok, s, e) in enumerate(toks + [("", -1, -1)]):
            ok = bool(tok) and not rx["hon"].match(tok) and _is_name_word(tok)
            # a place word closing a run of given names is a surname ("Abolfazl Razavi"), unless the run is
            # itself a place ("Khorasan Razavi") or goes on into a larger name
            if (
                tok
                and not ok
                and tok in lex.places
                and run
                and run[-1][0] not in lex.places
                and (k + 1 >= len(toks) or not _is_name_word(toks[k + 1][0]))
                and not _ORDINAL.match(run[-1][0])
            ):
                ok = True
            # "Abbas Kazemi": a place word that is also a given name opens a person's name
            if (
                tok in lex.given_names
                and not run
                and k + 1 < len(toks)
                and _is_name_word(toks[k + 1][0])
                and toks[k + 1][0] not in lex.places
            ):
                ok = True
            if ok:
                run.append((tok, s, e))
                continue
            if run and not _part_of_larger_name(text, run):
                yield run[0][1], run[-1][2], len(run)
            run = []


_ORDINAL = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|"
    r"[A-Z][a-z]+-(?:Year|Month|Day|Point|Member|Party|Nation|Stage|Phase))$"
)


def _part_of_larger_name(text: str, run: list[tuple[str, int, int]]) -> bool:
    """A capitalised run that is part of a longer proper noun, not a person: it holds an ordinal or a
    'Five-Year' compound ('Sixth Five-Year National Development Plan'), or runs straight on into an
    organisation word ('National Cloud Seeding Research Center')."""
    if any(_ORDINAL.match(t) for t, _, _ in run):
        return True
    m = re.match(r"[ \t]+([A-Z][A-Za-z\-]+)", text[run[-1][2] :])
    if m:
        nxt = m.group(1).lower()
        lex = lexicon()
        if _is_org_head(nxt) or (nxt in lex.domains and nxt not in lex.heads):
            return True
        # "Iron Ore Producers", "Food Producers Cooperative": a common noun follows
        if _regexes()["nonname_suffix"].match(m.group(1)):
            return True
    return False


def _has_speech(text: str, start: int, end: int, sent_start: int) -> bool:
    rx = _regexes()
    if rx["speech_after"].match(text[end : end + 60]):
        return True
    before = text[max(sent_start, start - 40) : start]
    return bool(rx["speech_before"].search(before))


def find_officials(doc: Doc) -> list[FoundOfficial]:
    """Every named person of the article, once, with title and organisation and all mentions."""
    text = doc_text(doc)
    sents = _sent_spans(doc)
    persons: dict[str, _Person] = {}
    used: list[tuple[int, int]] = []  # title/org spans consumed by named officials
    person_ents: list[tuple[int, int]] = []
    if doc.has_annotation("ENT_IOB"):
        person_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]

    def overlaps_person_ent(s: int, e: int) -> bool:
        return any(ps < e and s < pe for ps, pe in person_ents)

    credits = _credit_spans(text)
    acr_roles = _acronym_roles(text)
    for s, e, n in _name_runs(text):
        if _regexes()["agency"].fullmatch(text[s:e]):
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
        si = _sent_index(sents, s)
        ss, se = sents[si]
        before = _title_before(text, ss, s)
        if before is None:
            before = _apposed_title_before(text, ss, s, acr_roles)
            if before is not None and any(us < before.end and before.start < ue for us, ue in used):
                before = None
        after = None
        if text[e : e + 1] == ",":
            after = _role_at(text, e + 1, min(se, e + 160))
            if after is not None and (
                (after.org is None and not after.specific and _verb_follows(text, after.end))
                or (n < 2 and re.match(r"[ \t]+[A-Z][a-z]", text[after.end : after.end + 3]))
                or _person_follows(text, after.end)
            ):
                # "in Southeast Asia, the official added": a role followed by its verb is the subject of a new
                # clause; "Recently, Pakistan's finance minister Shamshad Akhtar": the role names the next person
                after = None
        elif re.match(r"[ \t]+the[ \t]", text[e : e + 6]):
            # "Ali Pajouhan the managing director of PRTC has said": apposition without a comma
            after = _role_at(text, e, min(se, e + 160))
            if after is not None and not after.org:
                after = None
        if after is not None and not after.title:
            after = None
        if before is None and after is None:
            before = _possessive_role(text, ss, s, persons)
        key = person_key(text[s:e])
        known = key in persons
        rule = None
        if before is not None:
            rule = before.rule_id
        elif after is not None:
            rule = "official.title_after"
        elif _has_speech(text, s, e, ss):
            rule = "official.speech"
        elif overlaps_person_ent(s, e):
            rule = "official.ner_person"
        if rule is None and not known:
            continue
        if n < 2 and not known and rule not in ("official.title_before", "official.title_after",
                                                "official.possessive_role", "official.title_apposition_before"):
            continue
        if not known and _not_a_name_here(text, s, e, n, before is not None):
            continue
        if n < 2 and before is not None and before.rule_id == "official.title_apposition_before":
            continue  # "Mr. Chairman, Over the span of 20 years"
        p = persons.get(key)
        if p is None:
            p = _Person(key, text[s:e], s, e, n >= 2, rule or "official.ner_person")
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
    for key in [k for k, p in persons.items() if p.title is None and _company_like(text, p.name)]:
        del persons[key]
    # surname-only and repeated mentions of known persons
    for p in persons.values():
        last = re.split(r"[\s]+", p.name)[-1]
        for ms, me in _word_occurrences(text, last):
            p.mentions.add((ms, me))
    # a full-name mention may hide a longer first mention with honorific: keep the first full form
    # unnamed roles: forward ("Head of IGEDC said ... Bahram Salavati") or back ("the official")
    _resolve_roles(text, sents, persons, used)
    _resolve_pronouns(text, persons)
    # "an official with the Organization": a bare organisation word refers back to the organisation named so
    for p in persons.values():
        if p.org and _is_org_head(p.org) and p.org[:1].isupper():
            p.org = _expand_bare_org(text, sents, p.org, p.start) or p.org
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


def _credit_spans(text: str) -> list[tuple[int, int]]:
    """Writers' credits: '(Reporting by A, B; editing by C)' to its closing parenthesis, a short line opening
    with a credit cue, and a 'By A and B' byline line."""
    out = []
    rx = _regexes()
    for m in rx["credit"].finditer(text):
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        if m.group().lstrip().startswith("("):
            close = text.find(")", m.end())
            out.append((m.start(), close if 0 <= close < eol else eol))
        elif eol - m.start() <= 200:
            out.append((m.start(), eol))
    for m in rx["byline"].finditer(text):
        out.append((m.start(), m.end()))
    return out


def _acronym_roles(text: str) -> dict[str, str]:
    """Acronyms the text defines for a role: 'The New York State Attorney General (NYAG)' -> NYAG."""
    lex = lexicon()
    out: dict[str, str] = {}
    for m in _ACR_DEF.finditer(text):
        acr = m.group(1)
        words = re.findall(r"[A-Za-z][\w\-]*", text[max(0, m.start() - 80) : m.start()])
        k = len(words)
        while k > 0 and words[k - 1][:1].isupper() and words[k - 1] not in _NOT_ORG:
            k -= 1
        long = words[k:]
        if len(long) < 2 or not _initials_match(" ".join(long), acr):
            continue
        tail = [w.lower() for w in long]
        if tail[-1] == "general" and len(tail) > 1:
            tail = tail[:-1]
        if tail[-1] in lex.heads:
            # the long form as the text writes it, from its first initial on
            first = next(i for i, w in enumerate(long) if w[0].upper() == acr[0])
            out[acr] = " ".join(long[first:])
    return out


def _apposed_title_before(text: str, ss: int, s: int, acr_roles: dict[str, str]) -> _Role | None:
    """TITLE, NAME: "WeWork's founder and former CEO, Adam Neumann", 'the NYAG, Letitia James'. The words before
    the comma must end in a role word (or an acronym the text defines for a role) and must not themselves be
    an apposition after a comma."""
    m = re.search(r"[ \t]*,[ \t]*$", text[ss:s])
    if not m:
        return None
    comma = ss + m.start()
    words = _words(text, ss, comma)
    if not words:
        return None
    last = words[-1][0]
    role: _Role | None = None
    if last in acr_roles:
        start = words[-2][1] if len(words) > 1 and words[-2][0].lower() == "the" else words[-1][1]
        role = _Role(acr_roles[last], None, start, words[-1][2], True, True, "")
    elif last.lower() in lexicon().heads:
        role = _title_before(text, ss, comma)
    if role is None or not role.title:
        return None
    if re.search(r",[ \t]*$", text[ss : role.start]):
        return None
    role.rule_id = "official.title_apposition_before"
    return role


def _person_follows(text: str, pos: int) -> bool:
    """Two or more name words right after a role ('..., Indian Prime Minister Narendra Modi pledged'): the role
    is that person's, not an apposition to the words before the comma."""
    m = re.match(r"[ \t]+((?:[A-Z][\w'\u2019\-]+[ \t]+)+[A-Z][\w'\u2019\-]+)", text[pos : pos + 80])
    return m is not None and all(_is_name_word(w) for w in m.group(1).split()[:2])


def _verb_follows(text: str, pos: int) -> bool:
    """A speech verb right after a role, with no comma between ('the official added')."""
    return not text[pos : pos + 1] == "," and bool(_regexes()["speech_after"].match(text[pos : pos + 60]))


def _not_a_name_here(text: str, s: int, e: int, n: int, titled: bool) -> bool:
    """Context that shows a capitalised run is no person: 'said the United States' (untitled), 'Technical
    Assistance of Iran', "Dato' Ku" (a single word)."""
    if not titled and re.search(r"\b[Tt]he[ \t]+$", text[max(0, s - 5) : s]):
        return True
    # a single word that runs on into a longer name: "Technical Assistance of Iran", "Member Countries of the"
    if n >= 2:
        return False
    joins = "of|for" if titled else "of|for|and|&"  # "Russian President Putin and Saudi Crown Prince ..."
    return bool(re.match(rf"[ \t]+(?:{joins})[ \t]+(?:the[ \t]+)?[A-Z]|['\u2019](?!s\b)[A-Za-z]", text[e : e + 30]))


def _company_like(text: str, name: str) -> bool:
    """The text treats ``name`` as a company: 'Home Depot shares are up', 'THE HOME DEPOT INC.', "LOWE'S
    COMPANIES INC." (its last word)."""
    rx = _regexes()["company_context"]
    forms = {name, name.split()[-1]} if len(name.split()[-1]) >= 3 else {name}
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text  # a case mapping that changes lengths: search as written
    for form in forms:
        for _, end in _word_occurrences(lowered, form.lower() if lowered is not text else form, hyphen=True):
            if rx.match(text, end):
                return True
    return False


def _expand_bare_org(text: str, sents: list[tuple[int, int]], head: str, pos: int) -> str | None:
    """The fullest organisation name ending in ``head`` ('Organization') last written before ``pos`` (or else
    first written after it): 'Natural Resources and Watershed Management Organization'."""
    before: str | None = None
    after: str | None = None
    for ms, me in _word_occurrences(text, head, hyphen=True):
        ss, _ = sents[_sent_index(sents, ms)]
        words = _words(text, ss, me)
        if len(words) < 2:
            continue
        first = _org_left(words, len(words) - 1)
        if first >= len(words) - 1:
            continue
        cleaned = _clean_org(text, words[first][1], words[-1][2])
        if cleaned is None or len(cleaned[0].split()) < 2:
            continue
        if ms < pos:
            before = cleaned[0]
        elif after is None:
            after = cleaned[0]
    return before or after


_POSS_ROLE = re.compile(r"\b(?:one\s+of\s+)?(?:his|her)\s+([a-z]+)\s*,?\s*$")


def _possessive_role(text: str, sent_start: int, name_start: int, persons: dict[str, _Person]) -> _Role | None:
    """'Nobakht and one of his deputies Hamid Poormohammadi': the role belongs to the organisation of the
    person the pronoun refers to (the most recent one with a title)."""
    m = _POSS_ROLE.search(text[sent_start:name_start])
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
    return _Role(single, org, start, sent_start + m.end(), False, True, "official.possessive_role")


def _title_set(title: str | None) -> set[str]:
    return {w for w in re.split(r"[^a-z\-]+", (title or "").lower()) if w}


def _compatible(role: _Role, p: _Person) -> bool:
    rw, pw = _title_set(role.title), _title_set(p.title)
    if not p.title:
        return False
    lex = lexicon()
    if (rw & lex.heads) and (rw & lex.heads) <= _GENERIC_ROLES and not (rw & _RANK):
        # "an official with the Energy Ministry" fits any titled person of that organisation
        if role.org and p.org:
            ro = {w.lower() for w in re.findall(r"\w+", role.org)}
            po = {w.lower() for w in re.findall(r"\w+", p.org)}
            return bool(ro & po)
        return True
    if rw - {"deputy", "vice"} and not (rw - {"the"}) <= pw:
        return False
    if (rw & _RANK) and not (pw & _RANK):
        return False
    if (pw & _RANK) and not (rw & _RANK):
        return False
    if role.org and p.org:
        ro = {w.lower() for w in re.findall(r"\w+", role.org)}
        po = {w.lower() for w in re.findall(r"\w+", p.org)}
        if not ro & po:
            return False
    return True


def _resolve_roles(
    text: str, sents: list[tuple[int, int]], persons: dict[str, _Person], used: list[tuple[int, int]]
) -> None:
    lex = lexicon()
    head_rx = _regexes()["role_head"]
    name_spans = [m for p in persons.values() for m in p.mentions]
    taken = list(used) + name_spans
    roles: list[_Role] = []
    for m in head_rx.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        si = _sent_index(sents, m.start())
        ss, se = sents[si]
        # the role phrase starts at the determiner/org before the title words
        words = _words(text, ss, m.start())
        k = len(words)
        while k > 0 and _is_title_word(words[k - 1][0]) and not _is_acronym(words[k - 1][0]):
            k -= 1
        if m.group().lower() in _GENERIC_ROLES:
            c = k
            while c > 0 and k - c < 3 and re.fullmatch(r"[a-z][a-z\-]+", words[c - 1][0]) and (
                words[c - 1][0] not in _LOWER_STOP | {"a", "an"}
            ):
                c -= 1
            if c < k and c > 0 and words[c - 1][0].lower() in ("a", "an", "the"):
                k = c
        start = words[k][1] if k < len(words) else m.start()
        if k > 0 and (
            words[k - 1][0] in ("'s", "\u2019s", ")")
            or _is_acronym(words[k - 1][0])
            or (words[k - 1][0][:1].isupper() and words[k - 1][0] not in lex.nonname)
        ):
            first = _org_left(words, k - 1)
            if first < k:
                start = words[first][1]
        elif k > 0 and words[k - 1][0].lower() in ("the", "a", "an"):
            start = words[k - 1][1]
        role = _role_at(text, start, se)
        if role is None or role.end <= m.start():
            continue
        if text[start : start + 1].isupper() and not role.org and not role.definite and start == m.start():
            # a sentence-initial bare "Head said" is still a role; a capitalised title before a name is not
            pass
        if any(s <= role.start < e for s, e in taken):
            continue
        # a role phrase that runs over a person's name ("Minister in Mines and Mining Industries Jafar Sarghini")
        # is that person's title_before, not an unnamed role
        if any(role.start < s < role.end <= e for s, e in name_spans):
            continue
        taken.append((role.start, role.end))
        roles.append(role)

    order = sorted(persons.values(), key=lambda p: min(s for s, _ in p.mentions))
    resolved: dict[str, _Person] = {}
    unresolved: list[_Role] = []
    for role in roles:
        heads = _title_set(role.title) & lex.heads
        generic = bool(heads) and heads <= _GENERIC_ROLES | {"deputy"} and not role.org
        # back: the most recent compatible person mentioned before the role
        prev = [
            (max(s for s, _ in p.mentions if s < role.start), p)
            for p in persons.values()
            if any(s < role.start for s, _ in p.mentions)
        ]
        prev.sort(key=lambda x: x[0], reverse=True)
        target = None
        if generic and not role.definite:
            # "a capital market expert said ... . ... Bahador Shams told IRNA": an unnamed speaker named in
            # the next sentence by a person with no title of their own
            target = None
            if _regexes()["speech_after"].match(text[role.end : role.end + 60]):
                ri = _sent_index(sents, role.start)
                nxt = next((p for p in order if min(s for s, _ in p.mentions) >= role.end), None)
                if (
                    nxt is not None
                    and nxt.title is None
                    and _sent_index(sents, min(s for s, _ in nxt.mentions)) - ri <= 1
                ):
                    nxt.title, nxt.title_rule = role.title, "official.role_forward"
                    target = nxt
        elif role.definite and not role.specific or generic:
            target = next((p for _, p in prev if generic or _compatible(role, p)), None)
            if target is None and prev and generic:
                target = prev[0][1]
        elif role.specific:
            target = next((p for _, p in prev if _compatible(role, p)), None)
            if target is None:
                ri = _sent_index(sents, role.start)
                # the person named next: first named there, or named before without a title and named again in
                # full ("... as head of prison agency testified. As ..., Hawk Sawyer testified")
                upcoming = [
                    (min(later), p)
                    for p in order
                    if (
                        later := [
                            s
                            for s, e in p.mentions
                            if s >= role.end
                            and (
                                min(x for x, _ in p.mentions) >= role.end
                                or (p.title is None and _full_mention(text[s:e]))
                            )
                        ]
                    )
                ]
                if upcoming:
                    first, p = min(upcoming, key=lambda x: x[0])
                    if _sent_index(sents, first) - ri <= 2:
                        if p.title is None:
                            p.title, p.org, p.title_rule = role.title, role.org, "official.role_forward"
                            target = p
                        elif _compatible(role, p):
                            target = p
                            if p.org is None and role.org is not None and role.org not in (p.title or ""):
                                p.org = role.org
        elif role.definite:
            target = next((p for _, p in prev if _compatible(role, p)), None)
        if target is not None:
            target.mentions.add((role.start, role.end))
            resolved[_role_key(role)] = target
        else:
            unresolved.append(role)
    # a role repeated word for word (a restated lead) is the same person as its resolved twin
    for role in unresolved:
        twin = resolved.get(_role_key(role))
        if twin is not None and role.specific:
            twin.mentions.add((role.start, role.end))


def _full_mention(mention: str) -> bool:
    """A mention of two or more name words ('Hawk Sawyer'), not a lone surname, pronoun or role."""
    words = mention.split()
    return len(words) >= 2 and all(re.fullmatch(r"[A-Z][\w'\u2019\-.]*", w) for w in words)


def _role_key(role: _Role) -> str:
    return " ".join(f"{role.title or ''} {role.org or ''}".lower().split())


def _resolve_pronouns(text: str, persons: dict[str, _Person]) -> None:
    if not persons:
        return
    for m in _regexes()["pronoun"].finditer(text):
        prev = [
            (max(s for s, _ in p.mentions if s < m.start()), p)
            for p in persons.values()
            if any(s < m.start() for s, _ in p.mentions)
        ]
        if prev:
            max(prev, key=lambda x: x[0])[1].mentions.add((m.start(), m.end()))


# --------------------------------------------------------------------------------------------- organisations

_ACR_DEF = re.compile(r"\((?:known as |or |called )?([A-Z][A-Za-z0-9&]{1,9})\)")


def _initials_match(long: str, acr: str) -> bool:
    initials = [w[0].upper() for w in re.findall(r"[A-Za-z]+", long) if w[0].isupper()]
    a = [c for c in acr.rstrip("s").upper() if c.isalpha()]
    it = iter(initials)
    return bool(a) and bool(initials) and a[0] in initials[:3] and all(c in it for c in a)


def find_organisations(doc: Doc) -> list[FoundOrg]:
    """Organisations defined with an acronym ("... Organization (ISIPO)", "... (known as PAVEN)"),
    organisation phrases ending in an org word, NER ORG entities, and cited news agencies."""
    text = doc_text(doc)
    found: dict[str, FoundOrg] = {}
    sents = _sent_spans(doc)
    for m in _ACR_DEF.finditer(text):
        acr = m.group(1)
        if not _is_acronym(acr) and not acr.isupper() and not re.match(r"^[A-Z][a-z]+$", acr):
            continue
        ss = sents[_sent_index(sents, m.start())][0]
        words = _words(text, ss, m.start())
        if not words:
            continue
        first = _org_left(words, len(words) - 1)
        if first >= len(words):
            continue
        long_start, long_end = words[first][1], words[-1][2]
        long = text[long_start:long_end]
        if long.startswith(("The ", "the ")):
            long, long_start = long[4:], long_start + 4
        known_as = "known as" in m.group(0) or "called" in m.group(0)
        if not known_as and not _initials_match(long, acr):
            continue
        if acr in found:
            continue
        kind = "agency" if _regexes()["agency"].fullmatch(acr) else "org"
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
    head_rx = _regexes()["org_head"]
    words_of: dict[int, list[tuple[str, int, int]]] = {}
    for m in head_rx.finditer(text):
        si = _sent_index(sents, m.start())
        ss, se = sents[si]
        if si not in words_of:
            words_of[si] = _words(text, ss, se)
        words = words_of[si]
        idx = next((i for i, w in enumerate(words) if w[1] == m.start()), None)
        if idx is None:
            continue
        first = _org_left(words, idx)
        last = _org_right(text, words, idx) - 1
        if first > idx:
            first = idx
        cleaned = _clean_org(text, words[first][1], words[max(last, idx)][2])
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
            kind = "agency" if _regexes()["agency"].search(name) else "org"
            span = (ent.start_char, ent.end_char)
            found[name] = FoundOrg(name, None, span[0], span[1], (span,), kind, "org.ner")
    for m in _regexes()["agency"].finditer(text):
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
            mentions.update(_word_occurrences(text, form, hyphen=True))
        out.append(FoundOrg(o.name, o.acronym, o.start, o.end, tuple(sorted(mentions)), o.kind, o.rule_id))
    return sorted(out, key=lambda o: o.start)


def is_agency(name: str) -> bool:
    """True when ``name`` is a news agency (a source, never an official)."""
    return bool(_regexes()["agency"].fullmatch(name.strip()))
