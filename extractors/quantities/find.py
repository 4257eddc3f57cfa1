"""Candidates assembled: :func:`find_quantities`, every number in a text through the stages in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.quantities.changes import cues
from extractors.quantities.classify import classify_plain
from extractors.quantities.context import context_nouns
from extractors.quantities.doc import trim_with_doc
from extractors.quantities.links import day_lists, or_equivalents, paren_links, paren_rates
from extractors.quantities.model import Candidate, Quantity
from extractors.quantities.nouns import models_after_counts
from extractors.quantities.numerals import numbers
from extractors.quantities.ranges import ranges, share_units
from extractors.quantities.rules import rule_spans
from extractors.quantities.tables import quote_tables
from extractors.quantities.units import attach

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc


def find_quantities(text: str, doc: Doc | None = None) -> list[Quantity]:
    """Every number in ``text`` with its unit, normalised value, approximation and direction.

    Claim kinds (count, money, percent, quantity) and the rest (year, date_part, duration, age, ordinal,
    identifier, other) are all returned; callers filter on ``kind``. ``doc``, a tagged spaCy Doc over the
    same text, is optional: when given, counted noun phrases end on their last noun ("787 jets flew" ->
    "jets"); the rules do not need it.
    """
    if not isinstance(text, str) or not text:
        return []
    rule_cands, blocked = rule_spans(text)
    cands = numbers(text, blocked)
    for c in cands:
        attach(text, c)
    cands.sort(key=lambda c: c.start)
    # numbers swallowed by an earlier number's span (e.g. "9 liter" inside nothing) are dropped
    kept: list[Candidate] = []
    for c in cands:
        if kept and c.num_start < kept[-1].end:
            continue
        kept.append(c)
    prev_year_end = -1
    for c in kept:
        if c.kind == "count" and c.unit is None:
            classify_plain(text, c, prev_year_end)
            if c.kind == "year":
                prev_year_end = c.end
    if "|" in text:
        quote_tables(text, kept)
    for a, b in zip(kept, kept[1:], strict=False):
        if a.kind == "identifier" and b.kind == "count" and text[a.end : b.start] in ("-", "/", "."):
            b.kind, b.rule_id = "identifier", a.rule_id  # "ISO 3888-2"
    merged = ranges(text, kept)
    for rc in rule_cands:
        if rc.kind == "other":
            cues(text, rc)
    allc = sorted(merged + rule_cands, key=lambda c: (c.start, c.end))
    day_lists(text, allc)
    or_equivalents(text, allc)
    if doc is not None:
        trim_with_doc(text, allc, doc)
    models_after_counts(text, allc)
    share_units(text, allc)
    context_nouns(text, allc)
    paren_links(text, allc)
    paren_rates(text, allc)
    out = []
    for c in allc:
        out.append(
            Quantity(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                value=c.value,
                value_max=c.value_max,
                unit=c.unit,
                approx=c.approx,
                direction=c.direction,
                kind=c.kind,
                rule_id=c.rule_id,
                num_start=c.num_start,
                num_end=c.num_end,
                paren_equivalent_of=c.paren_of,
                signed_change=c.signed_change,
            )
        )
    return out
