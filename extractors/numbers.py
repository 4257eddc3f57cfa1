"""Pure number normalisers: digits and number words to ``Decimal``, scale words applied.

Nothing here raises on bad input: malformed text gives ``None``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {
    "hundred": 10**2,
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mil": 10**6,
    "mio": 10**6,
    "billion": 10**9,
    "b": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "tln": 10**12,
    "quadrillion": 10**15,
}
NUMBER_WORDS = (
    frozenset(UNITS)
    | frozenset(TENS)
    | {"hundred", "thousand", "million", "billion", "trillion", "quadrillion", "dozen"}
)

_DIGITS_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
_WORD_SPLIT_RE = re.compile(r"[\s-]+")


def scale_factor(word: str) -> int | None:
    """The multiplier of a scale word or abbreviation ("million", "bn", "K"), else None."""
    w = word.strip().lower().rstrip(".")
    if w.endswith("s") and w[:-1] in SCALES and len(w) > 3:  # "millions"
        w = w[:-1]
    return SCALES.get(w)


def normalise(value: Decimal) -> Decimal:
    """Drop a trailing fractional zero tail without going to exponent notation ("1200.0" -> 1200)."""
    with localcontext() as ctx:
        ctx.prec = 80
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def _parse_words(words: list[str]) -> Decimal | None:
    total = 0
    current = 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w == "a" and not seen:
            current = 1
            seen = True
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES and SCALES[w] >= 1000 and len(w) > 3:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    return Decimal(total + current)


def parse_number(text: str) -> Decimal | None:
    """Parse "1,726", "1.2", ".5", "-3", "fifteen", "one hundred and twenty", "a million", "2.61m".

    Returns None for anything that is not one number (never raises).
    """
    if not isinstance(text, str):
        return None
    t = text.strip().replace("\u2212", "-").replace("\u2009", "").replace("\u00a0", " ")
    if not t or len(t) > 200:
        return None
    m = re.fullmatch(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)\s*([A-Za-z]+)?", t)
    if m and any(ch.isdigit() for ch in m.group(1)):
        if len(m.group(1)) > 40:
            return None
        num, scale = m.group(1), m.group(2)
        try:
            value = Decimal(num.replace(",", ""))
        except InvalidOperation:
            return None
        if scale:
            f = scale_factor(scale)
            if f is None:
                return None
            value *= f
        return normalise(value)
    words = [w for w in _WORD_SPLIT_RE.split(t.lower()) if w]
    if not words:
        return None
    return _parse_words(words)
