"""Consistency checks within one article. Pure functions: article text + claim rows in, flag dicts out.

- ``check.conversion_rate``: "X rials (about $Y)" must imply a rate within ±5 % of a rate in force on the
  article's date (data/irr_usd_rates.jsonl, each with its source).
- ``check.gregorian_gloss``: a Gregorian gloss in brackets after an Iranian-calendar expression must equal
  the exact date computed with convertdate.persian.
- ``check.parts_exceed_total``: "of which" / "of the mentioned N" / "N of them" parts bigger than their total.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.crossref import periods

DATA = Path(__file__).resolve().parent / "data"
RATE_TOLERANCE = Decimal("0.05")
MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9


@lru_cache(maxsize=1)
def rates() -> tuple[dict[str, Any], ...]:
    with open(DATA / "irr_usd_rates.jsonl", encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


def applicable_rates(day: dt.date) -> list[dict[str, Any]]:
    out = []
    for r in rates():
        start = dt.date.fromisoformat(r["start"]) if r.get("start") else dt.date.min
        end = dt.date.fromisoformat(r["end"]) if r.get("end") else dt.date.max
        if start <= day <= end:
            out.append(r)
    return out


def _flag(kind: str, rule: str, reason: str, claim_id: str | None, evidence: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "rule": rule, "reason": reason, "claim_id": claim_id, "evidence": evidence}


# --- currency conversions ---------------------------------------------------------------------------------
_PAREN_GAP = re.compile(r"^\s*[(\[]\s*(?:about|around|approximately|nearly|some|roughly|almost|close to|over|"
                        r"more than|or|equal to|worth)?\s*$", re.I)


def conversion_pairs(text: str, claims: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(IRR claim, USD claim) pairs: linked by ``equivalent_of``, or a parenthesis right after the amount."""
    by_id = {c["id"]: c for c in claims}
    pairs = []
    seen = set()
    for c in claims:
        other = by_id.get(c.get("equivalent_of") or "")
        if other is not None:
            pairs.append((other, c))
            seen.add((other["id"], c["id"]))
    money = sorted((c for c in claims if c.get("type") == "money"), key=lambda c: c["start"])
    for a, b in zip(money, money[1:], strict=False):
        if (a["id"], b["id"]) in seen or a.get("unit") == b.get("unit"):
            continue
        if b["start"] >= a["end"] and _PAREN_GAP.match(text[a["end"] : b["start"]]):
            pairs.append((a, b))
    out = []
    for a, b in pairs:
        units = {a.get("unit"), b.get("unit")}
        if units == {"IRR", "USD"}:
            irr, usd = (a, b) if a.get("unit") == "IRR" else (b, a)
            out.append((irr, usd))
    return out


def check_conversions(text: str, published: str | None, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flag each IRR/USD conversion whose implied rate is not within ±5 % of a rate in force on the article's
    date (``check.conversion_rate``). A conversion that cannot be checked -- no publication date, or a date
    outside every listed period -- is reported as such (``check.conversion_not_checked``), never passed."""
    flags = []
    day = periods.iso_day(published)
    for irr, usd in conversion_pairs(text, claims):
        usd_v = Decimal(usd["value_decimal"])
        if usd_v == 0:
            continue
        implied = Decimal(irr["value_decimal"]) / usd_v
        said = f"\"{irr['text']}\" = \"{usd['text']}\" implies {implied:,.0f} IRR/USD"
        base_ev = {"implied_rate": str(implied.quantize(Decimal(1))), "irr_claim": irr["id"], "usd_claim": usd["id"]}
        if day is None:
            flags.append(_flag("conversion", "check.conversion_not_checked",
                               f"not checked (no publication date): {said}", usd["id"], base_ev))
            continue
        rs = applicable_rates(day)
        if not rs:
            flags.append(_flag("conversion", "check.conversion_not_checked",
                               f"not checked (no rate for period): {said}; no listed IRR/USD rate covers "
                               f"{day.isoformat()}", usd["id"], dict(base_ev, rates=[])))
            continue
        ok = [r for r in rs if abs(implied - Decimal(r["rate"])) <= RATE_TOLERANCE * Decimal(r["rate"])]
        if ok:
            continue
        listing = ", ".join(f"{r['kind']} {r['rate']:,} ({r['id']})" for r in rs)
        reason = f"{said}; rates in force on {day.isoformat()}: {listing}; none within ±5 %"
        ev = dict(base_ev, rates=[r["id"] for r in rs], sources={r["id"]: r["source"] for r in rs})
        flags.append(_flag("conversion", "check.conversion_rate", reason, usd["id"], ev))
    return flags


# --- Gregorian glosses of Iranian dates -------------------------------------------------------------------
_GLOSS = re.compile(r"[(\[]([^()\[\]]{0,80}?)[)\]]")
_GDATE = re.compile(
    r"\b(?P<m1>[A-Z][a-z]{2,8})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:\s*(?:-|–|to|until)\s*(?:(?P<m2>[A-Z][a-z]{2,8})\.?\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s*(?P<y>(?:19|20)\d\d))?"
)
_IRANIAN = re.compile(
    r"(?P<part>end of|beginning of|start of|first half of|second half of|first (?P<n>\w+) months of|"
    r"last (?P<ln>\w+) months of)?\s*(?:the\s+)?(?P<rel>current|past|last|previous|next|coming|this)?\s*"
    r"(?:Iranian\s+)?(?:calendar\s+|fiscal\s+)?year(?:\s+(?P<yr>1[34]\d\d))?\s*$",
    re.I,
)
_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11}


def _num(word: str | None) -> int | None:
    if not word:
        return None
    return int(word) if word.isdigit() else _NUM.get(word.lower())


def _iranian_referent(before: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """Exact (start, end, description) of the Iranian-calendar expression ending ``before``."""
    tail = before[-120:]
    if "iranian" not in tail.lower() and "calendar" not in tail.lower() and not re.search(r"1[34]\d\d", tail):
        return None
    m = _IRANIAN.search(tail)
    if not m or not m.group(0).strip():
        return None
    py = periods.to_persian(published)[0]
    rel = (m.group("rel") or "").lower()
    if m.group("yr"):
        y = int(m.group("yr"))
    elif rel in {"past", "last", "previous"}:
        y = py - 1
    elif rel in {"next", "coming"}:
        y = py + 1
    elif rel in {"current", "this"}:
        y = py
    else:
        return None
    ys, ye = periods.year_bounds(y)
    part = (m.group("part") or "").lower()
    if part.startswith("end of"):
        return ye, ye, f"the last day of {y}"
    if part.startswith(("beginning of", "start of")):
        return ys, ys, f"the first day of {y}"
    if part.startswith("first half"):
        s, e = periods.months_bounds(y, 1, 6)
        return s, e, f"the first half of {y}"
    if part.startswith("second half"):
        s, e = periods.months_bounds(y, 7, 12)
        return s, e, f"the second half of {y}"
    if part.startswith("first"):
        n = _num(m.group("n"))
        if n:
            s, e = periods.months_bounds(y, 1, n)
            return s, e, f"the first {n} months of {y}"
        return None
    if part.startswith("last"):
        n = _num(m.group("ln"))
        if n:
            s, e = periods.months_bounds(y, 13 - n, 12)
            return s, e, f"the last {n} months of {y}"
        return None
    return ys, ye, f"Iranian year {y}"


def _gloss_dates(inner: str, near: dt.date) -> tuple[dt.date | None, dt.date | None, str] | None:
    m = _GDATE.search(inner)
    if not m or m.group("m1").lower() not in MONTHS:
        return None
    year = int(m.group("y")) if m.group("y") else None
    m1 = MONTHS[m.group("m1").lower()]
    d1 = int(m.group("d1"))

    def mk(mo: int, d: int) -> dt.date | None:
        cands = [year] if year else [near.year - 1, near.year, near.year + 1]
        best = None
        for y in cands:
            try:
                c = dt.date(y, mo, d)
            except ValueError:
                continue
            if best is None or abs((c - near).days) < abs((best - near).days):
                best = c
        return best

    if m.group("d2"):
        m2 = MONTHS.get((m.group("m2") or m.group("m1")).lower(), m1)
        end = mk(m2, int(m.group("d2")))
        start = mk(m1, d1)
        if start and end and start > end and not m.group("m2"):
            return None
        if start and end and start > end:
            start = dt.date(start.year - 1, start.month, start.day)
        return start, end, "range"
    low = inner.lower()
    kind = "end" if re.search(r"\b(ends?|ended|ending|until|through)\b", low) else (
        "start" if re.search(r"\b(starts?|started|began|begins|from|since)\b", low) else "day")
    d = mk(m1, d1)
    return (d, d, kind)


def check_glosses(text: str, published: str | None, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pub = periods.iso_day(published)
    if pub is None:
        return []
    flags = []
    for g in _GLOSS.finditer(text):
        ref = _iranian_referent(text[: g.start()], pub)
        if ref is None:
            continue
        rs, re_, desc = ref
        parsed = _gloss_dates(g.group(1), rs)
        if parsed is None:
            continue
        if parsed[2] in ("end", "range"):  # resolve a year-less gloss near the end it states
            parsed = _gloss_dates(g.group(1), re_) or parsed
        gs, ge, gkind = parsed
        if gkind == "range":
            exp_s, exp_e = rs, re_
        elif gkind == "end":
            exp_s = exp_e = re_
            gs = ge
        elif gkind == "start" or rs == re_:
            exp_s = exp_e = rs
        else:  # a single day glossing a whole year: the journalist means its first day
            exp_s = exp_e = rs
        if (gs, ge) == (exp_s, exp_e):
            continue
        said = g.group(0)
        exact = exp_s.isoformat() if exp_s == exp_e else f"{exp_s.isoformat()}..{exp_e.isoformat()}"
        glossed = (gs.isoformat() if gs == ge else f"{gs}..{ge}") if gs and ge else said
        reason = (f"gloss {said} says {glossed} but {desc} is {exact} by exact Iranian calendar arithmetic")
        ev = {"gloss": said, "gloss_start": g.start(), "gloss_end": g.end(), "glossed": glossed, "exact": exact,
              "referent": desc}
        sent_claims = [c for c in claims if c["sentence_start"] <= g.start() < c["sentence_end"]]
        if not sent_claims:
            flags.append(_flag("gloss", "check.gregorian_gloss", reason, None, ev))
        for c in sent_claims:
            flags.append(_flag("gloss", "check.gregorian_gloss", reason, c["id"], ev))
    return flags


# --- parts exceeding their total --------------------------------------------------------------------------
_OF_WHICH = re.compile(r"(?:of which|of whom|among which|among them|of these|of those|including)\s*(?:about|some|"
                       r"nearly|over|more than)?\s*$", re.I)
_OF_THE = re.compile(r"\bof the (?:mentioned |said |above |aforementioned )?$", re.I)
_OF_THEM = re.compile(r"^\s*(?:of them|of these|of those|of which|of the units|of the total)\b", re.I)


def _comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("type") != b.get("type") or a.get("type") not in {"count", "money"}:
        return False
    return a.get("type") == "count" or a.get("unit") == b.get("unit")


def part_of_pairs(text: str, claims: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """(total, part, rule) for parts stated with "of which", "Of the (mentioned) N ..., M" or "M of them"."""
    cs = sorted(claims, key=lambda c: c["start"])
    out = []
    for i, part in enumerate(cs):
        prev = [c for c in cs[:i] if _comparable(c, part)]
        if not prev:
            continue
        before = text[max(0, part["start"] - 40) : part["start"]]
        after = text[part["end"] : part["end"] + 20]
        total = prev[-1]
        if _OF_WHICH.search(before) and total["sentence_start"] == part["sentence_start"]:
            out.append((total, part, "parts.of_which"))
        elif _OF_THEM.match(after) and part["start"] - total["end"] < 300:
            out.append((total, part, "parts.of_them"))
        elif _OF_THE.search(text[max(0, total["start"] - 30) : total["start"]]) and part["start"] - total["end"] < 60:
            out.append((total, part, "parts.of_the_n"))
    return out


def check_parts(text: str, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flags = []
    sums: dict[str, list[tuple[dict[str, Any], str]]] = {}
    totals: dict[str, dict[str, Any]] = {}
    for total, part, rule in part_of_pairs(text, claims):
        sums.setdefault(total["id"], []).append((part, rule))
        totals[total["id"]] = total
    for tid, parts in sums.items():
        total = totals[tid]
        tv = Decimal(total["value_decimal"])
        for part, rule in parts:
            if Decimal(part["value_decimal"]) > tv:
                reason = (f"part \"{part['text']}\" ({part['value_decimal']}) exceeds its total "
                          f"\"{total['text']}\" ({tv})")
                flags.append(_flag("parts", "check.parts_exceed_total", reason, part["id"],
                                   {"total_claim": tid, "relation": rule}))
        direct = [p for p, r in parts if r == "parts.of_which"]
        s = sum((Decimal(p["value_decimal"]) for p in direct), Decimal(0))
        if len(direct) > 1 and s > tv:
            reason = (f"parts {' + '.join(p['text'] for p in direct)} = {s} exceed their total "
                      f"\"{total['text']}\" ({tv})")
            flags.append(_flag("parts", "check.parts_sum_exceeds_total", reason, tid,
                               {"parts": [p["id"] for p in direct]}))
    return flags


def check_article(text: str, published: str | None, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return (check_conversions(text, published, claims) + check_glosses(text, published, claims)
            + check_parts(text, claims))
