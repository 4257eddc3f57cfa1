"""Period keys for claim clusters. Pure functions; the Iranian calendar arithmetic is extractors.iranian's."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from extractors import iranian

SNAP_DAYS = 2  # a boundary within this many days of an Iranian month boundary is snapped to it


to_persian = iranian.from_gregorian
month_length = iranian.month_length


def iso_day(value: str | None) -> dt.date | None:
    """The day an ISO date or date-time starts with; None for None or anything else (a stored publication date
    from before dates were validated, say), so that one bad value never stops the crossref step."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _snap(iso: str, which: str) -> str:
    day = dt.date.fromisoformat(iso)
    best: dt.date | None = None
    for delta in range(-SNAP_DAYS, SNAP_DAYS + 1):
        cand = day + dt.timedelta(days=delta)
        y, m, d = to_persian(cand)
        ok = d == 1 if which == "start" else d == month_length(y, m)
        if ok and (best is None or abs((cand - day).days) < abs((best - day).days)):
            best = cand
    return (best or day).isoformat()


def period_key(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """Snap each bound to the nearest Iranian month boundary within SNAP_DAYS.

    A journalist's "(March 20, 2020)" for the end of 1398 and the exact 2020-03-19 give the same key, as do
    "March 21-September 21, 2019" and the exact first half of 1398 (2019-03-21..2019-09-22).
    """
    s = _snap(start[:10], "start") if start else None
    e = _snap(end[:10], "end") if end else None
    return s, e


def whole_year_of_deadline(end: str) -> str | None:
    """The first day of the Iranian year that ``end`` (a snapped period key bound) is the last day of, or None:
    a deadline at the end of an Iranian year and that whole year are the same target period."""
    day = iso_day(end)
    if day is None:
        return None
    y, m, d = to_persian(day)
    if m != 12 or d != month_length(y, 12):
        return None
    return iranian.to_gregorian(y, 1, 1).isoformat()
