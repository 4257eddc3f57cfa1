"""Field helpers shared by the parse stage and the site adapters: pure functions from the strings a page
holds to normalised values (whitespace, bylines, machine- and human-written dates). No I/O, no lxml."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from zoneinfo import ZoneInfo

# tzdata carries Iran's DST (+04:30 in summer) until it was abolished in 2022.
TEHRAN = ZoneInfo("Asia/Tehran")


def clean_space(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u200c", " ").replace("\xa0", " ")).strip()


_BY = re.compile(r"^\s*(?:by|written by|reporting by|von|por)\s*[:\-]?\s*", re.I)


def split_authors(value: str) -> list[str]:
    """Split a byline into names: "By A, B and C" -> [A, B, C]. URLs and e-mail addresses are dropped."""
    value = clean_space(_BY.sub("", value))
    if not value or value.startswith(("http://", "https://")) or "@" in value:
        return []
    parts = re.split(r"\s*(?:,|;|\||\band\b|&)\s*", value)
    names = [clean_space(_BY.sub("", p)) for p in parts]
    return [n for n in names if n and len(n) < 80 and not n.startswith(("http://", "https://"))]


_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)


_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},?\s+)?(?:\d{1,2}\s+[A-Za-z]{3}|[A-Za-z]{3}\s+\d{1,2},?)\s+\d{4}\s+"
                      r"\d{1,2}:\d{2}(?::\d{2})?\s+(?:[A-Z]{1,4}|[+-]\d{4})$")


def _textual_date(v: str, default_tz: dt.tzinfo | None) -> tuple[str, str] | None:
    """A machine field written for people: RFC 2822 ("Tue, 15 Sep 2020 10:01:41 EDT") or "Sep 15, 2020"."""
    if _RFC2822.match(v):
        try:
            when = email.utils.parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and 1990 <= when.year and when.date() <= dt.date.today() + dt.timedelta(days=2):
            if when.tzinfo is None and default_tz is not None:
                when = when.replace(tzinfo=default_tz)
            return when.isoformat(), "datetime"
    if len(v) > 60 or not re.search(r"\b\d{4}\b", v):
        return None
    got = parse_english_datetime(v, tz=default_tz)
    if got is None or not (1990 <= int(got[0][:4]) and dt.date.fromisoformat(got[0][:10]) <= dt.date.today()
                           + dt.timedelta(days=2)):
        return None
    return got


def normalise_date(value: str | None, default_tz: dt.tzinfo | None = None) -> tuple[str, str] | None:
    """ISO 8601 from a machine-readable date; returns (iso, precision) or None."""
    if not value:
        return None
    v = value.strip()
    v = re.sub(r"\s+", " ", v)
    m = _ISO.match(v)
    if not m:
        return _textual_date(v, default_tz)
    y, mo, d, h, mi, s, tz = m.groups()
    try:
        date = dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if date.year < 1990 or date > dt.date.today() + dt.timedelta(days=2):
        return None
    if h is None:
        return date.isoformat(), "day"
    try:
        naive = dt.datetime(date.year, date.month, date.day, int(h), int(mi), int(s or 0))
    except ValueError:
        return date.isoformat(), "day"
    if tz:
        if tz == "Z":
            tzinfo: dt.tzinfo = dt.UTC
        else:
            tz = tz.replace(":", "")
            sign = -1 if tz[0] == "-" else 1
            tzinfo = dt.timezone(sign * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])))
        return naive.replace(tzinfo=tzinfo).isoformat(), "datetime"
    if default_tz is not None:
        return naive.replace(tzinfo=default_tz).isoformat(), "datetime"
    return naive.isoformat(), "datetime"


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def parse_english_datetime(text: str, tz: dt.tzinfo | None = TEHRAN) -> tuple[str, str] | None:
    """"May 3, 2020 - 17:19" (local time in ``tz``) -> ("2020-05-03T17:19:00+04:30", "datetime").

    Also "3 May 2020, 17:19" and a date without a time (precision "day"). With ``tz=None`` the time is
    returned without an offset.
    """
    t = clean_space(text)
    m = re.search(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})", t)
    if m:
        mon, day, year = m.group(1), m.group(2), m.group(3)
    else:
        m = re.search(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})", t)
        if not m:
            return None
        day, mon, year = m.group(1), m.group(2), m.group(3)
    month = _MONTHS.get(mon[:3].lower())
    if month is None:
        return None
    try:
        date = dt.date(int(year), month, int(day))
    except ValueError:
        return None
    rest = t[m.end():]
    hm = re.search(r"(\d{1,2}):(\d{2})(?:\s*([AaPp])\.?[Mm]\.?)?", rest)
    if not hm:
        return date.isoformat(), "day"
    hour, minute = int(hm.group(1)), int(hm.group(2))
    if hm.group(3):
        hour = hour % 12 + (12 if hm.group(3).lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return date.isoformat(), "day"
    local = dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=tz)
    return local.isoformat(), "datetime"
