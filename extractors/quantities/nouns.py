"""Counted nouns: the noun phrase a bare number counts ("2,000 units", "a six-acre town", "30 Tu-154 models")."""

from __future__ import annotations

import re

from extractors.numbers import NUMBER_WORDS
from extractors.quantities.lexicons import (
    CLASSIFIERS,
    HYPHEN_COUNT_NOUNS,
    INVARIANT_PLURALS,
    MONTHS,
    PRENOMINAL,
    SOFT,
    STOP,
    VERBISH_SUFFIX,
    pattern_data,
)
from extractors.quantities.model import Candidate

HYPHEN_NOUN_RE = re.compile(r"-(?P<n>[A-Za-z]+)\b(?!-)")


def hyphen_counts(text: str, pos: int) -> bool:
    """Whether the hyphenated word at ``pos`` ("-acre", "-member", "-strong") makes the number before it a
    claim: a unit of measure, a counted noun, or "-strong" before a noun phrase."""
    hm = HYPHEN_NOUN_RE.match(text, pos)
    if not hm:
        return False
    word = hm.group("n").lower()
    if word in HYPHEN_COUNT_NOUNS or word == "strong":
        return True
    if word == "point":  # "a 6,000-point jump" (index points), not "a four-point plan"
        return bool(pattern_data().dir_after_re.match(text, hm.end()))
    hit = pattern_data().units.match(text, pos)
    return hit is not None and hit[0] == hm.end()


def count_noun(text: str, pos: int) -> tuple[str | None, int]:
    """The counted noun phrase after ``pos`` (as written, no determiners) and where it ends."""
    i = pos
    words: list[tuple[str, int, int]] = []
    m = re.match(r"[ \u00a0]+", text[i:])
    if not m and i < len(text) and text[i].isalpha():
        return None, pos  # glued letters are not a noun phrase
    while True:
        # digits inside a word belong to it ("four RS-25 engines", "50 Airbus A350-900 jets", "Covid-19 cases")
        m = re.match(r"[ \u00a0]*(?P<w>[A-Za-z][A-Za-z0-9'’\-&]*(?:\.(?=[A-Za-z]))?[A-Za-z0-9]*)", text[i:])
        if not m:
            break
        w = m.group("w")
        lw = w.lower()
        if re.match(r"[a-z]+-\d", w) and w.split("-", 1)[0] in STOP:
            break  # "200,000 to-260,000": a range typed with a glued "to", not a noun
        if lw == "and" and words:
            nxt = re.match(r"[ \u00a0]+and[ \u00a0]+([A-Za-z][\w'’-]*)[ \u00a0]+([A-Za-z][\w'’-]*)", text[i:])
            plural_before = words[-1][0].lower().endswith("s")
            if (
                nxt
                and nxt.group(1).lower() not in STOP | NUMBER_WORDS
                and nxt.group(2).lower() not in STOP | NUMBER_WORDS
                and (not plural_before or nxt.group(2).lower().endswith("s"))
            ):
                words.append((w, i + m.start("w"), i + m.end("w")))
                i = i + m.end("w")
                continue
        if lw in SOFT or (not words and lw in PRENOMINAL):
            nxt = re.match(r"[ \u00a0]+([A-Za-z][\w'’-]*)", text[i + m.end("w") :])
            coord = re.match(  # "4,600 small and medium-sized units"
                r"[ \u00a0]+and[ \u00a0]+([A-Za-z][\w'’-]*)[ \u00a0]+([A-Za-z][\w'’-]*)", text[i + m.end("w") :]
            )
            coordinated = bool(coord) and all(
                g.lower() not in STOP and g.lower() not in NUMBER_WORDS for g in coord.groups()  # type: ignore[union-attr]
            )
            if not coordinated and not (
                nxt and nxt.group(1).lower() not in STOP and nxt.group(1).lower() not in NUMBER_WORDS
            ):
                break
        elif lw in STOP or lw in NUMBER_WORDS or lw in MONTHS or len(words) >= 5:
            break
        ws, we = i + m.start("w"), i + m.end("w")
        poss = re.search(r"['’]s?$", w)
        if poss and w[0].islower() and len(w) > len(poss.group(0)) + 1:
            # "the two countries’ bilateral trade": the possessor is the counted noun
            words.append((w[: poss.start()], ws, we - len(poss.group(0))))
            break
        if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", w) and re.match(r"\.[ \u00a0]+[a-z]", text[we : we + 3]):
            we += 1  # "200 U.S. military personnel": the abbreviation's last dot, not a sentence end
        words.append((w, ws, we))
        i = we
        if i < len(text) and text[i] not in " \u00a0":
            break
    # the phrase ends on a noun-like word: drop trailing verb-like words ("countries conducted")
    while words and (words[-1][0].lower().endswith(VERBISH_SUFFIX) and len(words[-1][0]) > 4):
        words.pop()
    if not words:
        return None, pos
    end = words[-1][2]
    if words[-1][0].lower() in CLASSIFIERS:
        om = re.match(r"[ \u00a0]+of(?=[ \u00a0])", text[end:])
        if om:  # "68 types of minerals": the kinds counted belong to the phrase
            inner, inner_end = count_noun(text, end + om.end())
            if inner and not re.match(r"[A-Z]{2,}\b|\S*\d", inner):  # not "grades of MTDI" (a product code)
                # "categories of products leaving China": a participle ends the inner phrase
                inner_start = inner_end - len(inner)
                for wm in list(re.finditer(r"\S+", inner))[1:]:
                    if wm.group(0).lower().endswith(VERBISH_SUFFIX) and len(wm.group(0)) > 4:
                        inner_end = inner_start + wm.start()
                        break
                end = inner_start + len(inner[: inner_end - inner_start].rstrip())
    return text[words[0][1] : end], end


def _is_singular(word: str) -> bool:
    """A common noun in its singular form (not "units", "people", "staff" or another invariant plural)."""
    w = word.lower()
    return w.isalpha() and word[:1].islower() and not w.endswith("s") and w not in INVARIANT_PLURALS


def singular_head(text: str, pos: int) -> bool:
    """Whether the noun phrase after ``pos`` ends on a singular noun ("2024 moon mission", "the 777 program")."""
    noun, _ = count_noun(text, pos)
    return bool(noun) and _is_singular(noun.split()[-1])  # type: ignore[union-attr]


def models_after_counts(text: str, cands: list[Candidate]) -> None:
    """A number right after a count ("roughly 400 737 Max jets", "two new 737 Max jets") names a model: the
    count takes the noun phrase after it. A measure right after a count ("eight million 250ml bottles",
    "three 500-MW units") sizes the things counted: it stays a figure, and the count takes the noun after it."""
    for a, b in zip(cands, cands[1:], strict=False):
        if a.kind != "count" or a.rule_id != "count.bare" or b.is_word:
            continue
        gap = _MODEL_GAP_RE.fullmatch(text, a.end, b.start)
        if not gap or (gap.group("w") and gap.group("w").lower() in STOP - SOFT):
            continue
        hyphen_compound = bool(re.match(r"-[A-Za-z]", text[b.end :]))  # "eight 35,000-barrel cargos"
        if b.kind == "count" and b.rule_id in ("count.noun", "count.bare") and not hyphen_compound:
            b.kind, b.rule_id = "identifier", "identifier.after_number"
            if b.unit:
                a.unit, a.rule_id, a.end = text[a.end : b.end].strip(), "count.noun", b.end
        elif b.kind == "quantity" and not gap.group("w"):
            noun, end = count_noun(text, b.end)
            if noun:
                a.unit, a.rule_id = noun, "count.sized_noun"


_MODEL_GAP_RE = re.compile(r"[ \u00a0]+(?:(?P<w>[a-z]+)[ \u00a0]+)?")
