"""What a figure measures: normalised head noun (through measure_aliases.jsonl) plus the "idle" qualifier.

Pure functions over a claim row (type, unit, text, sentence, span). Each decision is returned with the id
of the rule that made it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.jsonl import read_jsonl

DATA = Path(__file__).resolve().parent / "data"

IDLE_WORDS = re.compile(
    r"\b(idle|inactive|dormant|semi-active|shut|closed|revive[ds]?|reviving|revival|reactivat\w*|"
    r"back (?:in|into) (?:production|operation|business|the production cycle))\b",
    re.I,
)
QUALIFIER_IN_UNIT = re.compile(r"\b(idle|inactive|dormant)\b", re.I)
IDLE_HEADS = frozenset({"units", "SMEs", "mines"})  # things that can be idle and revived
ACTIVE_IN_UNIT = re.compile(r"\b(?<!in)(active|operating|operational)\b", re.I)
# Words that cannot be the head of a measure on their own: qualifiers, back-references, numbers.
NOT_A_HEAD = frozenset({"idle", "inactive", "dormant", "active", "operating", "such", "mentioned", "said",
                        "aforementioned", "abovementioned", "other", "new", "more", "total", "percent", "figure",
                        "number", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                        "hundred", "thousand", "million", "billion", "trillion"})
DETERMINERS = {"the", "a", "an", "some", "about", "around", "nearly", "over", "more", "than", "of"}


@lru_cache(maxsize=1)
def alias_table() -> dict[str, tuple[str, str]]:
    """alias phrase (lower case, singular) -> (canonical measure, rule id)."""
    out: dict[str, tuple[str, str]] = {}
    for rec in read_jsonl(DATA / "measure_aliases.jsonl"):
        for a in rec["aliases"]:
            out[_sing_phrase(a)] = (rec["canonical"], rec["id"])
        out[_sing_phrase(rec["canonical"])] = (rec["canonical"], rec["id"])
    return out


def _sing(tok: str) -> str:
    if tok.endswith("ies") and len(tok) > 4:
        return tok[:-3] + "y"
    if tok.endswith("s") and not tok.endswith("ss") and len(tok) > 2:
        return tok[:-1]
    return tok


def _sing_phrase(p: str) -> str:
    toks = [t for t in re.split(r"[\s]+", p.lower().replace("-", " ").strip()) if t and t not in DETERMINERS]
    return " ".join(_sing(t) for t in toks)


def canonical_head(phrase: str) -> tuple[str, str]:
    """The longest aliased suffix of the phrase wins: "idle production units" -> ("units", "measure.unit")."""
    sp = _sing_phrase(QUALIFIER_IN_UNIT.sub(" ", phrase))
    table = alias_table()
    toks = sp.split()
    for i in range(len(toks)):
        cand = " ".join(toks[i:])
        if cand in table:
            return table[cand]
    return (sp or phrase.lower(), "measure.head_as_written")


def _alias_regex() -> re.Pattern[str]:
    names = sorted({a for a in _raw_aliases()}, key=len, reverse=True)
    alts = "|".join(map(re.escape, names))
    return re.compile(r"^\s*(?:are|were|is|being|was)\s+(?:all\s+)?(" + alts + r")s?\b", re.I)


@lru_cache(maxsize=1)
def _raw_aliases() -> tuple[str, ...]:
    out = []
    for rec in read_jsonl(DATA / "measure_aliases.jsonl"):
        if rec["id"] == "measure.unit":
            continue  # "units are units" says nothing
        out.extend(rec["aliases"])
    return tuple(out)


@lru_cache(maxsize=1)
def _are_re() -> re.Pattern[str]:
    return _alias_regex()


def valid_head(head: str) -> bool:
    """A measure names a thing: it has a word of three or more letters that is not a qualifier or a number
    word, and no digits ("8585", "45,000" and "idle" are not measures)."""
    if re.search(r"\d", head):
        return False
    return any(len(t) >= 3 and t.isalpha() and t.lower() not in NOT_A_HEAD for t in re.split(r"[\s-]+", head))


def measure_of(claim: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(measure, evidence) for a claim row; None for types that have no cross-article measure here.

    - count: canonical head of the unit; if the text right after the figure says what the units are
      ("1400 units are Small and Medium-sized Enterprises") that class wins (rule measure.sentence_says_are);
      "idle" is added when the unit says so or the sentence is about idle units or reviving them.
    - money: the currency (measure "money IRR"); percent: "percent"; quantity: the unit.
    """
    ev: dict[str, Any] = {}
    typ = claim.get("type")
    unit = (claim.get("unit") or "").strip()
    sentence = claim.get("sentence") or ""
    if typ == "money":
        return (f"money {unit}" if unit else None), {"rule": "measure.money_currency"}
    if typ == "percent":
        head, rule = ("percent", "measure.percent")
    elif typ == "quantity":
        head, rule = (unit.lower() or "quantity", "measure.quantity_unit")
    else:
        head, rule = canonical_head(unit or claim.get("text") or "")
    ev["head_rule"] = rule
    rel_end = (claim.get("end") or 0) - (claim.get("sentence_start") or 0)
    after = sentence[rel_end : rel_end + 80] if rel_end > 0 else ""
    m = _are_re().match(after)
    if typ == "count" and m:
        head, rid = canonical_head(m.group(1))
        ev["head_rule"] = "measure.sentence_says_are"
        ev["says_are"] = m.group(0).strip()
        ev["alias_rule"] = rid
    if typ == "count" and not valid_head(head):
        ev["invalid_measure"] = head
        ev["head_rule"] = "measure.invalid"
        return None, ev
    if typ == "count":
        if QUALIFIER_IN_UNIT.search(unit):
            ev["qualifier_rule"] = "measure.idle_in_unit"
            return f"idle {head}", ev
        if head in IDLE_HEADS and IDLE_WORDS.search(sentence):
            ev["qualifier_rule"] = "measure.idle_in_sentence"
            ev["qualifier_word"] = IDLE_WORDS.search(sentence).group(0)  # type: ignore[union-attr]
            return f"idle {head}", ev
        if ACTIVE_IN_UNIT.search(unit) and ev["head_rule"] != "measure.sentence_says_are":
            ev["qualifier_rule"] = "measure.active_in_unit"
            return f"active {head}", ev
    return head, ev


def normalise_measure_query(q: str) -> str:
    """A measure as typed on the command line ("idle units", "idle production units") -> its canonical form."""
    idle = bool(QUALIFIER_IN_UNIT.search(q))
    head, _ = canonical_head(q)
    return f"idle {head}" if idle else head
