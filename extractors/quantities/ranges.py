"""Ranges ("5-7%", "between 10 and 12 million") and units shared along a list ("5, 6 and 7 percent")."""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.numbers import normalise
from extractors.quantities.changes import after_direction
from extractors.quantities.lexicons import cue
from extractors.quantities.model import Candidate
from extractors.quantities.text import prev_word

_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|to|and|or|/)\s*(?:-?\s*)?", re.I)


def ranges(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Merge "10-12%", "between 10 and 12 trillion rials", "15 to 22 miles" into one range."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        if i + 1 < len(cands):
            b = cands[i + 1]
            gap = text[a.end : b.start]
            sep = _RANGE_SEP_RE.fullmatch(gap)
            if (
                sep
                and a.kind not in ("year", "identifier", "date_part", "ordinal", "age", "other")
                and b.kind not in ("year", "identifier", "date_part", "ordinal", "other")
            ):
                word = gap.strip().lower()
                pw, _ = prev_word(text, a.start)
                between = pw.lower() == "between" and word == "and"
                from_to = pw.lower() == "from" and word == "to"
                a_bare = a.rule_id == "count.bare"
                plain = word in ("-", "–", "—", "/") or (
                    word == "to" and (a.direction is None or a_bare) and _range_context(text, a.start, a_bare)
                )
                b_bare = b.rule_id == "count.bare" and word in ("-", "–", "to") and a.kind in (
                    "money",
                    "quantity",
                    "percent",
                )  # "$5-6 cheaper"
                same = a_bare or b_bare or (a.unit == b.unit and a.kind == b.kind)
                if gap == "-" and a_bare and b.kind == "count" and b.value < a.value and not (a.is_word or b.is_word):
                    # "3888-2", "the 787-9 jet": a code or a model, not a range
                    a.kind = b.kind = "identifier"
                    a.rule_id = b.rule_id = "identifier.hyphenated"
                    out.append(a)
                    i += 1
                    continue
                if (
                    (between or plain or (from_to and _range_context(text, a.start)))
                    and same
                    and (b.kind != "count" or b.unit is not None or a.unit is not None or between)
                ):
                    out.append(_merge(text, a, b))
                    i += 2
                    continue
                if (
                    word in ("or", "and", "to", "-") and a_bare and b.kind in ("money", "percent", "quantity")
                ):
                    # "eight or nine euros", "5 to 7 percent" (from-to as two figures): share the unit
                    _share_unit(a, b)
        out.append(a)
        i += 1
    return out


_CHANGE_VERB_RE = cue("quantity.cue.range_change_verb")


def _range_context(text: str, pos: int, bare: bool = False) -> bool:
    clause = re.split(r"[.;:!?]|,\s", text[max(0, pos - 80) : pos])[-1]
    if bare and re.search(r"\bby\s+$", clause):
        return True  # "dropped by 1 to 1.5 degrees": a range of the change itself
    return not _CHANGE_VERB_RE.search(clause)


def _share_unit(a: Candidate, b: Candidate) -> None:
    a.kind, a.unit, a.rule_id = b.kind, b.unit, b.rule_id + ".shared"
    # "$10 to $15 billion": a scale word on the upper end applies to the bare lower end
    if b.value > 0 and a.value > 0 and a.value < 1000 and b.value / a.value >= 1000:
        f = Decimal(10) ** (len(str(int(b.value))) - len(str(int(b.value)).rstrip("0")))
        for scale in (Decimal(10**12), Decimal(10**9), Decimal(10**6), Decimal(10**3)):
            if f >= scale and a.value * scale <= b.value:
                a.value = normalise(a.value * scale)
                break


def _merge(text: str, a: Candidate, b: Candidate) -> Candidate:
    a_bare = a.rule_id == "count.bare"
    lo = a.value
    if (
        (a_bare or (a.unit == b.unit and a.kind == b.kind))
        and b.value > 0
        and lo > 0
        and lo < 1000
        and b.value / lo >= 1000
    ):
        for scale in (Decimal(10**12), Decimal(10**9), Decimal(10**6), Decimal(10**3)):
            if b.value / scale >= 1 and lo * scale <= b.value * 1:
                lo = normalise(lo * scale)
                break
    kind, unit, rule = (b.kind, b.unit, b.rule_id) if a_bare else (a.kind, a.unit, a.rule_id)
    if b.kind == "count" and a.kind != "count":
        kind, unit, rule = a.kind, a.unit, a.rule_id
    approx = a.approx
    merged = Candidate(
        start=a.start,
        end=max(a.end, b.end),
        num_start=a.num_start,
        num_end=b.num_end,
        value=lo,
        value_max=b.value,
        unit=unit,
        kind=kind,
        rule_id=rule + ".range",
        approx=approx,
        direction=a.direction or b.direction,
        is_word=a.is_word and b.is_word,
    )
    after_direction(text, merged, a.start)  # "a 10-15 percent increase"
    return merged


_LIST_GAP_RE = cue("quantity.cue.list_gap")
_SHARE_GAP_RE = cue("quantity.cue.share_gap")


def share_units(text: str, cands: list[Candidate]) -> None:
    """A bare number takes the unit of the next figure: "eight or nine euros", "7- or 8-inch"."""
    for i in range(len(cands) - 2, -1, -1):
        a, b = cands[i], cands[i + 1]
        if a.rule_id != "count.bare":
            continue
        gap = text[a.end : b.start]
        if (
            b.kind in ("money", "percent", "quantity", "duration")
            and gap.strip()
            and _SHARE_GAP_RE.fullmatch(gap)
        ):
            _share_unit(a, b)
        elif b.kind == "count" and b.unit and b.rule_id != "count.context" and _LIST_GAP_RE.fullmatch(gap):
            # "9785, 8585, 5294 active units", "70, 1416 and 2330 people"
            a.unit, a.rule_id = b.unit, "count.list"
