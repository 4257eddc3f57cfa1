"""The regex rules of ``patterns/quantities.jsonl``: numbers that are not claims (dates, identifiers,
scores, ranks) and amounts without digits (fractions, multipliers, vague amounts).

As in ``dates.py``, each rule is data: its ``regex``, the ``kind`` it gives, the ``resolver`` that reads its
value (a key of :data:`RESOLVERS`), the ``unit`` it carries (``year``, ``times``, or ``counted_noun``: the
noun after "of the"), and ``unless``, a key of :data:`GUARDS` naming when a match is left to the other stages
("the first 500 megawatts" is an amount, not a rank). ``omit``: the span is blocked and nothing reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from extractors.numbers import parse_number, scale_factor
from extractors.quantities.lexicons import Data, cue, lexicon, pattern_data
from extractors.quantities.model import Candidate
from extractors.quantities.nouns import count_noun, hyphen_counts
from extractors.quantities.numerals import NUM_RE, VAGUE, fraction_value

#: a resolver reads (value, value_max, end or None) from a match and its lower-cased text
Resolver = Callable[[re.Match[str], str, dict[str, Any]], tuple[Decimal | None, Decimal | None, int | None]]
#: a guard says whether a match is left to the other stages
Guard = Callable[[str, re.Match[str], Data], bool]


def r_vague(m: re.Match[str], frag: str, rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """"dozens", "hundreds of thousands": a range of orders of magnitude."""
    words = frag.split()
    lo, hi = VAGUE.get(words[-1], VAGUE.get(words[0], ("1", "10")))
    value, vmax = Decimal(lo), Decimal(hi)
    if words[0] in ("tens", "hundreds") and len(words) > 2:
        base = Decimal(VAGUE[words[-1]][0])
        mult = Decimal(10 if words[0] == "tens" else 100)
        value, vmax = base * mult, base * mult * 10
    return value, vmax, None


def r_fraction(m: re.Match[str], frag: str, rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """"a third", "two fifths", "3/4", "one out of three"."""
    return fraction_value(frag), None, None


def r_multiplier(m: re.Match[str], frag: str,
                 rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """"three times", "two and a half times", "25 to 30 times", "10-fold"."""
    vmax: Decimal | None = None
    mult_words = re.sub(r"(?:[\s-]?(?:folds?|times)|(?<=\d)x)$", "", frag).strip()
    half = re.search(r"\s+and\s+(?:a\s+)?half$", mult_words)  # "two and a half times"
    lo_hi = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:-|–|to|or|and)\s*(\d+(?:\.\d+)?)", mult_words)
    if lo_hi:  # "25 to 30 times"
        value, vmax = parse_number(lo_hi.group(1)), parse_number(lo_hi.group(2))
    else:
        value = parse_number(mult_words[: half.start()] if half else mult_words)
    if value is not None and half:
        value += Decimal("0.5")
    return value, vmax, None


def r_value(m: re.Match[str], frag: str, rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """The rule's own ``value`` ("half of" is 0.5, "one of" is 1)."""
    return Decimal(rule["value"]), None, None


def r_age(m: re.Match[str], frag: str, rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """An age in group 1, an upper bound in group 2 ("aged 18 to 25") that ends the span."""
    value = parse_number(m.group(1))
    if m.re.groups >= 2 and m.group(2):
        return value, parse_number(m.group(2)), m.end(2)
    return value, None, None


def r_number(m: re.Match[str], frag: str, rule: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    """The first number in the match, digits or words."""
    nm = re.search(r"\d+(?:\.\d+)?", m.group(0)) or NUM_RE.search(m.group(0))
    return (parse_number(nm.group(0)) if nm else None), None, None


RESOLVERS: dict[str, Resolver] = {
    "vague": r_vague, "fraction": r_fraction, "multiplier": r_multiplier, "value": r_value, "age": r_age,
    "number": r_number,
}


def g_currency_or_glued_prefix(text: str, m: re.Match[str], data: Data) -> bool:
    """Letters glued to the number are a currency ("US$58", "RM79"), or a word joined by a hyphen
    ("minus-5", "sub-300", "2.5 million-2.7 million"): not an identifier."""
    letters = re.match(r"[A-Za-z]*", m.group(0)).group(0)  # type: ignore[union-attr]
    glued = m.group(0)[len(letters) : len(letters) + 1] == "-"
    return bool(letters) and (
        letters in data.currency_prefix
        or letters.upper() in ("US", "USD")
        or (glued and letters.lower() in _GLUED_PREFIXES)  # "minus-5", "sub-300", "now-18"
        or (glued and len(letters) > 3 and scale_factor(letters) is not None)  # "2.5 million-2.7 million"
    )


def g_amount_follows(text: str, m: re.Match[str], data: Data) -> bool:
    """"the first 500 megawatts": an amount, not a rank."""
    return any(lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent))


def g_amount_or_time_follows(text: str, m: re.Match[str], data: Data) -> bool:
    """"14-18 mpg", "3-4 tons": a range with its unit, not a score."""
    return any(lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent, data.time_units))


def g_hyphen_noun_counts(text: str, m: re.Match[str], data: Data) -> bool:
    """"a six-acre town", "a three-member board": the number counts or measures."""
    return hyphen_counts(text, m.start() + m.group(0).index("-"))


GUARDS: dict[str, Guard] = {
    "currency_or_glued_prefix": g_currency_or_glued_prefix, "amount_follows": g_amount_follows,
    "amount_or_time_follows": g_amount_or_time_follows, "hyphen_noun_counts": g_hyphen_noun_counts,
}

_OF_THE_RE = cue("quantity.cue.of_the")


def rule_spans(text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Apply the regex rules: non-claim numbers (dates, identifiers ...) and fractions/vague amounts."""
    data = pattern_data()
    out: list[Candidate] = []
    blocked: list[tuple[int, int]] = []
    for rule, rx in data.rules:
        guard = GUARDS[rule["unless"]] if "unless" in rule else None
        resolve = RESOLVERS[rule["resolver"]]
        for m in rx.finditer(text):
            s, e = (m.start(1), m.end(1)) if rx.groups else (m.start(), m.end())
            if any(bs <= s < be or bs < e <= be for bs, be in blocked):
                continue
            if guard is not None and guard(text, m, data):
                continue
            if rule.get("omit"):
                blocked.append((m.start(), m.end()))
                continue
            value, vmax, end = resolve(m, m.group(0).lower(), rule)
            if end is not None:
                e = end
            blocked.append((m.start(), m.end()))
            if value is None:
                continue
            unit = rule.get("unit")
            if unit == "counted_noun":
                # "a third of those screened", "one of the approaches", "thousands of job cuts"
                om = _OF_THE_RE.match(text[m.end() :])
                unit = count_noun(text, m.end() + om.end())[0] if om else None
            out.append(Candidate(s, e, s, e, value, vmax, unit, rule["kind"], rule["id"]))
    return out, blocked


_GLUED_PREFIXES = lexicon("glued_prefixes")
