"""Dates as the discourse layer reads them: a frame (when something was said or done) or a period a figure
covers; a comparison base or not; the period a sentence states for its report; back-references to a period
("the mentioned period", "during this period") or to a dated event ("in that auction", "at that point").

Everything is computed once per sentence or per date and looked up by bisection.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors.dates import NUMBER_WORDS, FoundDate, shift_period
from extractors.discourse.article import ArticleIndex
from extractors.discourse.cues import cues, words_of

FRAME_GRAN = {"day", "week", "month", "month_part"}
EVENT_DAY_RULES = ("dates.day.weekday", "dates.day.relative")
_BASES = cues().by_id["time.comparison_base.rules"].row
COMPARISON_RULES = frozenset(_BASES["rules"])  # dates-layer rules that place a comparison base
_YEAR_APART = frozenset(_BASES["year_apart"])  # ... one year before the period it mirrors
CARRYING_ROLES = (None, "in", "on")  # a deadline ("by"), "until" or "since" date does not carry
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
_N_UNIT = re.compile(r"\b(\w+)[\s-](day|week|month|year)s?\b", re.I)
_UNIT_ONLY = re.compile(r"\b(day|week|month|year|quarter|half)(s?)\b", re.I)
# the length (days) a back-reference's unit words allow when they give no number: "the mentioned months"
_UNIT_RANGE = {("day", ""): (1, 1), ("day", "s"): (2, 27), ("week", ""): (5, 8), ("week", "s"): (8, 60),
               ("month", ""): (27, 32), ("month", "s"): (55, 340), ("year", ""): (360, 370),
               ("year", "s"): (700, 40000), ("quarter", ""): (85, 95), ("half", ""): (175, 190)}
_OPENS = re.compile(r"\W*(?:(?:in|on|at|during)\s+)?", re.I)
_DETERMINERS = re.compile(r"^(?:the|a|an|its|their|his|her|this|that|these|those|in|on|at|of|for|during|over|"
                          r"the\s+same|same|to|by|levels?|figures?|amounts?|values?|ones?|record|average)$", re.I)
_FIGURE_WORD = re.compile(r"\d|\b(?:million|billion|trillion|thousand|percent)\b", re.I)
_HEADING = re.compile(r"[a-z]\s+(?:In|On|At|During)\s+$")
_BREAKS = re.compile(r"[;:()]|,\s")
_PARENS = re.compile(r"\s*\([^()]*\)")
# "from 454.9 trillion rials (about $10.83 billion), approved in the current year's budget": the base's date
# given in a participle phrase after it
_BASE_PARTICIPLE = re.compile(r",\s+(?:approved|recorded|registered|envisaged|earmarked|allocated|estimated|projected|"
                              r"planned|set|reported|achieved)\s+(?:in|for|by|under|during)(?:\s+the)?\s*$", re.I)
_POSS = re.compile(r"[\u2019']s\b")
_POSS_FIGURE = re.compile(r"[\u2019']s\s+(?:\w+\s+){0,2}")


@lru_cache(maxsize=256)
def _event_name(stem: str, ordinal: str | None) -> re.Pattern[str]:
    """"first auction" (or "auction") as written in an earlier sentence."""
    lead = rf"(?:{re.escape(ordinal)}\s+)?" if ordinal else ""
    return re.compile(rf"\b{lead}{re.escape(stem)}s?\b", re.I)


def time_of(d: FoundDate) -> tuple[str | None, str | None]:
    if d.role in ("by", "until"):
        return None, d.date_end
    if d.role == "since":
        return d.date_start, None
    return d.date_start, d.date_end


def is_comparison_rule(d: FoundDate) -> bool:
    return d.rule_id in COMPARISON_RULES


def is_multi_day(d: FoundDate) -> bool:
    return bool(d.date_start and d.date_end and d.date_start != d.date_end)


def _count(word: str) -> int | None:
    w = word.lower()
    return int(w) if w.isdigit() else NUMBER_WORDS.get(w)


@dataclass(frozen=True)
class Stated:
    """The period a sentence states for its report, with the rule that found it."""

    date: FoundDate
    rule: str  # time.stated.period | time.stated.backref | time.stated.event_day ...
    carries: bool  # an "in" period or an event day carries to the report's next sentences; a deadline does not


class Periods:
    def __init__(self, idx: ArticleIndex, published: dt.date | None) -> None:
        self.idx = idx
        self.published = published
        c = cues()
        self._comparison = c.one("time.comparison")
        self._frame_context = c.one("time.frame.interview")
        self._frame_gathering = c.one("time.frame.gathering")
        self._backrefs = c.kind("period_backref")
        self._event_backrefs = c.kind("event_backref")
        self._frame_cache: dict[tuple[int, int], bool] = {}
        self._backref_cache: dict[tuple[int, int, int], list[FoundDate]] = {}
        self._quiet: dict[tuple[int, int], bool] = {}

    # ------------------------------------------------------------------ frames
    def is_frame(self, d: FoundDate, i: int | None = None) -> bool:
        """True when ``d`` says when something was said or done (a report's date), not a period a figure
        covers: a weekday or a Gregorian day/week/month attached to a verb of saying ("IRNA reported on
        Monday", "told IRNA on Monday", "In an interview with IRNA on Sunday"), or opening a sentence whose
        verb reports ("Back in August, X had announced ..."). A weekday of an event ("Rouhani on Thursday
        inaugurated ...", "Oil prices fell on Tuesday") is that event's day, not a frame."""
        key = (d.start, d.end)
        hit = self._frame_cache.get(key)
        if hit is None:
            hit = self._frame(d, self.idx.sent_of(d.start) if i is None else i)
            self._frame_cache[key] = hit
        return hit

    def _frame(self, d: FoundDate, i: int) -> bool:
        if d.role in ("since", "by", "until"):
            return False  # "said since March 2017 over 150 companies have ...": a bound of the data, not a saying's day
        text = self.idx.text
        ss, se = self.idx.sents[i]
        c = cues()
        before = text[max(ss, d.start - 40):d.start]
        if d.rule_id in EVENT_DAY_RULES:
            if c.reporting_before.search(before) or self._frame_context.search(text[max(ss, d.start - 60):d.start]):
                return True
            if self._frame_gathering.match(text, d.end) and c.reporting.search(text, d.end, se):
                return True  # "During the Tuesday gathering, X also announced that ...": the gathering's day
            # "X said on Tuesday", "..., the company said Tuesday": a weekday right after a verb of saying
            return bool(c.reporting_last.search(before))
        # "said in November last year": a date right after a frame date is part of it
        k = bisect_left(self.idx._d_starts, d.start)
        if 0 < k < len(self.idx.dates) + 1:
            p = self.idx.dates[k - 1]
            if p.end <= d.start and d.start - p.end <= 2 and p.start >= ss and self.is_frame(p, i):
                return True
        if d.calendar != "gregorian" or d.granularity not in FRAME_GRAN:
            return False
        if c.reporting_before.search(before) or self._frame_context.search(text[max(ss, d.start - 120):d.start]):
            return True
        return self.opens_sentence(d, i) and bool(c.reporting.search(text, d.end, se))

    def opens_sentence(self, d: FoundDate, i: int) -> bool:
        text = self.idx.text
        ss, _ = self.idx.sents[i]
        # a heading run into the sentence ("Knowledge-based companies In December 2022, ...") still opens it
        lead = text[ss:d.start]
        heading = len(lead) < 60 and _HEADING.search(lead) is not None
        opens = _OPENS.fullmatch(lead) is not None or heading
        return opens and text[d.end:d.end + 2].lstrip().startswith(",")

    def is_event_day(self, d: FoundDate) -> bool:
        return d.rule_id in EVENT_DAY_RULES and not self.is_frame(d)

    # ------------------------------------------------------------------ comparison bases
    def compared_away(self, d: FoundDate, claim: tuple[int, int]) -> bool:
        """True when ``d`` is a comparison base or a source ("down from 1.8 million in July", "compared to the
        same period last year", "from the current year's budget", "according to the Plan (2016-2021)") and the
        claim is not inside that phrase: the date then does not say when the claim's figure applies."""
        text = self.idx.text
        lo = max(0, d.start - 80)
        best = None
        for m in self._comparison.finditer(text, lo, d.start):
            best = m
        if best is None:
            return False
        between = text[best.end():d.start].rstrip(" ([")
        if _BREAKS.search(between):
            # a conversion in parentheses and a participle naming the base's period do not end the comparison
            between = _BASE_PARTICIPLE.sub(" ", _PARENS.sub("", between)).strip()
        if _BREAKS.search(between) or len(between.split()) > 8:
            return False
        cue = best.group(0).strip().lower()
        if cue == "from" and not between.strip():
            # "from March 21" is a starting point; "from the current year's budget" compares
            if not _POSS.match(text[d.end:d.end + 3]) and not is_comparison_rule(d):
                return False
        if cue == "from" and between.strip():
            # "exported from Arvand Free Trade Zone during the first eleven months": the date has its own
            # preposition after words that are no figure; it is not the comparison's
            words = between.split()
            if not _FIGURE_WORD.search(between) and not all(_DETERMINERS.match(w) for w in words):
                return False
        if best.start() <= claim[0] and claim[1] <= d.end:
            return False
        # "from the previous year's 1,700 tomans": the possessive date dates the figure right after it
        return not _POSS_FIGURE.fullmatch(text[d.end:claim[0]])

    def compared_periods(self, span: tuple[int, int], claim: tuple[int, int]) -> list[FoundDate]:
        """"up 4 percent from the same period of the previous year": the change is over the period that "the
        same period" mirrors, i.e. the comparison base moved forward by a year."""
        out = []
        for d in self.idx.dates_starting(span[0], span[1]):
            if d.rule_id in _YEAR_APART and d.date_start and d.date_end and self.compared_away(d, claim):
                a, b = shift_period(dt.date.fromisoformat(d.date_start), dt.date.fromisoformat(d.date_end), 1)
                out.append(replace(d, date_start=a.isoformat(), date_end=b.isoformat(), role="in"))
        return out

    # ------------------------------------------------------------------ back-references
    def backref_dates(self, span: tuple[int, int], report_period: FoundDate | None = None) -> list[FoundDate]:
        """Pseudo-dates for "the mentioned time span", "during this period" in ``span``: the report's period
        when it is one, else the most recent period before (not an announcement date, not a one-day point);
        for "the nine-month period" the most recent one about nine months long. Event back-references ("in that
        auction", "at that point") take the date given for that event."""
        quiet = self._quiet.get(span)
        if quiet is None:
            quiet = self._quiet[span] = cues().backref_triggers.isdisjoint(words_of(self.idx.text[span[0]:span[1]]))
        if quiet:
            return []  # no word a back-reference needs
        key = (span[0], span[1], id(report_period))
        hit = self._backref_cache.get(key)
        if hit is not None:
            return hit
        out = self._backref_dates(span, report_period)
        self._backref_cache[key] = out
        return out

    def _backref_dates(self, span: tuple[int, int], report_period: FoundDate | None) -> list[FoundDate]:
        text = self.idx.text
        out: list[FoundDate] = []
        for cue in self._backrefs:
            for m in cue.rx.finditer(text, span[0], span[1]):
                if any(d.start < m.end() and m.start() < d.end for d in self.idx.dates_starting(m.start() - 200,
                                                                                              m.end())):
                    continue  # a placed date, not a back-ref
                src = self._period_before(span[0], m.group(0), (m.start(), m.end()), report_period)
                if src is not None:
                    out.append(replace(src, start=m.start(), end=m.end(), text=m.group(0), rule_id=cue.id,
                                       role="since" if src.role == "since" else "in"))
        for cue in self._event_backrefs:
            for m in cue.rx.finditer(text, span[0], span[1]):
                if any(d.start < m.end() and m.start() < d.end for d in self.idx.dates_starting(m.start() - 200,
                                                                                              m.end())):
                    continue
                src = self._event_before(span[0], m)
                if src is not None:
                    out.append(replace(src, start=m.start(), end=m.end(), text=m.group(0), rule_id=cue.id,
                                       role=src.role if src.role in ("in", "on") else "in"))
        return out

    def _usable_period(self, d: FoundDate, ref: tuple[int, int]) -> bool:
        # "since the beginning of the current year (March 20)": an open period a back-reference may point to
        return ((is_multi_day(d) or d.role == "since") and d.role not in ("by", "until") and not self.is_frame(d)
                and not self.compared_away(d, ref))

    def _period_before(self, pos: int, phrase: str, ref: tuple[int, int],
                       report_period: FoundDate | None, limit: int = 400) -> FoundDate | None:
        m = _N_UNIT.search(phrase)
        n = _count(m.group(1)) if m else None
        want = n * _UNIT_DAYS[m.group(2).lower()] if m and n else None
        u = _UNIT_ONLY.search(phrase) if want is None else None
        span = _UNIT_RANGE.get((u.group(1).lower(), u.group(2).lower())) if u else None

        def fits(d: FoundDate) -> bool:
            if want is not None:
                return _fits(d, want)
            days = _days(d)
            return span is None or (days is not None and span[0] <= days <= span[1])

        if report_period is not None and report_period.end <= pos and self._usable_period(report_period, ref):
            if fits(report_period):
                return report_period
        prior = self.idx.dates_before(pos)
        first = None
        for d in reversed(prior[-limit:]):
            if d.end > pos or not self._usable_period(d, ref):
                continue
            if first is None:
                first = d
            if fits(d):
                return d
        return first

    def _event_before(self, pos: int, m: re.Match[str], limit: int = 400) -> FoundDate | None:
        """The date of the event a back-reference names: for "that point"/"that day" the last day stated; for
        "in the first auction" the date in the last sentence naming the first auction (or the auction)."""
        text = self.idx.text
        noun = m.group("noun").lower()
        ordinal = m.groupdict().get("ordinal")
        prior = [d for d in self.idx.dates_before(pos)[-limit:] if d.end <= pos and (d.date_start or d.date_end)
                 and not self.is_frame(d)]
        if noun in ("point", "time", "date", "day", "moment"):
            for d in reversed(prior):
                if d.date_start == d.date_end or noun in ("point", "time", "moment"):
                    return d
            return None
        stem = noun.rstrip("s")
        want = _event_name(stem, ordinal if ordinal not in ("last", "latest", "previous", "recent") else None)
        seen: set[int] = set()
        for d in reversed(prior):
            k = self.idx.sent_of(d.start)
            if k in seen:
                continue
            seen.add(k)
            ss, se = self.idx.sents[k]
            hit = want.search(text, ss, se)
            if hit:
                # "The first auction was held on January 9 and the second on February 2": the date nearest
                # the event's name in that sentence
                in_sent = [x for x in prior if ss <= x.start < se]
                return min(in_sent, key=lambda x: (abs(x.start - hit.end()) if x.start >= hit.end()
                                                   else abs(hit.start() - x.end) + 1000))
        return None

    # ------------------------------------------------------------------ what a sentence states
    def sentence_periods(self, i: int) -> tuple[list[FoundDate], list[FoundDate]]:
        """Dates of sentence ``i`` that are periods of its figures (not frames, not comparison bases), and
        those of a "from X in 2014 to Y in 2025" pair (each dates its own figure: stated, but not carried)."""
        ss, se = self.idx.sents[i]
        out, paired = [], []
        for d in self.idx.dates_starting(ss, se):
            if not (d.date_start or d.date_end) or self.is_frame(d, i):
                continue
            if self.compared_away(d, (ss, ss)):
                if not is_comparison_rule(d) and self._from_pair(d):
                    paired.append(d)
                continue
            out.append(d)
        return out, paired

    def _from_pair(self, d: FoundDate) -> bool:
        """The date follows a figure of a "from ... to ..." construction, not "than"/"compared with"."""
        text = self.idx.text
        last = None
        for m in self._comparison.finditer(text, max(0, d.start - 80), d.start):
            last = m
        return last is not None and last.group(0).strip().lower() == "from" and bool(
            _FIGURE_WORD.search(text, last.end(), d.start))

    def stated(self, i: int, report_period: FoundDate | None = None) -> Stated | None:
        """The period sentence ``i`` states for its report: its first period date, an event day, or the
        period a back-reference in it points to."""
        out: Stated | None = None
        ps, paired = self.sentence_periods(i)
        if not ps and paired:
            return Stated(paired[0], "time.stated.figure_pair", False)
        if ps:
            # a period beats an event day ("On December 8, the president submitted the budget bill for the next
            # Iranian calendar year"): the day is when it happened, the period what the figures cover
            d = next((x for x in ps if is_multi_day(x) and x.role in CARRYING_ROLES), ps[0])
            rule = "time.stated.event_day" if d.rule_id in EVENT_DAY_RULES else "time.stated.period"
            # two periods that are not one inside the other ("Last year, 3,400 MW came on stream, and the figure
            # is expected to reach 5,000 MW in 1399"): which one the next sentences carry on is not said
            ambiguous = any(x is not d and (x.date_start or x.date_end) and not _within(x, d) and not _within(d, x)
                            and (is_multi_day(x) or not is_multi_day(d)) for x in ps)
            out = Stated(d, rule, d.role in CARRYING_ROLES and not ambiguous)
        else:
            refs = self.backref_dates(self.idx.sents[i], report_period)
            if refs:
                out = Stated(refs[0], "time.stated.backref", True)
        return out


def _within(a: FoundDate, b: FoundDate) -> bool:
    """``a``'s bounds lie inside ``b``'s (a gloss day inside its period, the same period twice)."""
    lo, hi = b.date_start or "0000", b.date_end or "9999"
    return lo <= (a.date_start or a.date_end or "") <= hi and lo <= (a.date_end or a.date_start or "") <= hi


def restates(new: FoundDate, old: FoundDate) -> bool:
    """``new`` covers the whole of ``old`` ("in 2018" after "January to April 2018") or is its end as a deadline
    ("by January 20" after "the first 10 months (ending on January 20)"): the same data seen again. A part of
    it ("the first three months" after "the first four months") is earlier data, not a restatement."""
    if not (new.date_start or new.date_end) or not is_multi_day(old):
        return False  # an event's day is no data period
    if new.role in ("by", "until"):
        return new.date_end == old.date_end
    return bool(new.date_start and new.date_end) and _within(old, new)


def _days(d: FoundDate) -> int | None:
    """The length of ``d`` in days; None for a date with an open end (no publication date to resolve against,
    "since March")."""
    if not (d.date_start and d.date_end):
        return None
    return (dt.date.fromisoformat(d.date_end) - dt.date.fromisoformat(d.date_start)).days + 1


def _fits(d: FoundDate, want: float) -> bool:
    days = _days(d)
    return days is not None and abs(days - want) <= max(3.0, 0.06 * want)


def same_period(a: FoundDate | None, b: FoundDate | None) -> bool:
    if a is None or b is None:
        return False
    return (a.date_start, a.date_end) == (b.date_start, b.date_end) or (
        time_of(a) == time_of(b) and a.role == b.role)

