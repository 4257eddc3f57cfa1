"""Synthetic articles (written for these tests) about a fictional idle-units programme, as Extractions.

They carry the phenomena of the real series: a spelling variant of a deputy's name, an acronym and its full
name, ministry name variants, a republished wire story, a target restated with a new value, a figure
repeated months later, a bad currency conversion, wrong Gregorian glosses and a part bigger than its total.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractors.dates import find_dates
from pipeline.models import Article, Claim, DateMention, Extraction, Official, Organisation, Span

A1 = (
    "TEHRAN – The Ministry of Industry, Mine and Trade plans to revive 3,000 idle production units by the end "
    "of the current Iranian calendar year (March 20, 2020), Fars reported. Deputy Industry Minister Kamran "
    "Dehghani said the ministry has allocated 20 trillion rials (about $476 million) to the program. Head of "
    "Iran Small Industries and Industrial Parks Organization (ISIPO) Reza Kazemi said ISIPO plans to help revive "
    "1100 idle SMEs by the end of the current year."
)
A2 = (
    "TEHRAN – Industry, Mining and Trade Ministry plans to revive 3,000 idle units by the end of the current "
    "Iranian calendar year (March 19, 2020) of which 1250 units are Small and Medium-sized Enterprises (SMEs), "
    "said Mohammad-Hossein Karimi, a deputy head of ISIPO. ISIPO revived 410 idle production units in the first "
    "six months of the current calendar year, Karimi told the press in Qazvin. The organization has allocated 9 "
    "trillion rials (about $90 million) to new industrial parks, he added."
)
# A3 is the A2 wire story republished a week later by another outlet, with a new dateline and one word changed.
A3 = A2.replace("TEHRAN –", "QAZVIN –").replace("told the press", "told reporters")
A4 = (
    "TEHRAN – Mohammad Hosein Karimi, ISIPO deputy head for small industries, said the organization had managed "
    "to revive 410 idle production units in the first half of the past Iranian calendar year (March 21-September "
    "21, 2019). Of the mentioned 500 units, 620 are located in industrial parks, he said."
)
# A6: the same source a year and a half later; its "Karimi" is too far from the full name to be resolved.
A6 = (
    "TEHRAN – Karimi said the organization has revived 95 idle units in the province since March, "
    "IRNA reported."
)
A5 = (
    "TEHRAN – The Industry Ministry will bring 3,000 idle units back into production by the end of the current "
    "Iranian calendar year, of which 1250 units are SMEs, Karimi said on Sunday."
)


def _sentences(text: str) -> list[Span]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text):
        out.append(Span(start, m.start()))
        start = m.end()
    out.append(Span(start, len(text)))
    return out


def _span(text: str, needle: str, nth: int = 0) -> Span:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return Span(i, i + len(needle))


def _sent(text: str, sp: Span) -> Span:
    return next(s for s in _sentences(text) if s.start <= sp.start < s.end)


def claim(text: str, needle: str, value: str, unit: str, modality: str, subject: str | None, speaker: str | None,
          ts: str | None = None, te: str | None = None, typ: str = "count", approx: str = "=",
          equivalent_of: int | None = None) -> Claim:
    sp = _span(text, needle)
    return Claim(typ, needle, Decimal(value), None, approx, unit, None, modality, subject, speaker, ts, te, sp,
                 _sent(text, sp), "test.rule", "test.v1", equivalent_of=equivalent_of)


def official(text: str, name: str, title: str | None, org: str | None) -> Official:
    sp = _span(text, name)
    return Official(name, title, org, sp, _sent(text, sp), "test.official", "test.v1")


def org(text: str, name: str, acronym: str | None = None) -> Organisation:
    return Organisation(name, acronym, _span(text, name), "test.org", "test.v1")


def dates(text: str, published: str) -> tuple[DateMention, ...]:
    """The dates extractor's mentions (glosses included), as the pipeline stores them."""
    return tuple(
        DateMention(d.text, d.date_start, d.date_end, d.calendar, Span(d.start, d.end),
                    _sent(text, Span(d.start, d.end)), d.rule_id, "dates.v1", d.role, d.gloss_text,
                    d.gloss_date_start, d.gloss_date_end)
        for d in find_dates(text, dt.date.fromisoformat(published))
    )


END_1398 = "2020-03-19"
SRC = "fixture.example"


def extractions() -> dict[str, Extraction]:
    e1 = Extraction(
        Article("fx-1", A1, source=SRC, published="2019-08-14"),
        (official(A1, "Kamran Dehghani", "Deputy Industry Minister", None),
         official(A1, "Reza Kazemi", "Head", "Iran Small Industries and Industrial Parks Organization (ISIPO)")),
        (claim(A1, "3,000 idle production units", "3000", "idle production units", "target",
               "Ministry of Industry, Mine and Trade", None, None, "2020-03-20"),
         claim(A1, "20 trillion rials", "20000000000000", "IRR", "actual", "Industry Ministry", "Kamran Dehghani",
               typ="money"),
         claim(A1, "$476 million", "476000000", "USD", "actual", "Industry Ministry", "Kamran Dehghani",
               typ="money", approx="~", equivalent_of=1),
         claim(A1, "1100 idle SMEs", "1100", "idle SMEs", "target", "ISIPO", "Reza Kazemi", None, END_1398)),
        dates(A1, "2019-08-14"),
    )
    e2_claims = (
        claim(A2, "3,000 idle units", "3000", "idle units", "target", "Industry, Mining and Trade Ministry",
              "Mohammad-Hossein Karimi", None, END_1398),
        claim(A2, "1250 units", "1250", "units", "target", "Industry, Mining and Trade Ministry",
              "Mohammad-Hossein Karimi", None, END_1398),
        claim(A2, "410 idle production units", "410", "idle production units", "actual", "ISIPO", "Karimi",
              "2019-03-21", "2019-09-22"),
        claim(A2, "9 trillion rials", "9000000000000", "IRR", "actual", "ISIPO", "Karimi", typ="money"),
        claim(A2, "$90 million", "90000000", "USD", "actual", "ISIPO", "Karimi", typ="money", approx="~"),
    )
    e2 = Extraction(Article("fx-2", A2, source=SRC, published="2019-10-20"),
                    (official(A2, "Mohammad-Hossein Karimi", "deputy head", "ISIPO"),), e2_claims,
                    dates(A2, "2019-10-20"))
    e3_claims = tuple(
        claim(A3, c.text, str(c.value), c.unit or "", c.modality, c.subject, c.speaker, c.time_start, c.time_end,
              c.type, c.approx)
        for c in e2_claims
    )
    e3 = Extraction(Article("fx-3", A3, source=SRC, published="2019-10-27"),
                    (official(A3, "Mohammad-Hossein Karimi", "deputy head", "ISIPO"),), e3_claims,
                    dates(A3, "2019-10-27"))
    e4 = Extraction(
        Article("fx-4", A4, source=SRC, published="2020-03-30"),
        (official(A4, "Mohammad Hosein Karimi", "deputy head for small industries", "ISIPO"),),
        (claim(A4, "410 idle production units", "410", "idle production units", "actual", "ISIPO",
               "Mohammad Hosein Karimi", "2019-03-21", "2019-09-21"),
         claim(A4, "500 units", "500", "units", "actual", "ISIPO", "Mohammad Hosein Karimi"),
         claim(A4, "620", "620", "units", "actual", "ISIPO", "Mohammad Hosein Karimi")),
        dates(A4, "2020-03-30"),
        (org(A4, "ISIPO"),),
    )
    e5 = Extraction(
        Article("fx-5", A5, source=SRC, published="2019-11-10"),
        (),
        (claim(A5, "3,000 idle units", "3000", "idle units", "target", "Industry Ministry", "Karimi", None, END_1398),
         claim(A5, "1250 units", "1250", "units", "target", "Industry Ministry", "Karimi", None, END_1398)),
        (),
    )
    e6 = Extraction(
        Article("fx-6", A6, source=SRC, published="2021-05-02"),
        (),
        (claim(A6, "95 idle units", "95", "idle units", "actual", "Karimi", "Karimi", "2021-03-21", None),),
        (),
    )
    return {e.article.id: e for e in (e1, e2, e3, e4, e5, e6)}


def load_articles(path: Path) -> list[dict[str, Any]]:
    """Fixture articles written as JSONL: ``{"case", "id", "source", "published", "text", "officials": [[name,
    title, org]], "claims": [[needle, value, unit, modality, subject, speaker, time_start, time_end]]}``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extraction_of(a: dict[str, Any]) -> Extraction:
    t = a["text"]
    return Extraction(
        Article(a["id"], t, source=a["source"], published=a["published"]),
        tuple(official(t, n, title, o) for n, title, o in a["officials"]),
        tuple(claim(t, needle, value, unit, modality, subject, speaker, ts, te)
              for needle, value, unit, modality, subject, speaker, ts, te in a["claims"]),
        (),
    )
