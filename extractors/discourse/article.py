"""One index of an article for the discourse layer: sentences, paragraphs, mentions of people and
organisations, quotes, dates and named entities, each sorted once so that every look-up is a bisection.

Nothing here scans the whole text per figure: the layer is close to linear in the article's length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.dates import FoundDate
from extractors.officials import FoundOfficial, FoundOrg


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # person | org | agency
    name: str  # what the speaker/subject is reported as


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


_ORG_COREF = re.compile(
    r"\b[Tt]he\s+(ministry|organization|organisation|company|bank|council|corporation|"
    r"department|agency|administration|chamber|association|fund|office)\b"
)
_QUOTE = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"")


def _merge_split_dates(sents: list[tuple[int, int]], dates: Sequence[FoundDate]) -> list[tuple[int, int]]:
    """No sentence boundary falls inside a date: "... by the end of the current year\n[Iranian calendar year
    which ends on March 19, 2020], Salehinia said." is one sentence for the discourse."""
    starts = [s for s, _ in sents]
    join: set[int] = set()  # sentence k joins the one before it
    for d in dates:
        a = bisect_right(starts, d.start) - 1
        b = bisect_right(starts, max(d.start, d.end - 1)) - 1
        join.update(range(max(a, 0) + 1, b + 1))
    if not join:
        return sents
    out: list[tuple[int, int]] = []
    for k, (s, e) in enumerate(sents):
        if k in join and out:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class ArticleIndex:
    """Sorted views of one article. ``sents`` are (start, end) character spans in text order."""

    def __init__(
        self,
        text: str,
        sents: Sequence[tuple[int, int]],
        officials: Sequence[FoundOfficial] = (),
        orgs: Sequence[FoundOrg] = (),
        dates: Sequence[FoundDate] = (),
        entities: Sequence[Entity] = (),
    ) -> None:
        self.text = text
        self.sents = _merge_split_dates(list(sents) or [(0, len(text))], dates)
        self._sent_starts = [s for s, _ in self.sents]
        self.paragraph = self._paragraphs()
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._line_cache: dict[int, str] = {}
        self._line_test: dict[tuple[int, str], bool] = {}
        self.officials = list(officials)
        self.orgs = list(orgs)
        self.mentions = self._mentions()
        self._m_starts = [m.start for m in self.mentions]
        self._m_by_end = sorted(self.mentions, key=lambda m: (m.end, m.start))
        self._m_ends = [m.end for m in self._m_by_end]
        self.dates = sorted(dates, key=lambda d: (d.start, d.end))
        self._d_starts = [d.start for d in self.dates]
        self.entities = sorted(entities, key=lambda e: (e.start, e.end))
        self._e_starts = [e.start for e in self.entities]
        self.quote_spans = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
        self._q_starts = [s for s, _ in self.quote_spans]

    # ------------------------------------------------------------------ sentences
    def sent_of(self, pos: int) -> int:
        """Index of the sentence holding ``pos`` (the one before it when ``pos`` falls between two)."""
        return max(0, bisect_right(self._sent_starts, pos) - 1)

    def span(self, i: int) -> tuple[int, int]:
        return self.sents[i]

    def body(self, i: int) -> str:
        s, e = self.sents[i]
        return self.text[s:e]

    def line_of(self, pos: int) -> str:
        """The text line (between line breaks) holding ``pos``."""
        k = bisect_right(self._newlines, pos)
        hit = self._line_cache.get(k)
        if hit is None:
            lo = self._newlines[k - 1] + 1 if k else 0
            hi = self._newlines[k] if k < len(self._newlines) else len(self.text)
            hit = self._line_cache[k] = self.text[lo:hi]
        return hit

    def line_matches(self, pos: int, rx: re.Pattern[str]) -> bool:
        """``rx`` occurs on the line holding ``pos`` (tested once per line)."""
        k = (bisect_right(self._newlines, pos), rx.pattern)
        hit = self._line_test.get(k)
        if hit is None:
            hit = self._line_test[k] = rx.search(self.line_of(pos)) is not None
        return hit

    def _paragraphs(self) -> list[int]:
        out, p, prev_end = [], 0, 0
        for i, (s, e) in enumerate(self.sents):
            if i and "\n" in self.text[prev_end:s]:
                p += 1
            out.append(p)
            # a sentence's span may end with the line break after it (spaCy keeps trailing whitespace)
            prev_end = s + len(self.text[s:e].rstrip())
        return out

    # ------------------------------------------------------------------ mentions
    def org_display(self, start: int, end: int) -> str:
        written = self.text[start:end]
        for prefix in ("Iran's ", "Iran\u2019s ", "the ", "The "):
            if written.startswith(prefix) and len(written) > len(prefix) + 3:
                written = written[len(prefix):]
        return written

    def _mentions(self) -> list[Mention]:
        ms: list[Mention] = []
        for p in self.officials:
            for s, e in p.mentions:
                ms.append(Mention(s, e, "person", p.name))
        heads: dict[str, list[tuple[int, FoundOrg]]] = {}
        for o in self.orgs:
            kind = "agency" if o.kind == "agency" else "org"
            for s, e in o.mentions:
                ms.append(Mention(s, e, kind, o.acronym or self.org_display(s, e)))
            if o.kind == "org":
                low = o.name.lower()
                for head in ("ministry", "organization", "organisation", "company", "bank", "council",
                             "corporation", "department", "agency", "administration", "chamber", "association",
                             "fund", "office"):
                    if head in low:
                        heads.setdefault(head, []).extend((s, o) for s, _ in o.mentions)
        for lst in heads.values():
            lst.sort(key=lambda x: x[0])
        # "the ministry" -> the most recent organisation whose name has that head word
        for m in _ORG_COREF.finditer(self.text):
            cands = heads.get(m.group(1).lower())
            if not cands:
                continue
            k = bisect_left(cands, m.start(), key=lambda x: x[0]) - 1
            if k < 0:
                continue
            o = cands[k][1]
            ms.append(Mention(m.start(), m.end(), "org", o.acronym or self.org_display(o.start, o.end)))
        ms.sort(key=lambda x: (x.start, -(x.end - x.start)))
        return ms

    def add_mentions(self, extra: Sequence[Mention]) -> None:
        if not extra:
            return
        self.mentions = sorted([*self.mentions, *extra], key=lambda x: (x.start, -(x.end - x.start)))
        self._m_starts = [m.start for m in self.mentions]
        self._m_by_end = sorted(self.mentions, key=lambda m: (m.end, m.start))
        self._m_ends = [m.end for m in self._m_by_end]

    def mentions_starting(self, lo: int, hi: int) -> list[Mention]:
        """Mentions whose start is in [lo, hi)."""
        return self.mentions[bisect_left(self._m_starts, lo):bisect_left(self._m_starts, hi)]

    def mentions_ending(self, lo: int, hi: int) -> list[Mention]:
        """Mentions whose end is in [lo, hi]."""
        return self._m_by_end[bisect_left(self._m_ends, lo):bisect_right(self._m_ends, hi)]

    def mentions_in_sentence(self, i: int) -> list[Mention]:
        s, e = self.sents[i]
        return self.mentions_starting(s, e)

    # ------------------------------------------------------------------ dates, entities, quotes
    def dates_starting(self, lo: int, hi: int) -> list[FoundDate]:
        return self.dates[bisect_left(self._d_starts, lo):bisect_left(self._d_starts, hi)]

    def dates_before(self, pos: int) -> list[FoundDate]:
        """Dates that start before ``pos``, in text order (a slice: callers walk it backwards)."""
        return self.dates[:bisect_left(self._d_starts, pos)]

    def overlaps_date(self, lo: int, hi: int) -> bool:
        """A found date overlaps [lo, hi)."""
        return any(d.end > lo for d in self.dates_starting(max(0, lo - 200), hi))

    def entities_in(self, lo: int, hi: int) -> list[Entity]:
        return [e for e in self.entities[bisect_left(self._e_starts, lo):bisect_left(self._e_starts, hi)]
                if e.end <= hi]

    def quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        k = bisect_right(self._q_starts, start) - 1
        if k >= 0:
            qs, qe = self.quote_spans[k]
            if qs <= start and end <= qe:
                return qs, qe
        return None
