"""Entity keys for people, organisations and acronyms, built on the name folding of :mod:`extractors.names`.
No I/O.

Every function returns a *key*: a string with a kind prefix (``p:`` person, ``m:`` ministry, ``o:``
organisation or other named thing, ``a:`` acronym). Two surfaces with the same key are the same entity
by rule; acronym definitions and curated overrides add edges between different keys.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from extractors.jsonl import read_jsonl
from extractors.names import ACRONYM_IN_PARENS, is_acronym, person_tokens

DATA = Path(__file__).resolve().parent / "data"

# Words that make a name an organisation (the last content word of its full name).
ORG_HEADS = frozenset(
    "organization ministry company bank agency center centre council chamber fund authority administration "
    "office corporation association union institute department commission committee exchange customs "
    "service group parliament majlis government cabinet federation board house society foundation "
    "industries holding municipality police court university academy network".split()
)
STOP = frozenset({"the", "of", "and", "for", "&", "on", "in", "to"})
COUNTRY_PREFIX = frozenset({"iran", "iranian", "irans", "islamic", "republic"})
# Stems that English spells several ways in the same ministry names.
STEM = {
    "mining": "mine", "mines": "mine", "economic": "economy", "agricultural": "agriculture",
    "organisation": "organization", "centre": "center", "industrial": "industrial", "petroleum": "petroleum",
    "communications": "communication", "defence": "defense", "labour": "labor", "programme": "program",
}
def person_key(name: str) -> str | None:
    """``p:`` + given names run together + surname: Ali Asqar Mosaheb = Ali-Asghar Mosaheb = Aliasghar Mosaheb."""
    toks = person_tokens(name)
    if not toks:
        return None
    if len(toks) == 1:
        return "p:" + toks[0]
    return "p:" + "".join(toks[:-1]) + " " + toks[-1]


def surname_key(name: str) -> str | None:
    toks = person_tokens(name)
    return toks[-1] if toks else None


def _singular(tok: str) -> str:
    if tok in STEM:
        return STEM[tok]
    if tok.endswith("ies") and len(tok) > 4:
        return tok[:-3] + "y"
    if tok.endswith("s") and not tok.endswith("ss") and len(tok) > 3:
        return tok[:-1]
    return tok


def org_tokens(name: str) -> list[str]:
    s = name.replace("’", "'").replace("'s ", " ").replace("-", " ")
    s = re.sub(r"\([^)]*\)", " ", s)
    toks = [t for t in re.split(r"[^\w]+", s.lower()) if t]
    while toks and toks[0] in {"the", "a", "an"}:
        toks = toks[1:]
    return [_singular(t) for t in toks if t not in STOP]


def org_key(name: str) -> str | None:
    """Key for an organisation or other named subject.

    - An acronym (ISIPO, SMEs) -> ``a:isipo``, ``a:sme``.
    - A ministry -> ``m:`` + its first portfolio word: "Industry Ministry", "Ministry of Industry, Mine and
      Trade" and "Iranian Industry, Mining and Trade Ministry" are all ``m:industry``.
    - Anything else -> ``o:`` + its lower-cased, singularised content words without stop words.
    """
    s = name.strip().strip(".,;:")
    if not s:
        return None
    if is_acronym(s):
        core = s[:-1] if s.endswith("s") and s[:-1].isupper() else s
        return "a:" + core.lower()
    toks = org_tokens(s)
    if not toks:
        return None
    if "ministry" in toks:
        portfolio = [t for t in toks if t not in COUNTRY_PREFIX and t not in {"ministry", "deputy", "minister"}]
        return "m:" + portfolio[0] if portfolio else None
    if toks in (["organization"], ["company"], ["government"]) and s.lower().startswith("the"):
        return None
    return "o:" + " ".join(toks)


@lru_cache(maxsize=1)
def common_noun_acronyms() -> frozenset[str]:
    """Acronym keys of common nouns (``data/common_noun_acronyms.jsonl``: MOU, SME, GDP, ...): not organisations."""
    return frozenset("a:" + r["acronym"].lower() for r in read_jsonl(DATA / "common_noun_acronyms.jsonl"))


def key_kind(key: str) -> str:
    if key.startswith("p:"):
        return "person"
    if key in common_noun_acronyms():
        return "other"  # an acronym of a common noun (MOU, SME, GDP) names no organisation
    if key.startswith(("m:", "a:")):
        return "org"
    last = key.split()[-1] if key else ""
    return "org" if last.removeprefix("o:") in ORG_HEADS else "other"


# --- acronym definitions: "Full Name (ACR)" ---------------------------------------------------------------
_DEF_RE = re.compile(ACRONYM_IN_PARENS)
_CONNECT = {"and", "of", "for", "the", "&", "on", "in"}


def _initials(words: list[str]) -> str:
    out = []
    for w in words:
        if w.lower() in _CONNECT:
            continue
        parts = [p for p in w.split("-") if p]
        out.append(parts[0][0].upper() if parts else "")
    return "".join(out)


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def acronym_definitions(text: str) -> list[tuple[str, str, int, int]]:
    """Every "Full Name (ACR)" in ``text`` whose acronym letters follow the initials of the name.

    Returns (full name, acronym, start, end). The name is the run of capitalised words (with and/of/for/the
    between them) before the parenthesis, trimmed to start at a word whose initial is the acronym's first
    letter; the acronym must be a subsequence of the content-word initials covering at least 60 % of them.
    """
    out = []
    for m in _DEF_RE.finditer(text):
        acr = m.group(1)
        letters = acr[:-1] if acr.endswith("s") and acr[:-1].isupper() else acr
        if not (letters.isupper() and len(letters) >= 2):
            continue
        before = text[max(0, m.start() - 160) : m.start()]
        words = re.findall(r"[\w’'&-]+|[^\w\s]", before)
        run: list[str] = []
        for w in reversed(words):
            if w[0].isupper() or w.lower() in _CONNECT:
                run.insert(0, w)
            elif w == "," and run:
                continue
            else:
                break
        while run and run[0].lower() in _CONNECT:
            run = run[1:]
        best = None
        for i in range(len(run)):
            cand = run[i:]
            if cand[0][0].upper() != letters[0] or cand[0].lower() in _CONNECT:
                continue
            ini = _initials(cand)
            if _subsequence(letters.upper(), ini) and len(letters) >= 0.6 * len(ini):
                best = cand
                break
        if best:
            full = " ".join(best)
            start = before.rfind(best[0]) + max(0, m.start() - 160)
            out.append((full, acr, start, m.end()))
    return out


# First elements of Persian compound given names that English reports often drop ("Ali-Asghar" -> "Asghar").
COMPOUND_FIRST = ("ali", "muhamad", "qulam", "amir", "abdul", "abul", "sid")


def compound_given_name_variant(a: str, b: str) -> bool:
    """Person keys ``p:aliasqar musaheb`` and ``p:asqar musaheb``: same surname, and one given name is the other
    without the first element of a compound given name."""
    if not (a.startswith("p:") and b.startswith("p:")) or " " not in a or " " not in b:
        return False
    ga, sa = a[2:].rsplit(" ", 1)
    gb, sb = b[2:].rsplit(" ", 1)
    if sa != sb or ga == gb:
        return False
    short, long_ = sorted((ga, gb), key=len)
    return any(long_ == first + short for first in COMPOUND_FIRST)


# --- spelling variants of one surname ------------------------------------------------------------------------
VOWELS = frozenset("aeiouy")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def consonants(word: str) -> str:
    return "".join(c for c in word if c not in VOWELS)


def surname_spelling_variant(a: str, b: str) -> dict[str, object] | None:
    """Evidence that two folded surnames are one name spelt two ways, or None: within an edit distance of two,
    with the same consonants in the same order (transliterations differ in vowels: Mosaheb / Masaheb). Different
    names a short distance apart (Rahimi / Karimi) differ in a consonant and never qualify; nor does a surname and
    its -i form (Farahmand / Farahmandi, another name)."""
    if a == b or a.endswith(("i", "y")) != b.endswith(("i", "y")):
        return None
    d = edit_distance(a, b)
    if d > 2 or consonants(a) != consonants(b) or a[:1] != b[:1]:
        return None
    return {"surnames": sorted((a, b)), "edit_distance": d, "consonants": consonants(a)}


def role_title(title: str | None) -> str | None:
    """The role a title names, without its qualifiers: "deputy head for small industries affairs" and "Deputy
    Head" are both "deputy head"."""
    if not title:
        return None
    t = re.split(r"\s+(?:for|of|in|at)\s+|,", title.lower().strip(), maxsplit=1)[0]
    t = re.sub(r"^(?:the|a|an)\s+", "", t).strip(" .-")
    return t or None


def org_identity(org: str | None) -> frozenset[str]:
    """The keys an organisation written as "Full Name (ACR)", "Full Name" or "ACR" goes by: its key, its
    acronym's key, and the acronym its initials spell."""
    if not org:
        return frozenset()
    m = re.match(rf"^(.*?)\s*{ACRONYM_IN_PARENS}\s*$", org.strip())
    out = set()
    full = m.group(1) if m else org
    if m:
        out.add(org_key(m.group(2)))
    out.add(org_key(full))
    words = [w for w in re.findall(r"[\w-]+", full) if w.lower() not in _CONNECT]
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        out.add("a:" + _initials(words).lower())
    return frozenset(k for k in out if k)


def same_org(a: str | None, b: str | None) -> bool:
    """Whether two organisation surfaces name one organisation by key, acronym or initials (ISIPO = Iran Small
    Industries and Industrial Parks Organization: the acronym's letters follow the initials)."""
    ia, ib = org_identity(a), org_identity(b)
    if not ia or not ib:
        return False
    if ia & ib:
        return True
    acrs = [k[2:] for k in ia | ib if k.startswith("a:")]
    return any(x != y and _subsequence(x, y) and len(x) >= 0.6 * len(y) for x in acrs for y in acrs)


# --- subject validation -----------------------------------------------------------------------------------
_DATELINE = re.compile(r"^[A-Z]{3,}(?:\s+[A-Z]{3,})*\s*[-–—]+\s*")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)\s*['’]s?\b\s*(?P<rest>.*)$")
_BACKREF = frozenset({"mentioned", "said", "aforementioned", "abovementioned", "above", "this", "these", "that",
                      "those", "such", "which", "it", "its", "they"})
_NUMBERISH = re.compile(r"\d|\b(?:percent|per cent|one|two|three|four|five|six|seven|eight|nine|ten|hundred|"
                        r"thousand|million|billion|trillion)\b", re.I)


def _fragment(word: str, sentence: str, text: str | None) -> str | None:
    """Why a one-word capitalised subject is not a name in ``sentence``, or None."""
    low = word.lower()
    if sentence.lstrip(" \"“'‘").startswith(word) and text and re.search(r"\b" + re.escape(low) + r"\b", text):
        return "subject.sentence_initial_word"  # the article also writes it in lower case: a common word
    occ = list(re.finditer(r"\b" + re.escape(word) + r"\b", sentence))
    if occ and all(re.search(r"[A-Z][\w-]* $", sentence[: m.start()]) or re.match(r" [A-Z]", sentence[m.end() :])
                   for m in occ):
        return "subject.name_fragment"
    return None


def clean_subject(surface: str | None, sentence: str | None = None, text: str | None = None
                  ) -> tuple[str | None, str]:
    """A name fit to be an entity, or None, with the id of the rule that decided.

    - ``subject.dateline``: a leading dateline ("TEHRAN- ") is dropped;
    - ``subject.possessive``: "ISIPO's previous head", "Iran’s Deputy Industry" -> the owner ("ISIPO", "Iran");
    - ``subject.number``: a figure is not a subject ("22 percent", "1,200 units");
    - ``subject.back_reference``: "mentioned units", "the said payments";
    - ``subject.common_noun``: no capital letter (share, plan, country): not a named entity;
    - ``subject.common_noun_acronym``: an acronym of a common noun (MOU, SMEs, GDP: data/common_noun_acronyms.jsonl);
    - ``subject.junk``: line breaks, slashes or other non-name characters;
    - with the sentence: ``subject.sentence_initial_word`` (one word capitalised only because it starts the
      sentence, and the article also writes it in lower case: "Metal, petrochemical and food industries");
      ``subject.name_fragment`` (one word that the sentence only uses inside a longer name: "Trade" of
      "Industry, Mining, and Trade Minister").
    """
    if not surface:
        return None, "subject.none"
    s = " ".join(surface.split())
    if "\n" in surface or "/" in s or not re.search(r"[A-Za-z]", s):
        return None, "subject.junk"
    rule = "subject.as_written"
    d = _DATELINE.sub("", s)
    if d != s and d:
        s, rule = d, "subject.dateline"
    m = _POSSESSIVE.match(s)
    if m and ("'" in s or "’" in s) and m.group("owner")[:1].isupper():
        s, rule = m.group("owner").strip(), "subject.possessive"
    s = s.strip(" ,.;:-–")
    if not s:
        return None, "subject.junk"
    if _NUMBERISH.search(s) and not is_acronym(s):
        return None, "subject.number"
    if is_acronym(s) and org_key(s) in common_noun_acronyms():
        return None, "subject.common_noun_acronym"  # "the MOU", "SMEs": a kind of thing, not a named one
    words = s.split()
    if words[0].lower() in _BACKREF or (words[0].lower() == "the" and len(words) > 1
                                         and words[1].lower() in _BACKREF):
        return None, "subject.back_reference"
    if not any(w[:1].isupper() for w in words if w.lower() not in STOP):
        return None, "subject.common_noun"
    if sentence and len(words) == 1 and not is_acronym(s):
        why = _fragment(s, sentence, text)
        if why:
            return None, why
    return s, rule


# Words that make a capitalised phrase a place, not a person.
PLACE_WORDS = frozenset("zone province city county island port region district area park county village town "
                        "governorate state republic".split())
COMPASS = frozenset({"west", "east", "north", "south", "northern", "southern", "eastern", "western", "central"})


def looks_like_place(s: str) -> bool:
    toks = [t.lower().strip(",.") for t in s.split()]
    return bool(toks) and (toks[0] in COMPASS or any(t in PLACE_WORDS for t in toks))
