"""Which date or period does a figure refer to? The interface of the first time layer, now served by the
discourse model (:mod:`extractors.discourse`), which keeps every rule and cue.

``attribute_time(text, sentence, claim, dates, published)`` returns the period of the figure at ``claim``
with the rule that decided it. The model reads the whole article: the figures before the claim (found by
the quantity layer) are attributed first, in text order, as the pipeline does, so that a figure restating
or breaking down an earlier one, or carrying on its report, gets the same answer here as in a run.
New code should use :class:`extractors.discourse.Discourse` directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.dates import FoundDate
from extractors.discourse import Discourse


@dataclass(frozen=True)
class TimeAttribution:
    start: str | None
    end: str | None
    rule_id: str | None = None
    date: FoundDate | None = None

    @property
    def bounds(self) -> tuple[str | None, str | None]:
        return self.start, self.end


NONE = TimeAttribution(None, None)


class _Run:
    """One article's model and the figures attributed so far (reused while claims come in text order)."""

    def __init__(self, text: str, dates: tuple[FoundDate, ...], published: dt.date | None,
                 sentences: tuple[tuple[int, int], ...] | None) -> None:
        from extractors.quantities import CLAIM_KINDS, find_quantities

        self.key = (text, dates, published, sentences)
        self.disc = Discourse.from_text(text, dates, published, sentences=sentences)
        self.figures = [(q.start, q.end, q.kind) for q in find_quantities(text) if q.kind in CLAIM_KINDS]
        self.next = 0
        self.pos = -1

    def time(self, claim: tuple[int, int]) -> TimeAttribution:
        while self.next < len(self.figures) and self.figures[self.next][0] < claim[0]:
            s, e, kind = self.figures[self.next]
            self.disc.attribute(s, e, kind)
            self.next += 1
        found: str | None = next((k for s, e, k in self.figures if (s, e) == claim), None)
        if self.next < len(self.figures) and self.figures[self.next][:2] == claim:
            self.next += 1
        self.pos = claim[0]
        t = self.disc.attribute(claim[0], claim[1], found).time
        return TimeAttribution(t.start, t.end, t.rule, t.date)


_LAST: list[_Run] = []


def attribute_time(
    text: str,
    sentence: tuple[int, int],
    claim: tuple[int, int],
    dates: Sequence[FoundDate],
    published: dt.date | None = None,
    *,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> TimeAttribution:
    """The period the claim at ``claim`` (char span inside ``sentence``) refers to, with the rule used."""
    key = (text, tuple(dates), published, tuple(sentences) if sentences is not None else None)
    run = _LAST[0] if _LAST and _LAST[0].key == key and _LAST[0].pos < claim[0] else None
    if run is None:
        run = _Run(*key)
        _LAST[:] = [run]
    return run.time(claim)


def claim_time(
    text: str,
    sentence: tuple[int, int],
    claim: tuple[int, int],
    dates: Sequence[FoundDate],
    published: dt.date | None = None,
    *,
    sentences: Sequence[tuple[int, int]] | None = None,
) -> tuple[str | None, str | None]:
    """(start, end) ISO bounds of the period the claim's figure refers to; (None, None) when none."""
    return attribute_time(text, sentence, claim, dates, published, sentences=sentences).bounds
