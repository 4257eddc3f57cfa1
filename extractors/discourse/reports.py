"""The article as a sequence of reports: each with its source, its period or event day, and the cue that
opened it.

A report continues until the text states another period, turns to a different event, turns to background
("had previously announced", "Earlier in January, ..."), or the attribution changes. Speaker and time read
the same segmentation with their own scope rules:

- the report's source is the speaker of its sentences, except where a sentence names its own: a quote, an
  analyst or a consensus (that sentence only), "as reported" after a person's statement (nobody's), market
  prices and index levels (the article's own voice unless attributed in the sentence);
- the report's period dates the figures of its later sentences that carry on its data (see
  :mod:`extractors.discourse.model` for the figure-level limits: deadlines, present states, plans).

Rule ids: ``report.open.*`` says why a report started (and so why the previous one ended), ``report.end.*``
why a report ended without the next sentence opening one of its own (background with no figure, a final
"according to X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.discourse.article import ArticleIndex, Mention
from extractors.discourse.cues import cues, words_of
from extractors.discourse.periods import Periods, Stated, restates, same_period
from extractors.discourse.sources import Sources, SpeakerCue

# "The projects include ...": a definite plural whose head noun may repeat the lede's subject
_DEFINITE_HEAD = re.compile(r"\W*(?:The|These|Those|Such)\s+(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]{3,}s)\b")
_FIGURE = re.compile(
    r"(?<![\w.])(?!(?:19|20|13|14)\d\d\b)\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen)\b|\bpercent\b",
    re.IGNORECASE,
)
_SENTENCE_SOURCE = re.compile(r"^\W*(?:As|According\s+to|Quoting|Citing)\s+(?:the\s+)?$")
_CLOSES = re.compile(r"[\s.\u201d\"]*")
# Why a report starts (and so why the one before it ends), and why one ends without the next opening on its own.
OPEN_RULES = ("report.open.article", "report.open.period", "report.open.attribution", "report.open.background",
              "report.open.event", "report.open.after_source", "report.open.after_end")
END_RULES = ("report.end.background", "report.end.article")
_EVENT_RESETS = {"speaker.reset.on_date", "speaker.reset.in_month"}
# a report opened by one of these is a data release: its breakdowns may add the period it did not state
_DATA_RULES = ("speaker.data_released_by", "speaker.carry.according_to_data", "speaker.data_from",
               "speaker.report_in", "speaker.carry.data_back_reference")


@dataclass
class Report:
    index: int
    first: int  # sentence index of its opening sentence
    opened_by: str  # rule id
    source: Mention | None = None
    source_rule: str = "speaker.none"
    period: Stated | None = None
    period_sentence: int | None = None
    closed_by: str | None = None
    last: int = 0
    data_release: bool = False  # a data release: its breakdowns may add the period it did not state

    def evidence(self, idx: ArticleIndex, previous: Report | None) -> dict[str, object]:
        s, e = idx.sents[self.first]
        out: dict[str, object] = {"index": self.index, "sentence": [s, e], "opened_by": self.opened_by,
                                  "closed_by": self.closed_by,
                                  "previous_closed_by": previous.closed_by if previous else None,
                                  "source": self.source.name if self.source else None,
                                  "source_rule": self.source_rule}
        if self.period is not None:
            d = self.period.date
            out["period"] = {"text": d.text, "at": [d.start, d.end], "start": d.date_start, "end": d.date_end,
                             "rule": self.period.rule, "date_rule": d.rule_id, "carries": self.period.carries}
        return out


@dataclass
class SentenceView:
    report: int
    speaker: Mention | None
    speaker_rule: str
    explicit: bool  # the sentence names its own source
    market: bool = False


@dataclass
class Segmentation:
    reports: list[Report] = field(default_factory=list)
    sentences: list[SentenceView] = field(default_factory=list)
    session_day: Stated | None = None  # a market wrap's day


class Segmenter:
    def __init__(self, idx: ArticleIndex, sources: Sources, periods: Periods) -> None:
        self.idx, self.sources, self.periods = idx, sources, periods
        c = cues()
        self._link = c.one("discourse.link.pointer")
        self._back_link = c.one("discourse.link.back")
        self._opening_link = c.one("discourse.link.opening")
        self._speaker_link = c.one("discourse.link.speaker_pronoun")
        self._background = c.kind("background")
        self._market = c.one("discourse.market.subject_move")
        self._unnamed = c.one("discourse.speaker.unnamed")
        self._table = c.one("discourse.table.row")
        self._gloss = c.one("discourse.gloss.calendar")
        self._unplaced = c.one("discourse.time.unplaced")
        self._continues = c.one("discourse.link.continues")
        self._report_anaphor = c.one("discourse.report.anaphor")
        self._company_anaphor = c.one("discourse.report.company_anaphor")
        self._company_pointer = c.one("discourse.link.company_pointer")
        self._current_state = c.one("discourse.background.current_state")
        self._attr = {k: c.kind(k) for k in ("reset", "carry", "data_back")}
        self._analysts = self._analyst_people()
        self._words: dict[int, frozenset[str]] = {}
        self._triggers = {cid: frozenset(cu.row["triggers"]) for cid, cu in c.by_id.items() if cu.row.get("triggers")}
        self._has_figure: dict[int, bool] = {}

    # ------------------------------------------------------------------ per-sentence facts
    def _analyst_people(self) -> set[str]:
        """People introduced as analysts anywhere in the article: their every quote is theirs alone."""
        out = set()
        for cs in self.sources.cues:
            for cu in cs:
                if cu.scope == "sentence" and cu.speaker.kind == "person":
                    out.add(cu.speaker.name)
        return out

    def _scope(self, cu: SpeakerCue) -> str:
        if cu.speaker.kind == "person" and cu.speaker.name in self._analysts:
            return "sentence"
        return cu.scope

    def explicit(self, i: int) -> tuple[Mention | None, str, str] | None:
        cs = self.sources.cues[i]
        if not cs:
            sp = self.sources.sentence_quote_speaker(i)
            if sp is not None:
                return sp, "speaker.quote", ("sentence" if sp.name in self._analysts else "report")
            return None
        persons = [cu for cu in cs if cu.speaker.kind == "person"]
        orgs = [cu for cu in cs if cu.speaker.kind == "org"]
        pick = (persons or orgs or cs)[0]
        return pick.speaker, pick.rule_id, self._scope(pick)

    def words(self, i: int) -> frozenset[str]:
        hit = self._words.get(i)
        if hit is None:
            hit = self._words[i] = words_of(self.idx.body(i))
        return hit

    def may(self, cue_id: str, i: int) -> bool:
        """False when cue ``cue_id`` cannot match sentence ``i`` (none of its trigger words is there)."""
        trig = self._triggers.get(cue_id)
        return trig is None or not self.words(i).isdisjoint(trig)

    def is_market(self, i: int) -> bool:
        """Market data: a traded instrument's price, level or move (shares, indices, crude, yields, currencies)."""
        body = self.idx.body(i)
        return bool(self.may("discourse.market.subject_move", i) and self._market.search(body) and self.has_figure(i))

    def has_figure(self, i: int) -> bool:
        """A number outside the sentence's dates ("March 21, 2017" is no figure)."""
        hit = self._has_figure.get(i)
        if hit is None:
            hit = self._has_figure[i] = self._figure_outside_dates(i)
        return hit

    def _figure_outside_dates(self, i: int) -> bool:
        ss, se = self.idx.sents[i]
        text = self.idx.text
        pos = ss
        for d in self.idx.dates_starting(ss, se):
            if _FIGURE.search(text, pos, max(pos, d.start)):
                return True
            pos = max(pos, d.end)
        return bool(_FIGURE.search(text, pos, se))

    def is_table(self, i: int) -> bool:
        """The sentence lies on a table row (a line with cells between pipes)."""
        return self.idx.line_matches(self.idx.sents[i][0], self._table)

    def _unnamed_lookahead(self, explicit: list[tuple[Mention | None, str, str] | None]) -> None:
        """'..., an official said on Tuesday.' followed by a sentence naming him: the named person; 'the
        Organization's director for education ..., said' that the officials layer resolved: that person."""
        n = len(explicit)
        for i in range(n):
            ex = explicit[i]
            if ex is not None and ex[0] is not None and ex[0].kind == "person":
                continue
            ss, se = self.idx.sents[i]
            if not self.may("discourse.speaker.unnamed", i):
                continue
            m = self._unnamed.search(self.idx.text, ss, se)
            if m is None:
                continue
            named = next((mm for mm in self.idx.mentions_starting(m.start(), m.end()) if mm.kind == "person"), None)
            if named is not None:
                explicit[i] = (named, "speaker.unnamed.resolved", "report")
                continue
            for k in range(i + 1, min(n, i + 3)):
                nxt = explicit[k]
                if nxt is None:
                    continue
                if nxt[0] is not None and nxt[0].kind == "person":
                    explicit[i] = (nxt[0], "speaker.unnamed.lookahead_person", nxt[2])
                break

    def _breaks_report(self, i: int) -> bool:
        """A sentence with no figure, no source and nothing pointing back at the report (a pronoun, 'the
        official', 'also', a quote) is background: the next sentences are no longer the report."""
        body = self.idx.body(i)
        if not body.strip() or _FIGURE.search(body) or (self.may("discourse.link.pointer", i)
                                                        and self._link.search(body)):
            return False
        if any(cu.rx.search(body) for cu in cues().speech):
            return False  # "..., sources said": still reported speech
        return not any(m.kind == "person" for m in self.idx.mentions_in_sentence(i))

    def _lede_restated(self, explicit: list[tuple[Mention | None, str, str] | None]) -> None:
        """A lede with figures and no source, restated by the next sentence with a source and a pointer back
        ('According to the latest data released by the ministry, in the mentioned period, ...'), takes that
        source."""
        first = next((i for i in range(len(self.idx.sents)) if _FIGURE.search(self.idx.body(i))), None)
        if first is None or first > 1 or explicit[first] is not None or first + 1 >= len(self.idx.sents):
            return
        nxt = explicit[first + 1]
        if nxt is None or nxt[0] is None or nxt[0].kind == "agency":
            return
        body = self.idx.body(first + 1)
        if self._back_link.search(body):
            explicit[first] = (nxt[0], "speaker.lede.restated", "report")
            return
        # "A total of 22 tourism projects ... have been inaugurated ... . The projects include ..., IRNA quoted X as
        # saying": the next sentence goes on about the lede's own subject, and its source is the lede's
        head = _DEFINITE_HEAD.match(body)
        if head and re.search(rf"\b{re.escape(head.group(1))}\b", self.idx.body(first), re.IGNORECASE):
            explicit[first] = (nxt[0], "speaker.lede.same_subject", "report")

    def _speaker_linked(self, i: int) -> bool:
        """'he said', 'the official added' in sentence ``i``."""
        return self.may("discourse.link.speaker_pronoun", i) and bool(self._speaker_link.search(self.idx.body(i)))

    def _linked(self, i: int) -> bool:
        """The sentence carries on the speaker before it ('That means ...', 'He added that ...')."""
        body = self.idx.body(i)
        return bool(self._opening_link.match(body) or self._speaker_linked(i)
                    or (self.may("discourse.link.continues", i) and self._continues.search(body))
                    or self.sources.sentence_quote_speaker(i) is not None)

    # ------------------------------------------------------------------ the walk
    def run(self) -> Segmentation:
        idx, text = self.idx, self.idx.text
        n = len(idx.sents)
        explicit = [self.explicit(i) for i in range(n)]
        self._unnamed_lookahead(explicit)
        self._lede_restated(explicit)
        seg = Segmentation()
        cur = Report(0, 0, "report.open.article")
        seg.reports.append(cur)
        carried: tuple[Mention | None, str] = (None, "speaker.none")
        data_source: Mention | None = None
        last_org: Mention | None = None  # the last organisation or agency named as a source
        last_person: Mention | None = None
        pending_end: str | None = None  # set when the previous sentence ended the report
        for i in range(n):
            ss, se = idx.sents[i]
            body = text[ss:se]
            sent = body.lstrip()
            if self.is_table(i):
                # a table row neither continues nor ends the report; its figures are the page's own
                seg.sentences.append(SentenceView(cur.index, None, "speaker.none.table", False, True))
                continue
            ex3 = explicit[i]
            ex: tuple[Mention | None, str] | None = (ex3[0], ex3[1]) if ex3 is not None else None
            scope = ex3[2] if ex3 is not None else "report"
            own = ex is not None
            if ex is None and data_source is not None and any(cu.rx.search(body) for cu in self._attr["data_back"]):
                # "Based on the mentioned data, ...": the source of the data, not the outlet that relayed it
                ex = (data_source, "speaker.carry.data_back_reference")
            for cu in self.sources.cues[i]:
                if cu.rule_id.startswith("speaker.data_released_by"):
                    data_source = cu.speaker
            relay = False
            if ex is not None and ex[0] is not None and ex[0].kind == "agency":
                cue0 = next((cu for cu in self.sources.cues[i] if cu.speaker is ex[0]), None)
                at_start = cue0 is not None and bool(_SENTENCE_SOURCE.match(text[ss:cue0.start]))
                if at_start:
                    pass  # "As IRIB reported, ...": the agency is this sentence's source
                elif carried[0] is not None and carried[0].kind != "agency" and (
                    carried[0].kind == "person" or self._back_link.search(body)
                ):
                    # "..., in the mentioned period, IRNA reported": the agency relays the earlier source
                    ex, relay = (carried[0], "speaker.carry.over_agency"), True
                else:
                    # "..., IRIB reported." then "According to the deputy minister Saied Zarandi, ...": the person
                    # the agency quotes
                    nxt = explicit[i + 1] if i + 1 < n else None
                    if nxt is not None and nxt[0] is not None and nxt[0].kind == "person":
                        ex = (nxt[0], "speaker.agency.lookahead_person")
            boundary: str | None = pending_end and "report.open.after_end"
            pending_end = None
            reset = next((cu for cu in self._attr["reset"] if cu.rx.match(sent)), None)
            background = next((cu for cu in self._background if self.may(cu.id, i) and cu.rx.search(sent)), None)
            linked = self.may("discourse.link.pointer", i) and bool(self._link.search(body))
            if ex is None and self.may("discourse.report.anaphor", i) and self._report_anaphor.search(body) \
                    and (data_source or last_org or carried[0]):
                # ", the report read.": the publisher of the report the article follows
                # (an agency that relayed the report is its channel: "the ministry announced, IRNA reported")
                relayer = last_org is not None and last_org.kind == "agency" and carried[0] is not None
                ex, own = (data_source or (carried[0] if relayer else last_org) or carried[0],
                           "speaker.report_anaphor"), True
            if ex is None and last_org is not None and last_org.kind == "org" \
                    and self.may("discourse.report.company_anaphor", i) and self._company_anaphor.search(body):
                ex, own = (last_org, "speaker.company_anaphor"), True  # "Company management said ..."
            if ex is None:
                carry = next((cu for cu in self._attr["carry"] if cu.rx.search(body)), None)
                if carry is not None:
                    own = carry.id == "speaker.according_to.data"  # "According to the report, ...": attributed
                    if carry.id == "speaker.as_reported" and carried[0] is not None and carried[0].kind == "person":
                        # "As reported, ..." after a person's statement: the press, nobody named (this sentence)
                        ex, scope = (None, "speaker.none.as_reported"), "sentence"
                    elif carry.id == "speaker.according_to.data" and data_source is not None:
                        ex = (data_source, "speaker.carry.according_to_data")
                    elif carry.id == "speaker.according_to.data" and carried[0] is None and last_org is not None:
                        ex = (last_org, "speaker.carry.according_to_data")  # "According to this report": its publisher
                    else:
                        ex = (carried[0], "speaker.carry.according_to_data")
                elif reset is not None:
                    ex = (None, reset.id)
                    boundary = "report.open.event" if reset.id in _EVENT_RESETS else "report.open.background"
                elif (carried[0] is not None and carried[1] == "speaker.according_to.final" and not linked
                      and carried[0].kind == "agency"):
                    # "..., according to Reuters." covers its own sentence; the next one needs a pointer back
                    ex = (None, "speaker.none.after_final_source")
                    boundary = "report.open.after_source"
                elif carried[0] is not None and background is not None and background.id.endswith("pluperfect") \
                        and not linked:
                    # "The ministry had approved 75 cases in the first seven months": earlier background
                    ex = (None, "speaker.none.pluperfect_background")
                elif last_person is not None and self._speaker_linked(i) and (
                        carried[0] is None or carried[0].kind != "person"
                        or last_person.name in self._analysts):
                    # "he said" after a quoted person whose words were his sentence's only
                    ex = (last_person, "speaker.pronoun")
                    scope = "sentence" if last_person.name in self._analysts else "report"
                elif (carried[0] is not None and i > 0 and idx.paragraph[i] != idx.paragraph[i - 1]
                      and not self._linked(i) and not self._company_pointer.match(sent)
                      and not self._back_link.search(body) and not self.periods.backref_dates(idx.sents[i])):
                    # a new paragraph with no source and nothing pointing back (a pronoun, 'the official', the
                    # company, 'in the mentioned period', 'in the two months'): the article's own voice (the spec
                    # carries a report's speaker within its paragraph)
                    ex = (None, "speaker.none.new_paragraph")
                else:
                    ex = (carried[0], "speaker.carry" if carried[0] is not None else "speaker.none")
            else:
                if reset is not None and boundary is None:
                    boundary = "report.open.event" if reset.id in _EVENT_RESETS else "report.open.background"
            if boundary is None and background is not None and (
                    own or not background.id.endswith("pluperfect") or not linked):
                # "Back in August, X had announced ...", "The previous auction took place on January 9": background
                boundary = "report.open.background"
                if not own and not self._speaker_linked(i):
                    ex = (None, "speaker.none.background")  # the writer's background is nobody's
            # ---- the period this sentence states, against the report's
            st = self.periods.stated(i, cur.period.date if cur.period is not None else None)
            figures = self.has_figure(i)
            if st is not None and not figures and self._gloss.match(sent):
                st = None  # "The current Iranian calendar year started on March 21, 2017.": a gloss, no new report
            if boundary is None and st is not None and not self._opens_nothing(st, i) and i > 0:
                if cur.period is None:
                    if own and scope == "report" and not relay and not self._same_source(ex[0] if ex else None, cur):
                        boundary = "report.open.attribution"
                    elif not cur.data_release:
                        boundary = "report.open.period"
                    # else: a data release that gave no period: this one is its period (set below)
                elif not same_period(st.date, cur.period.date):
                    boundary = "report.open.period"
            if (boundary is None and own and scope == "report" and not relay and ex is not None
                    and not self._same_source(ex[0], cur) and i > 0):
                boundary = "report.open.attribution"
            market = self.is_market(i)
            if boundary == "report.open.period" and not own and not self._linked(i):
                if st is not None and cur.period is not None and restates(st.date, cur.period.date):
                    # "by January 20" after "the first 10 months (ending on January 20)", "in 2018" after "January to
                    # April 2018": the same data seen again, still its source's
                    ex = (carried[0], "speaker.carry.same_data") if carried[0] is not None else ex
                else:
                    ex = (None, "speaker.none.new_report")  # a new period with no source: the article's own report
            if boundary is not None and i > 0:
                cur.closed_by = cur.closed_by or boundary
                cur.last = i - 1
                cur = Report(len(seg.reports), i, boundary)
                seg.reports.append(cur)
                if scope == "report" and ex is not None:
                    cur.source, cur.source_rule = ex
            elif i == 0 and ex is not None and scope == "report":
                cur.source, cur.source_rule = ex
            elif ex is not None and scope == "report" and own:
                cur.source, cur.source_rule = ex
            if st is not None and cur.period is None:
                if st.carries and self.may("discourse.time.unplaced", i) and any(
                        not idx.overlaps_date(m.start(), m.end()) for m in self._unplaced.finditer(text, ss, se)):
                    # "in the five-month period after the agreement took effect on October 27": the period is one
                    # the dates layer did not place; its anchor day is not the report's period
                    st = replace(st, carries=False)
                cur.period, cur.period_sentence = st, i
            if ex is not None and ex[1].startswith(_DATA_RULES) or any(
                    cu.rule_id.startswith(_DATA_RULES) for cu in self.sources.cues[i]):
                cur.data_release = True
            speaker = ex[0] if ex is not None else None
            rule = ex[1] if ex is not None else "speaker.none"
            if market and not own:
                speaker, rule = None, "speaker.none.market_data"
            elif not own and self._current_state.match(sent) and not self._speaker_linked(i) \
                    and self.sources.sentence_quote_speaker(i) is None:
                speaker, rule = None, "speaker.none.current_state"  # the writer's note on the state of things
            seg.sentences.append(SentenceView(cur.index, speaker, rule, own, market))
            if seg.session_day is None and self.may("discourse.market.subject_move", i) and self._market.search(body):
                seg.session_day = self._session_day(i)
            if ex is not None and ex[0] is not None and ex[0].kind == "person" and own:
                last_person = ex[0]
            for cu in self.sources.cues[i]:
                if cu.speaker.kind != "person" and cu.scope == "report":
                    last_org = cu.speaker
            if scope == "report" and (not market or own):
                carried = ex if ex is not None else (None, "speaker.none")
            elif scope == "sentence" and own and ex is not None and ex[0] is not None and ex[0].kind == "person":
                # the sentences around a quoted analyst are the article's own unless attributed
                carried = (None, "speaker.none.after_analyst")
            if ex is not None and ex[0] is not None and ex[0].kind != "person" and ex[1] == "speaker.according_to":
                cue = next((cu for cu in self.sources.cues[i] if cu.speaker is ex[0]), None)
                if cue is not None and _CLOSES.fullmatch(text[cue.end:se]):
                    carried = (ex[0], "speaker.according_to.final")
            if explicit[i] is None and carried[0] is not None and self._breaks_report(i):
                # background in the article's own voice ends the report carried so far
                carried = (None, "speaker.break.background")
                pending_end = "report.end.background"
                cur.closed_by = pending_end
        cur.last = n - 1
        if cur.closed_by is None:
            cur.closed_by = "report.end.article"
        return seg

    def _opens_nothing(self, st: Stated, i: int) -> bool:
        """A stated period that opens no report: a back-reference (the report's own period), and the one date of
        a comparison ("down from 1.8 million in July"); a "from 4.8 million in 2014 to 20 million in 2025" pair
        states periods of its own."""
        if st.rule == "time.stated.backref":
            return True
        return st.rule == "time.stated.figure_pair" and len(self.periods.sentence_periods(i)[1]) < 2

    def _same_source(self, sp: Mention | None, rep: Report) -> bool:
        if rep.source is None:
            return sp is None
        return sp is not None and sp.name == rep.source.name

    def _session_day(self, i: int) -> Stated | None:
        """A market wrap's day: the weekday its first market sentence gives (said on it or traded on it)."""
        ss, se = self.idx.sents[i]
        for d in self.idx.dates_starting(ss, se):
            if d.rule_id in ("dates.day.weekday", "dates.day.relative") and d.date_start:
                return Stated(d, "time.stated.session_day", True)
        return None
