"""The regex rules of ``patterns/quantities.jsonl``: numbers that are not claims (dates, identifiers,
scores, ranks) and amounts without digits (fractions, multipliers, vague amounts)."""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.numbers import parse_number, scale_factor
from extractors.quantities.lexicons import pattern_data
from extractors.quantities.model import Candidate
from extractors.quantities.nouns import count_noun, hyphen_counts
from extractors.quantities.numerals import NUM_RE, VAGUE, fraction_value


def rule_spans(text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Apply the regex rules: non-claim numbers (dates, identifiers ...) and fractions/vague amounts."""
    data = pattern_data()
    out: list[Candidate] = []
    blocked: list[tuple[int, int]] = []
    for rule, rx in data.rules:
        for m in rx.finditer(text):
            s, e = (m.start(1), m.end(1)) if rx.groups else (m.start(), m.end())
            if any(bs <= s < be or bs < e <= be for bs, be in blocked):
                continue
            if rule["id"] == "identifier.attached":
                letters = re.match(r"[A-Za-z]*", m.group(0)).group(0)  # type: ignore[union-attr]
                glued = m.group(0)[len(letters) : len(letters) + 1] == "-"
                if letters and (
                    letters in data.currency_prefix
                    or letters.upper() in ("US", "USD")
                    or (glued and letters.lower() in _GLUED_PREFIXES)  # "minus-5", "sub-300", "now-18"
                    or (glued and len(letters) > 3 and scale_factor(letters) is not None)  # "2.5 million-2.7 million"
                ):
                    continue
            if rule["id"] == "ordinal.first_n" and any(
                lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent)
            ):
                continue  # "the first 500 megawatts": an amount, not a rank
            if rule["id"] == "score.hyphen" and any(
                lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent, data.time_units)
            ):
                continue  # "14-18 mpg", "3-4 tons": a range with its unit, not a score
            if rule["id"] == "compound.word_number" and hyphen_counts(text, m.start() + m.group(0).index("-")):
                continue  # "a six-acre town", "a three-member board": the number counts or measures
            kind = rule["kind"]
            value: Decimal | None = None
            vmax: Decimal | None = None
            frag = m.group(0).lower()
            if rule.get("vague"):
                if rule.get("omit"):
                    blocked.append((m.start(), m.end()))
                    continue
                words = frag.split()
                lo, hi = VAGUE.get(words[-1], VAGUE.get(words[0], ("1", "10")))
                value, vmax = Decimal(lo), Decimal(hi)
                if words[0] in ("tens", "hundreds") and len(words) > 2:
                    base = Decimal(VAGUE[words[-1]][0])
                    mult = Decimal(10 if words[0] == "tens" else 100)
                    value, vmax = base * mult, base * mult * 10
            elif rule.get("fraction"):
                value = fraction_value(frag)
            elif rule.get("multiplier"):
                mult_words = re.sub(r"(?:[\s-]?(?:folds?|times)|(?<=\d)x)$", "", frag).strip()
                half = re.search(r"\s+and\s+(?:a\s+)?half$", mult_words)  # "two and a half times"
                lo_hi = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:-|–|to|or|and)\s*(\d+(?:\.\d+)?)", mult_words)
                if lo_hi:  # "25 to 30 times"
                    value, vmax = parse_number(lo_hi.group(1)), parse_number(lo_hi.group(2))
                else:
                    value = parse_number(mult_words[: half.start()] if half else mult_words)
                if value is not None and half:
                    value += Decimal("0.5")
            elif "value" in rule:
                value = Decimal(rule["value"])
            elif kind == "age":
                value = parse_number(m.group(1))
                if rx.groups >= 2 and m.group(2):
                    vmax = parse_number(m.group(2))
                    e = m.end(2)
            else:
                nm = re.search(r"\d+(?:\.\d+)?", m.group(0)) or NUM_RE.search(m.group(0))
                value = parse_number(nm.group(0)) if nm else None
            blocked.append((m.start(), m.end()))
            if value is None:
                continue
            unit = "year" if kind == "age" else None
            if rule.get("multiplier"):
                unit = "times"
            elif rule.get("vague") or rule.get("fraction") or rule["id"].startswith("pronoun."):
                # "a third of those screened", "one of the approaches", "thousands of job cuts"
                om = re.match(
                    r"(?:\s+of(?=\s))?(?:\s+(?:the|its|their|those|these|his|her|our|all|a|an|them)(?=\s))?",
                    text[m.end() :],
                )
                if om:
                    unit, _ = count_noun(text, m.end() + om.end())
            out.append(Candidate(s, e, s, e, value, vmax, unit, kind, rule["id"]))
    return out, blocked


_GLUED_PREFIXES = frozenset(
    {"minus", "sub", "now", "then", "plus", "over", "under", "around", "about", "some"}
)
