"""What a site adapter returns, and small helpers shared by the adapters."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

# tzdata carries Iran's DST (+04:30 in summer) until it was abolished in 2022.
TEHRAN = ZoneInfo("Asia/Tehran")


def clean_space(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u200c", " ").replace("\xa0", " ")).strip()


@dataclass(frozen=True)
class SiteFields:
    """Fields a site adapter found with its own selectors; None where it found nothing."""

    title: str | None = None
    published: tuple[str, str] | None = None  # (ISO 8601, "day" | "datetime")
    authors: tuple[str, ...] = ()
    text: str | None = None
    language: str | None = None


class SiteAdapter(Protocol):
    @property
    def name(self) -> str: ...  # versioned: "tehrantimes.v1"

    @property
    def domains(self) -> tuple[str, ...]: ...

    def extract(self, root: Any, url: str | None) -> SiteFields: ...


def xpath_class(tag: str, cls: str) -> str:
    """XPath for ``tag.cls`` (class token match, like the CSS selector)."""
    return f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"


def text_of(el: Any) -> str:
    return clean_space("".join(el.itertext()))


def paragraphs(el: Any) -> str:
    """Body text of a container: its paragraphs (or lines), one per line, scripts and styles left out."""
    out: list[str] = []
    blocks = el.xpath(".//p | .//h2 | .//h3 | .//li | .//blockquote")
    if blocks:
        for b in blocks:
            if b.xpath("ancestor::script | ancestor::style | ancestor::figcaption"):
                continue
            t = text_of(b)
            if t and (not out or out[-1] != t):
                out.append(t)
    else:
        raw = "".join(
            t for t in el.itertext() if t.getparent() is None or t.getparent().tag not in ("script", "style")
        )
        out = [clean_space(line) for line in raw.splitlines() if clean_space(line)]
    return "\n".join(out)


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
