"""Plain numbers classified: a count, a year, a date part, an ordinal or an identifier."""

from __future__ import annotations

import re

from extractors.quantities.changes import after_direction
from extractors.quantities.lexicons import CAP_OK, LEVEL_VERBS, MONTHS, STOP, TIME_WORDS, YEAR_DET, YEAR_STRONG, cue
from extractors.quantities.model import Candidate
from extractors.quantities.nouns import HYPHEN_NOUN_RE, count_noun, hyphen_counts, singular_head
from extractors.quantities.numerals import is_year_like
from extractors.quantities.text import is_prose, next_word, prev_word

_TITLE_GOES_ON_RE = cue("quantity.cue.title_goes_on")


def classify_plain(text: str, c: Candidate, prev_year_end: int) -> None:
    """A number with no unit: year, identifier, pronoun, or count (with its noun when there is one)."""
    pw, pws = prev_word(text, c.start)
    lpw = pw.lower().rstrip(".")
    nw = next_word(text, c.end)
    after = text[c.end : c.end + 2]
    in_list = bool(
        re.search(r"(?:\d{5,}|\d,\d{3}|\b\d{1,3}|\.\d+),\s+$", text[max(0, c.start - 12) : c.start])
        or re.match(r"(?:,\s+|\s+(?:and|or)\s+)(?:\d{5,}|\d{1,3}(?:,\d{3})+|\d{1,3}\b)", text[c.end :])
    )
    if in_list and any(
        w.lower().rstrip(".") in MONTHS
        for w in re.findall(r"[A-Za-z.]+", text[max(0, c.start - 30) : c.start])
    ):
        in_list = False  # "March 19, 2020", "March 21-September 21, 2019"
    before_prev, _ = prev_word(text, pws) if pw else ("", 0)
    strong = lpw in YEAR_STRONG and not (lpw == "of" and before_prev.lower() not in TIME_WORDS)
    if is_year_like(c, text) and (strong or not in_list) and lpw not in LEVEL_VERBS:
        if (
            lpw in ("from", "between")
            and nw
            and nw[0].islower()
            and not after.startswith(" and")
            and not (re.match(r"\s*(?:to|and|-)\s*\d{4}\b", text[c.end :]))
        ):
            strong = False
        follows_noun = bool(nw) and nw[0].islower() and nw.lower() not in STOP and nw.lower() not in MONTHS
        if (
            (
                strong
                or lpw in YEAR_DET
                or (prev_year_end >= 0 and c.start - prev_year_end < 8)
                or not follows_noun
                or singular_head(text, c.end)
                or text[c.end : c.end + 1] in ("'", "’")
            )
            and not (lpw == "of" and not strong)
            and c.approx == "="
        ):
            c.kind, c.rule_id, c.unit = "year", "year.context", None
            return
    # a capitalised word that ends the previous sentence ("... in Tehran. 15 firms") names nothing
    sentence_end = (
        pw.endswith(".")
        and not re.fullmatch(r"(?:[A-Za-z]\.)+|No\.|Nos\.|Vol\.|Art\.|St\.|Mr\.|Dr\.|Ms\.|Mrs\.", pw)
        and bool(re.match(r"\s", text[pws + len(pw) : pws + len(pw) + 1]))
    )
    # identifiers: a capitalised name right before the number ("Big 12", "Planet 9")
    if (
        pw
        and not sentence_end
        and pw[0].isupper()
        and lpw not in CAP_OK
        and text[pws : c.start].strip() == pw
        and (not c.is_word)
        and c.approx == "="
        and c.direction is None
    ):
        if not re.fullmatch(r"[A-Z]{2,}", pw) or c.value < 100 or not nw:
            c.kind, c.rule_id = "identifier", "identifier.after_name"
            return
    word = text[c.num_start : c.num_end]
    if (
        c.is_word
        and word[:1].isupper()
        and pw
        and not sentence_end
        and pw[:1].isupper()
        and lpw not in CAP_OK
        and (text[pws : c.start].strip() == pw)
    ):
        c.kind, c.rule_id = "identifier", "identifier.name_word"
        return
    if (
        c.is_word
        and word[:1].isupper()
        and pw[:1].islower()
        and not sentence_end
        and nw[:1].isupper()
        and is_prose(text, c.start)
    ):
        # "our One Home Depot strategic investments", "the Three Gorges dam": a capitalised number word
        # inside a lower-case sentence, before another capitalised word, is part of a name
        c.kind, c.rule_id = "identifier", "identifier.name_word_before"
        return
    if c.is_word and c.value == 1 and word.lower() == "one":
        noun, end = count_noun(text, c.end)
        if not noun:
            c.kind, c.rule_id = "other", "pronoun.one"
            return
    hm = HYPHEN_NOUN_RE.match(text, c.end)
    if hm and c.value == c.value.to_integral_value() and hyphen_counts(text, c.end):
        if hm.group("n").lower() == "strong":  # "a 3,000-strong workforce": the noun phrase after it
            noun, end = count_noun(text, hm.end())
            if noun:
                c.kind, c.unit, c.rule_id, c.end = "count", noun, "count.strong", end
                return
        else:  # "a 50-member delegation": 50 members
            c.kind, c.unit, c.rule_id, c.end = "count", hm.group("n"), "count.hyphen_noun", hm.end()
            if c.unit.lower() == "point":  # "a 500-point drop": index points
                c.kind, c.unit, c.rule_id = "quantity", "point", "unit.index.point.hyphen"
                after_direction(text, c, c.start)
            return
    noun, end = count_noun(text, c.end)
    if (
        noun
        and c.value == c.value.to_integral_value()
        and all(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in noun.split())  # "i5-9300H": a code
        and any(ch.islower() for ch in noun)
        and not noun.endswith("s")
        and not re.match(r"\s*\d", text[end:])
    ):
        c.kind, c.rule_id = "identifier", "identifier.before_name"
        return
    if noun and " " in noun and all(w[:1].isupper() for w in noun.split()) and _TITLE_GOES_ON_RE.match(text, end):
        # "The 15 Weirdest Galaxies in Our Universe", "The 7 Habits of Highly Effective People": a title
        c.kind, c.rule_id = "identifier", "identifier.title"
        return
    if noun:
        c.kind, c.unit, c.rule_id, c.end = "count", noun, "count.noun", end
        return
    om = re.match(
        r"\s+of\s+(?:the|its|their|these|those|his|her|our|all|such)\s+"
        r"(?:(?:mentioned|said|above|aforementioned|above-mentioned)\s+)?(?:\d[\d,.]*\s+)?",
        text[c.end :],
        re.I,
    )
    if om:
        noun, _ = count_noun(text, c.end + om.end() - 1)
        if noun:
            c.kind, c.unit, c.rule_id = "count", noun, "count.of_the"
            return
    c.kind, c.rule_id = "count", "count.bare"
