"""Exact Iranian (Solar Hijri) calendar arithmetic.

Pure functions over ``datetime.date``, built on ``convertdate.persian`` (the astronomical-arithmetic
calendar in use in Iran; agrees with jdatetime for 1300-1500). Never use dateparser's Jalali parser: it
fills missing parts from today's date.

Years run from Nowruz (1 Farvardin) to the day before the next Nowruz. Months 1-6 have 31 days,
7-11 have 30, and Esfand (12) has 29, or 30 in a leap year.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import jdatetime
from convertdate import persian as _persian

MONTHS_FILE = Path(__file__).parent / "patterns" / "persian_months.json"


# jdatetime's arithmetic agrees with convertdate's astronomical calendar on every Nowruz of 1300-1500
# (checked in tests/test_iranian.py) and is ~1000x faster; outside that range convertdate decides.
_JDATETIME_YEARS = range(1300, 1501)


@cache
def nowruz(year: int) -> dt.date:
    """1 Farvardin of Persian ``year`` in the Gregorian calendar; every other conversion is arithmetic
    from here."""
    if year in _JDATETIME_YEARS:
        g = jdatetime.date(year, 1, 1).togregorian()
        return dt.date(g.year, g.month, g.day)
    return dt.date(*_persian.to_gregorian(year, 1, 1))


def is_leap(year: int) -> bool:
    """True when Persian ``year`` has 366 days (Esfand has 30 days)."""
    return (nowruz(year + 1) - nowruz(year)).days == 366


def month_length(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"Persian month must be 1..12, got {month}")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def _month_offset(month: int) -> int:
    """Days from 1 Farvardin to the first day of ``month``."""
    return 31 * (month - 1) if month <= 7 else 186 + 30 * (month - 7)


def to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Persian (year, month, day) -> Gregorian date. Raises ValueError on an impossible day."""
    if not 1 <= day <= month_length(year, month):
        raise ValueError(f"{year}-{month}-{day} is not a Persian calendar date")
    return nowruz(year) + dt.timedelta(days=_month_offset(month) + day - 1)


def from_gregorian(date: dt.date) -> tuple[int, int, int]:
    """Gregorian date -> Persian (year, month, day)."""
    year = date.year - 621
    if date < nowruz(year):
        year -= 1
    days = (date - nowruz(year)).days
    month = days // 31 + 1 if days < 186 else (days - 186) // 30 + 7
    month = min(month, 12)
    return year, month, days - _month_offset(month) + 1


def persian_year_of(date: dt.date) -> int:
    return from_gregorian(date)[0]


def year_span(year: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of Persian ``year``: 1398 -> 2019-03-21..2020-03-19."""
    return to_gregorian(year, 1, 1), to_gregorian(year + 1, 1, 1) - dt.timedelta(days=1)


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of Persian month ``month`` of ``year``."""
    return to_gregorian(year, month, 1), to_gregorian(year, month, month_length(year, month))


def months_span(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    """``count`` consecutive Persian months starting at month ``first`` of ``year`` (may run into later
    years): the first six months of 1398 -> months_span(1398, 1, 6) = 2019-03-21..2019-09-22."""
    if count < 1:
        raise ValueError("count must be >= 1")
    last_index = (first - 1) + (count - 1)
    end_year, end_month = year + last_index // 12, last_index % 12 + 1
    return month_span(year, first)[0], month_span(end_year, end_month)[1]


def _norm(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every known spelling (folded to lower-case letters) -> month number 1..12."""
    data = json.loads(MONTHS_FILE.read_text(encoding="utf-8"))
    names: dict[str, int] = {}
    for m in data["months"]:
        for v in [m["name"], *m["variants"]]:
            names[_norm(v)] = int(m["number"])
    return names


@lru_cache(maxsize=1)
def month_spellings() -> tuple[str, ...]:
    """All spellings as written in the data file (capitalised), longest first, for regexes."""
    data = json.loads(MONTHS_FILE.read_text(encoding="utf-8"))
    out = {v for m in data["months"] for v in [m["name"], *m["variants"]]}
    return tuple(sorted(out, key=lambda s: (-len(s), s)))


def month_number(name: str) -> int | None:
    """'Mehr' -> 7, 'Amordad' -> 5; None when the name is not a Persian month."""
    return month_names().get(_norm(name))
