"""Consistency checks within one article. Pure functions: article text + claim rows in, flag dicts out.

- ``check.conversion_rate``: "X rials (about $Y)" must imply a rate within ±5 % of a rate in force on the
  article's date (data/irr_usd_rates.jsonl, each with its source).
- ``check.gregorian_gloss``: a Gregorian gloss of an Iranian-calendar date mention (merged into it by the
  dates extractor, its bounds stored beside the exact ones) must give the exact dates.
- ``check.parts_exceed_total``: "of which" / "of the mentioned N" / "N of them" parts bigger than their total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.jsonl import read_jsonl
from pipeline.crossref import periods

DATA = Path(__file__).resolve().parent / "data"
RATE_TOLERANCE = Decimal("0.05")


@lru_cache(maxsize=1)
def rates() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl(DATA / "irr_usd_rates.jsonl"))


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
def _as_written(text: str, start: int, end: int) -> tuple[int, int]:
    """The gloss's offsets with its brackets, when the article puts it in brackets."""
    if 0 < start and end < len(text) and text[start - 1] + text[end] in ("()", "[]"):
        return start - 1, end + 1
    return start, end


def _precision(gs: dt.date, ge: dt.date) -> str:
    """What a gloss names: whole Gregorian years ("(2025-2026)"), whole months ("(March 2019-March 2020)") or
    days."""
    if (gs.month, gs.day, ge.month, ge.day) == (1, 1, 12, 31):
        return "year"
    if gs.day == 1 and (ge + dt.timedelta(days=1)).day == 1:
        return "month"
    return "day"


def _same(g: dt.date, exact: dt.date, precision: str) -> bool:
    if precision == "year":
        return g.year == exact.year
    if precision == "month":
        return (g.year, g.month) == (exact.year, exact.month)
    return g == exact


def _compared(gs: dt.date, ge: dt.date, s: dt.date, e: dt.date) -> tuple[dt.date, dt.date, bool]:
    """The exact bounds a gloss restates, and whether it agrees with them at its own precision (days, whole
    months or whole years).

    - A gloss within one month (a day, a month, part of one) names a day: the span's own day, or on a longer
      span the bound it is nearer to ("(ended on March 20, 2019)" after a year names its last day, "(March 21,
      2019)" its first); it agrees when that day is in it ("the end of 1400 (March 2022)").
    - A range glossing one day names the period that day bounds ("the end of Shahrivar (August 23-September
      22)"): it agrees when the day is one of its ends.
    - Otherwise the gloss restates the whole span.
    """
    precision = _precision(gs, ge)
    if (gs.year, gs.month) == (ge.year, ge.month) and precision != "year":
        b = s if s == e or abs((gs - s).days) <= abs((ge - e).days) else e
        return b, b, gs <= b <= ge
    if s == e and gs != ge:
        return s, e, s in (gs, ge)
    return s, e, _same(gs, s, precision) and _same(ge, e, precision)


def check_glosses(text: str, claims: list[dict[str, Any]], dates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flag each Gregorian gloss of an Iranian-calendar date mention that disagrees with the exact dates
    (``check.gregorian_gloss``). The dates extractor merged the gloss into the mention and kept its bounds
    (``gloss_start_date``/``gloss_end_date``) beside the exact ones (``start_date``/``end_date``)."""
    flags = []
    for d in dates:
        if d.get("calendar") != "persian" or not d.get("gloss_text"):
            continue
        s, e = periods.iso_day(d.get("start_date")), periods.iso_day(d.get("end_date"))
        gs, ge = periods.iso_day(d.get("gloss_start_date")), periods.iso_day(d.get("gloss_end_date"))
        if s is None or e is None or gs is None or ge is None:
            continue
        exp_s, exp_e, agrees = _compared(gs, ge, s, e)
        if agrees:
            continue
        mention = text[d["start"] : d["end"]]
        at = mention.rfind(d["gloss_text"])
        g0, g1 = (d["start"] + at, d["start"] + at + len(d["gloss_text"])) if at >= 0 else (d["start"], d["end"])
        g0, g1 = _as_written(text, g0, g1)
        said = text[g0:g1]
        referent = text[d["start"] : g0].rstrip(" ,([") if g0 > d["start"] else mention
        exact = exp_s.isoformat() if exp_s == exp_e else f"{exp_s.isoformat()}..{exp_e.isoformat()}"
        glossed = gs.isoformat() if gs == ge else f"{gs.isoformat()}..{ge.isoformat()}"
        which = "" if (exp_s, exp_e) == (s, e) else ("the first day of " if exp_s == s else "the last day of ")
        reason = (f"gloss {said} says {glossed} but {which}{referent} is {exact} by exact Iranian calendar "
                  "arithmetic")
        ev = {"gloss": said, "gloss_start": g0, "gloss_end": g1, "glossed": glossed, "exact": exact,
              "referent": f"{which}{referent}", "date_rule": d.get("rule_id")}
        sent_claims = [c for c in claims if c["sentence_start"] <= g0 < c["sentence_end"]]
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


def check_article(text: str, published: str | None, claims: list[dict[str, Any]],
                  dates: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Every flag of one article: its text, publication date, claim rows and glossed date rows."""
    return (check_conversions(text, published, claims) + check_glosses(text, claims, list(dates))
            + check_parts(text, claims))
