"""Numbers and scales: digits and number words found in the text, scale words and suffixes ("2.6bn",
"three million"), fractions and vague amounts ("dozens"), year-like numbers."""

from __future__ import annotations

import re
from decimal import Decimal

from extractors.numbers import UNITS, normalise, parse_number, scale_factor
from extractors.quantities.lexicons import cue, mapping, pattern_data
from extractors.quantities.model import Candidate

_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|quadrillion|dozen)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?![.,]?\d)|\.\d+(?!\d)"
NUM_RE = re.compile(
    r"(?P<d>(?<![\d.,])(?:" + _DIGITS + r"))"
    r"|(?P<w>\b(?:a\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    + _NUMWORD
    + r"(?:(?:[\s-]+|\s+and\s+)"
    + _NUMWORD
    + r")*\b)",
    re.I,
)
_SCALE_RE = re.compile(
    r"(?:[ \u00a0-]?(?P<w>hundred|thousand|million|billion|trillion|quadrillion)s?\b"
    r"|[ \u00a0]?(?P<a>bn|mn|mln|bln|tn|trn|tln)\b"
    r"|(?P<g>[kKmMbB]|mil)(?![A-Za-z0-9])"
    r"|[ \u00a0](?P<s>M|B|K)(?![A-Za-z0-9]))"
)
VAGUE: dict[str, list[str]] = mapping("quantity.map.vague")
_FRACTION_WORDS: dict[str, int] = mapping("quantity.map.fraction_words")
_SMALL = {"a": 1, **{w: n for w, n in UNITS.items() if 1 <= n <= 10}}  # "a third", "two fifths"


def scale_at(text: str, pos: int, has_currency: bool) -> tuple[int, int] | None:
    m = _SCALE_RE.match(text, pos)
    if not m:
        return None
    tok = m.group("w") or m.group("a") or m.group("g") or m.group("s")
    if m.group("g"):
        if tok in ("k", "K"):
            return m.end(), 1000
        if tok == "mil":
            return m.end(), 10**6
        # "35m of", "12.3m tonnes", "$13.6M": million; "37m (121ft)", "800m." : metres / bytes
        nxt = text[m.end() : m.end() + 2]
        if has_currency or (nxt[:1] == " " and nxt[1:2].isalpha()):
            return m.end(), 10**9 if tok in "bB" else 10**6
        return None
    f = scale_factor(tok)
    return (m.end(), f) if f else None


def is_year_like(c: Candidate, text: str) -> bool:
    s = text[c.num_start : c.num_end]
    return not c.is_word and len(s) == 4 and s.isdigit() and 1300 <= int(s) <= 2150 and c.value_max is None


def fraction_value(frag: str) -> Decimal | None:
    m = re.match(r"(\d+)\s?[/⁄]\s?(\d+)$", frag)
    if m:
        den = int(m.group(2))
        return normalise(Decimal(m.group(1)) / den) if den else None
    words = re.split(r"[\s-]+", frag)
    if "of" in words:  # "one out of three"
        num: int | None = _SMALL.get(words[0]) or (int(words[0]) if words[0].isdigit() else None)
        den_w = words[-1]
        dn: int | None = _SMALL.get(den_w) or (int(den_w) if den_w.isdigit() else None)
        if num and dn:
            return (Decimal(num) / Decimal(dn)).quantize(Decimal("0.0001"))
        return None
    if len(words) == 2 and words[0] in _SMALL and words[1] in _FRACTION_WORDS:
        return (Decimal(_SMALL[words[0]]) / Decimal(_FRACTION_WORDS[words[1]])).quantize(Decimal("0.0001"))
    return None


def numbers(text: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
    data = pattern_data()
    out: list[Candidate] = []
    for m in NUM_RE.finditer(text):
        s, e = m.span()
        if any(bs <= s < be for bs, be in blocked):
            continue
        if m.group("w"):
            words = m.group("w")
            low = words.lower()
            first = re.split(r"[\s-]+", low)[0]
            if first in ("dozen", "hundred", "thousand", "million", "billion", "trillion", "quadrillion"):
                continue  # "thousands of", "hundred people" without a count word: not a number
            if low.startswith("a ") and low.split()[-1] == "dozen":
                continue
            if s > 0 and text[s - 1] == "-" and s > 1 and text[s - 2].isalpha():
                continue  # "production-four-door"
            value = parse_number(low)
            if value is None:
                continue
            hm = _AND_HALF_RE.match(text, e)
            if hm:  # "two and a half million people"
                value, e = value + Decimal("0.5"), hm.end()
            out.append(Candidate(s, e, s, e, value, is_word=True))
            continue
        ds = m.group("d")
        value = parse_number(ds)
        if value is None:
            continue
        # a number glued to a preceding letter or hyphenated code ("G20", "COVID-19") is an identifier,
        # unless what precedes is a currency prefix ("RM79", "US$58", "PS2.7m")
        before = text[max(0, s - 12) : s]
        pm = data.currency_prefix_re.search(before)
        if not pm and s > 0 and (text[s - 1].isalpha() or text[s - 1] in "_"):
            continue
        sci = _SCI_RE.match(text, e)
        if sci:  # "2.998×10−8": scientific notation, read literally
            exp = int(sci.group("e"))
            value = normalise(value * (Decimal(10) ** (-exp if sci.group("neg") else exp)))
            e = sci.end()
        out.append(Candidate(s, e, s, e, value))
    return out


_AND_HALF_RE = cue("quantity.cue.and_a_half")
_SCI_RE = re.compile(r"\s?[×x]\s?10\s?(?:\^\s?)?(?P<neg>[−-])?\s?(?P<e>\d{1,3})(?!\d)")
