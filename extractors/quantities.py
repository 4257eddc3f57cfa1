"""The quantity layer: every number in a sentence, classified and normalised.

``find_quantities(text)`` returns one :class:`Quantity` per numeric expression: money, percentages,
physical quantities and counts (the claim kinds), and also the numbers that are *not* claims, each with
its own kind (year, date_part, duration, age, ordinal, identifier, other), so that callers can see why a
number was not taken. Pure Python: regular expressions and lexicons kept as JSONL data under
``extractors/patterns/``; every output carries the ``rule_id`` that produced it.

``quantities_json(line)`` gives the ``newsclaims quantities`` tool format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.doctext import doc_text
from extractors.numbers import NUMBER_WORDS, UNITS, normalize, parse_number, scale_factor

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

PATTERNS = Path(__file__).parent / "patterns"
CLAIM_KINDS = ("count", "money", "percent", "quantity")
#: kinds reported by the ``newsclaims quantities`` tool (years, dates and identifiers are not quantities)
TOOL_KINDS = ("count", "money", "percent", "quantity", "duration", "age", "other")


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: Decimal
    value_max: Decimal | None
    unit: str | None
    approx: str
    direction: str | None
    kind: str
    rule_id: str
    num_start: int
    num_end: int
    paren_equivalent_of: int | None = None
    #: a signed change ("-5.44%", "+12.99"): ``value`` is the magnitude and ``direction`` the sign
    signed_change: bool = False


# ----------------------------------------------------------------------------------------------- data


def _load(name: str) -> list[dict[str, Any]]:
    rows = []
    with open(PATTERNS / name, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _alt(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@dataclass(frozen=True)
class _Lex:
    """A lexicon of surface forms after a number: case-insensitive words and case-sensitive abbreviations."""

    words_re: re.Pattern[str] | None
    abbr_re: re.Pattern[str] | None
    words: dict[str, dict[str, Any]]
    abbr: dict[str, dict[str, Any]]

    def match(self, text: str, pos: int) -> tuple[int, dict[str, Any], str] | None:
        """Longest form starting at ``pos`` (after optional blank): (end, entry, form)."""
        best: tuple[int, dict[str, Any], str] | None = None
        for rx, table, ci in ((self.words_re, self.words, True), (self.abbr_re, self.abbr, False)):
            if rx is None:
                continue
            m = rx.match(text, pos)
            if not m:
                continue
            form = m.group("f")
            attached = m.start("f") == pos
            if not ci and len(form) == 1 and form.isalpha() and not attached:
                # single-letter abbreviations only when attached ("37m") or capital and standalone ("5 W")
                if not form.isupper():
                    continue
            entry = table.get(form.lower() if ci else form) or table.get(form.lower().replace("-", " "))
            if entry is None:
                continue
            if best is None or m.end() > best[0]:
                best = (m.end(), entry, form)
        return best


def _lex(entries: list[dict[str, Any]], word_key: str = "words", abbr_key: str = "abbr") -> _Lex:
    words: dict[str, dict[str, Any]] = {}
    abbr: dict[str, dict[str, Any]] = {}
    for e in entries:
        for w in e.get(word_key, []):
            words.setdefault(w.lower(), e)
        for a in e.get(abbr_key, []):
            abbr.setdefault(a, e)
    for w, e in list(words.items()):  # "twenty-foot equivalent units" also as "twenty-foot-equivalent units"
        words.setdefault(w.replace("-", " "), e)
    end = r"(?![A-Za-z0-9])"
    # "cubic meters" also matches "cubic-meter" ("a 100,000-cubic-meter unit")
    walt = _alt(list(words)).replace("\\ ", "[ \\-]")
    wre = (
        re.compile(r"(?:[ \u00a0]|-(?=[A-Za-z]))?(?P<f>" + walt + r")" + end, re.I)
        if words
        else None
    )
    are = (
        re.compile(r"(?:[ \u00a0]|-(?=[A-Za-z]))?(?P<f>" + _alt(list(abbr)) + r")(?![A-Za-z0-9])")
        if abbr
        else None
    )
    return _Lex(wre, are, words, abbr)


@dataclass(frozen=True)
class _Data:
    currency_suffix: _Lex
    currency_prefix_re: re.Pattern[str]
    currency_prefix: dict[str, dict[str, Any]]
    percent: _Lex
    units: _Lex
    time_units: _Lex
    approx_re: re.Pattern[str]
    approx: dict[str, dict[str, Any]]
    dir_before_re: re.Pattern[str]
    dir_before: dict[str, dict[str, Any]]
    dir_after_re: re.Pattern[str]
    dir_after: dict[str, dict[str, Any]]
    rules: list[tuple[dict[str, Any], re.Pattern[str]]]


@lru_cache(maxsize=1)
def _data() -> _Data:
    cur = _load("currencies.jsonl")
    prefix: dict[str, dict[str, Any]] = {}
    for e in cur:
        for p in e.get("prefix", []):
            prefix.setdefault(p, e)
    # a prefix must not be glued to a preceding letter ("PS" in "GPS"), and the number follows it
    prefix_re = re.compile(r"(?:^|(?<=[^A-Za-z]))(?P<f>" + _alt(list(prefix)) + r")[ \u00a0]?$")
    suffix = _lex(cur, "words", "suffix_abbr")
    approx_rows = _load("approx.jsonl")
    approx = {w.lower(): e for e in approx_rows for w in e["words"]}
    approx_re = re.compile(
        r"(?:^|(?<=[^\w-]))(?P<f>" + _alt([w for w in approx if w[-1].isalpha() or w[-1] == "."]) + r")\s+$"
        r"|(?P<s>" + _alt([w for w in approx if not (w[-1].isalpha() or w[-1] == ".")]) + r")\s*$",
        re.I,
    )
    dirs = _load("directions.jsonl")
    before = {w.lower(): e for e in dirs if e["position"] == "before" for w in e["words"] if w[0].isalpha()}
    after = {w.lower(): e for e in dirs if e["position"] == "after" for w in e["words"]}
    before_re = re.compile(
        r"(?:^|(?<=[^\w-]))(?P<f>" + _alt(list(before)) + r")\s+(?:by\s+)?"
        r"(?:(?:an?\s+)?(?:average|total|further|additional|another)\s+(?:of\s+)?)?$",
        re.I,
    )
    after_re = re.compile(r"(?:\s+|-)(?:in\s+\w+\s+)?(?P<f>" + _alt(list(after)) + r")\b(?!\s+(?:than|to)\b)", re.I)
    rules = [(r, re.compile(r["regex"])) for r in _load("quantities.jsonl")]
    return _Data(
        currency_suffix=suffix,
        currency_prefix_re=prefix_re,
        currency_prefix=prefix,
        percent=_lex(_load("percent.jsonl")),
        units=_lex(_load("units.jsonl")),
        time_units=_lex(_load("time_units.jsonl")),
        approx_re=approx_re,
        approx=approx,
        dir_before_re=before_re,
        dir_before=before,
        dir_after_re=after_re,
        dir_after=after,
        rules=rules,
    )


@cache
def _lexicon_rows() -> dict[str, frozenset[str]]:
    return {r["id"].removeprefix("lexicon."): frozenset(r["words"]) for r in _load("lexicon.jsonl")}


def _lexicon(name: str) -> frozenset[str]:
    return _lexicon_rows()[name]


# ------------------------------------------------------------------------------------------- numbers

_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|quadrillion|dozen)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?![.,]?\d)|\.\d+(?!\d)"
_NUM_RE = re.compile(
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
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|to|and|or|/)\s*(?:-?\s*)?", re.I)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-&.]*[A-Za-z]|[A-Za-z]")

_MONTHS = _lexicon("months")
_YEAR_STRONG = _lexicon("year_strong") | _MONTHS
_YEAR_DET = _lexicon("year_determiners")
_TIME_WORDS = _lexicon("time_words") | _MONTHS
_CAP_OK = _lexicon("capitalised_ok")
_STOP = _lexicon("noun_phrase_stop")
_CLASSIFIERS = _lexicon("count_classifiers")
_LEVEL_VERBS = _lexicon("level_verbs")
_VERBISH_SUFFIX = ("ed", "ing", "ly")
_HYPHEN_COUNT_NOUNS = _lexicon("hyphen_count_nouns")
_PRENOMINAL = _lexicon("prenominal_modifiers")
_INVARIANT_PLURALS = _lexicon("invariant_plurals")
_STOCK_INDEXES_RE = re.compile(r"(?<![\w&])(?:" + _alt(list(_lexicon("stock_indexes"))) + r")(?![\w&])", re.I)
_VAGUE = {
    "dozens": ("12", "120"),
    "hundreds": ("100", "1000"),
    "thousands": ("1000", "10000"),
    "millions": ("1000000", "10000000"),
    "billions": ("1000000000", "10000000000"),
    "trillions": ("1000000000000", "10000000000000"),
}
_FRACTION_WORDS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
_SMALL = {"a": 1, **{w: n for w, n in UNITS.items() if 1 <= n <= 10}}  # "a third", "two fifths"


@dataclass
class _Cand:
    start: int
    end: int
    num_start: int
    num_end: int
    value: Decimal
    value_max: Decimal | None = None
    unit: str | None = None
    kind: str = "count"
    rule_id: str = "count.bare"
    approx: str = "="
    direction: str | None = None
    is_word: bool = False
    paren_of: int | None = None
    sign: str = ""  # "+" or "-" as written before the number ("minus" is "-")
    signed_change: bool = False


# ------------------------------------------------------------------------------------------- helpers


def _prev_word(text: str, pos: int) -> tuple[str, int]:
    """The word ending just before ``pos`` (skipping blanks), and its start; ("", pos) if punctuation."""
    i = pos
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’."):
        j -= 1
    return text[j:i], j


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \u00a0]*([A-Za-z][\w'’-]*)", text[pos:])
    return m.group(1) if m else ""


def _scale_at(text: str, pos: int, has_currency: bool) -> tuple[int, int] | None:
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


def _is_year_like(c: _Cand, text: str) -> bool:
    s = text[c.num_start : c.num_end]
    return not c.is_word and len(s) == 4 and s.isdigit() and 1300 <= int(s) <= 2150 and c.value_max is None


# -------------------------------------------------------------------------------------------- engine


def _rule_spans(text: str) -> tuple[list[_Cand], list[tuple[int, int]]]:
    """Apply the regex rules: non-claim numbers (dates, identifiers ...) and fractions/vague amounts."""
    data = _data()
    out: list[_Cand] = []
    blocked: list[tuple[int, int]] = []
    for rule, rx in data.rules:
        for m in rx.finditer(text):
            s, e = (m.start(1), m.end(1)) if rx.groups else (m.start(), m.end())
            if any(bs <= s < be or bs < e <= be for bs, be in blocked):
                continue
            if rule["id"] == "identifier.attached":
                letters = re.match(r"[A-Za-z]*", m.group(0)).group(0)  # type: ignore[union-attr]
                glued = m.group(0)[len(letters) : len(letters) + 1] == "-"
                if letters and (
                    letters in data.currency_prefix
                    or letters.upper() in ("US", "USD")
                    or (glued and letters.lower() in _GLUED_PREFIXES)  # "minus-5", "sub-300", "now-18"
                    or (glued and len(letters) > 3 and scale_factor(letters) is not None)  # "2.5 million-2.7 million"
                ):
                    continue
            if rule["id"] == "ordinal.first_n" and any(
                lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent)
            ):
                continue  # "the first 500 megawatts": an amount, not a rank
            if rule["id"] == "score.hyphen" and any(
                lex.match(text, m.end()) for lex in (data.units, data.currency_suffix, data.percent, data.time_units)
            ):
                continue  # "14-18 mpg", "3-4 tons": a range with its unit, not a score
            if rule["id"] == "compound.word_number" and _hyphen_counts(text, m.start() + m.group(0).index("-")):
                continue  # "a six-acre town", "a three-member board": the number counts or measures
            kind = rule["kind"]
            value: Decimal | None = None
            vmax: Decimal | None = None
            frag = m.group(0).lower()
            if rule.get("vague"):
                if rule.get("omit"):
                    blocked.append((m.start(), m.end()))
                    continue
                words = frag.split()
                lo, hi = _VAGUE.get(words[-1], _VAGUE.get(words[0], ("1", "10")))
                value, vmax = Decimal(lo), Decimal(hi)
                if words[0] in ("tens", "hundreds") and len(words) > 2:
                    base = Decimal(_VAGUE[words[-1]][0])
                    mult = Decimal(10 if words[0] == "tens" else 100)
                    value, vmax = base * mult, base * mult * 10
            elif rule.get("fraction"):
                value = _fraction_value(frag)
            elif rule.get("multiplier"):
                mult_words = re.sub(r"(?:[\s-]?(?:folds?|times)|(?<=\d)x)$", "", frag).strip()
                half = re.search(r"\s+and\s+(?:a\s+)?half$", mult_words)  # "two and a half times"
                lo_hi = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:-|–|to|or|and)\s*(\d+(?:\.\d+)?)", mult_words)
                if lo_hi:  # "25 to 30 times"
                    value, vmax = parse_number(lo_hi.group(1)), parse_number(lo_hi.group(2))
                else:
                    value = parse_number(mult_words[: half.start()] if half else mult_words)
                if value is not None and half:
                    value += Decimal("0.5")
            elif "value" in rule:
                value = Decimal(rule["value"])
            elif kind == "age":
                value = parse_number(m.group(1))
                if rx.groups >= 2 and m.group(2):
                    vmax = parse_number(m.group(2))
                    e = m.end(2)
            else:
                nm = re.search(r"\d+(?:\.\d+)?", m.group(0)) or _NUM_RE.search(m.group(0))
                value = parse_number(nm.group(0)) if nm else None
            blocked.append((m.start(), m.end()))
            if value is None:
                continue
            unit = "year" if kind == "age" else None
            if rule.get("multiplier"):
                unit = "times"
            elif rule.get("vague") or rule.get("fraction") or rule["id"].startswith("pronoun."):
                # "a third of those screened", "one of the approaches", "thousands of job cuts"
                om = re.match(
                    r"(?:\s+of(?=\s))?(?:\s+(?:the|its|their|those|these|his|her|our|all|a|an|them)(?=\s))?",
                    text[m.end() :],
                )
                if om:
                    unit, _ = _count_noun(text, m.end() + om.end())
            out.append(_Cand(s, e, s, e, value, vmax, unit, kind, rule["id"]))
    return out, blocked


_HYPHEN_NOUN_RE = re.compile(r"-(?P<n>[A-Za-z]+)\b(?!-)")


def _hyphen_counts(text: str, pos: int) -> bool:
    """Whether the hyphenated word at ``pos`` ("-acre", "-member", "-strong") makes the number before it a
    claim: a unit of measure, a counted noun, or "-strong" before a noun phrase."""
    hm = _HYPHEN_NOUN_RE.match(text, pos)
    if not hm:
        return False
    word = hm.group("n").lower()
    if word in _HYPHEN_COUNT_NOUNS or word == "strong":
        return True
    if word == "point":  # "a 6,000-point jump" (index points), not "a four-point plan"
        return bool(_data().dir_after_re.match(text, hm.end()))
    hit = _data().units.match(text, pos)
    return hit is not None and hit[0] == hm.end()


def _fraction_value(frag: str) -> Decimal | None:
    m = re.match(r"(\d+)\s?[/⁄]\s?(\d+)$", frag)
    if m:
        den = int(m.group(2))
        return normalize(Decimal(m.group(1)) / den) if den else None
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


def _numbers(text: str, blocked: list[tuple[int, int]]) -> list[_Cand]:
    data = _data()
    out: list[_Cand] = []
    for m in _NUM_RE.finditer(text):
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
            out.append(_Cand(s, e, s, e, value, is_word=True))
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
            value = normalize(value * (Decimal(10) ** (-exp if sci.group("neg") else exp)))
            e = sci.end()
        out.append(_Cand(s, e, s, e, value))
    return out


_AND_HALF_RE = re.compile(r"\s+and\s+(?:a\s+)?half(?=\s+(?:thousand|million|billion|trillion)\b)", re.I)
_SCI_RE = re.compile(r"\s?[×x]\s?10\s?(?:\^\s?)?(?P<neg>[−-])?\s?(?P<e>\d{1,3})(?!\d)")


def _attach(text: str, c: _Cand) -> None:
    """Extend a bare number with currency prefix, sign, scale, unit, approx and direction cues."""
    data = _data()
    # --- left: currency prefix and sign
    left = c.num_start
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
        sc = _scale_at(text, pos, currency is not None)
        if not sc:
            break
        pos, factor = sc
        value = normalize(value * factor)
    # "$-50.8bn": sign after the currency symbol
    if sign == "-":
        value = -value
    c.value = value
    c.start = left
    c.end = pos
    # --- unit after the number
    if currency is not None:
        c.kind, c.unit, c.rule_id = "money", currency["code"], currency["id"] + ".prefix"
        if currency.get("factor"):
            c.value = normalize(c.value * Decimal(currency["factor"]))
        # "$76 US", "US $500 US"
        sm = re.match(r"[ \u00a0](?:US|U\.S\.)(?![A-Za-z])", text[pos:])
        if sm:
            pos += sm.end()
        # named dollar after a "$" amount: "$5 Canadian"
        c.end = _rate_tail(text, pos, money=True)
    else:
        _suffix_unit(text, c, pos)
    _cues(text, c, sign)


_PHRASAL_UP = _lexicon("phrasal_up")
_SOFT = _lexicon("soft_modifiers")
_GLUED_PREFIXES = frozenset(
    {"minus", "sub", "now", "then", "plus", "over", "under", "around", "about", "some"}
)
_CHANGE_UP = _lexicon("change_verbs_up")
_CHANGE_DOWN = _lexicon("change_verbs_down")
_CHANGE_REPORTING = _lexicon("change_reporting")
#: "increased the budget for this sector by 53 percent", "pushes up the credits of science centers for 71 percent":
#: a change verb, its object (no punctuation, digits or clause words), then "by" (or "for" before a percent)
_VERB_BY_RE = re.compile(
    r"(?:^|(?<=[^\w-]))(?P<v>" + _alt(list(_CHANGE_UP | _CHANGE_DOWN)) + r")\s+"
    r"(?:(?!(?:which|that|who|than|when|while|where|from|or|"
    + _alt(list(_CHANGE_UP | _CHANGE_DOWN))
    + r")\s)[A-Za-z'’-]+\s+){1,8}(?P<p>by|for)\s+$",
    re.I,
)
_CHANGE_NOUNS = (
    "increase|rise|growth|hike|surge|jump|gain|raise|boost|decrease|drop|decline|fall|reduction|cut|contraction"
    "|slump|plunge|dip"
)
#: "an annual increase of 15.5 percent", "a year-on-year decline of 3%": a change noun with its modifiers
_NOUN_OF_RE = re.compile(
    r"(?:^|(?<=[^\w-]))(?:an?|the|its|their)\s+(?:[A-Za-z-]+\s+){0,2}(?P<n>" + _CHANGE_NOUNS + r")\s+of\s+$",
    re.I,
)
_DOWN_NOUNS = frozenset(
    {"decrease", "drop", "decline", "fall", "reduction", "cut", "contraction", "slump", "plunge", "dip"}
)


def _cues(text: str, c: _Cand, sign: str = "") -> None:
    """Approximation and direction from the words around the number."""
    data = _data()
    window = text[max(0, c.start - 60) : c.start]
    am = data.approx_re.search(window)
    cue_start = c.start
    if am:
        form = (am.group("f") or am.group("s")).lower()
        c.approx = data.approx[form]["approx"]
        cue_start = c.start - (len(window) - am.start())
        window = window[: am.start()]
    elif re.search(r"\bsub-$", window):
        c.approx = "<"
    fm = _FOCUS_RE.search(window)
    if fm:  # "an increase of just 0.3 percent", "fell only 2%": the cue stands before the focus word
        cue_start -= len(window) - fm.start()
        window = window[: fm.start()]
    dm = data.dir_before_re.search(window)
    if dm:
        form = dm.group("f").lower()
        pw, _ = _prev_word(window, dm.start("f"))
        if not (form in ("up", "down") and pw.lower() in _PHRASAL_UP):
            c.direction = data.dir_before[form]["direction"]
    else:
        vb = _VERB_BY_RE.search(text[max(0, cue_start - 110) : cue_start])
        nm = _NOUN_OF_RE.search(window)
        if vb and (vb.group("p").lower() == "by" or _percent_follows(text, c.num_end)):
            verb = re.sub(r"\s+", " ", vb.group("v").lower())
            c.direction = "up" if verb in _CHANGE_UP else "down"
        elif nm:
            c.direction = "down" if nm.group("n").lower() in _DOWN_NOUNS else "up"
    if c.direction is None and sign and _is_signed_change(text, c, sign):
        _sign_to_direction(c)
    _after_direction(text, c, cue_start)


_FOCUS_RE = re.compile(r"(?:^|(?<=\s))(?:just|only|merely|barely|a\s+mere|a\s+modest|a\s+slight)\s+$", re.I)
_SIGNED_LEVEL_NOUNS = _lexicon("signed_level_nouns")
_TEMPERATURE_UNITS = frozenset({"degree celsius", "degree fahrenheit", "degree centigrade"})


def _is_signed_change(text: str, c: _Cand, sign: str) -> bool:
    """Whether a signed figure is a change (its sign the direction) rather than a signed level.

    "+" marks a change ("Dow +0.2%", "+150 points"); "-" does so before a percent ("Stoxx 50 -1.3%",
    "growth of -3 percent"). A temperature, or a rate or yield named just before ("a deposit rate of
    -0.5%"), is a level whatever its sign; so is any other "-" figure in running text ("-5 yards"):
    a price table's change column (:func:`_quote_tables`) is where those are changes."""
    if c.kind == "quantity" and c.unit in _TEMPERATURE_UNITS:
        return False
    clause = re.split(r"[.;:!?,(|]", text[max(0, c.start - 50) : c.start])[-1]
    if any(w in _SIGNED_LEVEL_NOUNS for w in re.findall(r"[a-z]+", clause.lower())[-4:]):
        return False
    return sign == "+" or c.kind == "percent"


def _sign_to_direction(c: _Cand) -> None:
    """A signed change: the magnitude as the value, the sign as the direction."""
    c.direction = "up" if c.sign == "+" else "down"
    c.value = abs(c.value)
    if c.value_max is not None:
        c.value_max = abs(c.value_max)
    c.signed_change = True


def data_after_noun(text: str, c: _Cand) -> bool:
    """Whether a change noun follows the figure ("20.4 percent decrease")."""
    return bool(_data().dir_after_re.match(text, c.end))


def _percent_follows(text: str, pos: int) -> bool:
    return bool(re.match(r"[\s-]?(?:%|percent\b|per\s?cent\b)", text[pos:], re.I))


def _after_direction(text: str, c: _Cand, cue_start: int) -> None:
    """ "a 5 percent rise", "indicating 0.3 percent fall", "4.9 percent more than": the figure is the change."""
    if c.direction is not None or c.kind not in ("percent", "money", "quantity", "count"):
        return
    data = _data()
    am2 = data.dir_after_re.match(text, c.end)
    if am2:
        prev, _ = _prev_word(text, cue_start)
        word = am2.group("f").lower()
        if prev.lower() in _CHANGE_REPORTING or word in ("higher", "lower") or (
            c.kind == "percent" and prev.lower() in ("", "and", "or")
        ):
            c.direction = data.dir_after[word]["direction"]
    elif c.kind != "count" or _percent_follows(text, c.num_end):
        # "4.9 percent more than the same period"; an amount only against an earlier time ("$3.8 trillion
        # more than 2016's total"), not a static comparison ("10mph less than the top speed")
        # "$14 billion (41 percent) more than the figure for its preceding year": a parenthetical equivalent
        # may stand between, and the figure inside it is the change too
        mt = re.match(
            r"(?:[ \u00a0]*\([^()]{1,40}\)|\))?"
            + (r"\s+(?P<w>more|less|fewer|higher|lower|greater|bigger|smaller)\s+than\b" if c.kind == "percent"
               else r"\s+(?P<w>more|less|fewer)\s+than\b")
            + ("" if c.kind == "percent" else r"\s+(?:(?:the\s+)?(?:figure|level|amount|total|value)\s+"
               r"(?:for|of|in|during)\s+)?(?:(?:the|its|their)\s+)?(?:same|last|previous|preceding|"
               r"prior|year|month|a\s+year|\d{4}|in\s+\d{4})"),
            text[c.end :],
            re.I,
        )
        if mt:
            c.direction = "up" if mt.group("w").lower() in ("more", "higher", "greater", "bigger") else "down"


def _rate_tail(text: str, pos: int, money: bool) -> int:
    """Swallow a rate denominator ("a barrel", "per share", "a year") into the span text."""
    m = re.match(
        r"(?:[ \u00a0]?(?:/|per|a|an|each)[ \u00a0-]?(?:square\s+(?:foot|feet|meter|metre)|sq\.?\s?(?:m|ft)|"
        r"barrel|share|ounce|gallon|litre|liter|gram|kilogram|kg|ton|tonne|person|capita|head|day|night|week|"
        r"month|year|annum|hour|unit|game|mmBTU|mmbtu|MWh|kWh|kilowatt-hour|household|employee|student)s?\b"
        r"|-a-year\b)",
        text[pos:],
    )
    return pos + m.end() if m else pos


def _suffix_unit(text: str, c: _Cand, pos: int) -> None:
    data = _data()
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
    if form == '"' and (c.is_word or _inside_quote(text, c.start)):
        c.end = pos  # 'a "phase one" deal', '"the big 5"': a closing quotation mark, not inches
        return
    if kind == "percent":
        c.kind, c.unit, c.rule_id = "percent", entry["unit"], entry["id"]
        m = re.match(r"-(?:owned|held|controlled)\b", text[end:])
        if m:
            end += m.end()
    elif kind == "money":
        c.kind, c.unit, c.rule_id = "money", entry["code"], entry["id"] + ".suffix"
        if entry.get("factor"):
            c.value = normalize(c.value * Decimal(entry["factor"]))
        end = _rate_tail(text, end, money=True)
    elif kind == "time":
        c.kind, c.unit, c.rule_id = entry["kind"], entry["unit"], entry["id"]
    else:
        c.kind, c.unit, c.rule_id = "quantity", entry["unit"], entry["id"]
        end = _quantity_rate(text, end, c)
    c.end = end


def _inside_quote(text: str, pos: int) -> bool:
    """Whether a straight double quotation mark opened on this line before ``pos`` is still open (an inch
    mark right after a number, as in '22" long', neither opens nor closes one)."""
    open_ = False
    for i in range(text.rfind("\n", 0, pos) + 1, pos):
        if text[i] == '"' and not (i > 0 and text[i - 1].isdigit()):
            open_ = not open_
    return open_


_PERIOD_MODIFIER_RE = re.compile(
    r"[ \u00a0]+(?:full|straight|consecutive|successive|fiscal|financial|calendar|Iranian|working|business|"
    r"more|additional|further|extra)"
    r"(?=[ \u00a0])"
)

_DENOM = {
    "day": "day",
    "days": "day",
    "d": "day",
    "year": "year",
    "years": "year",
    "annum": "year",
    "yr": "year",
    "month": "month",
    "week": "week",
    "hour": "hour",
    "h": "hour",
    "hr": "hour",
    "second": "second",
    "s": "second",
    "minute": "minute",
    "min": "minute",
    "capita": "capita",
    "person": "person",
    "game": "game",
    "century": "century",
    "gallon": "gallon",
}


def _quantity_rate(text: str, end: int, c: _Cand) -> int:
    # "1.5 million barrels of oil sales per day": a short "of" phrase may stand between unit and rate
    om = re.match(r"[ \u00a0]+of(?:[ \u00a0]+[a-z][a-z-]*){1,3}(?=[ \u00a0]+(?:per|a|an)[ \u00a0-])", text[end:])
    if om and not any(w in _STOP for w in om.group(0).split()[1:]):
        rated = _quantity_rate(text, end + om.end(), c)
        return rated if rated > end + om.end() else end
    m = re.match(
        # "/d", "per h" (abbreviations after a slash or "per"); "a day", "an hour" (words after a blank)
        r"(?:[ \u00a0]?(?:/|per)[ \u00a0-]?(?P<d>day|days|year|annum|month|week|hour|h|hr|second|s|minute|min|"
        r"capita|person|game|century|gallon)\b"
        r"|[ \u00a0](?:a|an)[ \u00a0-](?P<d2>day|year|month|week|hour|second|minute|person|game|century|gallon)\b"
        r"|[ \u00a0](?P<ann>annually|a year|per year|yearly)\b)",
        text[end:],
    )
    if not m:
        return end
    if m.group("ann"):
        return end  # "tons annually" -> "ton" (the period is the claim's time, not the unit)
    d = _DENOM[(m.group("d") or m.group("d2")).lower()]
    if c.unit and " per " not in c.unit:
        c.unit = f"{c.unit} per {d}"
        return end + m.end()
    return end


def _count_noun(text: str, pos: int) -> tuple[str | None, int]:
    """The counted noun phrase after ``pos`` (as written, no determiners) and where it ends."""
    i = pos
    words: list[tuple[str, int, int]] = []
    m = re.match(r"[ \u00a0]+", text[i:])
    if not m and i < len(text) and text[i].isalpha():
        return None, pos  # glued letters are not a noun phrase
    while True:
        # digits inside a word belong to it ("four RS-25 engines", "50 Airbus A350-900 jets", "Covid-19 cases")
        m = re.match(r"[ \u00a0]*(?P<w>[A-Za-z][A-Za-z0-9'’\-&]*(?:\.(?=[A-Za-z]))?[A-Za-z0-9]*)", text[i:])
        if not m:
            break
        w = m.group("w")
        lw = w.lower()
        if re.match(r"[a-z]+-\d", w) and w.split("-", 1)[0] in _STOP:
            break  # "200,000 to-260,000": a range typed with a glued "to", not a noun
        if lw == "and" and words:
            nxt = re.match(r"[ \u00a0]+and[ \u00a0]+([A-Za-z][\w'’-]*)[ \u00a0]+([A-Za-z][\w'’-]*)", text[i:])
            plural_before = words[-1][0].lower().endswith("s")
            if (
                nxt
                and nxt.group(1).lower() not in _STOP | NUMBER_WORDS
                and nxt.group(2).lower() not in _STOP | NUMBER_WORDS
                and (not plural_before or nxt.group(2).lower().endswith("s"))
            ):
                words.append((w, i + m.start("w"), i + m.end("w")))
                i = i + m.end("w")
                continue
        if lw in _SOFT or (not words and lw in _PRENOMINAL):
            nxt = re.match(r"[ \u00a0]+([A-Za-z][\w'’-]*)", text[i + m.end("w") :])
            coord = re.match(  # "4,600 small and medium-sized units"
                r"[ \u00a0]+and[ \u00a0]+([A-Za-z][\w'’-]*)[ \u00a0]+([A-Za-z][\w'’-]*)", text[i + m.end("w") :]
            )
            coordinated = bool(coord) and all(
                g.lower() not in _STOP and g.lower() not in NUMBER_WORDS for g in coord.groups()  # type: ignore[union-attr]
            )
            if not coordinated and not (
                nxt and nxt.group(1).lower() not in _STOP and nxt.group(1).lower() not in NUMBER_WORDS
            ):
                break
        elif lw in _STOP or lw in NUMBER_WORDS or lw in _MONTHS or len(words) >= 5:
            break
        ws, we = i + m.start("w"), i + m.end("w")
        poss = re.search(r"['’]s?$", w)
        if poss and w[0].islower() and len(w) > len(poss.group(0)) + 1:
            # "the two countries’ bilateral trade": the possessor is the counted noun
            words.append((w[: poss.start()], ws, we - len(poss.group(0))))
            break
        if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", w) and re.match(r"\.[ \u00a0]+[a-z]", text[we : we + 3]):
            we += 1  # "200 U.S. military personnel": the abbreviation's last dot, not a sentence end
        words.append((w, ws, we))
        i = we
        if i < len(text) and text[i] not in " \u00a0":
            break
    # the phrase ends on a noun-like word: drop trailing verb-like words ("countries conducted")
    while words and (words[-1][0].lower().endswith(_VERBISH_SUFFIX) and len(words[-1][0]) > 4):
        words.pop()
    if not words:
        return None, pos
    end = words[-1][2]
    if words[-1][0].lower() in _CLASSIFIERS:
        om = re.match(r"[ \u00a0]+of(?=[ \u00a0])", text[end:])
        if om:  # "68 types of minerals": the kinds counted belong to the phrase
            inner, inner_end = _count_noun(text, end + om.end())
            if inner and not re.match(r"[A-Z]{2,}\b|\S*\d", inner):  # not "grades of MTDI" (a product code)
                # "categories of products leaving China": a participle ends the inner phrase
                inner_start = inner_end - len(inner)
                for wm in list(re.finditer(r"\S+", inner))[1:]:
                    if wm.group(0).lower().endswith(_VERBISH_SUFFIX) and len(wm.group(0)) > 4:
                        inner_end = inner_start + wm.start()
                        break
                end = inner_start + len(inner[: inner_end - inner_start].rstrip())
    return text[words[0][1] : end], end


def _is_singular(word: str) -> bool:
    """A common noun in its singular form (not "units", "people", "staff" or another invariant plural)."""
    w = word.lower()
    return w.isalpha() and word[:1].islower() and not w.endswith("s") and w not in _INVARIANT_PLURALS


def _singular_head(text: str, pos: int) -> bool:
    """Whether the noun phrase after ``pos`` ends on a singular noun ("2024 moon mission", "the 777 program")."""
    noun, _ = _count_noun(text, pos)
    return bool(noun) and _is_singular(noun.split()[-1])  # type: ignore[union-attr]


#: after a title-case noun phrase, the title goes on: a capitalised word, or a short function word and one
_TITLE_GOES_ON_RE = re.compile(r"[ \u00a0]+(?:(?:in|of|about|for|to|on|and|with|from|the|that|you)[ \u00a0]+)?[A-Z0-9]")


def _classify_plain(text: str, c: _Cand, prev_year_end: int) -> None:
    """A number with no unit: year, identifier, pronoun, or count (with its noun when there is one)."""
    pw, pws = _prev_word(text, c.start)
    lpw = pw.lower().rstrip(".")
    nw = _next_word(text, c.end)
    after = text[c.end : c.end + 2]
    in_list = bool(
        re.search(r"(?:\d{5,}|\d,\d{3}|\b\d{1,3}|\.\d+),\s+$", text[max(0, c.start - 12) : c.start])
        or re.match(r"(?:,\s+|\s+(?:and|or)\s+)(?:\d{5,}|\d{1,3}(?:,\d{3})+|\d{1,3}\b)", text[c.end :])
    )
    if in_list and any(
        w.lower().rstrip(".") in _MONTHS
        for w in re.findall(r"[A-Za-z.]+", text[max(0, c.start - 30) : c.start])
    ):
        in_list = False  # "March 19, 2020", "March 21-September 21, 2019"
    before_prev, _ = _prev_word(text, pws) if pw else ("", 0)
    strong = lpw in _YEAR_STRONG and not (lpw == "of" and before_prev.lower() not in _TIME_WORDS)
    if _is_year_like(c, text) and (strong or not in_list) and lpw not in _LEVEL_VERBS:
        if (
            lpw in ("from", "between")
            and nw
            and nw[0].islower()
            and not after.startswith(" and")
            and not (re.match(r"\s*(?:to|and|-)\s*\d{4}\b", text[c.end :]))
        ):
            strong = False
        follows_noun = bool(nw) and nw[0].islower() and nw.lower() not in _STOP and nw.lower() not in _MONTHS
        if (
            (
                strong
                or lpw in _YEAR_DET
                or (prev_year_end >= 0 and c.start - prev_year_end < 8)
                or not follows_noun
                or _singular_head(text, c.end)
                or text[c.end : c.end + 1] in ("'", "’")
            )
            and not (lpw == "of" and not strong)
            and c.approx == "="
        ):
            c.kind, c.rule_id, c.unit = "year", "year.context", None
            return
    # a capitalised word that ends the previous sentence ("... in Tehran. 15 firms") names nothing
    sentence_end = (
        pw.endswith(".")
        and not re.fullmatch(r"(?:[A-Za-z]\.)+|No\.|Nos\.|Vol\.|Art\.|St\.|Mr\.|Dr\.|Ms\.|Mrs\.", pw)
        and bool(re.match(r"\s", text[pws + len(pw) : pws + len(pw) + 1]))
    )
    # identifiers: a capitalised name right before the number ("Big 12", "Planet 9")
    if (
        pw
        and not sentence_end
        and pw[0].isupper()
        and lpw not in _CAP_OK
        and text[pws : c.start].strip() == pw
        and (not c.is_word)
        and c.approx == "="
        and c.direction is None
    ):
        if not re.fullmatch(r"[A-Z]{2,}", pw) or c.value < 100 or not nw:
            c.kind, c.rule_id = "identifier", "identifier.after_name"
            return
    word = text[c.num_start : c.num_end]
    if (
        c.is_word
        and word[:1].isupper()
        and pw
        and not sentence_end
        and pw[:1].isupper()
        and lpw not in _CAP_OK
        and (text[pws : c.start].strip() == pw)
    ):
        c.kind, c.rule_id = "identifier", "identifier.name_word"
        return
    if (
        c.is_word
        and word[:1].isupper()
        and pw[:1].islower()
        and not sentence_end
        and nw[:1].isupper()
        and _is_prose(text, c.start)
    ):
        # "our One Home Depot strategic investments", "the Three Gorges dam": a capitalised number word
        # inside a lower-case sentence, before another capitalised word, is part of a name
        c.kind, c.rule_id = "identifier", "identifier.name_word_before"
        return
    if c.is_word and c.value == 1 and word.lower() == "one":
        noun, end = _count_noun(text, c.end)
        if not noun:
            c.kind, c.rule_id = "other", "pronoun.one"
            return
    hm = _HYPHEN_NOUN_RE.match(text, c.end)
    if hm and c.value == c.value.to_integral_value() and _hyphen_counts(text, c.end):
        if hm.group("n").lower() == "strong":  # "a 3,000-strong workforce": the noun phrase after it
            noun, end = _count_noun(text, hm.end())
            if noun:
                c.kind, c.unit, c.rule_id, c.end = "count", noun, "count.strong", end
                return
        else:  # "a 50-member delegation": 50 members
            c.kind, c.unit, c.rule_id, c.end = "count", hm.group("n"), "count.hyphen_noun", hm.end()
            if c.unit.lower() == "point":  # "a 500-point drop": index points
                c.kind, c.unit, c.rule_id = "quantity", "point", "unit.index.point.hyphen"
                _after_direction(text, c, c.start)
            return
    noun, end = _count_noun(text, c.end)
    if (
        noun
        and c.value == c.value.to_integral_value()
        and all(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in noun.split())  # "i5-9300H": a code
        and any(ch.islower() for ch in noun)
        and not noun.endswith("s")
        and not re.match(r"\s*\d", text[end:])
    ):
        c.kind, c.rule_id = "identifier", "identifier.before_name"
        return
    if noun and " " in noun and all(w[:1].isupper() for w in noun.split()) and _TITLE_GOES_ON_RE.match(text, end):
        # "The 15 Weirdest Galaxies in Our Universe", "The 7 Habits of Highly Effective People": a title
        c.kind, c.rule_id = "identifier", "identifier.title"
        return
    if noun:
        c.kind, c.unit, c.rule_id, c.end = "count", noun, "count.noun", end
        return
    om = re.match(
        r"\s+of\s+(?:the|its|their|these|those|his|her|our|all|such)\s+"
        r"(?:(?:mentioned|said|above|aforementioned|above-mentioned)\s+)?(?:\d[\d,.]*\s+)?",
        text[c.end :],
        re.I,
    )
    if om:
        noun, _ = _count_noun(text, c.end + om.end() - 1)
        if noun:
            c.kind, c.unit, c.rule_id = "count", noun, "count.of_the"
            return
    c.kind, c.rule_id = "count", "count.bare"


def _is_prose(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` reads as running text (most words lower case), not a title-case
    heading ("Iran to Export Two Million Tons")."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    words = re.findall(r"[A-Za-z][\w'’-]*", text[max(s, pos - 120) : min(e if e >= 0 else len(text), pos + 120)])
    return sum(w[0].islower() for w in words) * 2 > len(words)


def _ranges(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Merge "10-12%", "between 10 and 12 trillion rials", "15 to 22 miles" into one range."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        if i + 1 < len(cands):
            b = cands[i + 1]
            gap = text[a.end : b.start]
            sep = _RANGE_SEP_RE.fullmatch(gap)
            if (
                sep
                and a.kind not in ("year", "identifier", "date_part", "ordinal", "age", "other")
                and b.kind not in ("year", "identifier", "date_part", "ordinal", "other")
            ):
                word = gap.strip().lower()
                pw, _ = _prev_word(text, a.start)
                between = pw.lower() == "between" and word == "and"
                from_to = pw.lower() == "from" and word == "to"
                a_bare = a.rule_id == "count.bare"
                plain = word in ("-", "–", "—", "/") or (
                    word == "to" and (a.direction is None or a_bare) and _range_context(text, a.start, a_bare)
                )
                b_bare = b.rule_id == "count.bare" and word in ("-", "–", "to") and a.kind in (
                    "money",
                    "quantity",
                    "percent",
                )  # "$5-6 cheaper"
                same = a_bare or b_bare or (a.unit == b.unit and a.kind == b.kind)
                if gap == "-" and a_bare and b.kind == "count" and b.value < a.value and not (a.is_word or b.is_word):
                    # "3888-2", "the 787-9 jet": a code or a model, not a range
                    a.kind = b.kind = "identifier"
                    a.rule_id = b.rule_id = "identifier.hyphenated"
                    out.append(a)
                    i += 1
                    continue
                if (
                    (between or plain or (from_to and _range_context(text, a.start)))
                    and same
                    and (b.kind != "count" or b.unit is not None or a.unit is not None or between)
                ):
                    out.append(_merge(text, a, b))
                    i += 2
                    continue
                if (
                    word in ("or", "and", "to", "-") and a_bare and b.kind in ("money", "percent", "quantity")
                ):
                    # "eight or nine euros", "5 to 7 percent" (from-to as two figures): share the unit
                    _share_unit(a, b)
        out.append(a)
        i += 1
    return out


_CHANGE_VERB_RE = re.compile(
    r"\b(?:rose|rise[sn]?|fell|fall(?:s|en)?|increased?|decreased?|grew|dropped|climbed|jumped|declined|slid|"
    r"went|moved|changed|raised|lowered|cut|boosted|revised|narrowed|eased|widened|plummeted|plunged|"
    r"surged|soared|tumbled|up|down|lifted|reduced|dropping|dropped|climbing|rising|falling|growing|going|"
    r"increasing|decreasing|shrank|expanded|improved|slipped|sank|jumps|slowed|slow|accelerated|creeping|"
    r"upgraded|downgraded|slashed|slashing|trimmed|halved|hiked|shrunk|swelled|ballooned|rebounded|recovered|"
    r"dipped|from\s+\S+\s+to)\b",
    re.I,
)


def _range_context(text: str, pos: int, bare: bool = False) -> bool:
    clause = re.split(r"[.;:!?]|,\s", text[max(0, pos - 80) : pos])[-1]
    if bare and re.search(r"\bby\s+$", clause):
        return True  # "dropped by 1 to 1.5 degrees": a range of the change itself
    return not _CHANGE_VERB_RE.search(clause)


def _share_unit(a: _Cand, b: _Cand) -> None:
    a.kind, a.unit, a.rule_id = b.kind, b.unit, b.rule_id + ".shared"
    # "$10 to $15 billion": a scale word on the upper end applies to the bare lower end
    if b.value > 0 and a.value > 0 and a.value < 1000 and b.value / a.value >= 1000:
        f = Decimal(10) ** (len(str(int(b.value))) - len(str(int(b.value)).rstrip("0")))
        for scale in (Decimal(10**12), Decimal(10**9), Decimal(10**6), Decimal(10**3)):
            if f >= scale and a.value * scale <= b.value:
                a.value = normalize(a.value * scale)
                break


def _merge(text: str, a: _Cand, b: _Cand) -> _Cand:
    a_bare = a.rule_id == "count.bare"
    lo = a.value
    if (
        (a_bare or (a.unit == b.unit and a.kind == b.kind))
        and b.value > 0
        and lo > 0
        and lo < 1000
        and b.value / lo >= 1000
    ):
        for scale in (Decimal(10**12), Decimal(10**9), Decimal(10**6), Decimal(10**3)):
            if b.value / scale >= 1 and lo * scale <= b.value * 1:
                lo = normalize(lo * scale)
                break
    kind, unit, rule = (b.kind, b.unit, b.rule_id) if a_bare else (a.kind, a.unit, a.rule_id)
    if b.kind == "count" and a.kind != "count":
        kind, unit, rule = a.kind, a.unit, a.rule_id
    approx = a.approx
    merged = _Cand(
        start=a.start,
        end=max(a.end, b.end),
        num_start=a.num_start,
        num_end=b.num_end,
        value=lo,
        value_max=b.value,
        unit=unit,
        kind=kind,
        rule_id=rule + ".range",
        approx=approx,
        direction=a.direction or b.direction,
        is_word=a.is_word and b.is_word,
    )
    _after_direction(text, merged, a.start)  # "a 10-15 percent increase"
    return merged


_SENT_END_RE = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'‘“(]*[A-Z0-9])|\n")
_NUMBER_OF_RE = re.compile(
    r"\b[Tt]he\s+(?:total\s+)?number\s+of\s+(?:the\s+|its\s+|their\s+)?(?P<np>[a-z])", re.I
)
_OF_THE_RE = re.compile(
    r"\b(?:[Oo]f|[Aa]mong)\s+(?:the|these|those|its|their|all)\s+(?:(?:mentioned|said|above|aforementioned)\s+)?"
    r"(?P<np>(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*s)\s*,\s*$"
)
_BACKREF_RE = re.compile(r"\b(?:the|this|that)\s+(?:figure|number|total|tally)\b(?!\s+of\b)", re.I)
_COMPARE_GAP_RE = re.compile(
    r"(?:compared\s+(?:with|to)|as\s+against|against|versus|vs\.?|from|than)\s+(?:(?:about|nearly|some|around)\s+)?$",
    re.I,
)
#: "from about 14-18 mpg to 24": the bare end of a from-to takes the unit of its start
_FROM_BEFORE_RE = re.compile(r"\bfrom\s+(?:(?:about|nearly|some|around|roughly|almost)\s+)?$", re.I)


#: "increase its tourist arrivals from 4.8 million": a plural noun right before "from" and a bare number
_FROM_NOUN_RE = re.compile(
    r"(?:^|(?<=[^\w-]))(?:(?P<mod>[a-z][a-z-]*)\s+)?(?P<head>[a-z][a-z-]*[^s\W]s)\s+from\s+"
    r"(?:(?:about|nearly|some|around|roughly|almost)\s+)?$"
)


def _from_noun(before: str) -> str | None:
    """The counted noun of a bare number after "NOUNS from" ("tourist arrivals from 4.8 million")."""
    m = _FROM_NOUN_RE.search(before)
    if not m or m.group("head") in _STOP or len(m.group("head")) < 4:
        return None
    mod = m.group("mod")
    if mod and (mod in _STOP or mod in _CHANGE_UP or mod in _CHANGE_DOWN or mod.endswith(_VERBISH_SUFFIX)):
        return m.group("head")
    return f"{mod} {m.group('head')}" if mod else m.group("head")


_LEVEL_CUE_RE = re.compile(
    r"\b(?:at|to|of|hit|hitting|reached|reaching|topped|crossed|breached|above|below|near)\s+$", re.I
)


def _index_level(before: str) -> bool:
    """Whether a bare number ending ``before`` (its sentence so far) is a stock index level: an index is
    named in the sentence and the number is reached "at", "to", "of" ... ("closed at 302,103")."""
    return bool(_LEVEL_CUE_RE.search(before)) and bool(_STOCK_INDEXES_RE.search(before))


_FX_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:per|to\s+the|against\s+the|a|for\s+each|for\s+one)[ \u00a0]+(?:U\.S\.[ \u00a0]+|US[ \u00a0]+)?"
    r"(?:dollar|euro|pound|greenback)\b",
    re.I,
)


def _fx_rate(text: str, before: str, end: int) -> str | None:
    """The currency of an exchange rate written as a bare number "per dollar" ("the yen ... at 108.55 per
    dollar"): the last other currency named before it in the sentence, else None."""
    if not _FX_AFTER_RE.match(text, end):
        return None
    code = None
    lex = _data().currency_suffix
    for m in re.finditer(r"[A-Za-z]+", before):
        hit = lex.match(before, m.start())
        if hit is not None and hit[1]["code"] != "USD" and not hit[1].get("factor"):
            code = hit[1]["code"]
    return code


def _sentence_start(text: str, pos: int) -> int:
    starts = [m.end() for m in _SENT_END_RE.finditer(text, max(0, pos - 400), pos + 1) if m.end() <= pos]
    return starts[-1] if starts else max(0, pos - 400)


def _context_nouns(text: str, cands: list[_Cand]) -> None:
    """Bare counts take their noun from context, within the sentence: the nearest preceding count
    ("400 of them" -> "units"), "the number of cities ... increased to 1117", "of the mentioned projects,
    three ...", or the figure compared with ("355,000 barrels a day, compared with 323,000")."""
    last: _Cand | None = None
    prev: _Cand | None = None
    points: _Cand | None = None
    for c in cands:
        if c.kind == "count" and c.rule_id == "count.bare":
            sent = _sentence_start(text, c.start)
            if points is not None and points.end >= sent and not c.is_word:
                # "lost 162.31 points, or 2.14%, to fall to 7,425.81": index levels in the sentence of a move
                c.kind, c.unit, c.rule_id = "quantity", "point", points.rule_id + ".context"
                prev = c
                continue
            before = text[sent : c.start]
            if not c.is_word and _index_level(before):
                # "the Sensex scaled a new all-time high of 40,816.38": an index level, in points
                c.kind, c.unit, c.rule_id = "quantity", "point", "unit.index.point.level"
                prev = c
                continue
            fx = None if c.is_word else _fx_rate(text, before, c.end)
            if fx is not None:
                # "the yen strengthened 0.13% versus the greenback at 108.55 per dollar": an exchange rate
                c.kind, c.unit, c.rule_id = "money", fx, "money.fx_rate"
                c.end = _rate_tail(text, c.end, money=True)
                prev = c
                continue
            of_the = _OF_THE_RE.search(before)
            number_of = None
            for m in _NUMBER_OF_RE.finditer(before):
                number_of = m
            gap = text[prev.end : c.start] if prev is not None and prev.end >= sent else ""
            if (
                prev is not None
                and prev.kind in ("money", "quantity")
                and prev.end >= sent
                and len(gap) <= 40  # "... 15-inch base, we saw that scores increased from 1061": not compared
                and (
                    _COMPARE_GAP_RE.search(gap)
                    or (
                        re.fullmatch(r"\s+to\s+", gap)
                        and _FROM_BEFORE_RE.search(text, max(0, prev.start - 30), prev.start)
                    )
                )
                and not re.search(r"[;:]|\d", gap)
            ):
                c.kind, c.unit, c.rule_id = prev.kind, prev.unit, prev.rule_id + ".compared"
            elif of_the:
                c.unit, c.rule_id = of_the.group("np"), "count.of_the_context"
            elif number_of and (last is None or last.end < sent + number_of.start()):
                unit, _ = _count_noun(text, sent + number_of.start("np") - 1)
                if unit:
                    c.unit, c.rule_id = unit, "count.number_of"
            elif (np := _from_noun(before)) is not None and _next_word(text, c.end).lower() in _STOP | {""}:
                c.unit, c.rule_id = np, "count.from_noun"
            elif (
                prev is not None
                and prev.rule_id == "count.from_noun"
                and prev.end >= sent
                and re.fullmatch(r"[^.;:\d]{0,30}?(?:\d{4}[^.;:\d]{0,12})?\bto\s+", gap)
            ):
                c.unit, c.rule_id = prev.unit, "count.from_noun"  # "... from 4.8 million in 2014 to 20 million"
            if c.rule_id == "count.bare" and last is not None and last.end >= sent:
                c.unit = last.unit
                c.rule_id = "count.context"
            elif (
                c.rule_id == "count.bare"
                and last is not None
                and last is prev
                and c.start - last.end < 300
                and _BACKREF_RE.search(before)
            ):
                # "210,000 jobs were created. The official said the figure is to reach 300,000"
                c.unit, c.rule_id = last.unit, "count.back_reference"
        elif c.kind == "count" and c.unit and c.rule_id not in ("count.bare",):
            last = c
        elif c.kind == "quantity" and c.unit == "point":
            points = c
        if c.kind in CLAIM_KINDS:
            prev = c


_LIST_GAP_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to)\s+")
_SHARE_GAP_RE = re.compile(r"\s*[-–]?\s*,?\s*(?:or|and|to|-|–)?\s*(?:about\s+)?")


def _share_units(text: str, cands: list[_Cand]) -> None:
    """A bare number takes the unit of the next figure: "eight or nine euros", "7- or 8-inch"."""
    for i in range(len(cands) - 2, -1, -1):
        a, b = cands[i], cands[i + 1]
        if a.rule_id != "count.bare":
            continue
        gap = text[a.end : b.start]
        if (
            b.kind in ("money", "percent", "quantity", "duration")
            and gap.strip()
            and _SHARE_GAP_RE.fullmatch(gap)
        ):
            _share_unit(a, b)
        elif b.kind == "count" and b.unit and b.rule_id != "count.context" and _LIST_GAP_RE.fullmatch(gap):
            # "9785, 8585, 5294 active units", "70, 1416 and 2330 people"
            a.unit, a.rule_id = b.unit, "count.list"


def _paren_links(text: str, cands: list[_Cand]) -> None:
    for i, c in enumerate(cands):
        if i == 0:
            continue
        for j in range(i - 1, -1, -1):
            a = cands[j]
            if a.kind not in CLAIM_KINDS:
                continue
            gap = text[a.end : c.start]
            m = re.fullmatch(r"\s*\(\s*(?:[^()\d]{0,25}?\s)?|\s*/\s*|\s*\(\s*[^()]*?\s*/\s*", gap)
            if m and (a.kind == c.kind or {a.kind, c.kind} <= {"money", "count"}):
                c.paren_of = a.paren_of if a.paren_of is not None else j
                if c.approx == "=" and a.approx in (">", "<", ">=", "<="):
                    c.approx = a.approx
                if c.direction is None:
                    c.direction = a.direction
                if c.kind == "count" and a.kind == "money" and c.unit is None:
                    c.kind = "money"
            break


_PAREN_OPEN_RE = re.compile(r"(?:[ \u00a0]+of(?:[ \u00a0]+[a-z][a-z-]*){1,3})?[ \u00a0]*\([ \u00a0]*")
_PAREN_RATE_RE = re.compile(
    r"(?:[ \u00a0]+of(?:[ \u00a0]+[a-z][a-z-]*){1,3})?[ \u00a0]*\)[ \u00a0]*(?:,[ \u00a0]*)?"
    r"(?:per|a|an)[ \u00a0-](?P<d>day|year|month|week|hour)\b"
)


def _paren_rates(text: str, cands: list[_Cand]) -> None:
    """ "100,000 barrels of crude oil (400,000 cubic meters of gas) per year": a rate after the parenthesis
    applies to the figure and to its parenthetical equivalent."""
    for a, c in zip(cands, cands[1:], strict=False):
        if not (a.kind == c.kind == "quantity" and a.unit and c.unit) or " per " in a.unit + c.unit:
            continue
        if not _PAREN_OPEN_RE.fullmatch(text[a.end : c.start]):
            continue
        m = _PAREN_RATE_RE.match(text, c.end)
        if m:
            d = _DENOM[m.group("d")]
            a.unit, c.unit = f"{a.unit} per {d}", f"{c.unit} per {d}"


_NP_POS = {"NOUN", "PROPN", "ADJ", "NUM", "X", "CCONJ", "PART"}


def _doc_words(span: Any) -> list[tuple[int, int, str]]:
    """The span's whitespace-delimited words as (start, end, pos): tokens glued together form one word.

    A hyphenated compound ("state-owned", "oil-rich", "well-known") is one word; it is a noun only when its
    last part is one, otherwise a modifier (ADJ), whatever the tagger says of its parts."""
    words: list[tuple[int, int, str]] = []
    group: list[Any] = []
    for tok in span:
        group.append(tok)
        if tok.whitespace_ or tok.i == span.end - 1:
            s, e = group[0].idx, group[-1].idx + len(group[-1].text)
            if len(group) == 1:
                pos = group[0].pos_
            elif group[-1].pos_ in ("NOUN", "PROPN"):
                pos = group[-1].pos_
            elif any(t.text in ("-", "\u2010") for t in group) or group[0].text.endswith("-"):
                pos = "ADJ"
            else:
                pos = group[-1].pos_
            words.append((s, e, pos))
            group = []
    return words


def _trim_with_doc(text: str, cands: list[_Cand], doc: Doc) -> None:
    """With a tagged spaCy Doc over ``text``, end each counted noun phrase on its last noun."""
    if doc_text(doc) != text or not doc.has_annotation("POS"):
        return
    for c in cands:
        if c.rule_id != "count.noun" or not c.unit:
            continue
        np_start = c.end - len(c.unit)
        span = doc.char_span(np_start, c.end, alignment_mode="expand")
        if span is None:
            continue
        words: list[tuple[int, int, str]] = []
        for w in _doc_words(span):
            after_classifier = bool(words) and text[words[-1][0] : words[-1][1]].lower() in _CLASSIFIERS
            prenominal = (  # "121 developing countries", "20 renovated wagons": a participle before any noun
                w[2] == "VERB"
                and not any(p in ("NOUN", "PROPN") for _, _, p in words)
                and text[w[0] : w[1]].lower().endswith(("ing", "ed"))
            )
            if w[0] >= c.end or (
                w[2] not in _NP_POS and not prenominal and not (after_classifier and text[w[0] : w[1]] == "of")
            ):
                break
            if (
                w[2] == "ADJ"
                and words
                and words[-1][2] == "NOUN"
                and re.search(r"[^s]s$", text[words[-1][0] : words[-1][1]])
            ):
                break  # "gives 121 developing countries easier access": a plural noun ends the phrase
            words.append(w)
        while words and words[-1][2] not in ("NOUN", "PROPN"):
            words.pop()
        if words and words[-1][1] <= c.end:
            c.end = words[-1][1]
            c.unit = text[np_start : c.end]
    for c in cands:
        if c.rule_id == "count.bare" and c.kind == "count":
            _plural_noun_from_doc(text, c, doc)


def _plural_noun_from_doc(text: str, c: _Cand, doc: Doc) -> None:
    """A bare count whose noun the word rules missed because its first word can also be a verb ("5 million
    face masks"): the tagger's nouns and adjectives right after it, up to the first plural noun."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or span.end >= len(doc) or span.end_char != c.end:
        return
    first = doc[span.end]
    if first.idx != c.end + 1 or text[c.end] not in " \u00a0":
        return
    for tok in doc[span.end : span.end + 4]:
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or tok.tag_ == "POS":
            return
        if tok.tag_ in ("NNS", "NNPS"):
            c.end = tok.idx + len(tok.text)
            c.unit, c.rule_id = text[first.idx : c.end], "count.noun.tagged"
            return


@lru_cache(maxsize=1)
def _quote_table_data() -> tuple[dict[str, tuple[str, str]], tuple[str, ...], tuple[str, ...]]:
    """Header (lower case) -> (role, rule id); words and ticker prefixes that mark an index row."""
    headers: dict[str, tuple[str, str]] = {}
    index_words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    for row in _load("quote_tables.jsonl"):
        for h in row.get("headers", []):
            headers[h] = (row["role"], row["id"])
        if row["role"] == "index_row":
            index_words, prefixes = tuple(row["words"]), tuple(row["ticker_prefixes"])
    return headers, index_words, prefixes


_TABLE_BLOCK_RE = re.compile(r"(?:^[ \t]*\|[^\n]*\|[ \t]*(?:\n|$))+", re.M)
_TABLE_SEPARATOR_RE = re.compile(r"[\s|:\-]*")
_HEADER_PAREN_RE = re.compile(r"\s*\((?P<p>[^()]*)\)\s*$")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one "| a | b |" row as (start, end) spans, blanks trimmed."""
    pipes = [i for i in range(start, end) if text[i] == "|"]
    out = []
    for a, b in zip(pipes, pipes[1:], strict=False):
        s, e = a + 1, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def _table_currency(text: str, cands: list[_Cand], header: str) -> tuple[str, str]:
    """The currency of a quote table's prices, and how it was found: named in the column header
    ("Last ($)", "Price (EUR)"), else the currency the article's own amounts are in, else US dollars."""
    data = _data()
    m = _HEADER_PAREN_RE.search(header)
    if m:
        p = m.group("p").strip()
        entry = data.currency_prefix.get(p) or data.currency_prefix.get(p.upper())
        hit = data.currency_suffix.match(p, 0)
        if entry is None and hit is not None and hit[0] == len(p):
            entry = hit[1]
        if entry is not None and not entry.get("factor"):
            return entry["code"], "header"
    counts: dict[str, int] = {}
    for c in cands:
        if c.kind == "money" and c.unit and not text.startswith("|", _line_start(text, c.start)):
            counts[c.unit] = counts.get(c.unit, 0) + 1
    if counts:
        return max(counts, key=lambda u: counts[u]), "article"
    return "USD", "default"


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _quote_tables(text: str, cands: list[_Cand]) -> None:
    """Figures in a securities quote table ("| Ticker | Security | Last | Change | Change % |"), as the
    parser renders page tables: a bare number under a price column is money (an index row's level is
    points), under a change column a change whose sign is its direction ("-12.99": 12.99, down; spec:
    signed changes). Tables without a security column and a price or change column are left alone."""
    headers, index_words, prefixes = _quote_table_data()
    by_pos = {c.num_start: c for c in cands}
    for block in _TABLE_BLOCK_RE.finditer(text):
        rows = [(m.start() + block.start(), m.end() + block.start()) for m in re.finditer(r"[^\n]+", block.group(0))]
        if len(rows) < 2:
            continue
        head = [text[s:e].strip().lower() for s, e in _cells(text, *rows[0])]
        roles: list[tuple[str, str] | None] = []
        for h in head:
            bare = _HEADER_PAREN_RE.sub("", h).strip()
            roles.append(headers.get(h) or headers.get(bare))
        kinds = {r[0] for r in roles if r}
        if "name" not in kinds or not kinds & {"price", "change", "change_percent"}:
            continue
        currency: tuple[str, str] | None = None
        for rs, re_ in rows[1:]:
            cells = _cells(text, rs, re_)
            if _TABLE_SEPARATOR_RE.fullmatch(text[rs:re_]) or len(cells) != len(head):
                continue
            names = [text[s:e] for (s, e), r in zip(cells, roles, strict=True) if r and r[0] == "name"]
            index_row = any(
                n.startswith(prefixes) or any(re.search(r"\b" + re.escape(w) + r"\b", n.lower()) for w in index_words)
                for n in names
            )
            for (s, e), role in zip(cells, roles, strict=True):
                if role is None or role[0] == "name":
                    continue
                c = next((by_pos[i] for i in range(s, e) if i in by_pos), None)
                if c is None or c.start != s or c.end != e:
                    continue  # the figure must be the whole cell
                kind, rule = role
                if kind == "change_percent":
                    if c.kind == "count" and c.rule_id == "count.bare":
                        c.kind, c.unit = "percent", "%"
                    if c.kind != "percent":
                        continue
                    c.rule_id = rule
                elif c.kind == "count" and c.rule_id == "count.bare" and not c.is_word:
                    if index_row:
                        c.kind, c.unit, c.rule_id = "quantity", "point", rule + ".index"
                    else:
                        if currency is None:
                            currency = _table_currency(text, cands, head[roles.index(role)])
                        c.kind, c.unit, c.rule_id = "money", currency[0], f"{rule}.{currency[1]}_currency"
                elif c.kind not in ("money", "quantity"):
                    continue
                if kind in ("change", "change_percent") and c.direction is None and c.value:
                    if not c.sign:
                        c.sign = "+"  # an unsigned change in a change column is a rise
                    _sign_to_direction(c)


def _models_after_counts(text: str, cands: list[_Cand]) -> None:
    """A number right after a count ("roughly 400 737 Max jets", "two new 737 Max jets") names a model: the
    count takes the noun phrase after it. A measure right after a count ("eight million 250ml bottles",
    "three 500-MW units") sizes the things counted: it stays a figure, and the count takes the noun after it."""
    for a, b in zip(cands, cands[1:], strict=False):
        if a.kind != "count" or a.rule_id != "count.bare" or b.is_word:
            continue
        gap = _MODEL_GAP_RE.fullmatch(text, a.end, b.start)
        if not gap or (gap.group("w") and gap.group("w").lower() in _STOP - _SOFT):
            continue
        hyphen_compound = bool(re.match(r"-[A-Za-z]", text[b.end :]))  # "eight 35,000-barrel cargos"
        if b.kind == "count" and b.rule_id in ("count.noun", "count.bare") and not hyphen_compound:
            b.kind, b.rule_id = "identifier", "identifier.after_number"
            if b.unit:
                a.unit, a.rule_id, a.end = text[a.end : b.end].strip(), "count.noun", b.end
        elif b.kind == "quantity" and not gap.group("w"):
            noun, end = _count_noun(text, b.end)
            if noun:
                a.unit, a.rule_id = noun, "count.sized_noun"


_MODEL_GAP_RE = re.compile(r"[ \u00a0]+(?:(?P<w>[a-z]+)[ \u00a0]+)?")


_DAY_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and|to|through|till|until|-|–)\s*", re.I)


def _day_lists(text: str, cands: list[_Cand]) -> None:
    """ "on April 22 and 23", "from 24 to 27 September", "3, 4 and 5 May": days listed with a date are dates."""
    changed = True
    while changed:
        changed = False
        for a, b in zip(cands, cands[1:], strict=False):
            for bare, dated in ((a, b), (b, a)):
                if (
                    bare.rule_id == "count.bare"
                    and dated.kind == "date_part"
                    and dated.rule_id.startswith("date.")
                    and not bare.is_word
                    and bare.value == bare.value.to_integral_value()
                    and 1 <= bare.value <= 31
                    and _DAY_SEP_RE.fullmatch(text[a.end : b.start])
                ):
                    bare.kind, bare.rule_id = "date_part", "date.day_list"
                    changed = True


#: between two changes in a coordination: "a growth of 21.33 percent in terms of value and 54.58 percent",
#: "a decrease of 26.76 percent in value and 0.78 percent in tonnage"
_COORD_CHANGE_RE = re.compile(r"(?:\s+in\s+(?:terms\s+of\s+)?(?:the\s+)?[a-z]+)?\s*,?\s+and\s+", re.I)


def _or_equivalents(text: str, cands: list[_Cand]) -> None:
    """ "lost 190 points, or 0.6%": the second figure restates the first change; a gapped clause
    ("down 2.3%, Burlington by 2.6%") repeats it."""
    for a, b in zip(cands, cands[1:], strict=False):
        if (
            a.direction
            and b.direction is None
            and re.fullmatch(r",?\s+or\s+(?:about\s+|nearly\s+|some\s+)?", text[a.end : b.start])
        ):
            b.direction = a.direction
        elif (
            a.direction
            and b.direction is None
            and a.kind == b.kind
            and re.fullmatch(r",\s+(?:and\s+)?(?:[A-Z][\w&.'’-]*\s+){1,4}by\s+", text[a.end : b.start])
        ):
            b.direction = a.direction  # gapping: "Ross was down 2.3%, Burlington by 2.6%"
        elif (
            a.direction
            and b.direction is None
            and a.kind == b.kind == "percent"
            and _COORD_CHANGE_RE.fullmatch(text[a.end : b.start])
            and not re.match(r"\s+of\b", text[b.end :])  # "... and 3 percent of output was sold": a share
        ):
            b.direction = a.direction  # "increased 48 percent and 128 percent in terms of number and value"
    for a, b in zip(cands, cands[1:], strict=False):
        if (
            b.direction
            and a.direction is None
            and a.kind == b.kind == "percent"
            and re.fullmatch(r",?\s+(?:and|or)\s+", text[a.end : b.start])
            and data_after_noun(text, b)
        ):
            a.direction = b.direction  # "indicating 29 percent and 20.4 percent decrease"


def find_quantities(text: str, doc: Doc | None = None) -> list[Quantity]:
    """Every number in ``text`` with its unit, normalised value, approximation and direction.

    Claim kinds (count, money, percent, quantity) and the rest (year, date_part, duration, age, ordinal,
    identifier, other) are all returned; callers filter on ``kind``. ``doc``, a tagged spaCy Doc over the
    same text, is optional: when given, counted noun phrases end on their last noun ("787 jets flew" ->
    "jets"); the rules do not need it.
    """
    if not isinstance(text, str) or not text:
        return []
    rule_cands, blocked = _rule_spans(text)
    cands = _numbers(text, blocked)
    for c in cands:
        _attach(text, c)
    cands.sort(key=lambda c: c.start)
    # numbers swallowed by an earlier number's span (e.g. "9 liter" inside nothing) are dropped
    kept: list[_Cand] = []
    for c in cands:
        if kept and c.num_start < kept[-1].end:
            continue
        kept.append(c)
    prev_year_end = -1
    for c in kept:
        if c.kind == "count" and c.unit is None:
            _classify_plain(text, c, prev_year_end)
            if c.kind == "year":
                prev_year_end = c.end
    if "|" in text:
        _quote_tables(text, kept)
    for a, b in zip(kept, kept[1:], strict=False):
        if a.kind == "identifier" and b.kind == "count" and text[a.end : b.start] in ("-", "/", "."):
            b.kind, b.rule_id = "identifier", a.rule_id  # "ISO 3888-2"
    merged = _ranges(text, kept)
    for rc in rule_cands:
        if rc.kind == "other":
            _cues(text, rc)
    allc = sorted(merged + rule_cands, key=lambda c: (c.start, c.end))
    _day_lists(text, allc)
    _or_equivalents(text, allc)
    if doc is not None:
        _trim_with_doc(text, allc, doc)
    _models_after_counts(text, allc)
    _share_units(text, allc)
    _context_nouns(text, allc)
    _paren_links(text, allc)
    _paren_rates(text, allc)
    out = []
    for c in allc:
        out.append(
            Quantity(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                value=c.value,
                value_max=c.value_max,
                unit=c.unit,
                approx=c.approx,
                direction=c.direction,
                kind=c.kind,
                rule_id=c.rule_id,
                num_start=c.num_start,
                num_end=c.num_end,
                paren_equivalent_of=c.paren_of,
                signed_change=c.signed_change,
            )
        )
    return out


def _json_number(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    if v == v.to_integral_value():
        return int(v)
    return float(v)


def quantities_json(line: str) -> list[dict[str, Any]]:
    """The ``newsclaims quantities`` tool format: {text, value, value_max, unit, approx, direction} dicts."""
    return [_tool_dict(q) for q in find_quantities(line) if is_tool_quantity(q)]


#: the tool writes metric units in SI (British) spelling, as NewsQuant and CQE do ("kilometre", "litre")
_SI_SPELLING = (("meter", "metre"), ("liter", "litre"))


def _tool_dict(q: Quantity) -> dict[str, Any]:
    value, value_max, unit = q.value, q.value_max, q.unit
    minor = _minor_units().get(q.rule_id.rsplit(".", 1)[0])
    if minor is not None:  # "19 cents": the tool reports the amount as written, in its minor unit
        factor, unit = minor
        value = normalize(value / factor)
        value_max = normalize(value_max / factor) if value_max is not None else None
    elif q.kind == "quantity" and unit:
        for us, si in _SI_SPELLING:
            unit = re.sub(rf"{us}\b", si, unit)
    if q.signed_change and q.direction == "down":  # "-1.3%": the tool reports the signed figure as written
        value = -value
        value_max = -value_max if value_max is not None else None
    return {
        "text": q.text,
        "value": _json_number(value),
        "value_max": _json_number(value_max),
        "unit": unit,
        "approx": q.approx,
        "direction": q.direction,
    }


@lru_cache(maxsize=1)
def _minor_units() -> dict[str, tuple[Decimal, str]]:
    return {e["id"]: (Decimal(e["factor"]), e["minor"]) for e in _load("currencies.jsonl") if e.get("minor")}


#: amounts of kind "other" that the quantities tool still reports (NewsQuant counts them as quantities)
TOOL_OTHER_RULES = ("fraction.", "multiplier.", "vague.", "pronoun.one_of")


def is_tool_quantity(q: Quantity) -> bool:
    """Whether the ``newsclaims quantities`` tool reports ``q`` (not years, dates, identifiers, scores)."""
    if q.kind == "other":
        return q.rule_id.startswith(TOOL_OTHER_RULES)
    return q.kind in TOOL_KINDS
