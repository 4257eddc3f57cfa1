"""What a number carries: sign, scale, and the unit after it, the longest of a percent sign, a currency, a time
unit or a unit of measure with its rate ("8%", "7 billion rials", "six months", "50,000 barrels per day");
a currency before it is ``money.py``'s. Then the approximation and direction cues (``changes.py``)."""

from __future__ import annotations

import re
from typing import Any

from extractors.numbers import normalise
from extractors.quantities.changes import cues
from extractors.quantities.lexicons import STOP, cue, mapping, pattern_data
from extractors.quantities.model import Candidate
from extractors.quantities.money import currency_before, money_after_prefix, money_after_suffix
from extractors.quantities.numerals import scale_at
from extractors.quantities.text import inside_quote


def attach(text: str, c: Candidate) -> None:
    """Extend a bare number with currency prefix, sign, scale, unit, approx and direction cues."""
    # --- left: currency prefix and sign
    currency, left, inner_sign = currency_before(text, c.num_start)
    sign_m = re.search(r"(?:^|(?<=[\s(,|]))(minus[\s-]?|[-−+])$", text[max(0, left - 7) : left], re.I)
    sign = inner_sign
    if sign_m and not sign:
        sign = sign_m.group(1).strip().lower()
        left -= len(sign_m.group(1))
    if sign.startswith("minus") or sign == "−":
        sign = "-"
    c.sign = sign
    # --- right: scale
    pos = c.num_end
    value = c.value
    for _ in range(2):  # "4 hundred million"
        sc = scale_at(text, pos, currency is not None)
        if not sc:
            break
        pos, factor = sc
        value = normalise(value * factor)
    # "$-50.8bn": sign after the currency symbol
    if sign == "-":
        value = -value
    c.value = value
    c.start = left
    c.end = pos
    # --- unit after the number
    if currency is not None:
        money_after_prefix(text, c, pos, currency)
    else:
        _suffix_unit(text, c, pos)
    cues(text, c, sign)


def _suffix_unit(text: str, c: Candidate, pos: int) -> None:
    data = pattern_data()
    best: tuple[int, dict[str, Any], str, str] | None = None
    for kind, lex in (
        ("percent", data.percent),
        ("money", data.currency_suffix),
        ("time", data.time_units),
        ("quantity", data.units),
    ):
        hit = lex.match(text, pos)
        if hit and (best is None or hit[0] > best[0]):
            best = (hit[0], hit[1], hit[2], kind)
    if best is None and c.value_max is None:
        pm = _PERIOD_MODIFIER_RE.match(text, pos)  # "two fiscal years", "six working days": still durations
        hit = data.time_units.match(text, pm.end()) if pm else None
        if hit and hit[1]["kind"] == "duration":
            best = (hit[0], hit[1], hit[2], "time")
    if best is None:
        c.end = pos
        return
    end, entry, form, kind = best
    if kind == "money" and form.lower() in ("won", "real", "rand", "sen", "lari") and c.is_word:
        c.end = pos
        return
    if form == '"' and (c.is_word or inside_quote(text, c.start)):
        c.end = pos  # 'a "phase one" deal', '"the big 5"': a closing quotation mark, not inches
        return
    if kind == "percent":
        c.kind, c.unit, c.rule_id = "percent", entry["unit"], entry["id"]
        m = re.match(r"-(?:owned|held|controlled)\b", text[end:])
        if m:
            end += m.end()
    elif kind == "money":
        end = money_after_suffix(text, c, end, entry)
    elif kind == "time":
        c.kind, c.unit, c.rule_id = entry["kind"], entry["unit"], entry["id"]
    else:
        c.kind, c.unit, c.rule_id = "quantity", entry["unit"], entry["id"]
        end = _quantity_rate(text, end, c)
    c.end = end


_PERIOD_MODIFIER_RE = cue("quantity.cue.period_modifier")

DENOM: dict[str, str] = mapping("quantity.map.rate_denominators")


def _quantity_rate(text: str, end: int, c: Candidate) -> int:
    # "1.5 million barrels of oil sales per day": a short "of" phrase may stand between unit and rate
    om = re.match(r"[ \u00a0]+of(?:[ \u00a0]+[a-z][a-z-]*){1,3}(?=[ \u00a0]+(?:per|a|an)[ \u00a0-])", text[end:])
    if om and not any(w in STOP for w in om.group(0).split()[1:]):
        rated = _quantity_rate(text, end + om.end(), c)
        return rated if rated > end + om.end() else end
    m = re.match(
        # "/d", "per h" (abbreviations after a slash or "per"); "a day", "an hour" (words after a blank)
        r"(?:[ \u00a0]?(?:/|per)[ \u00a0-]?(?P<d>day|days|year|annum|month|week|hour|h|hr|second|s|minute|min|"
        r"capita|person|game|century|gallon)\b"
        r"|[ \u00a0](?:a|an)[ \u00a0-](?P<d2>day|year|month|week|hour|second|minute|person|game|century|gallon)\b"
        r"|[ \u00a0](?P<ann>annually|a year|per year|yearly)\b)"
        # "33.63 million barrels a year earlier": a comparison base's time, not a rate
        r"(?![ \u00a0-]*(?:earlier|ago|later|before|after|back)\b)",
        text[end:],
    )
    if not m:
        return end
    if m.group("ann"):
        return end  # "tons annually" -> "ton" (the period is the claim's time, not the unit)
    d = DENOM[(m.group("d") or m.group("d2")).lower()]
    if c.unit and " per " not in c.unit:
        c.unit = f"{c.unit} per {d}"
        return end + m.end()
    return end
