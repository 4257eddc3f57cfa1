"""The discourse model of one article and the attribution of each figure from it.

``Discourse`` indexes the article once (sentences, mentions, quotes, dates), segments it into reports
(:mod:`extractors.discourse.reports`) and then attributes figures in text order::

    disc = Discourse.from_doc(doc, officials, orgs, dates, published)
    for start, end in figure_spans:          # in text order
        a = disc.attribute(start, end)       # speaker, modality, subject, time, evidence

Each attribute reads the same segmentation with its own scope:

- speaker: a quote's speaker; several people quoted in the sentence: the nearest; else the sentence's
  speaker as the segmentation decided (its own source, or its report's, or nobody for market data);
- time: the figure's own period first (its clause, then its sentence, a comparison base mirrored, a
  back-reference, the figure it restates); else its report's period when the report states one that carries
  (not a deadline), the figure carries on the report's data (not a present state "currently ...", not a
  plan or forecast dated by a past period, not a count of approaches or a "one of the N" description); a
  market wrap's prices take the wrap's day;
- modality: cues around the figure in its clause (:mod:`extractors.discourse.modality`);
- subject: :mod:`extractors.discourse.subject`.

``evidence`` names every rule that decided, and the report the figure was attached to: its index, the
offsets of its opening sentence, the rule that opened it and the one that closed the report before it,
its source and its period with the date it came from. "Why this period?" is answered from the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from extractors.dates import FoundDate, shift_period
from extractors.discourse.article import ArticleIndex, Entity
from extractors.discourse.cues import cues
from extractors.discourse.modality import ModalityRules, Prior, digits
from extractors.discourse.periods import EVENT_DAY_RULES, Periods, time_of
from extractors.discourse.reports import Report, Segmentation, Segmenter
from extractors.discourse.sources import Sources
from extractors.discourse.subject import SubjectRules
from extractors.officials import FoundOfficial, FoundOrg
from extractors.sentences import split_sentences

_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")
_TAIL_WORD = re.compile(r"(?<=\s)[A-Za-z-]+\b")
_ENT_LABELS = {"ORG", "GPE", "LOC"}  # the entities the layer reads (sources, subjects)
_OTHER_EVENT = ("report.open.background", "report.open.event")
_FIGURE_AHEAD = re.compile(r"(?<![\w.])\d")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class TimeResult:
    start: str | None
    end: str | None
    rule: str | None = None
    date: FoundDate | None = None

    @property
    def bounds(self) -> tuple[str | None, str | None]:
        return self.start, self.end


NO_TIME = TimeResult(None, None)


@dataclass(frozen=True)
class ClaimAttribution:
    speaker: str | None
    modality: str  # actual | target | forecast | potential
    subject: str | None
    time: TimeResult
    evidence: dict[str, Any] = field(default_factory=dict)

    def rule(self, name: str) -> str | None:
        v = self.evidence.get(name)
        return v if isinstance(v, str) else None

    @property
    def time_start(self) -> str | None:
        return self.time.start

    @property
    def time_end(self) -> str | None:
        return self.time.end


@dataclass(frozen=True)
class _Done(Prior):
    speaker: str | None = None
    subject: str | None = None
    time: TimeResult = NO_TIME
    num_end: int = 0  # end of the figure's number (its noun follows)
    kind_words: tuple[str, ...] = ()
    speaker_rule: str = ""
    subject_rule: str = ""
    kind: str | None = None


class Discourse:
    def __init__(self, idx: ArticleIndex, published: dt.date | None = None, doc: Any | None = None) -> None:
        self.idx = idx
        self.published = published
        self.sources = Sources(idx)
        self.periods = Periods(idx, published)
        self._segmenter = Segmenter(idx, self.sources, self.periods)
        self.seg: Segmentation = self._segmenter.run()
        self.modality = ModalityRules(idx, published)
        self.subjects = SubjectRules(idx, doc)
        self.history: list[_Done] = []
        self._by_key: dict[str, list[_Done]] = {}
        self.last_subject: str | None = None
        self._own_time: dict[int, bool] = {}
        self._own_time_scan: dict[int, tuple[int, int | None]] = {}  # report -> (last sentence scanned, first hit)
        c = cues()
        self._figure_backref = c.one("discourse.figure_backref.mentioned")
        self._definite = c.one("discourse.figure_backref.definite")
        self._total = c.one("discourse.figure_backref.total")
        self._definitional = c.one("discourse.figure.definitional")
        self._abstract = c.one("discourse.figure.abstract_count")
        self._present_state = c.one("time.present_state")
        self._present_adverb = c.one("time.present_adverb")
        self._habitual = c.one("time.habitual")
        self._topic_shift = c.one("time.topic_shift")
        self._frame_act = c.one("time.frame.act")
        self._base_year_earlier = c.one("time.base.year_earlier")
        self._attributive = c.one("time.attributive")
        self._attributive_exc = c.one("time.attributive.change_head")
        self._entity = c.one("time.backref.entity")
        self._expected = c.one("discourse.market.expected_figure")
        self._conversion = c.one("discourse.figure.conversion")
        self._unplaced = c.one("discourse.time.unplaced")
        self._present_general = c.one("discourse.present.general")
        self._definite_count = c.one("discourse.figure.definite_count")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_doc(cls, doc: Any, officials: Sequence[FoundOfficial], orgs: Sequence[FoundOrg],
                 dates: Sequence[FoundDate], published: dt.date | None, text: str | None = None) -> Discourse:
        from extractors.doctext import doc_text

        text = doc_text(doc) if text is None else text
        sents = ([(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START")
                 else [(0, len(text))])
        ents = [Entity(e.start_char, e.end_char, e.label_, text[e.start_char:e.end_char]) for e in doc.ents
                if e.label_ in _ENT_LABELS] if doc.has_annotation("ENT_IOB") else []
        return cls(ArticleIndex(text, sents, officials, orgs, dates, ents), published, doc)

    @classmethod
    def from_text(cls, text: str, dates: Sequence[FoundDate] = (), published: dt.date | None = None, *,
                  sentences: Sequence[tuple[int, int]] | None = None, officials: Sequence[FoundOfficial] = (),
                  orgs: Sequence[FoundOrg] = ()) -> Discourse:
        sents = list(sentences) if sentences is not None else split_sentences(text)
        return cls(ArticleIndex(text, sents, officials, orgs, dates), published)

    # ------------------------------------------------------------------ per figure
    def seg_may(self, cue_id: str, i: int) -> bool:
        return self._segmenter.may(cue_id, i)

    def report_of(self, pos: int) -> Report:
        return self.seg.reports[self.seg.sentences[self.idx.sent_of(pos)].report]

    def attribute(self, start: int, end: int, kind: str | None = None) -> ClaimAttribution:
        """Speaker, modality, subject and time of the figure at ``text[start:end]`` (call in text order;
        ``kind`` is the figure's type when known: money, count, percent, quantity)."""
        idx, text = self.idx, self.idx.text
        i = idx.sent_of(start)
        prev = self.history[-1] if self.history else None
        view = self.seg.sentences[i]
        rep = self.seg.reports[view.report]
        key = digits(text[start:end])
        restated = self._restated(start, end, i, key)
        converts = prev is not None and prev.end <= start and bool(self._conversion.match(text[prev.end:start]))
        if prev is not None and converts:
            speaker, s_rule = prev.speaker, "speaker.inherit.conversion"
            modality, m_rule = prev.modality, "modality.inherit.conversion"
            subject, sub_rule = prev.subject, "subject.inherit.conversion"
            t = replace(prev.time, rule="time.inherit.conversion") if prev.time.rule else NO_TIME
        else:
            speaker, s_rule = self._speaker(start, end, i)
            modality, m_rule = self.modality.decide(start, end, i, self.history, restated)
            subject, sub_rule = self.subjects.decide(start, end, i, speaker, self.last_subject)
            t = self._time(start, end, i, modality, m_rule, restated, kind)
        prev_rep = self.seg.reports[rep.index - 1] if rep.index else None
        evidence: dict[str, Any] = {
            "speaker": s_rule, "modality": m_rule, "subject": sub_rule, "time": t.rule or "time.none",
            "report": rep.evidence(idx, prev_rep),
        }
        if t.date is not None:
            evidence["time_from"] = {"text": t.date.text, "at": [t.date.start, t.date.end], "rule": t.date.rule_id}
        if restated is not None:
            evidence["restates"] = [restated.start, restated.end]
        if prev is not None and converts:
            evidence["converts"] = [prev.start, prev.end]  # the figure this conversion restates (all four inherited)
        nm = _NUM.search(text, start, end)
        num_end = nm.end() if nm else end
        done = _Done(start, end, key, i, modality, m_rule, speaker, subject, t, num_end,
                     tuple(w.lower() for w in _WORD.findall(text[num_end:min(num_end + 40, len(text))])[:4]),
                     s_rule, sub_rule, kind)
        self.history.append(done)
        self._by_key.setdefault(key, []).append(done)
        if subject is not None:
            self.last_subject = subject
        return ClaimAttribution(speaker, modality, subject, t, evidence)

    # ------------------------------------------------------------------ restated figures
    def _earlier(self, key: str, lo_sentence: int, before: int, limit: int = 50) -> list[_Done]:
        """The figures with these digits before ``before`` from sentence ``lo_sentence`` on, nearest first
        (at most ``limit``: the look-up stays bounded however often a number recurs)."""
        out: list[_Done] = []
        for d in reversed(self._by_key.get(key, [])):
            if d.sentence < lo_sentence or len(out) >= limit:
                break
            if d.end <= before:
                out.append(d)
        return out

    def _restated(self, start: int, end: int, i: int, key: str) -> _Done | None:
        """The earlier figure this one restates: 'the mentioned 2000 units', 'that 8.69 GW' (the same number
        before), 'the $42 billion target' (the same number with the same noun), 'Of the total sum, one
        billion dollars' is a part of the figure before, not a restatement (see :meth:`_part_of`)."""
        if not key:
            return None
        text = self.idx.text
        ss, _ = self.idx.sents[i]
        left = text[max(ss, start - 30):start]
        if self._figure_backref.search(left):
            hits = self._earlier(key, 0, start)
            if hits:
                return hits[0]
        if self._definite.search(left):
            head = self._head_word(start, end)
            for d in self._earlier(key, max(0, i - 6), start):
                if head and head in d.kind_words:
                    return d
        return None

    def _head_word(self, start: int, end: int) -> str | None:
        text = self.idx.text
        nm = _NUM.search(text, start, end)
        if nm is None:
            return None
        words = _WORD.findall(text[nm.end():end])
        if words:
            return _singular(words[-1].lower())
        after = _WORD.findall(text[end:end + 30])
        return _singular(after[0].lower()) if after else None

    def _part_of(self, start: int, i: int, kind: str | None) -> _Done | None:
        """'Of the total sum, one billion dollars is expected to be earned from direct exports': the whole it
        is a part of is the last figure of the same kind in the sentences before."""
        ss, _ = self.idx.sents[i]
        if not self._total.search(self.idx.text, ss, start):
            return None
        for d in reversed(self.history):
            if d.sentence >= i:
                continue
            if d.sentence < i - 3:
                break
            if kind is None or d.kind is None or d.kind == kind:
                return d
        return None

    # ------------------------------------------------------------------ speaker
    def _speaker(self, start: int, end: int, i: int) -> tuple[str | None, str]:
        q = self.sources.quote_of(start, end)
        if q is not None and q[2] is not None:
            return q[2].name, "speaker.quote"
        cs = self.sources.cues[i]
        persons = [cu for cu in cs if cu.speaker.kind == "person"]
        if len(persons) > 1:
            # several speakers in one sentence: the cue nearest before the claim, else the first after it
            before = [cu for cu in persons if cu.end <= start]
            cu = before[-1] if before else persons[0]
            return cu.speaker.name, cu.rule_id
        view = self.seg.sentences[i]
        if view.explicit and len(cs) == 1 and cs[0].start >= end and cs[0].rule_id.startswith("speaker.announced_by") \
                and _FIGURE_AHEAD.search(self.idx.text, end, cs[0].start):
            # "a 2.1 GW project and a 3 GW array planned ... and announced by president Moon": the source
            # named after another figure is that figure's; this one's sentence names none
            return None, "speaker.passive_by.other_figure"
        if not view.explicit and self._definitional.search(self.idx.text, max(0, start - 40), start):
            return None, "speaker.none.description"  # "... is one of the seven major free trade zones"
        if self._expected.match(self.idx.text[end:min(end + 60, self.idx.sents[i][1])]):
            # "missing the 4.8 percent gain that was expected": the consensus named before
            found = self._consensus_before(i)
            if found is not None:
                return found, "speaker.consensus"
        return (view.speaker.name if view.speaker is not None else None), view.speaker_rule

    def _consensus_before(self, i: int) -> str | None:
        lo = self.seg.reports[self.seg.sentences[i].report].first
        for k in range(i, max(-1, max(lo, i - 3) - 1), -1):
            for cu in self.sources.cues[k]:
                if cu.rule_id.startswith("speaker.surveyed_by"):
                    return cu.speaker.name
        return None

    # ------------------------------------------------------------------ time
    def _statement(self, sentence: tuple[int, int],
                   claim: tuple[int, int]) -> tuple[tuple[int, int] | None, tuple[int, int]]:
        """Narrow ``sentence`` to the statement holding the claim when a hard boundary splits it: the dates of
        ", adding that ..." do not reach back to the statement before it (which it carries on); a bulleted
        list's items are statements of their own whose period may come from the list's lead."""
        s, e = sentence
        lead = None
        for m in cues().statement_split.finditer(self.idx.text, s, e):
            if m.end() <= claim[0]:
                if "\u2022" not in m.group(0):
                    continue  # ", adding that ...": the added statement carries on the period before it
                if lead is None:
                    lead = (sentence[0], m.start())
                s = m.end()
            elif m.start() >= claim[1]:
                e = m.start()
                break
        if lead is not None and lead[1] >= s:
            lead = None
        return lead, (s, e)

    def _clause(self, stmt: tuple[int, int], claim: tuple[int, int]) -> tuple[int, int]:
        s, e = stmt
        for m in cues().clause_split.finditer(self.idx.text, s, e):
            if m.end() <= claim[0]:
                s = m.end()
            elif m.start() >= claim[1]:
                e = m.start()
                break
        return s, e

    def _is_attributive(self, clause: tuple[int, int], claim: tuple[int, int]) -> bool:
        """'projects with an over 60 percent physical progress': a figure in a "with N" modifier of a common
        noun describes the thing; 'China with $2.47 billion', 'hit a record high with 45.4 percent growth'
        and 'run with less than five persons' are the data themselves."""
        text = self.idx.text
        m = self._attributive.search(text, clause[0], claim[0])
        if m is None:
            return False
        if self._attributive_exc.match(text[claim[0]:claim[1] + 40]):
            return False
        words = _WORD.findall(text[max(clause[0], m.start() - 30):m.start()])
        if not words or not words[-1].islower():
            return False
        doc = self.subjects.doc
        if doc is not None:
            span = doc.char_span(m.start() - len(words[-1]), m.start(), alignment_mode="expand")
            if span is not None and len(span):
                return bool(span[-1].pos_ == "NOUN")
        return not words[-1].endswith(("ed", "ing"))

    def _time(self, start: int, end: int, i: int, modality: str, m_rule: str, restated: _Done | None,
              kind: str | None) -> TimeResult:
        idx, text, per = self.idx, self.idx.text, self.periods
        sentence = idx.sents[i]
        claim = (start, end)
        if restated is not None and restated.time.rule:
            return replace(restated.time, rule="time.figure_backref")
        whole = self._part_of(start, i, kind)
        if whole is not None and whole.time.rule:
            return replace(whole.time, rule="time.part_of_total")
        view = self.seg.sentences[i]
        rep = self.seg.reports[view.report]
        rep_period = rep.period.date if rep.period is not None and rep.period_sentence != i else None
        lead, stmt = self._statement(sentence, claim)
        in_sent = idx.dates_starting(stmt[0], stmt[1])
        if lead is not None:
            in_sent = [*idx.dates_starting(lead[0], lead[1]), *in_sent]
        frames = [d for d in in_sent if per.is_frame(d, i)]
        new_frame = any(per.opens_sentence(d, i) for d in frames)
        periods = [d for d in in_sent if d not in frames and not (d.start < end and start < d.end)
                   and (d.date_start or d.date_end) and not per.compared_away(d, claim)]
        periods += per.backref_dates(stmt, rep_period)
        if m_rule == "modality.actual.baseline_from":
            # "from around $0.23/W today to $0.10 by 2030": the deadline is the target's, not the baseline's
            periods = [d for d in periods if d.role not in ("by", "until")]
        clause = self._clause(stmt, claim)
        if self._is_attributive(clause, claim):
            return TimeResult(None, None, "time.attributive")

        def nearest(cands: list[FoundDate], rule: str) -> TimeResult | None:
            if not cands:
                return None
            if rule == "time.sentence":
                # from another clause a period beats an event day ("submitted the budget bill for the next year
                # to the Majlis on Sunday, which amounted to 1.988 quadrillion rials")
                cands = [d for d in cands if d.rule_id not in EVENT_DAY_RULES] or cands
            d = min(cands, key=lambda d: _distance(claim, d))
            s, e = time_of(d)
            return TimeResult(s, e, rule, d)

        hit = nearest([d for d in periods if clause[0] <= d.start < clause[1]], "time.clause")
        if hit:
            return hit
        if not new_frame:
            hit = self._same_figure(start, end, i)
            if hit:
                return hit
        present = bool(self._present_state.search(text, max(stmt[0], clause[0] - 6), clause[1]))
        # a clause dated by its own event day ("plans to auction 10 trillion rials on Tuesday") takes no period
        # from another clause
        own_day = any(d.rule_id in EVENT_DAY_RULES and clause[0] <= d.start < clause[1] for d in periods)
        # "the volume of trade before the preferential trade agreement amounted to $605 million, but the total grew
        # ... by June 20": a time of its own the dates layer did not place; no period from another clause
        unplaced = self.seg_may("discourse.time.unplaced", i) and any(
            not idx.overlaps_date(m.start(), m.end()) for m in self._unplaced.finditer(text, clause[0], clause[1]))
        own_day = own_day or unplaced
        if not present and not own_day:
            # a "since 2019" start dates only its own clause ("has exceeded 9 quadrillion rials, and since 2019
            # it has grown 450 percent")
            hit = nearest([d for d in periods if d.role != "since"], "time.sentence")
            if hit:
                return hit
        if not new_frame and not present:
            hit = self._entity_backref(start, i)
            if hit:
                return hit
        if not present and not own_day:
            hit = nearest(per.compared_periods(stmt, claim), "time.compared_period")
            if hit:
                return hit
        if periods or lead is not None or (new_frame and rep.first == i):
            return NO_TIME
        return self._carried(start, end, i, modality, clause, rep) or NO_TIME

    def _carried(self, start: int, end: int, i: int, modality: str, clause: tuple[int, int],
                 rep: Report) -> TimeResult | None:
        """The report's period for a figure with none of its own, within the scope rules."""
        text = self.idx.text
        view = self.seg.sentences[i]
        ss, _ = self.idx.sents[i]
        if self._sentence_own_time(i) or self._own_time_since_period(rep, i):
            # "Currently 22 percent of the SMEs are idle": a state now; "since the beginning of this winter": a time
            # of its own the dates layer did not place. Neither is the report's period, nor is it for the sentences
            # after it: the text has stated another time ("... there are 84,000 units at present. Referring to the
            # 350 trillion-rial facilities ...")
            return None
        if self._definite_count.search(text, max(ss, start - 20), start) and not _NUM.match(text, start):
            return None  # "the two countries", "both sides": a reference, not the report's data
        if self._definitional.search(text, max(0, start - 40), start) or self._abstract.search(text, start, end):
            return None  # "one of the seven free trade zones", "two major approaches": not the report's data
        if view.market and self.seg.session_day is not None:
            d = self.seg.session_day.date
            return TimeResult(*time_of(d), "time.market.session_day", d)
        if rep.period is None or not rep.period.carries or rep.period_sentence is None or rep.period_sentence >= i:
            return None
        if self._topic_shift.match(text[ss:ss + 80]):
            return None  # "Informing about the terminal, the official said the project needs ...": something else
        if self._other_event(i, rep.period.date):
            return None  # "a contract was signed last September" after "this year": another event's figure
        if not rep.data_release and self._present_general.search(text, clause[0], clause[1]):
            return None  # "Iran has the world's second largest gas reserves": a present state, not the event's
        d = rep.period.date
        s, e = time_of(d)
        if modality in ("target", "forecast", "potential") and (self.published is None or s is None
                                                   or s <= self.published.isoformat()):
            return None  # a plan, a forecast or a possibility is not dated by the period of the data or event before it
        if modality == "actual" and self._habitual.search(text, clause[0], clause[1]):
            return None  # "Iran exports above $12 billion of goods per annum": a habitual level, not the period's data
        if modality == "actual" and self.published is not None and s is not None and s > self.published.isoformat():
            return None  # a fact is not dated by the future period of the forecast before it
        if s is not None and e is not None and self._is_year_earlier_base(start, end, clause):
            a, b = shift_period(dt.date.fromisoformat(s), dt.date.fromisoformat(e), -1)
            return TimeResult(a.isoformat(), b.isoformat(), "time.report.year_earlier", d)
        return TimeResult(s, e, "time.report", d)

    def _is_year_earlier_base(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """The figure is the base of "down from 9.1 billion dirhams a year earlier"."""
        for m in self._base_year_earlier.finditer(self.idx.text, clause[0], clause[1]):
            if m.start("fig") <= start and end <= m.end("fig"):
                return True
        return False

    def _other_event(self, i: int, period: FoundDate) -> bool:
        """Sentence ``i`` dates an act of its own ("a contract was signed last September") outside ``period``: it
        tells of another event, not the report's data. (A day of saying, "speaking to ILNA on Sunday", is not.)"""
        ss, se = self.idx.sents[i]
        p0, p1 = time_of(period)
        text = self.idx.text
        for d in self.idx.dates_starting(ss, se):
            s, e = time_of(d)
            if s is None or e is None or not self._frame_act.search(text[max(ss, d.start - 45):d.start]):
                continue
            if (dt.date.fromisoformat(e) - dt.date.fromisoformat(s)).days > 31:
                continue  # an act is dated by its day or month; "approved in the current year's budget" compares
            if (p0 is not None and e < p0) or (p1 is not None and s > p1):
                return True
        return False

    def _own_time_since_period(self, rep: Report, i: int) -> bool:
        """A sentence after the one that stated ``rep``'s period, up to ``i``, states a time of its own (each
        report is scanned once, as far as its figures reach: linear in the article's length)."""
        if rep.period is None or rep.period_sentence is None or rep.period_sentence >= i:
            return False
        scanned, found = self._own_time_scan.get(rep.index, (rep.period_sentence, None))
        while found is None and scanned < i:
            scanned += 1
            if self._sentence_own_time(scanned):
                found = scanned
        self._own_time_scan[rep.index] = (scanned, found)
        return found is not None and found <= i

    def _sentence_own_time(self, i: int) -> bool:
        """Sentence ``i`` speaks of now ("currently", "there are") or of a time the dates layer did not place."""
        hit = self._own_time.get(i)
        if hit is None:
            text = self.idx.text
            ss, se = self.idx.sents[i]
            hit = bool(self._present_adverb.search(text, ss, se)) or (
                self.seg_may("discourse.time.unplaced", i) and any(
                    not self.idx.overlaps_date(m.start(), m.end()) for m in self._unplaced.finditer(text, ss, se)))
            self._own_time[i] = hit
        return hit

    def _same_figure(self, start: int, end: int, i: int) -> TimeResult | None:
        """'Of the mentioned 2000 units': the same figure with the same noun in the last few sentences."""
        text = self.idx.text
        nm = _NUM.search(text, start, end)
        if nm is None:
            return None
        words = _WORD.findall(text[nm.end():end])
        if not words:
            return None
        head = words[-1].lower()
        key = digits(nm.group(0))
        rep = self.seg.sentences[i].report
        for d in self._earlier(key, max(0, i - 3), start):
            if d.sentence >= i:
                continue
            if self.seg.sentences[d.sentence].report != rep and (
                    self.seg.reports[rep].opened_by in _OTHER_EVENT
                    or self.seg.reports[self.seg.sentences[d.sentence].report].opened_by in _OTHER_EVENT):
                return None  # the same number in background or another event is another figure
            if not any(_same_noun(w, head) for w in d.kind_words):
                continue
            if d.time.rule:
                return TimeResult(d.time.start, d.time.end, "time.same_figure", d.time.date)
            return None
        return None

    def _entity_backref(self, start: int, i: int) -> TimeResult | None:
        """'the mentioned units ... created jobs for 21,618 persons': the period of the figure about those
        units in the previous sentences."""
        text = self.idx.text
        ss, _ = self.idx.sents[i]
        m = self._entity.search(text, ss, start)
        if not m or i == 0:
            return None
        noun = m.group("noun").lower()
        for d in reversed(self.history):
            if d.sentence >= i:
                continue
            if d.sentence < i - 2:
                break
            tail = text[d.num_end:min(d.num_end + 50, self.idx.sents[d.sentence][1])]
            if noun in (w.lower() for w in _TAIL_WORD.findall(tail)[:4]):
                if d.time.rule:
                    return TimeResult(d.time.start, d.time.end, "time.entity_backref", d.time.date)
                return None
        return None


def _distance(a: tuple[int, int], d: FoundDate) -> tuple[int, int]:
    if d.start >= a[1]:
        return d.start - a[1], 0
    return max(0, a[0] - d.end), 1


def _singular(w: str) -> str:
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _same_noun(a: str, b: str) -> bool:
    return _singular(a.lower()) == _singular(b.lower())
