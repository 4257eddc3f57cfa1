"""The noun a figure counts when it is not next to it: "the number of ... rose to 5,000", "from 1,700 tomans",
index levels and exchange rates."""

from __future__ import annotations

import re

from extractors.quantities.lexicons import (
    CHANGE_DOWN,
    CHANGE_UP,
    STOCK_INDEXES_RE,
    STOP,
    VERBISH_SUFFIX,
    cue,
    pattern_data,
)
from extractors.quantities.model import CLAIM_KINDS, Candidate
from extractors.quantities.money import rate_tail
from extractors.quantities.nouns import count_noun
from extractors.quantities.text import next_word, sentence_start

_NUMBER_OF_RE = cue("quantity.cue.number_of")
_OF_THE_RE = cue("quantity.cue.of_the_list")
_BACKREF_RE = cue("quantity.cue.back_reference")
_COMPARE_GAP_RE = cue("quantity.cue.compare_gap")
_FROM_BEFORE_RE = cue("quantity.cue.from_before")


_FROM_NOUN_RE = cue("quantity.cue.from_noun")


def _from_noun(before: str) -> str | None:
    """The counted noun of a bare number after "NOUNS from" ("tourist arrivals from 4.8 million")."""
    m = _FROM_NOUN_RE.search(before)
    if not m or m.group("head") in STOP or len(m.group("head")) < 4:
        return None
    mod = m.group("mod")
    if mod and (mod in STOP or mod in CHANGE_UP or mod in CHANGE_DOWN or mod.endswith(VERBISH_SUFFIX)):
        return m.group("head")
    return f"{mod} {m.group('head')}" if mod else m.group("head")


_LEVEL_CUE_RE = cue("quantity.cue.index_level")


def _index_level(before: str) -> bool:
    """Whether a bare number ending ``before`` (its sentence so far) is a stock index level: an index is
    named in the sentence and the number is reached "at", "to", "of" ... ("closed at 302,103")."""
    return bool(_LEVEL_CUE_RE.search(before)) and bool(STOCK_INDEXES_RE.search(before))


_FX_AFTER_RE = cue("quantity.cue.fx_per_dollar")


def _fx_rate(text: str, before: str, end: int) -> str | None:
    """The currency of an exchange rate written as a bare number "per dollar" ("the yen ... at 108.55 per
    dollar"): the last other currency named before it in the sentence, else None."""
    if not _FX_AFTER_RE.match(text, end):
        return None
    code = None
    lex = pattern_data().currency_suffix
    for m in re.finditer(r"[A-Za-z]+", before):
        hit = lex.match(before, m.start())
        if hit is not None and hit[1]["code"] != "USD" and not hit[1].get("factor"):
            code = hit[1]["code"]
    return code


def context_nouns(text: str, cands: list[Candidate]) -> None:
    """Bare counts take their noun from context, within the sentence: the nearest preceding count
    ("400 of them" -> "units"), "the number of cities ... increased to 1117", "of the mentioned projects,
    three ...", or the figure compared with ("355,000 barrels a day, compared with 323,000")."""
    last: Candidate | None = None
    prev: Candidate | None = None
    points: Candidate | None = None
    for c in cands:
        if c.kind == "count" and c.rule_id == "count.bare":
            sent = sentence_start(text, c.start)
            if points is not None and points.end >= sent and not c.is_word:
                # "lost 162.31 points, or 2.14%, to fall to 7,425.81": index levels in the sentence of a move
                c.kind, c.unit, c.rule_id = "quantity", "point", points.rule_id + ".context"
                prev = c
                continue
            before = text[sent : c.start]
            if not c.is_word and _index_level(before):
                # "the Sensex scaled a new all-time high of 40,816.38": an index level, in points
                c.kind, c.unit, c.rule_id = "quantity", "point", "unit.index.point.level"
                prev = c
                continue
            fx = None if c.is_word else _fx_rate(text, before, c.end)
            if fx is not None:
                # "the yen strengthened 0.13% versus the greenback at 108.55 per dollar": an exchange rate
                c.kind, c.unit, c.rule_id = "money", fx, "money.fx_rate"
                c.end = rate_tail(text, c.end, money=True)
                prev = c
                continue
            of_the = _OF_THE_RE.search(before)
            number_of = None
            for m in _NUMBER_OF_RE.finditer(before):
                number_of = m
            gap = text[prev.end : c.start] if prev is not None and prev.end >= sent else ""
            if (
                prev is not None
                and prev.kind in ("money", "quantity")
                and prev.end >= sent
                and len(gap) <= 40  # "... 15-inch base, we saw that scores increased from 1061": not compared
                and (
                    _COMPARE_GAP_RE.search(gap)
                    or (
                        re.fullmatch(r"\s+to\s+", gap)
                        and _FROM_BEFORE_RE.search(text, max(0, prev.start - 30), prev.start)
                    )
                )
                and not re.search(r"[;:]|\d", gap)
            ):
                c.kind, c.unit, c.rule_id = prev.kind, prev.unit, prev.rule_id + ".compared"
            elif of_the:
                c.unit, c.rule_id = of_the.group("np"), "count.of_the_context"
            elif number_of and (last is None or last.end < sent + number_of.start()):
                unit, _ = count_noun(text, sent + number_of.start("np") - 1)
                if unit:
                    c.unit, c.rule_id = unit, "count.number_of"
            elif (np := _from_noun(before)) is not None and next_word(text, c.end).lower() in STOP | {""}:
                c.unit, c.rule_id = np, "count.from_noun"
            elif (
                prev is not None
                and prev.rule_id == "count.from_noun"
                and prev.end >= sent
                and re.fullmatch(r"[^.;:\d]{0,30}?(?:\d{4}[^.;:\d]{0,12})?\bto\s+", gap)
            ):
                c.unit, c.rule_id = prev.unit, "count.from_noun"  # "... from 4.8 million in 2014 to 20 million"
            if c.rule_id == "count.bare" and last is not None and last.end >= sent:
                c.unit = last.unit
                c.rule_id = "count.context"
            elif (
                c.rule_id == "count.bare"
                and last is not None
                and last is prev
                and c.start - last.end < 300
                and _BACKREF_RE.search(before)
            ):
                # "210,000 jobs were created. The official said the figure is to reach 300,000"
                c.unit, c.rule_id = last.unit, "count.back_reference"
        elif c.kind == "count" and c.unit and c.rule_id not in ("count.bare",):
            last = c
        elif c.kind == "quantity" and c.unit == "point":
            points = c
        if c.kind in CLAIM_KINDS:
            prev = c
