"""Which date or period does a figure refer to?

``claim_time(text, sentence, claim, dates, published)`` returns the (start, end) ISO bounds of the period a
claim's figure applies to, per the claims spec: a deadline ("by yearend", "by 1400") gives only ``end``;
"since March 21" gives only ``start``; "in the first six months" gives both; back-references ("in the
mentioned time span", "during this period") take the period they point to; the date on which a figure was
announced ("Back in August, X had announced that ... 15 trillion rials", "IRNA reported on Monday") is not
the period it applies to. ``attribute_time`` returns the same with the rule id and the source date.

Inputs are only the article text, character spans (sentence and claim, end exclusive), the dates found in
the article (:func:`extractors.dates.find_dates`) and the publication date. Sentence spans of the whole
article may be passed as ``sentences`` (e.g. from spaCy); otherwise a rule-based splitter is used.

Order of decisions for a claim (each with a rule id that reaches the claim's evidence):
1. ``time.attributive``: a figure in a "with N ..." modifier of a noun ("projects with an over 60 percent
   progress") describes the thing, not the period: None.
2. ``time.clause``: the nearest period date in the claim's clause (frame dates excluded).
3. ``time.same_figure``: the same figure with the same head noun stated in the last few sentences
   ("Of the mentioned 2000 units") takes that statement's period.
4. ``time.sentence``: the nearest period date elsewhere in the sentence, unless the claim's clause describes
   a present state ("currently", "there are still").
5. ``time.entity_backref``: "the mentioned units ... created jobs for 21,618 persons" takes the period of
   the figure about those units in the previous sentences.
A sentence opening with an announcement date ("Back in August, ... had announced") starts a new frame:
rules 3 and 5 do not reach across it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.dates import NUMBER_WORDS, FoundDate, shift_period
from extractors.sentences import sentence_of, split_sentences

CUES_FILE = Path(__file__).parent / "patterns" / "time_cues.json"
_FRAME_GRAN = {"day", "week", "month", "month_part"}


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


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    d = json.loads(CUES_FILE.read_text(encoding="utf-8"))
    verbs = d["reporting_verbs"]
    return {
        "report_before": re.compile(rf"\b(?:{verbs})\b(?:\s+(?:to|with))?(?:\s+[A-Z][\w.-]*){{0,3}}\s*$", re.I),
        "report_any": re.compile(rf"\b(?:{verbs})\b", re.I),
        "backrefs": [(b["id"], re.compile(b["pattern"], re.I)) for b in d["period_backrefs"]],
        "entity": re.compile(d["entity_backref"], re.I),
        "present": re.compile(d["present_state"], re.I),
        "split": re.compile(d["clause_split"], re.I),
        "attributive": re.compile(d["attributive"], re.I),
        "comparison": re.compile(d["comparison"], re.I),
        "statement": re.compile(d["statement_split"], re.I),
    }


_EVENT_DAY_RULES = ("dates.day.weekday", "dates.day.relative")
_COMPARISON_RULES = ("dates.period.same_period_prev_year", "dates.period.year_s_same_period",
                      "dates.period.same_period_in_year")


def is_frame_date(text: str, sentence: tuple[int, int], d: FoundDate) -> bool:
    """True when ``d`` says when something was said or done (a report's date), not a period a figure
    covers: a weekday or yesterday/tomorrow ("Rouhani on Thursday inaugurated two projects worth $10
    million"), a Gregorian day/week/month right after a reporting verb ("IRNA reported on Monday", "told IRNA
    on Monday"), or opening a sentence whose verb reports ("Back in August, X had announced ...")."""
    if d.rule_id in _EVENT_DAY_RULES:
        return True
    if d.calendar != "gregorian" or d.granularity not in _FRAME_GRAN:
        return False
    c = _cues()
    if c["report_before"].search(text[max(sentence[0], d.start - 40):d.start]):
        return True
    return opens_sentence(text, sentence, d) and bool(c["report_any"].search(text[d.end:sentence[1]]))


def opens_sentence(text: str, sentence: tuple[int, int], d: FoundDate) -> bool:
    lead = text[sentence[0]:d.start]
    opens = re.fullmatch(r"\W*(?:(?:in|on|at|during)\s+)?", lead, re.I)
    return bool(opens) and text[d.end:d.end + 2].lstrip().startswith(",")


def _time_of(d: FoundDate) -> tuple[str | None, str | None]:
    if d.role in ("by", "until"):
        return None, d.date_end
    if d.role == "since":
        return d.date_start, None
    return d.date_start, d.date_end


def _distance(a: tuple[int, int], d: FoundDate) -> tuple[int, int]:
    if d.start >= a[1]:
        return d.start - a[1], 0
    return max(0, a[0] - d.end), 1


def _clause(text: str, sentence: tuple[int, int], claim: tuple[int, int]) -> tuple[int, int]:
    s, e = sentence
    for m in _cues()["split"].finditer(text, s, e):
        if m.end() <= claim[0]:
            s = m.end()
        elif m.start() >= claim[1]:
            e = m.start()
            break
    return s, e


_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _num_key(s: str) -> str:
    return s.replace(",", "")


def _head(claim_text: str) -> str | None:
    words = re.findall(r"[A-Za-z]+", claim_text)
    return words[-1].lower() if words else None


def _same_noun(a: str, b: str) -> bool:
    def sing(w: str) -> str:
        return w[:-1] if w.endswith("s") and not w.endswith("ss") else w
    return sing(a.lower()) == sing(b.lower())


def attribute_time(
    text: str,
    sentence: tuple[int, int],
    claim: tuple[int, int],
    dates: Sequence[FoundDate],
    published: dt.date | None = None,
    *,
    sentences: Sequence[tuple[int, int]] | None = None,
    _depth: int = 0,
) -> TimeAttribution:
    """The period the claim at ``claim`` (char span inside ``sentence``) refers to, with the rule used."""
    sents = list(sentences) if sentences is not None else split_sentences(text)
    c = _cues()
    lead, sentence = _statement(text, sentence, claim)
    in_sent = [d for d in dates if sentence[0] <= d.start < sentence[1]
               or (lead is not None and lead[0] <= d.start < lead[1])]
    frames = [d for d in in_sent if is_frame_date(text, sentence, d)]
    new_frame = any(opens_sentence(text, sentence, d) for d in frames)
    periods = [d for d in in_sent if d not in frames and not (d.start < claim[1] and claim[0] < d.end)
               and (d.date_start or d.date_end) and not _compared_away(text, d, claim)]
    periods += _backref_dates(text, sentence, dates, sents)
    clause = _clause(text, sentence, claim)

    if c["attributive"].search(text[clause[0]:claim[0]]):
        return TimeAttribution(None, None, "time.attributive")

    def nearest(cands: list[FoundDate], rule: str) -> TimeAttribution | None:
        if not cands:
            return None
        d = min(cands, key=lambda d: _distance(claim, d))
        s, e = _time_of(d)
        return TimeAttribution(s, e, rule, d)

    hit = nearest([d for d in periods if clause[0] <= d.start < clause[1]], "time.clause")
    if hit:
        return hit
    if not new_frame and _depth < 2:
        hit = _same_figure(text, sentence, claim, dates, published, sents, _depth)
        if hit:
            return hit
    present = bool(c["present"].search(text, max(sentence[0], clause[0] - 6), clause[1]))
    # a clause dated by its own event day ("plans to auction 10 trillion rials on Tuesday") takes no period
    # from another clause
    own_day = any(d.rule_id in _EVENT_DAY_RULES and clause[0] <= d.start < clause[1]
                  and not c["report_before"].search(text[max(sentence[0], d.start - 40):d.start])
                  for d in frames)
    if not present and not own_day:
        hit = nearest(periods, "time.sentence")
        if hit:
            return hit
    if not new_frame and not present and _depth < 2:
        hit = _entity_backref(text, sentence, claim, dates, published, sents, _depth)
        if hit:
            return hit
    if not present and not own_day:
        hit = nearest(_compared_periods(text, sentence, dates, claim), "time.compared_period")
        if hit:
            return hit
    if not present and lead is None and not periods and not frames and _depth == 0:
        hit = _carried(text, sentence, dates, sents)
        if hit:
            return hit
    return NONE


def _compared_periods(text: str, span: tuple[int, int], dates: Sequence[FoundDate],
                      claim: tuple[int, int]) -> list[FoundDate]:
    """"up 4 percent from the same period of the previous year": the change is over the period that "the
    same period" mirrors, i.e. the comparison base moved forward by a year."""
    out = []
    for d in dates:
        if (span[0] <= d.start < span[1] and d.rule_id in _COMPARISON_RULES and d.date_start and d.date_end
                and _compared_away(text, d, claim)):
            a, b = shift_period(dt.date.fromisoformat(d.date_start), dt.date.fromisoformat(d.date_end), 1)
            out.append(replace(d, date_start=a.isoformat(), date_end=b.isoformat(), role="in"))
    return out


def _statement(text: str, sentence: tuple[int, int],
               claim: tuple[int, int]) -> tuple[tuple[int, int] | None, tuple[int, int]]:
    """Narrow ``sentence`` to the statement holding the claim when a hard boundary splits it: the dates of
    ", adding that ..." do not reach back to the statement before it (which it carries on); a bulleted
    list's items are statements of their own whose period may come from the list's lead ("for the next
    year, the budget bill: • predicts ... • estimates ...").
    Returns (lead span or None, statement span)."""
    s, e = sentence
    lead = None
    cuts = list(_cues()["statement"].finditer(text, s, e))
    for m in cuts:
        if m.end() <= claim[0]:
            if "•" not in m.group(0):
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


def _compared_away(text: str, d: FoundDate, claim: tuple[int, int]) -> bool:
    """True when ``d`` is a comparison base or a source ("down from 1.8 million in July", "compared to the
    same period last year", "from the current year's budget", "according to the Plan (2016-2021)") and the
    claim is not inside that phrase: the date then does not say when the claim's figure applies."""
    lo = max(0, d.start - 80)
    best = None
    for m in _cues()["comparison"].finditer(text, lo, d.start):
        best = m
    if best is None:
        return False
    between = text[best.end():d.start].rstrip(" ([")
    if re.search(r"[;:()]|,\s", between) or len(between.split()) > 8:
        return False
    cue = best.group(0).strip().lower()
    if cue == "from" and not between.strip():
        # "from March 21" is a starting point; "from the current year's budget" compares
        if not re.match(r"[’']s\b", text[d.end:d.end + 3]) and d.rule_id not in _COMPARISON_RULES:
            return False
    if best.start() <= claim[0] and claim[1] <= d.end:
        return False
    # "from the previous year's 1,700 tomans": the possessive date dates the figure right after it
    return not re.fullmatch(r"[’']s\s+(?:\w+\s+){0,2}", text[d.end:claim[0]])


def _carried(text: str, sentence: tuple[int, int], dates: Sequence[FoundDate],
             sents: list[tuple[int, int]]) -> TimeAttribution | None:
    """A sentence with no time expression that carries on the previous sentence's report in the same
    paragraph ("The report also put Iran's output at 3.806 million bpd") takes that sentence's period."""
    idx = next((i for i, sp in enumerate(sents) if sp[0] <= sentence[0] < sp[1]), None)
    if not idx:
        return None
    prev = sents[idx - 1]
    if "\n" in text[prev[1]:sentence[0]] or not _CARRY_ON.match(text, sentence[0]):
        return None
    cands = [d for d in dates if prev[0] <= d.start < prev[1] and (d.date_start or d.date_end)
             and not is_frame_date(text, prev, d) and not _compared_away(text, d, sentence)]
    if not cands:
        cands = _backref_dates(text, prev, dates, sents) or _compared_periods(text, prev, dates, sentence)
    if not cands:
        return None
    spans = [x for x in cands if x.granularity != "day"] or cands  # a period beats an event day
    d = spans[-1] if len({(x.date_start, x.date_end) for x in spans}) == 1 else None
    if d is None:
        return None
    s, e = _time_of(d)
    return TimeAttribution(s, e, "time.carried", d)


# A sentence that carries on the report before it: its subject is the report, the source or the thing just
# described ("The report also put", "The statistical center also", "The proposed budget", "Meanwhile").
_CARRY_ON = re.compile(r"\W*(?:(?:Meanwhile|Moreover|Also|Besides|Furthermore|In\s+addition),\s+)?"
                       r"(?:The|This|That|These|Its|Their|It|They)\b(?:\s+[\w’'-]+){0,4}?\s+"
                       r"(?:also|further|additionally|put|puts|stood|amounted|amounts|reached|showed|shows|"
                       r"registered|recorded|totaled|totalled|hit|rose|fell|increased|decreased)\b")


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


def _backref_dates(text: str, sentence: tuple[int, int], dates: Sequence[FoundDate],
                   sents: list[tuple[int, int]]) -> list[FoundDate]:
    """Pseudo-dates for "the mentioned time span", "during this period": the most recent period before
    the sentence (not an announcement date, not a one-day point)."""
    out = []
    for rid, rx in _cues()["backrefs"]:
        for m in rx.finditer(text, sentence[0], sentence[1]):
            if any(d.start < m.end() and m.start() < d.end for d in dates):  # a placed date, not a back-ref
                continue
            prior = [d for d in dates if d.end <= sentence[0] and d.date_start and d.date_end
                     and d.date_start != d.date_end and d.role not in ("by", "until", "since")
                     and not is_frame_date(text, sentence_of(sents, d.start), d)
                     and not _compared_away(text, d, (m.start(), m.end()))]
            if not prior:
                continue
            src = _fitting(m.group(0), prior)
            out.append(replace(src, start=m.start(), end=m.end(), text=m.group(0), rule_id=rid, role="in"))
    return out


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
_N_UNIT = re.compile(r"\b(\w+)[\s-](day|week|month|year)s?\s+period\b", re.I)


def _fitting(phrase: str, prior: list[FoundDate]) -> FoundDate:
    """The period a back-reference points to: the most recent one, or for "the nine-month period" the most
    recent one about nine months long."""
    m = _N_UNIT.search(phrase)
    n = _count(m.group(1)) if m else None
    if m and n:
        want = n * _UNIT_DAYS[m.group(2).lower()]
        for d in reversed(prior):
            days = (dt.date.fromisoformat(d.date_end or "") - dt.date.fromisoformat(d.date_start or "")).days + 1
            if abs(days - want) <= max(3.0, 0.06 * want):
                return d
    return prior[-1]


def _count(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS.get(w)


def _same_figure(text: str, sentence: tuple[int, int], claim: tuple[int, int], dates: Sequence[FoundDate],
                 published: dt.date | None, sents: list[tuple[int, int]],
                 depth: int) -> TimeAttribution | None:
    ctext = text[claim[0]:claim[1]]
    nm = _NUM.search(ctext)
    head = _head(ctext[nm.end():]) if nm else None
    if not nm or not head:
        return None
    key = _num_key(nm.group(0))
    idx = next((i for i, s in enumerate(sents) if s[1] > sentence[0]), len(sents))
    window_start = sents[max(0, idx - 3)][0] if sents else 0
    for m in reversed(list(_NUM.finditer(text, window_start, sentence[0]))):
        if _num_key(m.group(0)) != key:
            continue
        after = re.findall(r"[A-Za-z]+", text[m.end():m.end() + 40])[:4]
        if not any(_same_noun(w, head) for w in after):
            continue
        s2 = sentence_of(sents, m.start())
        t = attribute_time(text, s2, (m.start(), m.end()), dates, published, sentences=sents,
                           _depth=depth + 1)
        if t.start or t.end:
            return TimeAttribution(t.start, t.end, "time.same_figure", t.date)
        return None
    return None


def _entity_backref(text: str, sentence: tuple[int, int], claim: tuple[int, int],
                    dates: Sequence[FoundDate], published: dt.date | None, sents: list[tuple[int, int]],
                    depth: int) -> TimeAttribution | None:
    m = _cues()["entity"].search(text, sentence[0], claim[0])
    if not m:
        return None
    noun = m.group("noun")
    idx = next((i for i, s in enumerate(sents) if s[0] <= sentence[0] < s[1]), None)
    if idx is None or idx == 0:
        return None
    for s2 in reversed(sents[max(0, idx - 2):idx]):
        for nm in reversed(list(_NUM.finditer(text, s2[0], s2[1]))):
            tail = text[nm.end():min(s2[1], nm.end() + 50)]
            wm = re.match(r"(?:\s+[A-Za-z-]+){0,3}?\s+(" + re.escape(noun) + r")\b", tail, re.I)
            if not wm:
                continue
            t = attribute_time(text, s2, (nm.start(), nm.end() + wm.end(1)), dates, published,
                               sentences=sents, _depth=depth + 1)
            if t.start or t.end:
                return TimeAttribution(t.start, t.end, "time.entity_backref", t.date)
            return None
    return None
