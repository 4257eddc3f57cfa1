"""People's names: runs of name words, what makes a run a name here (a speech verb after it, no credit
line, no company), and the folding key of a person."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.names import fold_translit
from extractors.officials.data import lexicon, regexes
from extractors.officials.text import word_occurrences
from extractors.officials.words import is_name_word, is_org_head


def person_key(name: str) -> str:
    """Folding key for a person: the last name with transliteration variants folded (Asghar/Asqar)."""
    parts = [p for p in re.split(r"[\s\-]+", name) if p]
    if not parts:
        return ""
    return fold_translit(parts[-1].lower().replace("-", "").replace("'", "").replace("\u2019", ""))


def name_runs(text: str) -> Iterable[tuple[int, int, int]]:
    """(start, end, number of words) of capitalised name runs, honorifics and non-name words split off."""
    rx = regexes()
    for m in rx["run"].finditer(text):
        toks = [
            (t.group(), m.start() + t.start(), m.start() + t.end()) for t in re.finditer(r"\S+", m.group())
        ]
        run: list[tuple[str, int, int]] = []
        lex = lexicon()
        for k, (tok, s, e) in enumerate(toks + [("", -1, -1)]):
            ok = bool(tok) and not rx["hon"].match(tok) and is_name_word(tok)
            # a place word closing a run of given names is a surname ("Abolfazl Razavi"), unless the run is
            # itself a place ("Khorasan Razavi") or goes on into a larger name
            if (
                tok
                and not ok
                and tok in lex.places
                and run
                and run[-1][0] not in lex.places
                and (k + 1 >= len(toks) or not is_name_word(toks[k + 1][0]))
                and not regexes()["ordinal"].match(run[-1][0])
            ):
                ok = True
            # "Abbas Kazemi": a place word that is also a given name opens a person's name
            if (
                tok in lex.given_names
                and not run
                and k + 1 < len(toks)
                and is_name_word(toks[k + 1][0])
                and toks[k + 1][0] not in lex.places
            ):
                ok = True
            if ok:
                run.append((tok, s, e))
                continue
            if run and not _part_of_larger_name(text, run):
                yield run[0][1], run[-1][2], len(run)
            run = []


def _part_of_larger_name(text: str, run: list[tuple[str, int, int]]) -> bool:
    """A capitalised run that is part of a longer proper noun, not a person: it holds an ordinal or a
    'Five-Year' compound ('Sixth Five-Year National Development Plan'), or runs straight on into an
    organisation word ('National Cloud Seeding Research Center')."""
    if any(regexes()["ordinal"].match(t) for t, _, _ in run):
        return True
    m = re.match(r"[ \t]+([A-Z][A-Za-z\-]+)", text[run[-1][2] :])
    if m:
        nxt = m.group(1).lower()
        lex = lexicon()
        if is_org_head(nxt) or (nxt in lex.domains and nxt not in lex.heads):
            return True
        # "Iron Ore Producers", "Food Producers Cooperative": a common noun follows
        if regexes()["nonname_suffix"].match(m.group(1)):
            return True
    return False


def has_speech(text: str, start: int, end: int, sent_start: int) -> bool:
    rx = regexes()
    if rx["speech_after"].match(text[end : end + 60]):
        return True
    before = text[max(sent_start, start - 40) : start]
    return bool(rx["speech_before"].search(before))


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Writers' credits: '(Reporting by A, B; editing by C)' to its closing parenthesis, a short line opening
    with a credit cue, and a 'By A and B' byline line."""
    out = []
    rx = regexes()
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


def person_follows(text: str, pos: int) -> bool:
    """Two or more name words right after a role ('..., Indian Prime Minister Narendra Modi pledged'): the role
    is that person's, not an apposition to the words before the comma."""
    m = re.match(r"[ \t]+((?:[A-Z][\w'\u2019\-]+[ \t]+)+[A-Z][\w'\u2019\-]+)", text[pos : pos + 80])
    return m is not None and all(is_name_word(w) for w in m.group(1).split()[:2])


def verb_follows(text: str, pos: int) -> bool:
    """A speech verb right after a role, with no comma between ('the official added')."""
    return not text[pos : pos + 1] == "," and bool(regexes()["speech_after"].match(text[pos : pos + 60]))


def not_a_name_here(text: str, s: int, e: int, n: int, titled: bool) -> bool:
    """Context that shows a capitalised run is no person: 'said the United States' (untitled), 'Technical
    Assistance of Iran', "Dato' Ku" (a single word)."""
    if not titled and re.search(r"\b[Tt]he[ \t]+$", text[max(0, s - 5) : s]):
        return True
    # a single word that runs on into a longer name: "Technical Assistance of Iran", "Member Countries of the"
    if n >= 2:
        return False
    joins = "of|for" if titled else "of|for|and|&"  # "Russian President Putin and Saudi Crown Prince ..."
    return bool(re.match(rf"[ \t]+(?:{joins})[ \t]+(?:the[ \t]+)?[A-Z]|['\u2019](?!s\b)[A-Za-z]", text[e : e + 30]))


def company_like(text: str, name: str) -> bool:
    """The text treats ``name`` as a company: 'Home Depot shares are up', 'THE HOME DEPOT INC.', "LOWE'S
    COMPANIES INC." (its last word)."""
    rx = regexes()["company_context"]
    forms = {name, name.split()[-1]} if len(name.split()[-1]) >= 3 else {name}
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text  # a case mapping that changes lengths: search as written
    for form in forms:
        for _, end in word_occurrences(lowered, form.lower() if lowered is not text else form, hyphen=True):
            if rx.match(text, end):
                return True
    return False
