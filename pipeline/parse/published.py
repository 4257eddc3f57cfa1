"""An article's publication date from a sidecar or manifest: strict, because relative dates in the text
resolve against it and a wrong day silently moves every one of them.

Accepted: ISO 8601 (``2020-03-03``, ``2020-03-03T17:19:00+04:30``; kept exactly as written) or a written-out
date with a month name, a four-digit year and a day, in any order (``March 3rd, 2020``, ``3 March 2020``,
``Tuesday, 3 Mar 2020 10:30 GMT``; normalised to ``2020-03-03``, the time dropped). Refused, with a reason:
an all-numeric date that is not ISO (``03/05/2020`` is 3 May or 5 March), a relative one (``yesterday``:
there is nothing to resolve it against but the clock), anything without a year, month and day, and
anything else. Pure Python, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}
RELATIVE = {"yesterday", "today", "tomorrow", "tonight", "now", "ago", "last", "next", "this", "past",
            "recently", "earlier", "later", "day", "days", "week", "weeks", "month", "months", "year", "years",
            "hour", "hours", "minute", "minutes"}
FILLERS = {"the", "of", "on", "at", "st", "nd", "rd", "th", "published", "updated", "am", "pm", "a", "p", "m",
           "utc", "gmt", "z", "irst", "irdt", "cet", "cest", "bst", "est", "edt", "pst", "pdt"}
MIN_YEAR, MAX_YEAR = 1800, 2200

_ISO_START = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ])")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[+-]\d{2}:?\d{2})?")
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")  # ASCII digit runs, or letter runs (other digits: "words")
_NUMERIC_ONLY = re.compile(r"^[\d\s/.\-:,TZ+]+$")


@dataclass(frozen=True)
class Published:
    iso: str | None  # ISO 8601 when readable, else None
    precision: str | None  # "day" or "datetime"
    problem: str | None = None  # why not readable: completes "publication date 'X' ..."


def _refuse(problem: str) -> Published:
    return Published(None, None, problem)


def parse_published(value: object) -> Published:
    """Read a publication date strictly (see the module docstring). Never raises."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return _refuse(f"is not text ({type(value).__name__})")
    v = str(value).strip()
    if not v:
        return _refuse("is empty")
    if len(v) > 100:
        return _refuse("is too long to be a date")
    if _ISO_START.match(v):
        try:
            when = dt.datetime.fromisoformat(v)
        except ValueError:
            return _refuse("looks like ISO 8601 but is not a valid date or time")
        if not MIN_YEAR <= when.year <= MAX_YEAR:
            return _refuse(f"has an implausible year ({when.year})")
        return Published(v, "day" if len(v) == 10 else "datetime")
    low = v.casefold()
    words = [t for t in _TOKEN.findall(_TIME.sub(" ", low)) if not (t.isascii() and t.isdigit())]
    if any(w in RELATIVE for w in words) and not any(w in MONTHS for w in words):
        return _refuse("is relative (there is nothing to resolve it against but the clock); give YYYY-MM-DD")
    if _NUMERIC_ONLY.match(v):
        return _refuse("is all numbers but not ISO 8601 (03/05/2020 may be the 3rd of May or the 5th of "
                       "March); give YYYY-MM-DD")
    return _written_out(low)


def _written_out(low: str) -> Published:
    """A date with a month name, a year and a day in any order; anything else is refused."""
    tokens = _TOKEN.findall(_TIME.sub(" ", low))
    months: list[int] = []
    years: list[int] = []
    days: list[int] = []
    for t in tokens:
        if t.isascii() and t.isdigit():
            (years if len(t) == 4 else days if len(t) <= 2 else []).append(int(t))
            if len(t) not in (1, 2, 4):
                return _refuse("is not a date newsclaims can read; give YYYY-MM-DD or e.g. 3 March 2020")
        elif t in MONTHS:
            months.append(MONTHS[t])
        elif t in WEEKDAYS or t in FILLERS:
            continue
        else:
            return _refuse("is not a date newsclaims can read; give YYYY-MM-DD or e.g. 3 March 2020")
    if len(months) != 1 or len(years) != 1 or len(days) != 1:
        return _refuse("does not name exactly one year, month and day; give YYYY-MM-DD or e.g. 3 March 2020")
    if not MIN_YEAR <= years[0] <= MAX_YEAR:
        return _refuse(f"has an implausible year ({years[0]})")
    try:
        day = dt.date(years[0], months[0], days[0])
    except ValueError:
        return _refuse("names a day that does not exist")
    return Published(day.isoformat(), "day")
