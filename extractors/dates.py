"""Find time expressions in English economy news and place them on the calendar.

``find_dates(text, published)`` returns one :class:`FoundDate` per expression, with character offsets,
inclusive ISO bounds and the calendar the expression is stated in. Selecting is data: the regex rules live
in ``patterns/dates.jsonl`` (one rule a line, each with a stable dotted ``id``); resolving is code: the
small resolver functions below, which use exact Iranian calendar arithmetic (:mod:`extractors.iranian`)
and resolve relative expressions against ``published``, never against the clock.

Conventions (see claims-spec, "dates" and "Judgement calls"):
- a parenthesis or bracket restating the expression ("the first seven months (March 21-October 22)") is
  merged into one entry whose bounds come from exact arithmetic; the journalist's own bounds are kept in
  ``gloss_text``/``gloss_date_start``/``gloss_date_end`` so that a consistency check can compare them;
- a gloss with a verb that names the boundary of the same span ("the past Iranian calendar year (ended on
  March 20, 2018)", "the next Iranian year (starts on March 20, 2020)", "the present Iranian year which will
  end on March 20, 2019") is merged too, as the gold files do; one naming a day that is not the span's
  first/last day (give or take the journalist's rounding of Nowruz) is a different span, an entry of its own;
- early = days 1-10, mid = 11-20, late = 21-last; "earlier this month" = 1st..publication;
  "earlier that month" = the whole month last mentioned; "last week" = the previous Saturday-Friday week
  in Iranian sources (Monday-Sunday otherwise);
- "the current year", "last year", "the first six months" are Iranian calendar years in Iranian sources
  unless the sentence is about Gregorian years.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors import iranian
from extractors.fastre import compile_guarded
from extractors.jsonl import read_jsonl
from extractors.sentences import sentence_of, split_sentences

RULES_FILE = Path(__file__).parent / "patterns" / "dates.jsonl"

GREG_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_GM_ALT = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "thirty-six": 36,
}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "final": 4, "last": 4}
_N_ALT = "\\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

# Words that may follow a bare year ("in 2019, ..."); any other lower-case word means the number counts
# something ("1400 idle units").
_YEAR_NEXT_OK = {
    "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "of", "the", "a", "an", "when", "which",
    "that", "as", "compared", "versus", "vs", "was", "were", "is", "are", "will", "would", "has", "have",
    "had", "while", "but", "after", "before", "until", "through", "despite", "amid", "against",
    "respectively", "onwards", "onward", "alone", "so", "than", "it", "its", "there", "this", "these",
    "iran", "iranian", "calendar", "fiscal", "year", "ad", "ce", "said", "according", "due", "also",
    "if", "unless", "because", "where", "whereas", "since", "following", "thanks", "up", "down",
    "aims", "seeks", "wants", "needs", "shows", "says", "plans", "i", "ie",
}
_PAST_VERBS = {"stood", "rose", "fell", "grew", "hit", "saw", "went", "came", "became", "began", "ran", "sold",
               "paid", "brought", "bought", "got", "kept", "left", "lost", "spent", "won", "made", "stands",
               "remains", "reaches", "hits", "amounts", "totals", "tops"}
_YEAR_NEXT_BLOCK = {"vision", "plan", "horizon", "agenda", "program", "programme", "document", "outlook",
                    "strategy", "roadmap", "law", "act"}
_CHANGE_VERBS = {"increased", "increase", "increases", "decreased", "decrease", "rose", "rise", "rises",
                 "fell", "fall", "falls", "grew", "grow", "dropped", "drop", "declined", "decline", "up",
                 "down", "reduced", "reduce", "cut", "raised", "raise", "jumped", "surged", "plunged",
                 "plummeted", "climbed", "soared", "growth", "multiplied", "exceeded", "exceed", "reach",
                 "reached", "reaching", "total", "totaled", "totalled", "some", "about", "nearly", "over"}
_GLOSS_FILLER = {
    "ended", "ends", "ending", "end", "started", "starts", "starting", "start", "began", "begins",
    "beginning", "on", "in", "from", "to", "and", "through", "until", "till", "the", "iranian", "persian",
    "calendar", "year", "which", "that", "gregorian", "i", "e", "ie", "or", "corresponding", "equivalent",
    "approximately", "about", "roughly", "of", "month", "months", "fiscal", "is", "was", "will", "last",
    "lasts", "lasting", "runs", "ran", "running", "begin", "by", "has", "had", "would",
}
_GLOSS_VERB = re.compile(r"\b(?:ended|ends|ending|started|starts|starting|began|begins)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|(?:is|are)\s+(?:scheduled|set|due|slated)\s+to|postponed|"
                     r"to\s+be\s+held|is\s+to|are\s+to)\b", re.I)
_FUTURE_NEAR = re.compile(r"\b(?:postponed|rescheduled|delayed|put\s+off|moved|scheduled|slated|set|due|"
                          r"will\s+\w+)"
                          r"(?:\s+\w+){0,3}\s+(?:to|for|on|until|till|in)\s*$", re.I)
_FUTURE_CLAUSE = re.compile(r"\b(?:will|shall|going\s+to|(?:is|are)\s+to|to\s+be|plans?\s+to|planned\s+to|"
                            r"aims?\s+to|intends?\s+to|expected\s+to)\b", re.I)
_PAST = re.compile(r"\b(?:said|had|announced|reported|was|were|did|told)\b", re.I)
# A Gregorian year used as a date ("in 2019", "March 2019"), not a count ("2000 idle units").
_GREG_YEAR_CUE = re.compile(r"(?:\b(?:in|since|until|during|of|year|by)\s+|(?-i:" + _GM_ALT + r")\.?\s+"
                            r"(?:\d{1,2},?\s+)?)(?:19|20)\d\d\b(?![,.]?\d)(?!\s+[a-z])", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:as|when|while|after|because|but|whereas|since|although)\b", re.I)
_SAID_IN = re.compile(r"\b(?:said|announced|reported|told|stated|noted|added|declared|explained|wrote)"
                      r"(?:\s+\w+)?\s+(?:in|on|earlier\s+in|back\s+in)\s+$", re.I)
_GREG_YEAR_PERIOD = re.compile(r"\b(?:in|since|until|during|of|for|from|to|between)\s+(?:19|20)\d\d\b(?![,.]?\d)", re.I)
_IRAN_CAL = re.compile(r"\b(?:Iranian|Persian)\b|\b1[34]\d\d\b")
_PREP_ROLE = [
    (re.compile(r"\b(?:by|before)\s*$", re.I), "by"),
    (re.compile(r"\b(?:until|till|up\s+to|through)\s*$", re.I), "until"),
    (re.compile(r"\b(?:since|from)\s*$", re.I), "since"),
    (re.compile(r"\bon\s*$", re.I), "on"),
    (re.compile(r"\b(?:in|during|over|for|within|throughout|of|at)\s*$", re.I), "in"),
]


@dataclass(frozen=True)
class FoundDate:
    """A time expression placed on the calendar.

    ``start``/``end`` are character offsets into the text (end exclusive); ``date_start``/``date_end``
    are inclusive ISO dates, None when the expression cannot be resolved (a relative expression with no
    publication date). ``role`` is the relation the context gives the date: "by" (deadline), "until",
    "since", "in", "on", or None. ``granularity`` is day, week, month, month_part, quarter, half, year or
    period. ``gloss_*`` keep a restating parenthesis as the journalist wrote it.
    """

    start: int
    end: int
    text: str
    date_start: str | None
    date_end: str | None
    calendar: str
    rule_id: str
    role: str | None = None
    granularity: str | None = None
    gloss_text: str | None = None
    gloss_date_start: str | None = None
    gloss_date_end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)



@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern[str]
    resolver: str
    calendar: str | None
    role: str | None
    guard: str | None
    # Lower-case literals of which the text must contain one for the rule to run (a cheap pre-filter for
    # rules without a fixed leading word); None runs it on every text.
    needs: tuple[str, ...] | None = None


def _macro(name: str, group: str | None) -> str:
    g = (lambda body: f"(?P<{group}>{body})") if group else (lambda body: f"(?:{body})")
    if name == "GM":
        return g(f"(?-i:{_GM_ALT})") + r"\.?"
    if name == "PM":
        return g("(?-i:" + "|".join(iranian.month_spellings()) + ")")
    if name == "WD":
        return g("(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")
    if name == "DAY":
        return g(r"[0-3]?\d") + r"(?:st|nd|rd|th)?"
    if name == "GY":
        return g(r"(?:19|20)\d\d")
    if name == "PY":
        return g(r"1[34]\d\d")
    if name == "N":
        return g(_N_ALT)
    if name == "ORD":
        return g("|".join(ORDINALS))
    if name == "ED":  # an editorial insertion: "by the [Iranian calendar] year 1404"
        return r"(?:\[[^\[\]]{1,30}\]\s+)?"
    if name == "YREF":
        return (r"(?<!\w)(?=[tcplnuifyTCPLNUIFY12\[])(?:the\s+)?" + _macro("ED", None)
                + r"(?:(?:(?P<yrel>current|present|this|last|past|previous|preceding|next|coming|"
                r"upcoming)\s+)?(?:(?P<iran>Iranian|Persian)\s+)?(?:\[?(?P<cal>calendar|fiscal)\]?\s+)?year"
                r"(?:\s+(?:of\s+)?(?:(?P<pyear>1[34]\d\d)|(?P<gyear>(?:19|20)\d\d))\b)?"
                r"|(?P<pyear_b>1[34]\d\d)\b|(?P<gyear_b>(?:19|20)\d\d)\b)")
    raise ValueError(f"unknown macro {name}")


def _expand(pattern: str) -> str:
    return re.sub(r"\{([A-Z]+)(?::(\w+))?\}", lambda m: _macro(m.group(1), m.group(2)), pattern)


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    rules = []
    for d in read_jsonl(RULES_FILE):
        needs = tuple(d["needs"]) if d.get("needs") else None
        rules.append(Rule(d["id"], compile_guarded(_expand(d["pattern"]), re.I), d["resolver"], d.get("calendar"),
                          d.get("role"), d.get("guard"), needs))
    return tuple(rules)


# ---------------------------------------------------------------- date helpers

def _add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _add_months(d: dt.date, n: int) -> dt.date:
    idx = d.year * 12 + (d.month - 1) + n
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(d.day, _month_len(y, m + 1)))


def _month_len(y: int, m: int) -> int:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _gmonth_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, _month_len(y, m))


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else NUMBER_WORDS[s]


Span = tuple[dt.date | None, dt.date | None]


@dataclass
class _Entry:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    calendar: str = "gregorian"
    granularity: str | None = None
    role: str | None = None
    gloss_text: str | None = None
    gloss: Span | None = None
    explicit_year: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _Ctx:
    def __init__(self, text: str, published: dt.date | None, iranian_source: bool) -> None:
        self.text = text
        self.pub = published
        self.iranian = iranian_source
        self.prior: list[_Entry] = []
        self.anchor: tuple[dt.date, dt.date] | None = None
        self.sentences = split_sentences(text)
        self.starts = [a for a, _b in self.sentences]
        self.backref: dict[int, bool] = {}

    def sentence(self, s: int, e: int) -> str:
        a, b = sentence_of(self.sentences, s)
        return self.text[a:max(b, e)]

    def future(self, s: int, e: int) -> bool:
        if _FUTURE_NEAR.search(self.text[max(0, s - 60):s]):
            return True
        a, _b = sentence_of(self.sentences, s)
        lead = self.text[a:s]
        cuts = [m.end() for m in _CLAUSE_BREAK.finditer(lead)]
        lead = lead[cuts[-1]:] if cuts else lead
        fut = [m.end() for m in _FUTURE.finditer(lead)]
        if fut and not _PAST.search(lead, fut[-1]):
            # "Next steps will be divulged in a meeting on Friday, Claure said": the verb that governs the
            # date is future, whatever reports it
            return True
        sent = self.sentence(s, e)
        return bool(_FUTURE.search(sent)) and not _PAST.search(sent)

    def default_calendar(self, s: int, e: int) -> str:
        if not self.iranian:
            return "gregorian"
        sent = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", self.sentence(s, e))
        if _IRAN_CAL.search(sent):
            return "persian"
        if _GREG_YEAR_CUE.search(sent):
            return "gregorian"
        # A sentence with no year of its own talks in the calendar of the one before it ("... rose to
        # $1.74 billion in 2018. The main items exported in the past year were ...").
        # ... or of the nearest of the three before it that names a year; past the first, only a year said as a
        # period ("in 2021") counts, not the year of a day ("on March 19, 2019")
        a, _b = sentence_of(self.sentences, s)
        for k in range(3):
            if a <= 0:
                break
            pa, _pb = sentence_of(self.sentences, a - 1)
            prev = re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", self.text[pa:a])
            if k > 0 and (_IRAN_CAL.search(prev) or _pmonth_rx().search(prev)):
                return "persian"
            if (_GREG_YEAR_CUE if k == 0 else _GREG_YEAR_PERIOD).search(prev) and not _IRAN_CAL.search(prev):
                return "gregorian"
            a = pa
        return "persian"


@lru_cache(maxsize=1)
def _pmonth_rx() -> re.Pattern[str]:
    """A Persian month name: an Iranian calendar cue in a sentence."""
    return re.compile(r"\b(?:" + "|".join(iranian.month_spellings()) + r")\b")


# ---------------------------------------------------------------- year inference

_PUB_SLACK = dt.timedelta(days=45)
# "the end of <a plan or year> (" right before a parenthesised month
_END_OF_GLOSSED = re.compile(r"\b(?:end|close)\s+of\s+[^()\d.;]{1,80}\(\s*$", re.I)

def _pick_year(month: int, day: int | None, ctx: _Ctx, s: int, e: int, *,
               rel: str | None = None) -> int | None:
    """Year of a month (and day) written without one: closest to the gloss anchor when there is one,
    else the most recent on/before publication, or the next one in a future-tense sentence."""
    if ctx.anchor is not None:
        a0, a1 = ctx.anchor
        best = None
        for y in range(a0.year - 1, a1.year + 2):
            try:
                c = dt.date(y, month, day or 1)
            except ValueError:
                continue
            dist = min(abs((c - a0).days), abs((c - a1).days))
            if best is None or dist < best[0]:
                best = (dist, y)
        return best[1] if best else None
    if ctx.pub is None:
        return None
    pub = ctx.pub
    y = pub.year
    if rel in ("last", "past"):
        return y if month < pub.month else y - 1
    if rel in ("next", "coming"):
        return y if month > pub.month else y + 1
    if rel == "this":
        return y
    first = dt.date(y, month, 1)
    if ctx.future(s, e):
        # (an estimated publication date may fall a little after the day: "due to end on 21 July")
        last = dt.date(y, month, day) if day else dt.date(y, month, _month_len(y, month))
        return y if last >= pub - _PUB_SLACK else y + 1
    if not day and first > pub and _SAID_IN.search(ctx.text, max(0, s - 40), s):
        # the month in which something was said has begun by publication ("said in February", published
        # January 21, is last February)
        return y - 1
    ref = dt.date(y, month, day) if day else first
    # Publication dates are often estimates: a day a few weeks after it is still this year's, not one
    # nearly a year earlier ("On February 3, ... announced" with published = January 31).
    return y if ref <= pub + _PUB_SLACK else y - 1


_YREL_OFFSET = {None: 0, "current": 0, "present": 0, "this": 0, "last": -1, "past": -1, "previous": -1,
                "preceding": -1, "next": 1, "coming": 1, "upcoming": 1}


def _yref(gd: dict[str, str | None], ctx: _Ctx, s: int, e: int, rule: Rule) -> tuple[str, int | None]:
    """Calendar and year number of a year reference (explicit or relative)."""
    py = gd.get("pyear") or gd.get("pyear_b")
    gy = gd.get("gyear") or gd.get("gyear_b")
    if py:
        return "persian", int(py)
    if gy:
        return "gregorian", int(gy)
    # Iranian outlets say "calendar year" of their own (solar) year: "last calendar year to March 2020".
    iran_cal = gd.get("iran") or (ctx.iranian and (gd.get("cal") or "").lower() in ("calendar", "fiscal"))
    cal = rule.calendar or ("persian" if iran_cal else ctx.default_calendar(s, e))
    if ctx.pub is None:
        return cal, None
    off = _YREL_OFFSET[(gd.get("yrel") or "").lower() or None]
    base = iranian.persian_year_of(ctx.pub) if cal == "persian" else ctx.pub.year
    return cal, base + off


def _year_span(cal: str, y: int) -> tuple[dt.date, dt.date]:
    return iranian.year_span(y) if cal == "persian" else (dt.date(y, 1, 1), dt.date(y, 12, 31))


def _months_span(cal: str, y: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    if cal == "persian":
        return iranian.months_span(y, first, count)
    start = dt.date(y, first, 1)
    end_first = _add_months(start, count - 1)
    return start, _gmonth_span(end_first.year, end_first.month)[1]


def _week_start(d: dt.date, iranian_source: bool) -> dt.date:
    first = 5 if iranian_source else 0  # Saturday in Iran, Monday elsewhere
    return d - dt.timedelta(days=(d.weekday() - first) % 7)


# ---------------------------------------------------------------- resolvers
# Resolvers whose entries are comparison bases or back-references: never the period another one points to.
_DERIVED = ("same_period_prev", "prior_unit", "prev_of_ref", "ord_month_backref")
# Each returns (start, end, calendar, granularity); start/end None when unresolvable.
Resolved = tuple[dt.date | None, dt.date | None, str, str]
Resolver = Callable[[_Entry, _Ctx], Resolved]


def _g(en: _Entry, name: str) -> str | None:
    gd = en.match.groupdict()
    return gd.get(name)


def _gs(en: _Entry, name: str) -> str:
    return en.match.groupdict().get(name) or ""


def _gm(en: _Entry, name: str) -> int:
    return GREG_MONTHS[_gs(en, name).lower().rstrip(".")]


def r_day(en: _Entry, ctx: _Ctx) -> Resolved:
    m = _g(en, "m")
    month = GREG_MONTHS[m.lower().rstrip(".")] if m else int(_g(en, "mo") or 0)
    day = int(_g(en, "d") or 0)
    y = _g(en, "y")
    year = int(y) if y else _pick_year(month, day, ctx, en.start, en.end)
    en.explicit_year = bool(y)
    if year is None:
        return None, None, "gregorian", "day"
    d = dt.date(year, month, day)
    return d, d, "gregorian", "day"


def r_day_range(en: _Entry, ctx: _Ctx) -> Resolved:
    m1 = _gm(en, "m1")
    m2 = _gm(en, "m2") if _g(en, "m2") else m1  # "from October 16 to 18": one month
    d1, d2 = int(_gs(en, "d1")), int(_gs(en, "d2"))
    if m1 == m2 and d2 <= d1:
        raise ValueError("not a range of days")
    y1s, y2s = _g(en, "y1"), _g(en, "y2")
    en.explicit_year = bool(y1s or y2s)
    y1: int | None
    y2: int | None
    if ctx.anchor is not None and not en.explicit_year:
        saved = ctx.anchor
        ctx.anchor = (saved[0], saved[0])
        y1 = _pick_year(m1, d1, ctx, en.start, en.end)
        ctx.anchor = (saved[1], saved[1])
        y2 = _pick_year(m2, d2, ctx, en.start, en.end)
        ctx.anchor = saved
    else:
        if y2s:
            y2 = int(y2s)
        elif y1s:
            y2 = int(y1s) + ((m2, d2) < (m1, d1))
        else:
            y2 = _pick_year(m2, d2, ctx, en.start, en.end)
        y1 = int(y1s) if y1s else (None if y2 is None else y2 - ((m1, d1) > (m2, d2)))
    if y1 is None or y2 is None:
        return None, None, "gregorian", "period"
    return dt.date(y1, m1, d1), dt.date(y2, m2, d2), "gregorian", "period"


def r_month_range(en: _Entry, ctx: _Ctx) -> Resolved:
    m1, m2 = _gm(en, "m1"), _gm(en, "m2")
    y2s, y1s = _g(en, "y2"), _g(en, "y1")
    yrel = (_g(en, "yrel") or "").lower()
    if yrel and ctx.pub is not None:  # "January-May this year"
        y2s = str(ctx.pub.year + {"last": -1, "this": 0, "next": 1}[yrel])
    rel = (_g(en, "mrel") or "").lower() or None
    en.explicit_year = bool(y2s or y1s)
    y2: int | None
    if y2s:
        y2 = int(y2s)
    elif y1s and not rel:
        y2 = int(y1s) + (m2 < m1)
    else:
        y2 = _pick_year(m2, None, ctx, en.start, en.end, rel=rel)
    if y2 is None:
        return None, None, "gregorian", "period"
    y1 = int(y1s) if y1s else (y2 if m1 <= m2 else y2 - 1)
    return _gmonth_span(y1, m1)[0], _gmonth_span(y2, m2)[1], "gregorian", "period"


def r_weekday(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "day"
    wd = WEEKDAYS[_gs(en, "wd").lower()]
    rel = (_g(en, "wrel") or "").lower()
    pub = ctx.pub
    back = (pub.weekday() - wd) % 7
    fwd = (wd - pub.weekday()) % 7
    if rel in ("next", "coming") or (rel in ("", "on", "this") and ctx.future(en.start, en.end)):
        d = pub + dt.timedelta(days=fwd or 7)
    elif rel in ("last", "past"):
        d = pub - dt.timedelta(days=back or 7)
    else:
        d = pub - dt.timedelta(days=back)
    return d, d, "gregorian", "day"


def r_day_relative(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "day"
    d = ctx.pub + dt.timedelta(days=-1 if _gs(en, "drel").lower() == "yesterday" else 1)
    return d, d, "gregorian", "day"


def _part(first: dt.date, last: dt.date, part: str | None) -> tuple[dt.date, dt.date, str]:
    p = re.sub(r"\s+", " ", (part or "").lower())
    if p == "early":
        return first, first + dt.timedelta(days=9), "month_part"
    if p in ("mid", "the middle of"):
        return first + dt.timedelta(days=10), first + dt.timedelta(days=19), "month_part"
    if p == "late":
        return first + dt.timedelta(days=20), last, "month_part"
    if p in ("the beginning of", "the start of"):
        return first, first, "day"
    if p == "the end of":
        return last, last, "day"
    return first, last, "month"


def r_month(en: _Entry, ctx: _Ctx) -> Resolved:
    month = _gm(en, "m")
    y = _g(en, "y")
    en.explicit_year = bool(y)
    rel = (_g(en, "mrel") or "").lower() or None
    yrel = (_g(en, "yrel") or "").lower()
    year: int | None
    if y:
        year = int(y)
    elif yrel:
        # "November last year": the Gregorian year before publication's
        year = None if ctx.pub is None else ctx.pub.year + {"last": -1, "this": 0, "next": 1}[yrel]
        en.explicit_year = True
    else:
        year = _pick_year(month, None, ctx, en.start, en.end, rel=rel)
    if year is None:
        return None, None, "gregorian", "month"
    if month == 3 and ctx.iranian and not _g(en, "part") \
            and _END_OF_GLOSSED.search(ctx.text, max(0, en.start - 120), en.start):
        # "by the end of the Sixth Development Plan (March 2022)": Iranian plans and years end in March,
        # on the last day of the Iranian year.
        d = iranian.year_span(iranian.persian_year_of(dt.date(year, 3, 1)))[1]
        return d, d, "persian", "day"
    a, b = _gmonth_span(year, month)
    s, e, gran = _part(a, b, _g(en, "part"))
    return s, e, "gregorian", gran


def r_this_month_part(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "month_part"
    a, b = _gmonth_span(ctx.pub.year, ctx.pub.month)
    if _gs(en, "lead").lower() == "earlier":
        return a, ctx.pub, "gregorian", "month_part"
    return ctx.pub, b, "gregorian", "month_part"


def r_that_month(en: _Entry, ctx: _Ctx) -> Resolved:
    for p in reversed(ctx.prior):
        if p.granularity in ("day", "month", "month_part") and p.date_start and p.calendar == "gregorian":
            a, b = _gmonth_span(p.date_start.year, p.date_start.month)
            return a, b, "gregorian", "month"
    return None, None, "gregorian", "month"


def _month_ref(ctx: _Ctx, en: _Entry) -> _Entry | None:
    """The month "the previous month" is counted from: the last month its sentence names ("in June, a 7.4
    percent rise compared to the previous month"). Not one of an earlier sentence ("the mentioned month"
    need not be the last one named)."""
    here = _sentence_index(ctx, en.start)
    for k in range(len(ctx.prior) - 1, -1, -1):
        p = ctx.prior[k]
        if _sentence_index(ctx, p.start) != here:
            return None
        if p.granularity == "month" and p.date_start and p.rule.resolver not in _DERIVED \
                and not _is_gloss_of_previous(ctx, k):
            return p
    return None


def r_month_relative(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "month"
    rel = _gs(en, "mrel").lower()
    if rel in ("previous", "preceding"):
        ref = _month_ref(ctx, en)
        if ref is not None:
            a, b = _unit_before(ref, "month")
            return a, b, ref.calendar, "month"
    off = -1 if rel in ("last", "past", "previous", "preceding") else 1 if rel in ("next", "coming") else 0
    d = _add_months(ctx.pub.replace(day=1), off)
    a, b = _gmonth_span(d.year, d.month)
    return a, b, "gregorian", "month"


def r_this_week_part(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "week"
    a = _week_start(ctx.pub, ctx.iranian)
    if _gs(en, "lead").lower() == "earlier":
        return a, ctx.pub, "gregorian", "week"
    return ctx.pub, a + dt.timedelta(days=6), "gregorian", "week"


def r_week_relative(en: _Entry, ctx: _Ctx) -> Resolved:
    if ctx.pub is None:
        return None, None, "gregorian", "week"
    rel = _gs(en, "wrel").lower()
    base = ctx.pub
    if rel in ("previous", "preceding"):
        # anaphoric: "... shelved its plans on September 30. Neumann had resigned the previous week."
        base = _recent_day(ctx, en.start) or ctx.pub
    off = -7 if rel in ("last", "past", "previous", "preceding") else 7 if rel in ("next", "coming") else 0
    a = _week_start(base, ctx.iranian) + dt.timedelta(days=off)
    return a, a + dt.timedelta(days=6), "gregorian", "week"


def _sentence_index(ctx: _Ctx, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.starts, pos) - 1)


def _recent_day(ctx: _Ctx, pos: int, sentences: int = 2) -> dt.date | None:
    """The day of the last single-day entry in this sentence or the ``sentences`` before it."""
    here = _sentence_index(ctx, pos)
    for p in reversed(ctx.prior):
        if p.granularity == "day" and p.date_start is not None and p.date_start == p.date_end:
            return p.date_start if here - _sentence_index(ctx, p.start) <= sentences else None
    return None


def _pmonth_year(month: int, en: _Entry, ctx: _Ctx) -> int | None:
    py = _g(en, "py")
    en.explicit_year = bool(py)
    if py:
        return int(py)
    if ctx.pub is None:
        return None
    y = iranian.persian_year_of(ctx.pub)
    a, b = iranian.month_span(y, month)
    if ctx.future(en.start, en.end):
        return y if b >= ctx.pub else y + 1
    return y if a <= ctx.pub else y - 1


def r_pmonth(en: _Entry, ctx: _Ctx) -> Resolved:
    month = iranian.month_number(_g(en, "pm") or "")
    if month is None:
        return None, None, "persian", "month"
    y = _pmonth_year(month, en, ctx)
    if y is None:
        return None, None, "persian", "month"
    a, b = iranian.month_span(y, month)
    s, e, gran = _part(a, b, _g(en, "part"))
    return s, e, "persian", gran


def r_pmonth_day(en: _Entry, ctx: _Ctx) -> Resolved:
    month = iranian.month_number(_g(en, "pm") or "")
    if month is None:
        return None, None, "persian", "day"
    y = _pmonth_year(month, en, ctx)
    if y is None:
        return None, None, "persian", "day"
    d = iranian.to_gregorian(y, month, int(_g(en, "d") or 0))
    return d, d, "persian", "day"


def _yr(en: _Entry, ctx: _Ctx) -> tuple[str, int | None]:
    gd = en.match.groupdict()
    en.explicit_year = bool(gd.get("pyear") or gd.get("pyear_b") or gd.get("gyear") or gd.get("gyear_b"))
    return _yref(gd, ctx, en.start, en.end, en.rule)


def _year_of(p: _Entry) -> int:
    assert p.date_start is not None
    return iranian.persian_year_of(p.date_start) if p.calendar == "persian" else p.date_start.year


def _is_gloss_of_previous(ctx: _Ctx, k: int) -> bool:
    """True when ``ctx.prior[k]`` sits in a parenthesis right after the entry before it ("1368 (March
    1989-March 1990)"): a restatement, not a period of its own."""
    if k == 0:
        return False
    g = _GLOSS_RE.match(ctx.text, ctx.prior[k - 1].end)
    return bool(g and g.start(1) <= ctx.prior[k].start and ctx.prior[k].end <= g.end(1))


_NOT_A_REF = _DERIVED + ("n_units_rel", "in_n_units", "ago")


def _same_sentence_ref(ctx: _Ctx, en: _Entry) -> _Entry | None:
    """The last calendar period (a year or a part of one) named before ``en`` in its own sentence, unless
    ``en`` restates it in a parenthesis ("late 1398 [previous Iranian calendar year]")."""
    here = _sentence_index(ctx, en.start)
    for k in range(len(ctx.prior) - 1, -1, -1):
        p = ctx.prior[k]
        if _sentence_index(ctx, p.start) != here:
            return None
        if not (p.date_start and p.date_end) or p.rule.resolver in _NOT_A_REF or _is_gloss_of_previous(ctx, k):
            continue
        if p.granularity not in ("year", "half", "quarter", "period", "month") or _year_of(p) != _year_of_end(p):
            continue
        if re.match(r"\s*[\(\[][^\)\]]*$", ctx.text[p.end:en.start]):
            return None
        return p
    return None


def _year_of_end(p: _Entry) -> int:
    assert p.date_end is not None
    return iranian.persian_year_of(p.date_end) if p.calendar == "persian" else p.date_end.year


def r_year(en: _Entry, ctx: _Ctx) -> Resolved:
    gd = en.match.groupdict()
    if (gd.get("yrel") or "").lower() in ("previous", "preceding") and not (gd.get("pyear") or gd.get("gyear")):
        # anaphoric: "trade in 2017 grew 22 percent in comparison with the preceding year" is 2016; "the past
        # Iranian calendar year (ended on March 20), a 15 percent rise compared to the preceding year" the
        # year before that one
        ref = _same_sentence_ref(ctx, en)
        if ref is not None and (not gd.get("iran") or ref.calendar == "persian"):
            a, b = _year_span(ref.calendar, _year_of(ref) - 1)
            return a, b, ref.calendar, "year"
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "year"
    a, b = _year_span(cal, y)
    return a, b, cal, "year"


def r_year_end(en: _Entry, ctx: _Ctx) -> Resolved:
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "day"
    b = _year_span(cal, y)[1]
    return b, b, cal, "day"


def r_year_start(en: _Entry, ctx: _Ctx) -> Resolved:
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "day"
    a = _year_span(cal, y)[0]
    return a, a, cal, "day"


def r_first_n_months(en: _Entry, ctx: _Ctx) -> Resolved:
    n = _num(_g(en, "n") or "0")
    if not 1 <= n <= 36:
        return None, None, "gregorian", "period"
    gd = en.match.groupdict()
    has_ref = any(gd.get(k) for k in ("yrel", "iran", "cal", "pyear", "gyear", "pyear_b", "gyear_b")) or \
        re.search(r"\byear\b", en.match.group(0), re.I)
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "period"
    if not has_ref and ctx.pub is not None and n <= 12:
        # "the first seven months": of the year whose first n months have begun by publication
        if _months_span(cal, y, 1, n)[0] > ctx.pub:
            y -= 1
    a, b = _months_span(cal, y, 1, n)
    return a, b, cal, "period"


def r_half(en: _Entry, ctx: _Ctx) -> Resolved:
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "half"
    first = 1 if (_g(en, "half") or "").lower() == "first" or _g(en, "hn") == "1" else 7
    a, b = _months_span(cal, y, first, 6)
    return a, b, cal, "half"


def r_quarter(en: _Entry, ctx: _Ctx) -> Resolved:
    cal, y = _yr(en, ctx)
    q = int(_g(en, "qn") or 0) or ORDINALS[(_g(en, "q") or "first").lower()]
    if y is None:
        return None, None, cal, "quarter"
    a, b = _months_span(cal, y, 3 * (q - 1) + 1, 3)
    return a, b, cal, "quarter"


def r_quarter_end(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the end of Iran's second quarter": the last day of that quarter of the current year."""
    a, b, cal, _gran = r_quarter(en, ctx)
    return b, b, cal, "day"


def _shift(d: dt.date, unit: str, k: int) -> dt.date:
    if unit.startswith("year"):
        return _add_years(d, k)
    if unit.startswith("month"):
        return _add_months(d, k)
    return d + dt.timedelta(days=k * (7 if unit.startswith("week") else 1))


def r_n_units_rel(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the past two years" = the two years ending on publication; "the next two weeks" = publication to
    publication + 14 days."""
    if ctx.pub is None:
        return None, None, "gregorian", "period"
    n = 2 if _g(en, "couple") else _num(_g(en, "n") or "1")
    unit = (_g(en, "unit") or ("years" if "year" in en.match.group(0).lower() else "months")).lower()
    back = (_g(en, "dir") or "").lower() in ("past", "last")
    k = -n if back else n
    other = _shift(ctx.pub, unit, k)
    a, b = (other, ctx.pub) if back else (ctx.pub, other)
    return a, b, "gregorian", "period"


def r_in_n_units(en: _Entry, ctx: _Ctx) -> Resolved:
    """"will reach 83 in two years": publication to publication + N units, a deadline (role "by"). Only in a
    future-tense sentence; in the past tense ("tripled in two years") it is a duration, not a date."""
    a, _b = sentence_of(ctx.sentences, en.start)
    if not (ctx.future(en.start, en.end) or _FUTURE_CLAUSE.search(ctx.text[max(a, en.start - 80):en.start])):
        raise ValueError("a duration, not a date")
    return r_n_units_rel(en, ctx)


_SAME_PERIOD_REACH = 3  # sentences back that a "same period" may point to, not counting back-references
_BACKREF = re.compile(r"\b(?:mentioned|said|aforementioned|above|same|this|that|these|those)\s+(?:[\w.-]+\s+){0,2}?"
                      r"(?:period|time\s*span|time|months?|quarter|half|weeks?)\b", re.I)


def _sentence_gap(ctx: _Ctx, first: int, last: int) -> int:
    """Sentences after ``first`` up to ``last`` that do not point back to a period ("in the mentioned
    period", "during the same time"): a report's period carries through the ones that do."""
    gap = 0
    for i in range(first + 1, last + 1):
        flag = ctx.backref.get(i)
        if flag is None:
            a, b = ctx.sentences[i]
            flag = ctx.backref[i] = bool(_BACKREF.search(ctx.text, a, b))
        gap += not flag
    return gap


def _same_period_ref(ctx: _Ctx, pos: int) -> _Entry | None:
    """The period a "same period" phrase points back to: the last period mentioned that is longer than a
    day and shorter than a whole year (a year is compared with "the previous year", not "the same
    period"), is not itself a comparison base ("the same period ...", or a period of an earlier sentence
    already placed in the previous year), and is not the gloss of an earlier entry ("the first eight months
    of 1399 (March 21-November 20)" -> the first eight months), within this sentence and the three before
    it (not counting sentences that point back to a period). With nothing else, the earlier-year period."""
    prior = ctx.prior
    here = _sentence_index(ctx, pos)
    fallback: _Entry | None = None
    for k in range(len(prior) - 1, -1, -1):
        p = prior[k]
        if _sentence_gap(ctx, _sentence_index(ctx, p.start), here) > _SAME_PERIOD_REACH:
            break
        since = _since_year_start(ctx, k)
        if since is not None:
            return since
        if not (p.date_start and p.date_end and p.date_start != p.date_end) or p.granularity in ("day", "year"):
            continue
        if p.rule.resolver in _DERIVED or _is_anaphoric(p):
            continue
        cand = p
        if k > 0:
            q = prior[k - 1]
            g = _GLOSS_RE.match(ctx.text, q.end)
            if g and g.start(1) <= p.start and p.end <= g.end(1) and q.date_start and q.date_end:
                if q.granularity in ("day", "year"):
                    continue  # the gloss of a year ("1395 (March 2016-March 2017)") is that year
                cand = q
        if _names_earlier_year(cand) and _sentence_index(ctx, cand.start) != here:
            fallback = fallback or cand
            continue
        return cand
    return fallback


_SINCE = re.compile(r"\b(?:since|from)\s+$", re.I)
_UP_TO = re.compile(r"\s*(?:\([^()]{0,40}\))?,?\s*(?:up\s+to|till|until|to|through)\s+"
                    r"(?:[^,.;()]{0,60}?\s(?:on|in)\s+)?$", re.I)


def _since_year_start(ctx: _Ctx, k: int) -> _Entry | None:
    """"since the beginning of the current Iranian calendar year (March 21) [up to October 7]": the period
    from the year's first day to the day named, or to publication, as an entry a "same period" can point
    to; None for any other entry."""
    p = ctx.prior[k]
    if p.rule.resolver != "year_start" or p.date_start is None or not _SINCE.search(ctx.text, max(0, p.start - 8),
                                                                                  p.start):
        return None
    end = ctx.pub
    for q in ctx.prior[k + 1:]:
        if q.granularity == "day" and q.date_start and _UP_TO.fullmatch(ctx.text, p.end, q.start):
            end = q.date_start
            break
    if end is None or not p.date_start < end < _add_years(p.date_start, 1):
        return None
    return _Entry(p.start, p.end, p.rule, p.match, p.date_start, end, p.calendar, "period")


def _same_sentence_year(ctx: _Ctx, en: _Entry) -> _Entry | None:
    """The entry right before ``en`` in its sentence when that is a whole year ("in 2017 ... the same period
    in 2016")."""
    here = _sentence_index(ctx, en.start)
    for p in reversed(ctx.prior):
        if _sentence_index(ctx, p.start) != here:
            return None
        if p.rule.resolver in _DERIVED or not p.date_start:
            continue
        return p if p.granularity == "year" else None
    return None


def _is_anaphoric(p: _Entry) -> bool:
    """"the previous month", "the preceding year": counted from another entry, a comparison base."""
    gd = p.match.groupdict()
    return (gd.get("mrel") or gd.get("yrel") or "").lower() in ("previous", "preceding") \
        and p.rule.resolver in ("month_relative", "year")


def _names_earlier_year(p: _Entry) -> bool:
    """"the ten-month period of the previous year": a period already in the comparison year, not the one a
    later "same period last year" moves back."""
    return (p.match.groupdict().get("yrel") or "").lower() in ("last", "past", "previous", "preceding")


def r_same_period_prev(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the same period in the previous year", "the last year's same period": the span of the period last
    mentioned (see :func:`_same_period_ref`), one year earlier; "the same period in 2021": that span in
    2021. By Iranian months when that period starts on Nowruz. Without such a period it is a bare
    back-reference and not placeable."""
    gy = _g(en, "gyear")
    py = _g(en, "pyear")
    year_ref = _same_sentence_year(ctx, en)
    if year_ref is not None and (gy or py):
        # "trade stood at $37.3 billion in 2017, a 19.3 percent growth compared to the same period in 2016":
        # the period is the whole year
        en.explicit_year = True
        cal = "persian" if py else "gregorian"
        a, b = _year_span(cal, int(py or gy or 0))
        return a, b, cal, "year"
    ref = _same_period_ref(ctx, en.start)
    if ref is None or ref.date_start is None or ref.date_end is None:
        raise ValueError("nothing to refer back to")
    if _names_earlier_year(ref) and not (gy or py) \
            and _sentence_index(ctx, ref.start) != _sentence_index(ctx, en.start):
        # "13,500 in the ten-month period of the previous year. ... from 298,000 in the same time of the past
        # year": the period named before is already the comparison year's (in its own sentence, "during the
        # first five months of the last Iranian year, ... compared with the same time span in the preceding
        # year", it is the period compared)
        return ref.date_start, ref.date_end, ref.calendar, "period"
    years = -1
    if gy:
        if ref.date_start.year != ref.date_end.year:
            raise ValueError("a period across two years named by one")
        years = int(gy) - ref.date_start.year
        en.explicit_year = True
    elif py:
        ry = iranian.persian_year_of(ref.date_start)
        if iranian.persian_year_of(ref.date_end) != ry:
            raise ValueError("a period across two years named by one")
        years = int(py) - ry
        en.explicit_year = True
    start, end = shift_period(ref.date_start, ref.date_end, years)
    persian = _persian_months(ref.date_start, ref.date_end)
    return start, end, "persian" if persian else ref.calendar, "period"


def _persian_months(start: dt.date, end: dt.date) -> bool:
    """True when the span starts on Nowruz, or runs from the first day of a Persian month to the last day of
    one (Khordad, the first quarter): it is stated in Iranian months."""
    y, m, d = iranian.from_gregorian(start)
    if (m, d) == (1, 1):
        return True
    y2, m2, d2 = iranian.from_gregorian(end)
    return d == 1 and d2 == iranian.month_length(y2, m2)


def shift_period(start: dt.date, end: dt.date, years: int) -> tuple[dt.date, dt.date]:
    """A period moved by whole years: by Iranian months when it is stated in them (1397's first eleven
    months -> 1396's; Khordad 1401 -> Khordad 1400), else by Gregorian years."""
    y, m, d = iranian.from_gregorian(start)
    if _persian_months(start, end):
        y2, m2, d2 = iranian.from_gregorian(end)
        last = iranian.month_length(y2 + years, m2)
        return (iranian.to_gregorian(y + years, m, d),
                iranian.to_gregorian(y2 + years, m2, last if d2 == iranian.month_length(y2, m2) else min(d2, last)))
    return _add_years(start, years), _add_years(end, years)


def r_year_range(en: _Entry, ctx: _Ctx) -> Resolved:
    """"2016-2021", "between 1396 and 1398": the first day of the first year to the last of the second."""
    g1 = _g(en, "y1") or _g(en, "ya")
    g2 = _g(en, "y2")
    p1 = _g(en, "p1") or _g(en, "pa")
    p2 = _g(en, "p2")
    en.explicit_year = True
    if g1 and g2 and int(g1) < int(g2):
        return dt.date(int(g1), 1, 1), dt.date(int(g2), 12, 31), "gregorian", "period"
    if p1 and p2 and int(p1) < int(p2):
        return iranian.year_span(int(p1))[0], iranian.year_span(int(p2))[1], "persian", "period"
    raise ValueError("not a range of years")


_ORD_MONTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
              "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": 12, "final": 12}


def _end_day(en: _Entry, ctx: _Ctx) -> dt.date | None:
    """The closing day of "... ended on December 21, 2017" / "... to 22 October" / "... to March 2020"."""
    pm = _g(en, "pm")
    if pm:
        month = iranian.month_number(pm)
        py = None if month is None else _pmonth_year(month, en, ctx)
        return None if month is None or py is None else iranian.month_span(py, month)[1]
    m, d = _g(en, "m") or _g(en, "mm"), _g(en, "d") or _g(en, "dd")
    if m and d:
        month, day = GREG_MONTHS[m.lower().rstrip(".")], int(d)
        ys = _g(en, "y")
        en.explicit_year = bool(ys)
        year = int(ys) if ys else _pick_year(month, day, ctx, en.start, en.end)
        return None if year is None else dt.date(year, month, day)
    em, ey = _g(en, "em"), _g(en, "ey")
    if em and ey:
        en.explicit_year = True
        return _gmonth_span(int(ey), GREG_MONTHS[em.lower().rstrip(".")])[1]
    return None


def r_n_months_to(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the nine-month period ended on December 21, 2017": N months closing on that day. In Iranian sources
    a day that closes a Persian month closes N Persian months (the first nine months of 1396); a Gregorian
    month end closes N Gregorian months; any other day, N months counted back from the day after it."""
    n = _num(_g(en, "n") or "0")
    if not 1 <= n <= 36:
        raise ValueError("not a counted period")
    end = _end_day(en, ctx)
    if end is None:
        return None, None, "gregorian", "period"
    py, pm, pd = iranian.from_gregorian(end)
    if ctx.iranian and pd == iranian.month_length(py, pm):
        ys, ms = divmod(py * 12 + (pm - 1) - (n - 1), 12)
        return iranian.to_gregorian(ys, ms + 1, 1), end, "persian", "period"
    if end.day == _month_len(end.year, end.month):
        return _add_months(end.replace(day=1), -(n - 1)), end, "gregorian", "period"
    return _add_months(end, -n) + dt.timedelta(days=1), end, "gregorian", "period"


def r_week_ending(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the week ended on January 19", "weekdays ending up to August 29": the calendar week of that day
    (from Saturday in Iranian sources, Monday otherwise), closing on the named day (the named last day wins
    over the calendar week's own: Saturday to Thursday for Iranian working days)."""
    end = _end_day(en, ctx)
    if end is None:
        return None, None, "gregorian", "week"
    return _week_start(end, ctx.iranian), end, "gregorian", "week"


def r_ago(en: _Entry, ctx: _Ctx) -> Resolved:
    """"a year ago", "two weeks ago": the day that many units before publication."""
    if ctx.pub is None:
        return None, None, "gregorian", "day"
    n = 1 if _g(en, "a") else _num(_g(en, "n") or "0")
    if not 1 <= n <= 36:
        raise ValueError("not a countable distance")
    d = _shift(ctx.pub, _gs(en, "unit").lower(), -n)
    return d, d, "gregorian", "day"


def _unit_before(p: _Entry, unit: str) -> tuple[dt.date, dt.date]:
    assert p.date_start is not None and p.date_end is not None
    if unit == "week":
        return p.date_start - dt.timedelta(days=7), p.date_end - dt.timedelta(days=7)
    months = {"year": 12, "quarter": 3, "month": 1}[unit]
    if p.calendar == "persian":
        y, m, _d = iranian.from_gregorian(p.date_start)
        ys, ms = divmod(y * 12 + (m - 1) - months, 12)
        return iranian.months_span(ys, ms + 1, months)
    first = _add_months(p.date_start.replace(day=1), -months)
    return first, _add_months(first, months) - dt.timedelta(days=1)


def r_weekend(en: _Entry, ctx: _Ctx) -> Resolved:
    """A weekend, Saturday and Sunday: "over the weekend", "last weekend" = the last one that has begun by
    publication; "next weekend" = the one after the current week's; "this weekend" = the one of the current
    week, or, said on a Monday or Tuesday in a sentence that is not future, the one just past. Not in
    Iranian sources, whose weekend is Friday."""
    if ctx.iranian:
        raise ValueError("an Iranian weekend is not Saturday-Sunday")
    if ctx.pub is None:
        return None, None, "gregorian", "week"
    rel = (_g(en, "wrel") or "").lower()
    pub = ctx.pub
    last_sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)  # the latest Saturday on or before publication
    coming_sat = last_sat if pub.weekday() >= 5 else last_sat + dt.timedelta(days=7)
    if rel in ("next", "coming"):
        sat = coming_sat + dt.timedelta(days=7 if pub.weekday() >= 5 else 0)
    elif rel == "this":
        sat = last_sat if pub.weekday() in (0, 1) and not ctx.future(en.start, en.end) else coming_sat
    else:
        sat = last_sat
    return sat, sat + dt.timedelta(days=1), "gregorian", "week"


def r_prior_unit(en: _Entry, ctx: _Ctx) -> Resolved:
    """"its preceding year", "its previous month": the year (month, week, quarter) before the last one the
    text named, in that one's calendar ("the past Iranian calendar year 1400 ..., compared to its previous
    year" = 1399). Without one it is not placeable."""
    unit = _gs(en, "unit").lower()
    for p in reversed(ctx.prior):
        if not (p.date_start and p.date_end) or p.rule.resolver in _DERIVED:
            continue
        if unit == "year" and p.rule.resolver in ("year_end", "year_start"):
            # "at the end of the past Iranian calendar year 1398 (March 19), up from ... its preceding year"
            y = iranian.persian_year_of(p.date_start) if p.calendar == "persian" else p.date_start.year
            a, b = _year_span(p.calendar, y - 1)
            return a, b, p.calendar, unit
        if p.granularity == unit:
            a, b = _unit_before(p, unit)
            return a, b, p.calendar, unit
    raise ValueError("nothing to refer back to")


def r_prev_of_ref(en: _Entry, ctx: _Ctx) -> Resolved:
    """"(rose 52 percent) from a year earlier": the period named before it in its own sentence, a year
    back. Not one of an earlier sentence: "... in Ordibehesht alone. Iran exported 11.4 million tons in the
    two months, 2.1 million tons less than a year earlier" compares the two months, which it does not name."""
    here = _sentence_index(ctx, en.start)
    for p in reversed(ctx.prior):
        if _sentence_index(ctx, p.start) != here:
            break
        if not (p.date_start and p.date_end) or p.granularity == "day" or p.rule.resolver in _DERIVED:
            continue
        a, b = shift_period(p.date_start, p.date_end, -1)
        return a, b, "persian" if _persian_months(p.date_start, p.date_end) else p.calendar, p.granularity or "period"
    raise ValueError("nothing to refer back to")


def r_pmonth_relative(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the current Iranian calendar month", "the past Iranian month": the Persian month of publication, or
    the one before/after it."""
    if ctx.pub is None:
        return None, None, "persian", "month"
    rel = _gs(en, "mrel").lower()
    off = -1 if rel in ("last", "past", "previous") else 1 if rel in ("next", "coming") else 0
    y, m, _d = iranian.from_gregorian(ctx.pub)
    y2, m2 = divmod(y * 12 + (m - 1) + off, 12)
    a, b = iranian.month_span(y2, m2 + 1)
    return a, b, "persian", "month"


def r_ord_month(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the first month of the current Iranian calendar year": Farvardin of that year; "the third month of
    2019": March 2019."""
    k = _ORD_MONTH[_gs(en, "ordm").lower()]
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "month"
    a, b = _months_span(cal, y, k, 1)
    return a, b, cal, "month"


def r_ord_month_backref(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the third month" right after the text named the third Iranian month ("... in the third Iranian
    calendar month Khordad ... in the third month"): that month. Otherwise not placeable."""
    k = _ORD_MONTH[_gs(en, "ordm").lower()]
    here = _sentence_index(ctx, en.start)
    for p in reversed(ctx.prior):
        if here - _sentence_index(ctx, p.start) > 2:
            break
        if p.calendar == "persian" and p.granularity == "month" and p.date_start and p.date_end \
                and iranian.from_gregorian(p.date_start)[1] == k:
            return p.date_start, p.date_end, "persian", "month"
    raise ValueError("no such month named before")


def r_quarter_ctx(en: _Entry, ctx: _Ctx) -> Resolved:
    """A bare "Q1": that quarter of the year the text is talking about, i.e. of the last Persian period,
    or of the last Gregorian quarter, half or year, named before it. Otherwise not placeable."""
    q = int(_gs(en, "qn"))
    for p in reversed(ctx.prior):
        if not (p.date_start and p.date_end) or p.rule.resolver in _DERIVED or _names_earlier_year(p):
            continue
        if p.calendar == "persian" and p.granularity in ("quarter", "half", "period", "year", "month"):
            y = iranian.persian_year_of(p.date_start)
        elif p.calendar == "gregorian" and p.granularity in ("quarter", "half", "year"):
            y = p.date_start.year
        else:
            continue
        a, b = _months_span(p.calendar, y, 3 * (q - 1) + 1, 3)
        return a, b, p.calendar, "quarter"
    raise ValueError("no year to place the quarter in")


def r_year_part(en: _Entry, ctx: _Ctx) -> Resolved:
    """"late 1398": a third of the year, as parts of months are (early = months 1-4, mid = 5-8, late = 9-12)."""
    cal, y = _yr(en, ctx)
    if y is None:
        return None, None, cal, "period"
    first = {"early": 1, "mid": 5, "late": 9}[_gs(en, "part").lower()]
    a, b = _months_span(cal, y, first, 4)
    return a, b, cal, "period"


def _this_year(en: _Entry, ctx: _Ctx) -> tuple[str, dt.date, dt.date] | None:
    if ctx.pub is None:
        return None
    cal = ctx.default_calendar(en.start, en.end)
    a, b = _year_span(cal, iranian.persian_year_of(ctx.pub) if cal == "persian" else ctx.pub.year)
    return cal, a, b


def r_this_year_part(en: _Entry, ctx: _Ctx) -> Resolved:
    """"earlier this year" = the first day of the year to publication; "later this year" = publication to
    the last day (as "earlier this month")."""
    t = _this_year(en, ctx)
    if t is None or ctx.pub is None:
        return None, None, "gregorian", "period"
    cal, a, b = t
    return (a, ctx.pub, cal, "period") if _gs(en, "lead").lower() == "earlier" else (ctx.pub, b, cal, "period")


def r_year_to_date(en: _Entry, ctx: _Ctx) -> Resolved:
    """"year-to-date", "so far this year": the first day of the year to publication; a market term, so the
    Gregorian year unless the sentence names the Iranian one."""
    if ctx.pub is None:
        return None, None, "gregorian", "period"
    if ctx.iranian and _IRAN_CAL.search(re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", ctx.sentence(en.start, en.end))):
        return iranian.year_span(iranian.persian_year_of(ctx.pub))[0], ctx.pub, "persian", "period"
    return dt.date(ctx.pub.year, 1, 1), ctx.pub, "gregorian", "period"


def r_first_n_days(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the first 50 days of the current year": from the year's first day, 50 days."""
    n = int(_gs(en, "nd"))
    cal, y = _yr(en, ctx)
    if y is None or not 1 <= n <= 366:
        return None, None, cal, "period"
    a = _year_span(cal, y)[0]
    return a, a + dt.timedelta(days=n - 1), cal, "period"


def r_decade_end(en: _Entry, ctx: _Ctx) -> Resolved:
    """"the end of the next decade" (said in 2019): 2029-12-31, decades counted 2020-2029."""
    if ctx.pub is None:
        return None, None, "gregorian", "day"
    rel = _gs(en, "drel").lower()
    off = 1 if rel in ("next", "coming") else -1 if rel in ("last", "past", "previous") else 0
    d = dt.date(ctx.pub.year // 10 * 10 + 10 * off + 9, 12, 31)
    return d, d, "gregorian", "day"


RESOLVERS: dict[str, Resolver] = {
    "day": r_day, "day_range": r_day_range, "month_range": r_month_range, "weekday": r_weekday,
    "day_relative": r_day_relative, "month_part": r_month, "month": r_month,
    "this_month_part": r_this_month_part, "that_month": r_that_month, "month_relative": r_month_relative,
    "this_week_part": r_this_week_part, "week_relative": r_week_relative, "pmonth": r_pmonth,
    "pmonth_day": r_pmonth_day, "year": r_year, "year_end": r_year_end, "year_start": r_year_start,
    "first_n_months": r_first_n_months, "half": r_half, "quarter": r_quarter, "quarter_end": r_quarter_end,
    "n_units_rel": r_n_units_rel,
    "in_n_units": r_in_n_units, "year_range": r_year_range, "same_period_prev": r_same_period_prev,
    "n_months_to": r_n_months_to, "week_ending": r_week_ending, "ago": r_ago, "prior_unit": r_prior_unit,
    "prev_of_ref": r_prev_of_ref, "pmonth_relative": r_pmonth_relative, "ord_month": r_ord_month,
    "ord_month_backref": r_ord_month_backref, "quarter_ctx": r_quarter_ctx, "year_part": r_year_part,
    "this_year_part": r_this_year_part, "year_to_date": r_year_to_date, "first_n_days": r_first_n_days,
    "decade_end": r_decade_end, "weekend": r_weekend,
}


# ---------------------------------------------------------------- guards

def _next_word(text: str, i: int) -> str:
    m = re.match(r"\s*([A-Za-z][A-Za-z\-]*)", text[i:i + 40])
    return m.group(1) if m else ""


def _year_next_ok(text: str, end: int) -> bool:
    rest = text[end:end + 3]
    if rest[:1] in ("%",) or re.match(r"\s*(?:%|percent)", text[end:end + 10]):
        return False
    w = _next_word(text, end)
    if not w or not re.match(r"\s", rest[:1] or " ") and rest[:1].isalpha():
        return True if not w else False
    if w.lower() in _YEAR_NEXT_BLOCK:
        return False
    if w[0].isupper():
        return True
    wl = w.lower()
    # a verb or an adverb follows a date ("in 2017 stood at", "in 2019 sharply", "in 2018 registering a 47
    # percent rise"); a noun follows a count ("1400 housing units")
    if wl.endswith("ing") and re.match(r"\s*[A-Za-z-]+\s+(?:a|an|the|some|about|over|more|less|nearly|\d)\b",
                                       text[end:end + 40]):
        return True
    return wl in _YEAR_NEXT_OK or wl in _PAST_VERBS or wl.endswith(("ed", "ly"))


def _guard_ok(rule: Rule, m: re.Match[str], s: int, e: int, text: str) -> bool:
    if rule.guard is None:
        return True
    gd = m.groupdict()
    if rule.guard == "year_tail":
        if gd.get("pyear_b") or gd.get("gyear_b") or gd.get("pyear") or gd.get("gyear"):
            return _year_next_ok(text, m.end())
        return True
    if rule.guard == "year_range":
        # "the fiscal year 2017-2018" is one fiscal year, not two calendar years
        if re.search(r"\b(?:fiscal|financial|crop|marketing|FY)\s*(?:year\s*)?$", text[max(0, s - 20):s], re.I):
            return False
        return _year_next_ok(text, e)
    if rule.guard == "bare_year":
        before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 25):m.start()])
        if (gd.get("prep") or "").lower() == "by" and before and before[-1].lower() in _CHANGE_VERBS:
            return False  # "increased by 1400": a change, not a deadline
        prev_word = before[-1].lower() if before else ""
        if prev_word in _YEAR_NEXT_BLOCK:
            return False
        return _year_next_ok(text, e)
    return True


# ---------------------------------------------------------------- main

def _candidates(text: str) -> list[_Entry]:
    found: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    low = text.lower()
    for order, rule in enumerate(load_rules()):
        if rule.needs is not None and not any(w in low for w in rule.needs):
            continue
        for m in rule.regex.finditer(text):
            s, e = m.span("t") if "t" in rule.regex.groupindex and m.group("t") else m.span()
            if e <= s or not _guard_ok(rule, m, s, e, text):
                continue
            found.append((s, e, order, rule, m))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[2], x[0]))
    taken: list[tuple[int, int]] = []
    out: list[_Entry] = []
    for s, e, _o, rule, m in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        out.append(_Entry(s, e, rule, m))
    out.sort(key=lambda x: x.start)
    return out


def _resolve(en: _Entry, ctx: _Ctx) -> bool:
    try:
        a, b, cal, gran = RESOLVERS[en.rule.resolver](en, ctx)
    except (ValueError, KeyError, OverflowError, TypeError):
        return False
    en.date_start, en.date_end, en.calendar, en.granularity = a, b, cal, gran
    return True


def _role(text: str, en: _Entry) -> str | None:
    lead = text[max(0, en.start - 20):en.start]
    ranged = en.rule.resolver in ("day_range", "month_range", "year_range", "same_period_prev")
    for rx, role in _PREP_ROLE:
        if rx.search(lead):
            # "from March 21 to February 19" is a whole period, not a starting point
            possessive = bool(re.match(r"[’']s\b", text[en.end:en.end + 3]))
            # "from March 21 to February 19" is a whole period and "from the previous year's 1,700 tomans" a
            # comparison, not a starting point
            return "in" if (ranged or possessive) and role == "since" else role
    if ranged and re.match(r"(?:from|between)\b", en.match.group(0), re.I):
        return "in"
    return en.rule.role


def looks_iranian(text: str) -> bool:
    """Heuristic for the outlet: Iranian sources count years from Nowruz and weeks from Saturday."""
    return bool(re.search(r"\bTEHRAN\b|\bIran(?:ian)?\b|\brials?\b|\btomans?\b", text))


def find_dates(text: str, published: dt.date | None, *,
               iranian_source: bool | None = None) -> list[FoundDate]:
    """Every time expression in ``text`` that can be placed on the calendar, in text order.

    ``published`` anchors relative expressions; without it they come back with ``date_start`` None.
    ``iranian_source`` (default: guessed from the text) makes unqualified years Iranian calendar years and
    weeks run Saturday-Friday.
    """
    ctx = _Ctx(text, published, looks_iranian(text) if iranian_source is None else iranian_source)
    entries: list[_Entry] = []
    for en in _candidates(text):
        if _resolve(en, ctx):
            entries.append(en)
            ctx.prior.append(en)
    entries = _merge_glosses(text, entries, ctx)
    out = []
    for en in entries:
        en.role = _role(text, en)
        out.append(FoundDate(
            start=en.start, end=en.end, text=text[en.start:en.end],
            date_start=en.date_start.isoformat() if en.date_start else None,
            date_end=en.date_end.isoformat() if en.date_end else None,
            calendar=en.calendar, rule_id=en.rule.id, role=en.role, granularity=en.granularity,
            gloss_text=en.gloss_text,
            gloss_date_start=en.gloss[0].isoformat() if en.gloss and en.gloss[0] else None,
            gloss_date_end=en.gloss[1].isoformat() if en.gloss and en.gloss[1] else None,
        ))
    return out


_GLOSS_RE = re.compile(r"\s*[\(\[]([^\(\)\[\]]{1,120})[\)\]]")
# A relative clause restating a boundary: "the present Iranian year which will end on March 20, 2019".
_GLOSS_CLAUSE_RE = re.compile(r",?\s+(?:which|that)\s+(?:(?:will|would)\s+)?(?:has\s+|had\s+)?"
                              r"(?:ended|ends|end|started|starts|start|began|begins|begin|runs|ran)\s+"
                              r"(?:on|in|by)\s+()"
                              r"|\s+(?:to|ending(?:\s+in|\s+on)?|ended(?:\s+in|\s+on)?)\s+()")
_END_VERB = re.compile(r"\b(?:ended|ends|ending|end|to)\b", re.I)
_START_VERB = re.compile(r"\b(?:started|starts|starting|start|began|begins|begin)\b", re.I)
_BOUNDARY_SLACK = dt.timedelta(days=2)


def _near(span: Span, day: dt.date) -> bool:
    """True when a gloss span names ``day``: it contains it, or is a day within two days of it (journalists
    round Iranian year boundaries to March 20/21)."""
    a, b = span
    if a is None or b is None:
        return False
    return a - _BOUNDARY_SLACK <= day <= b + _BOUNDARY_SLACK


def _names_boundary(residual: str, main: _Entry, gloss: Span) -> bool:
    """A gloss with a verb ("ended on March 20, 2019", "starts on March 21, 2019") restates the main span
    when the day it names is that span's last (or first) day; otherwise it names a different span."""
    if main.date_start is None or main.date_end is None:
        return False
    if gloss == (main.date_start, main.date_end):
        return True
    if _END_VERB.search(residual):
        return _near(gloss, main.date_end)
    if _START_VERB.search(residual):
        return _near(gloss, main.date_start)
    return False


def _merge_glosses(text: str, entries: list[_Entry], ctx: _Ctx) -> list[_Entry]:
    removed: set[int] = set()
    for i, en in enumerate(entries):
        if i in removed:
            continue
        m = _GLOSS_RE.match(text, en.end)
        clause = False
        if m:
            s1, e1 = m.span(1)
        else:
            m = _GLOSS_CLAUSE_RE.match(text, en.end)
            nxt = next((x for x in entries[i + 1:] if m and x.start == m.end()), None)
            if not m or nxt is None:
                continue
            clause = True
            s1, e1 = en.end, nxt.end
        inner = [j for j, x in enumerate(entries) if j != i and x.start >= s1 and x.end <= e1]
        if not inner:
            continue
        residual = text[s1:e1]
        for j in sorted(inner, key=lambda j: -entries[j].start):
            x = entries[j]
            residual = residual[: x.start - s1] + " " + residual[x.end - s1:]
        if any(w.lower() not in _GLOSS_FILLER for w in re.findall(r"[A-Za-z]+", residual)):
            continue
        if re.search(r"\d", residual):
            continue
        if en.granularity != "year" and any(entries[j].granularity == "year" for j in inner):
            continue  # "late 1398 [previous Iranian calendar year ...]" names the year around it, not the part
        # re-resolve yearless parts of the gloss next to the main expression
        if en.date_start and en.date_end:
            # a day that ends (starts) the span is looked for near its end (start): "the past Iranian calendar
            # year (ended on March 20)" said of 1399 is 2021-03-20, not 2020-03-20, its first day
            ctx.anchor = (en.date_start, en.date_end)
            if _GLOSS_VERB.search(residual) or clause:
                if _END_VERB.search(residual) and not _START_VERB.search(residual):
                    ctx.anchor = (en.date_end, en.date_end)
                elif _START_VERB.search(residual) and not _END_VERB.search(residual):
                    ctx.anchor = (en.date_start, en.date_start)
            for j in inner:
                if not entries[j].explicit_year:
                    _resolve(entries[j], ctx)
            ctx.anchor = None
        starts = [entries[j].date_start for j in inner]
        ends = [entries[j].date_end for j in inner]
        g0 = min((d for d in starts if d), default=None)
        g1 = max((d for d in ends if d), default=None)
        if (_GLOSS_VERB.search(residual) or clause) and en.date_start is not None \
                and not _names_boundary(residual, en, (g0, g1)):
            continue  # "(ended on March 20, 2017)" after 1397: a different span, an entry of its own
        removed.update(inner)
        en.gloss_text = text[s1:e1].strip(" ,")
        en.gloss = (g0, g1)
        en.end = e1 if clause else m.end()
        if en.date_start is None and g0 is not None:
            en.date_start, en.date_end = g0, g1
    return [x for j, x in enumerate(entries) if j not in removed]
