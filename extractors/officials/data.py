"""The officials layer's data: the gazetteers and rules under ``extractors/patterns/``
(``official_titles.jsonl``, ``org_words.jsonl``, ``officials_rules.jsonl``, ``speech_verbs.jsonl``) read
once into a :class:`Lexicon` (which the discourse layer shares), the regexes built from them, and the small
closed word sets of the title and organisation grammar."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.jsonl import read_jsonl

PATTERNS = Path(__file__).parent.parent / "patterns"


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
    titles = read_jsonl(PATTERNS / "official_titles.jsonl")
    orgs = read_jsonl(PATTERNS / "org_words.jsonl")

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
        rules={r["id"]: r for r in read_jsonl(PATTERNS / "officials_rules.jsonl")},
        speech=tuple((r["id"], r["regex"]) for r in read_jsonl(PATTERNS / "speech_verbs.jsonl")),
        title_objects=frozenset(pick(orgs, "title_object")),
        given_names=frozenset(pick(orgs, "given_name", lower=False)),
        title_words=frozenset(pick(titles, "head") + pick(titles, "modifier") + pick(titles, "domain")),
        agencies_lower=frozenset(a.lower() for a in agencies),
    )


def word_set(rule_id: str) -> frozenset[str]:
    """The words of a ``words`` row of ``officials_rules.jsonl``."""
    return frozenset(lexicon().rules[rule_id]["words"])


@lru_cache(maxsize=1)
def regexes() -> dict[str, re.Pattern[str]]:
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
        "ordinal": re.compile(lex.rules["official.not_person.ordinal"]["regex"]),
        "possessive_role": re.compile(lex.rules["official.possessive_role"]["regex"]),
        "acronym_definition": re.compile(lex.rules["org.acronym.parenthesis"]["regex"]),
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


LOWER_STOP = word_set("official.words.lower_stop")
GENERIC_ROLES = word_set("official.words.generic_roles")
NOT_ORG = word_set("official.words.not_org")
APPOINTED = word_set("official.words.appointed")
FUNCTION_WORDS = word_set("official.words.function_words")


def lexicon_speech_word(tok: str) -> bool:
    return bool(_speech_word_rx().fullmatch(tok))


@lru_cache(maxsize=1)
def _speech_word_rx() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r})" for _, r in lexicon().speech))
