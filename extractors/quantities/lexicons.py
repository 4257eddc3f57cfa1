"""The quantity layer's data: the JSONL lexicons under ``extractors/patterns/`` (currencies, units,
percent and time-unit words, approximation and direction cues, word lists of ``lexicon.jsonl``, the regex
rules of ``quantities.jsonl`` and the cue regexes of ``quantities_rules.jsonl``), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from extractors.fastre import compile_guarded
from extractors.jsonl import read_jsonl

PATTERNS = Path(__file__).parent.parent / "patterns"


def load(name: str) -> list[dict[str, Any]]:
    """The rows of a JSONL file under ``extractors/patterns/``."""
    return read_jsonl(PATTERNS / name)


def alt(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """A lexicon of surface forms after a number: case-insensitive words and case-sensitive abbreviations."""

    words_re: re.Pattern[str] | None
    abbr_re: re.Pattern[str] | None
    words: dict[str, dict[str, Any]]
    abbr: dict[str, dict[str, Any]]

    def match(self, text: str, pos: int) -> tuple[int, dict[str, Any], str] | None:
        """Longest form starting at ``pos`` (after optional blank): (end, entry, form)."""
        best: tuple[int, dict[str, Any], str] | None = None
        for rx, table, ci in ((self.words_re, self.words, True), (self.abbr_re, self.abbr, False)):
            if rx is None:
                continue
            m = rx.match(text, pos)
            if not m:
                continue
            form = m.group("f")
            attached = m.start("f") == pos
            if not ci and len(form) == 1 and form.isalpha() and not attached:
                # single-letter abbreviations only when attached ("37m") or capital and standalone ("5 W")
                if not form.isupper():
                    continue
            entry = table.get(form.lower() if ci else form) or table.get(form.lower().replace("-", " "))
            if entry is None:
                continue
            if best is None or m.end() > best[0]:
                best = (m.end(), entry, form)
        return best


def _lex(entries: list[dict[str, Any]], word_key: str = "words", abbr_key: str = "abbr") -> Lexicon:
    words: dict[str, dict[str, Any]] = {}
    abbr: dict[str, dict[str, Any]] = {}
    for e in entries:
        for w in e.get(word_key, []):
            words.setdefault(w.lower(), e)
        for a in e.get(abbr_key, []):
            abbr.setdefault(a, e)
    for w, e in list(words.items()):  # "twenty-foot equivalent units" also as "twenty-foot-equivalent units"
        words.setdefault(w.replace("-", " "), e)
    end = r"(?![A-Za-z0-9])"
    # "cubic meters" also matches "cubic-meter" ("a 100,000-cubic-meter unit")
    walt = alt(list(words)).replace("\\ ", "[ \\-]")
    wre = (
        re.compile(r"(?:[ \u00a0]|-(?=[A-Za-z]))?(?P<f>" + walt + r")" + end, re.I)
        if words
        else None
    )
    are = (
        re.compile(r"(?:[ \u00a0]|-(?=[A-Za-z]))?(?P<f>" + alt(list(abbr)) + r")(?![A-Za-z0-9])")
        if abbr
        else None
    )
    return Lexicon(wre, are, words, abbr)


@dataclass(frozen=True)
class Data:
    currency_suffix: Lexicon
    currency_prefix_re: re.Pattern[str]
    currency_prefix: dict[str, dict[str, Any]]
    percent: Lexicon
    units: Lexicon
    time_units: Lexicon
    approx_re: re.Pattern[str]
    approx: dict[str, dict[str, Any]]
    dir_before_re: re.Pattern[str]
    dir_before: dict[str, dict[str, Any]]
    dir_after_re: re.Pattern[str]
    dir_after: dict[str, dict[str, Any]]
    rules: list[tuple[dict[str, Any], re.Pattern[str]]]


@lru_cache(maxsize=1)
def pattern_data() -> Data:
    cur = load("currencies.jsonl")
    prefix: dict[str, dict[str, Any]] = {}
    for e in cur:
        for p in e.get("prefix", []):
            prefix.setdefault(p, e)
    # a prefix must not be glued to a preceding letter ("PS" in "GPS"), and the number follows it
    prefix_re = re.compile(r"(?:^|(?<=[^A-Za-z]))(?P<f>" + alt(list(prefix)) + r")[ \u00a0]?$")
    suffix = _lex(cur, "words", "suffix_abbr")
    approx_rows = load("approx.jsonl")
    approx = {w.lower(): e for e in approx_rows for w in e["words"]}
    approx_re = re.compile(
        r"(?:^|(?<=[^\w-]))(?P<f>" + alt([w for w in approx if w[-1].isalpha() or w[-1] == "."]) + r")\s+$"
        r"|(?P<s>" + alt([w for w in approx if not (w[-1].isalpha() or w[-1] == ".")]) + r")\s*$",
        re.I,
    )
    dirs = load("directions.jsonl")
    before = {w.lower(): e for e in dirs if e["position"] == "before" for w in e["words"] if w[0].isalpha()}
    after = {w.lower(): e for e in dirs if e["position"] == "after" for w in e["words"]}
    before_re = re.compile(
        r"(?:^|(?<=[^\w-]))(?P<f>" + alt(list(before)) + r")\s+(?:by\s+)?"
        r"(?:(?:an?\s+)?(?:average|total|further|additional|another)\s+(?:of\s+)?)?$",
        re.I,
    )
    after_re = re.compile(r"(?:\s+|-)(?:in\s+\w+\s+)?(?P<f>" + alt(list(after)) + r")\b(?!\s+(?:than|to)\b)", re.I)
    rules = [(r, compile_guarded(r["regex"])) for r in load("quantities.jsonl")]  # a first-character lookahead
    return Data(
        currency_suffix=suffix,
        currency_prefix_re=prefix_re,
        currency_prefix=prefix,
        percent=_lex(load("percent.jsonl")),
        units=_lex(load("units.jsonl")),
        time_units=_lex(load("time_units.jsonl")),
        approx_re=approx_re,
        approx=approx,
        dir_before_re=before_re,
        dir_before=before,
        dir_after_re=after_re,
        dir_after=after,
        rules=rules,
    )


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    flags = {"I": re.I, "M": re.M, "S": re.S, "X": re.X}
    out = {}
    for r in load("quantities_rules.jsonl"):
        if r["kind"] == "cue":
            f = 0
            for c in r.get("flags", ""):
                f |= flags[c]
            out[r["id"]] = re.compile(r["regex"], f)
    return out


def mapping(rule_id: str) -> dict[str, Any]:
    """A table of ``patterns/quantities_rules.jsonl`` (kind "map"): surface form -> what it names."""
    (row,) = [r for r in load("quantities_rules.jsonl") if r["id"] == rule_id and r["kind"] == "map"]
    return dict(row["map"])


def cue(rule_id: str) -> re.Pattern[str]:
    """A cue regex of ``patterns/quantities_rules.jsonl`` (kind "cue"), compiled once."""
    return _cues()[rule_id]


@cache
def _lexicon_rows() -> dict[str, frozenset[str]]:
    return {r["id"].removeprefix("lexicon."): frozenset(r["words"]) for r in load("lexicon.jsonl")}


def lexicon(name: str) -> frozenset[str]:
    return _lexicon_rows()[name]


MONTHS = lexicon("months")
YEAR_STRONG = lexicon("year_strong") | MONTHS
YEAR_DET = lexicon("year_determiners")
TIME_WORDS = lexicon("time_words") | MONTHS
CAP_OK = lexicon("capitalised_ok")
STOP = lexicon("noun_phrase_stop")
CLASSIFIERS = lexicon("count_classifiers")
LEVEL_VERBS = lexicon("level_verbs")
VERBISH_SUFFIX = ("ed", "ing", "ly")
HYPHEN_COUNT_NOUNS = lexicon("hyphen_count_nouns")
PRENOMINAL = lexicon("prenominal_modifiers")
INVARIANT_PLURALS = lexicon("invariant_plurals")
STOCK_INDEXES_RE = re.compile(r"(?<![\w&])(?:" + alt(list(lexicon("stock_indexes"))) + r")(?![\w&])", re.I)


PHRASAL_UP = lexicon("phrasal_up")
SOFT = lexicon("soft_modifiers")
CHANGE_UP = lexicon("change_verbs_up")
CHANGE_DOWN = lexicon("change_verbs_down")
CHANGE_REPORTING = lexicon("change_reporting")
SIGNED_LEVEL_NOUNS = lexicon("signed_level_nouns")
