"""Links between neighbouring figures: equivalents in brackets and after "or", rates in brackets,
lists of days."""

from __future__ import annotations

import re

from extractors.quantities.changes import data_after_noun
from extractors.quantities.lexicons import cue
from extractors.quantities.model import CLAIM_KINDS, Candidate
from extractors.quantities.units import DENOM


def paren_links(text: str, cands: list[Candidate]) -> None:
    for i, c in enumerate(cands):
        if i == 0:
            continue
        for j in range(i - 1, -1, -1):
            a = cands[j]
            if a.kind not in CLAIM_KINDS:
                continue
            gap = text[a.end : c.start]
            m = re.fullmatch(r"\s*\(\s*(?:[^()\d]{0,25}?\s)?|\s*/\s*|\s*\(\s*[^()]*?\s*/\s*", gap)
            if m and (a.kind == c.kind or {a.kind, c.kind} <= {"money", "count"}):
                c.paren_of = a.paren_of if a.paren_of is not None else j
                if c.approx == "=" and a.approx in (">", "<", ">=", "<="):
                    c.approx = a.approx
                if c.direction is None:
                    c.direction = a.direction
                if c.kind == "count" and a.kind == "money" and c.unit is None:
                    c.kind = "money"
            break


_PAREN_OPEN_RE = cue("quantity.cue.paren_open")
_PAREN_RATE_RE = cue("quantity.cue.paren_rate")


def paren_rates(text: str, cands: list[Candidate]) -> None:
    """ "100,000 barrels of crude oil (400,000 cubic meters of gas) per year": a rate after the parenthesis
    applies to the figure and to its parenthetical equivalent."""
    for a, c in zip(cands, cands[1:], strict=False):
        if not (a.kind == c.kind == "quantity" and a.unit and c.unit) or " per " in a.unit + c.unit:
            continue
        if not _PAREN_OPEN_RE.fullmatch(text[a.end : c.start]):
            continue
        m = _PAREN_RATE_RE.match(text, c.end)
        if m:
            d = DENOM[m.group("d")]
            a.unit, c.unit = f"{a.unit} per {d}", f"{c.unit} per {d}"


_DAY_SEP_RE = cue("quantity.cue.day_separator")


def day_lists(text: str, cands: list[Candidate]) -> None:
    """ "on April 22 and 23", "from 24 to 27 September", "3, 4 and 5 May": days listed with a date are dates."""
    changed = True
    while changed:
        changed = False
        for a, b in zip(cands, cands[1:], strict=False):
            for bare, dated in ((a, b), (b, a)):
                if (
                    bare.rule_id == "count.bare"
                    and dated.kind == "date_part"
                    and dated.rule_id.startswith("date.")
                    and not bare.is_word
                    and bare.value == bare.value.to_integral_value()
                    and 1 <= bare.value <= 31
                    and _DAY_SEP_RE.fullmatch(text[a.end : b.start])
                ):
                    bare.kind, bare.rule_id = "date_part", "date.day_list"
                    changed = True


#: between two changes in a coordination: "a growth of 21.33 percent in terms of value and 54.58 percent",
_COORD_CHANGE_RE = cue("quantity.cue.coordinated_change")


def or_equivalents(text: str, cands: list[Candidate]) -> None:
    """ "lost 190 points, or 0.6%": the second figure restates the first change; a gapped clause
    ("down 2.3%, Burlington by 2.6%") repeats it."""
    for a, b in zip(cands, cands[1:], strict=False):
        if (
            a.direction
            and b.direction is None
            and re.fullmatch(r",?\s+or\s+(?:about\s+|nearly\s+|some\s+)?", text[a.end : b.start])
        ):
            b.direction = a.direction
        elif (
            a.direction
            and b.direction is None
            and a.kind == b.kind
            and re.fullmatch(r",\s+(?:and\s+)?(?:[A-Z][\w&.'’-]*\s+){1,4}by\s+", text[a.end : b.start])
        ):
            b.direction = a.direction  # gapping: "Ross was down 2.3%, Burlington by 2.6%"
        elif (
            a.direction
            and b.direction is None
            and a.kind == b.kind == "percent"
            and _COORD_CHANGE_RE.fullmatch(text[a.end : b.start])
            and not re.match(r"\s+of\b", text[b.end :])  # "... and 3 percent of output was sold": a share
        ):
            b.direction = a.direction  # "increased 48 percent and 128 percent in terms of number and value"
    for a, b in zip(cands, cands[1:], strict=False):
        if (
            b.direction
            and a.direction is None
            and a.kind == b.kind == "percent"
            and re.fullmatch(r",?\s+(?:and|or)\s+", text[a.end : b.start])
            and data_after_noun(text, b)
        ):
            a.direction = b.direction  # "indicating 29 percent and 20.4 percent decrease"
