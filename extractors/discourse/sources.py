"""Who is cited where: the speaker cues of each sentence and the speaker of each quote.

A cue is a verb of saying with its speaker ("Zarandi said", "said Craig Menear", "Home Depot sees"), a cited
source ("according to IRICA", "data released by the ministry", "analysts surveyed by Refinitiv") or a
source the officials layer does not know ("according to PAVEN", ", digiato website announced"). Each cue
keeps the rule id that found it. Look-ups go through the article index (bisection), never over all
mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from extractors.discourse.article import ArticleIndex, Mention
from extractors.discourse.cues import Cue, cues
from extractors.officials import lexicon, looks_like_org, place_only

# verbs that also come before their speaker: "..., said Juan Perez", "..., wrote Matuszewski"
INVERTED = {"speech.said", "speech.added", "speech.noted", "speech.stated", "speech.explained", "speech.reported",
            "discourse.speech.extra"}


@dataclass(frozen=True)
class SpeakerCue:
    start: int
    end: int
    speaker: Mention
    rule_id: str
    scope: str = "report"  # report | sentence (an analyst, a consensus: that sentence only)


@lru_cache(maxsize=1)
def _source_rx() -> re.Pattern[str]:
    heads = "|".join(sorted((re.escape(h) for h in lexicon().org_heads if h.isalpha()), key=len, reverse=True))
    # an acronym ("PAVEN") or a capitalised name, maybe possessive and followed by lower-case words that end
    # in an organisation word ("China's customs administration", "the Statistical Center of Iran")
    return re.compile(
        rf"(?:[A-Z][A-Z0-9&]{{1,7}}s?\b(?![\u2019']s)|(?:[A-Z][\w.\-]*(?:\s+(?:of|and|for|&)\s+|,\s+(?:and\s+)?(?=[A-Z])|\s+)?)+"
        rf"(?:[\u2019']s\s+(?:[a-z\-]+\s+){{0,3}}(?:{heads})s?\b)?)"
    )


_SENTENCE_END = re.compile(r"[.!?]\s")
_POSSESSIVE_TAIL = re.compile(r",\s+[A-Z][\w.&-]*[\u2019']s\b")
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+")
_PERSON_NAME = re.compile(r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][a-z\u2019'-]+"
                          r"(?:\s+[A-Z][a-z\u2019'-]+(?:-[A-Z][a-z]+)?){1,3}")


@lru_cache(maxsize=16)
def _generic(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=64)
def _after(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _after_ok(cue: Cue, text: str, end: int) -> bool:
    """A cue with an ``after`` pattern ("Based on the EIA report") needs it right after the source."""
    after = cue.get("after")
    return after is None or _after(after).match(text[end:end + 120]) is not None


@lru_cache(maxsize=64)
def _open(rx: re.Pattern[str]) -> re.Pattern[str]:
    """A "before" cue (anchored at the mention with ``$``) as a free-standing pattern."""
    return re.compile(rx.pattern.removesuffix("$"), rx.flags)


class Sources:
    """Speaker cues per sentence and the speaker of every quote, for one article."""

    def __init__(self, idx: ArticleIndex) -> None:
        self.idx = idx
        c = cues()
        self._gap = c.one("discourse.speaker.gap")
        self._appositions = [x.rx for x in c.kind("apposition")]
        self._inverted_gap = c.one("discourse.speaker.inverted_gap")
        self._not_source = c.one("discourse.source.not_a_source")
        self._analyst = c.any_of("analyst", re.IGNORECASE)
        self._named_sources()
        self.cues: list[list[SpeakerCue]] = [self._sentence_cues(i) for i in range(len(idx.sents))]
        flat = sorted((cu for cs in self.cues for cu in cs), key=lambda x: (x.end, x.start))
        self._by_end, self._ends = flat, [cu.end for cu in flat]
        flat2 = sorted(flat, key=lambda x: (x.start, x.end))
        self._by_start, self._starts = flat2, [cu.start for cu in flat2]
        self.quotes: list[tuple[int, int, Mention | None]] = [self._quote(qs, qe) for qs, qe in idx.quote_spans]
        self._continued_quotes()

    # ------------------------------------------------------------------ unknown named sources
    def _named_sources(self) -> None:
        """Sources the officials layer does not list: ', digiato website announced', and organisations the
        named-entity recogniser found right before a verb of saying ('Home Depot reported')."""
        idx, text = self.idx, self.idx.text
        extra: list[Mention] = []
        for cue in cues().kind("source_before_verb"):
            generic = _generic(cue.get("generic", r"(?!x)x"))
            for m in cue.rx.finditer(text):
                s, e = m.span("name")
                name = text[s:e]
                if idx.mentions_starting(s, e) or self._not_source.match(name.split()[0]):
                    continue
                if all(generic.match(w) for w in name.split()[:-1]):
                    continue  # "the report said": no name, the report before is meant
                extra.append(Mention(s, e, "org", name.removeprefix("the ").removeprefix("The ")))
        after = cues().speech_after_gap
        for ent in idx.entities:
            if ent.label != "ORG" or idx.mentions_starting(ent.start, ent.end) or place_only(ent.text):
                continue
            if after.match(text[ent.end:ent.end + 60]):
                extra.append(Mention(ent.start, ent.end, "org", ent.text.removeprefix("the ").removeprefix("The ")))
        idx.add_mentions(extra)

    # ------------------------------------------------------------------ cues of one sentence
    def _mention_ending_before(self, pos: int, lo: int) -> Mention | None:
        best = None
        for m in self.idx.mentions_ending(max(lo, pos - 120), pos):
            if m.start >= lo and self._gap.match(self.idx.text[m.end:pos]):
                if best is None or m.end > best.end or (m.end == best.end and m.kind == "person"):
                    best = m
        return best

    def _subject_before_apposition(self, pos: int, lo: int) -> Mention | None:
        """'Karbasian, who is also the head of IMIDRO, has announced', 'Namvar-Motlaq, deputy director of the
        CHHTO, said': the person before the apposition says it, not the organisation at its end."""
        text = self.idx.text
        best = None
        for m in self.idx.mentions_starting(lo, pos):
            if m.kind != "person" or m.end >= pos:
                continue
            gap = text[m.end:pos]
            if any(rx.match(gap) for rx in self._appositions) and (best is None or m.start < best.start):
                best = m
        return best

    def _mention_starting_at(self, pos: int, hi: int) -> Mention | None:
        best = None
        for m in self.idx.mentions_starting(pos, min(hi, pos + 12)):
            if self._inverted_gap.match(self.idx.text[pos:m.start]):
                if best is None or (m.kind == "person" and best.kind != "person") or m.end > best.end:
                    best = m
        return best

    def _scope(self, sp: Mention, start: int, ss: int, se: int) -> str:
        """An analyst (by the words around his name) speaks for his sentence only."""
        if sp.kind != "person":
            return "report"
        window = self.idx.text[max(ss, sp.start - 60):min(se, sp.end + 80)]
        return "sentence" if self._analyst.search(window) else "report"

    def _sentence_cues(self, i: int) -> list[SpeakerCue]:
        idx, text = self.idx, self.idx.text
        ss, se = idx.sents[i]
        c = cues()
        found: list[tuple[int, int, SpeakerCue]] = []  # (start, cue order, cue): sorted as the cues are listed
        table_s = c.speech_table
        for hit in c.speech_any.finditer(text, ss, se):
            # which cue the verb is: the first that matches here (the verbs of the cues do not overlap)
            k, m = next(((j, vm) for j, cu in enumerate(table_s) if (vm := cu.rx.match(text, hit.start(), se))),
                        (-1, None))
            if m is None:
                continue
            cue = table_s[k]
            sp = self._subject_before_apposition(m.start(), ss) or self._mention_ending_before(m.start(), ss)
            if sp is not None:
                if cue.id == "discourse.outlook.verb" and sp.kind == "agency":
                    continue
                found.append((sp.start, k, SpeakerCue(sp.start, m.end(), sp, cue.id,
                                                      self._scope(sp, m.start(), ss, se))))
                continue
            if cue.id in INVERTED:
                sp = self._mention_starting_at(m.end(), se)
                if sp is not None and sp.kind == "person":
                    found.append((m.start(), k, SpeakerCue(m.start(), sp.end, sp, cue.id + ".inverted",
                                                           self._scope(sp, m.start(), ss, se))))
        in_sent = idx.mentions_starting(ss, se)
        table = c.kind("before") + c.kind("data_by")
        hit_by: dict[int, list[SpeakerCue]] = {}
        for mm in in_sent:
            left = text[max(ss, mm.start - 60):mm.start]
            if not c.source_before.search(left):
                continue  # no cue ends at this mention (one search instead of one per cue)
            for k, cue in enumerate(table):
                if cue.rx.search(left) and _after_ok(cue, text, mm.end):
                    hit_by.setdefault(k, []).append(
                        SpeakerCue(mm.start, mm.end, mm, cue.id, cue.get("scope", "report")))
        any_source = c.source_any.search(text, ss, se) is not None
        base = len(table_s)
        for k, cue in enumerate(table):
            hits = hit_by.get(k, [])
            if not hits and any_source and not cue.get("known_only"):
                hits = self._unknown_sources(cue, ss, se)
            found.extend((h.start, base + k, h) for h in hits)
        found.sort(key=lambda x: (x[0], x[1]))
        return [h for _, _, h in found]

    def _unknown_sources(self, cue: Cue, ss: int, se: int) -> list[SpeakerCue]:
        """'according to the data released by China's customs administration', 'According to PAVEN': a
        cited source that is no known organisation is still the source, named as written."""
        text = self.idx.text
        out = []
        for m in _open(cue.rx).finditer(text, ss, se):
            src = _source_rx().match(text, m.end(), se)
            if src is None:
                continue
            name = src.group().strip()
            kind = "org"
            cut = _POSSESSIVE_TAIL.search(text, src.start(), min(se, src.end() + 3))
            if cut is not None and cut.start() < src.start() + len(name) \
                    and _PERSON_NAME.fullmatch(text, src.start(), cut.start()):
                # "According to Dr Lucie Beraud-Sudreau, SIPRI's arms production director": a person, whose name ends
                # at the comma before his organisation's title
                name, kind = text[src.start():cut.start()], "person"
            if not name or any(mm.end > m.end() for mm in self.idx.mentions_starting(m.end() - 60, m.end() + 3)):
                continue  # a known mention starts here (the regex already handled it)
            if self._not_source.match(name.split()[0]) or place_only(name):
                continue
            if kind == "org" and not cue.get("any_name") and not looks_like_org(name):
                continue  # "according to the Sixth Development Plan": a document, not a source
            if not _after_ok(cue, text, src.start() + len(name)):
                continue
            sp = Mention(src.start(), src.start() + len(name), kind, _HONORIFIC.sub("", name))
            out.append(SpeakerCue(sp.start, sp.end, sp, cue.id + ".unknown_source", cue.get("scope", "report")))
        return out

    # ------------------------------------------------------------------ quotes
    def _quote(self, qs: int, qe: int) -> tuple[int, int, Mention | None]:
        text = self.idx.text
        speaker = None
        # before: 'X said: "..."'
        for cu in self._by_end[bisect_left(self._ends, qs - 8):bisect_right(self._ends, qs)]:
            if text[cu.end:qs].strip() in (":", ",", ""):
                speaker = cu.speaker
        # after: '"...," X said' -- not when the quote closes its own sentence ('... production."')
        closes = text[qe - 2:qe - 1] in (".", "!", "?")
        if speaker is None and not closes:
            for cu in self._by_start[bisect_left(self._starts, qe):bisect_right(self._starts, qe + 80)]:
                gap = text[qe:cu.start]
                if (cu.speaker.kind == "person" and "\u201c" not in gap and "\n" not in gap
                        and not _SENTENCE_END.search(gap)):
                    speaker = cu.speaker
                    break
        return qs, qe, speaker

    def _continued_quotes(self) -> None:
        """'"...," wrote Fadem in a research report. "Excluding these items, ..."': a quote opening the sentence
        right after an attributed quote goes on with that speaker's words."""
        idx = self.idx
        for k in range(1, len(self.quotes)):
            qs, qe, sp = self.quotes[k]
            ps, pe, psp = self.quotes[k - 1]
            if sp is not None or psp is None:
                continue
            i = idx.sent_of(qs)
            if idx.sent_of(ps) == i - 1 and not idx.text[idx.sents[i][0]:qs].strip():
                self.quotes[k] = (qs, qe, psp)

    def quote_of(self, start: int, end: int) -> tuple[int, int, Mention | None] | None:
        """The quote holding [start, end), with its speaker."""
        k = bisect_right(self.idx._q_starts, start) - 1
        if k >= 0:
            q = self.quotes[k]
            if q[0] <= start and end <= q[1]:
                return q
        return None

    def sentence_quote_speaker(self, i: int) -> Mention | None:
        """A sentence wholly inside a quote takes the quote's speaker."""
        ss, se = self.idx.sents[i]
        k = bisect_right(self.idx._q_starts, ss + 2) - 1
        if k >= 0:
            qs, qe, sp = self.quotes[k]
            if qs <= ss + 2 and se - 2 <= qe:
                return sp
        return None
