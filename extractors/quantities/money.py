"""Money: a currency written before the amount ("$7b", "US$58", "RM79", "USD 5", "$-50.8bn") or after it
("7 billion rials"), the currency's factor (amounts in thousands), and the rate after a price ("$70 a
barrel", "per share"). The currencies are ``patterns/currencies.jsonl``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from extractors.numbers import normalise
from extractors.quantities.lexicons import pattern_data
from extractors.quantities.model import Candidate


def currency_before(text: str, left: int) -> tuple[dict[str, Any] | None, int, str]:
    """The currency written before the number that starts at ``left``: (its entry or None, where the figure
    now starts, "-" when a minus stands between symbol and digits ("$-50.8bn"), else "")."""
    data = pattern_data()
    currency: dict[str, Any] | None = None
    inner_sign = ""
    if left > 1 and text[left - 1] in "-−" and not text[left - 2].isspace() and not text[left - 2].isalnum():
        inner_sign, left = "-", left - 1  # "$-50.8bn"
    pm = data.currency_prefix_re.search(text[max(0, left - 12) : left])
    if pm:
        form = pm.group("f")
        if form in ("PS", "Y=") and pm.end() != pm.endpos and text[left - 1] == " ":
            pm = None
        elif form.isalpha() and len(form) <= 3 and text[left - 1] == " " and form not in ("RM", "Rs", "Rp"):
            # "USD 5" yes, "in 5" no: letters before a blank must be a code in upper case
            if not form.isupper():
                pm = None
    if pm:
        currency = data.currency_prefix[pm.group("f")]
        left = left - (len(pm.group(0)))
    elif inner_sign:
        inner_sign, left = "", left + 1
    return currency, left, inner_sign


def money_after_prefix(text: str, c: Candidate, pos: int, currency: dict[str, Any]) -> None:
    """``c`` is money in the currency written before it; its span goes on over "US" and a rate."""
    c.kind, c.unit, c.rule_id = "money", currency["code"], currency["id"] + ".prefix"
    if currency.get("factor"):
        c.value = normalise(c.value * Decimal(currency["factor"]))
    # "$76 US", "US $500 US"
    sm = re.match(r"[ \u00a0](?:US|U\.S\.)(?![A-Za-z])", text[pos:])
    if sm:
        pos += sm.end()
    # named dollar after a "$" amount: "$5 Canadian"
    c.end = rate_tail(text, pos, money=True)


def money_after_suffix(text: str, c: Candidate, end: int, entry: dict[str, Any]) -> int:
    """``c`` is money in the currency written after it (ending at ``end``); the end of its span, rate included."""
    c.kind, c.unit, c.rule_id = "money", entry["code"], entry["id"] + ".suffix"
    if entry.get("factor"):
        c.value = normalise(c.value * Decimal(entry["factor"]))
    return rate_tail(text, end, money=True)


def rate_tail(text: str, pos: int, money: bool) -> int:
    """Swallow a rate denominator ("a barrel", "per share", "a year") into the span text."""
    m = re.match(
        r"(?:[ \u00a0]?(?:/|per|a|an|each)[ \u00a0-]?(?:square\s+(?:foot|feet|meter|metre)|sq\.?\s?(?:m|ft)|"
        r"barrel|share|ounce|gallon|litre|liter|gram|kilogram|kg|ton|tonne|person|capita|head|day|night|week|"
        r"month|year|annum|hour|unit|game|mmBTU|mmbtu|MWh|kWh|kilowatt-hour|household|employee|student)s?\b"
        r"|-a-year\b)(?![ \u00a0-]*(?:earlier|ago|later|before|after|back)\b)",
        text[pos:],
    )
    return pos + m.end() if m else pos
