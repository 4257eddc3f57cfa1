"""Direction and signed changes: "rose 8%", "a 5% drop", "-1.3%" on the day, and the cues around a figure."""

from __future__ import annotations

import re

from extractors.quantities.lexicons import (
    CHANGE_DOWN,
    CHANGE_REPORTING,
    CHANGE_UP,
    PHRASAL_UP,
    SIGNED_LEVEL_NOUNS,
    alt,
    cue,
    lexicon,
    pattern_data,
)
from extractors.quantities.model import Candidate
from extractors.quantities.text import prev_word

#: "increased the budget for this sector by 53 percent", "pushes up the credits of science centers for 71 percent":
#: a change verb, its object (no punctuation, digits or clause words), then "by" (or "for" before a percent)
_VERB_BY_RE = re.compile(
    r"(?:^|(?<=[^\w-]))(?P<v>" + alt(list(CHANGE_UP | CHANGE_DOWN)) + r")\s+"
    r"(?:(?!(?:which|that|who|than|when|while|where|from|or|"
    + alt(list(CHANGE_UP | CHANGE_DOWN))
    + r")\s)[A-Za-z'’-]+\s+){1,8}(?P<p>by|for)\s+$",
    re.I,
)
_CHANGE_NOUNS = alt(list(lexicon("change_nouns")))
#: "an annual increase of 15.5 percent", "a year-on-year decline of 3%": a change noun with its modifiers
_NOUN_OF_RE = re.compile(
    r"(?:^|(?<=[^\w-]))(?:an?|the|its|their)\s+(?:[A-Za-z-]+\s+){0,2}(?P<n>" + _CHANGE_NOUNS + r")\s+of\s+$",
    re.I,
)
_DOWN_NOUNS = lexicon("change_nouns_down")


def cues(text: str, c: Candidate, sign: str = "") -> None:
    """Approximation and direction from the words around the number."""
    data = pattern_data()
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
        pw, _ = prev_word(window, dm.start("f"))
        if not (form in ("up", "down") and pw.lower() in PHRASAL_UP):
            c.direction = data.dir_before[form]["direction"]
    else:
        vb = _VERB_BY_RE.search(text[max(0, cue_start - 110) : cue_start])
        nm = _NOUN_OF_RE.search(window)
        if vb and (vb.group("p").lower() == "by" or _percent_follows(text, c.num_end)):
            verb = re.sub(r"\s+", " ", vb.group("v").lower())
            c.direction = "up" if verb in CHANGE_UP else "down"
        elif nm:
            c.direction = "down" if nm.group("n").lower() in _DOWN_NOUNS else "up"
    if c.direction is None and sign and _is_signed_change(text, c, sign):
        sign_to_direction(c)
    after_direction(text, c, cue_start)


_FOCUS_RE = cue("quantity.cue.focus")
_TEMPERATURE_UNITS = lexicon("temperature_units")


def _is_signed_change(text: str, c: Candidate, sign: str) -> bool:
    """Whether a signed figure is a change (its sign the direction) rather than a signed level.

    "+" marks a change ("Dow +0.2%", "+150 points"); "-" does so before a percent ("Stoxx 50 -1.3%",
    "growth of -3 percent"). A temperature, or a rate or yield named just before ("a deposit rate of
    -0.5%"), is a level whatever its sign; so is any other "-" figure in running text ("-5 yards"):
    a price table's change column (:func:`quote_tables`) is where those are changes."""
    if c.kind == "quantity" and c.unit in _TEMPERATURE_UNITS:
        return False
    clause = re.split(r"[.;:!?,(|]", text[max(0, c.start - 50) : c.start])[-1]
    if any(w in SIGNED_LEVEL_NOUNS for w in re.findall(r"[a-z]+", clause.lower())[-4:]):
        return False
    return sign == "+" or c.kind == "percent"


def sign_to_direction(c: Candidate) -> None:
    """A signed change: the magnitude as the value, the sign as the direction."""
    c.direction = "up" if c.sign == "+" else "down"
    c.value = abs(c.value)
    if c.value_max is not None:
        c.value_max = abs(c.value_max)
    c.signed_change = True


def data_after_noun(text: str, c: Candidate) -> bool:
    """Whether a change noun follows the figure ("20.4 percent decrease")."""
    return bool(pattern_data().dir_after_re.match(text, c.end))


def _percent_follows(text: str, pos: int) -> bool:
    return bool(re.match(r"[\s-]?(?:%|percent\b|per\s?cent\b)", text[pos:], re.I))


def after_direction(text: str, c: Candidate, cue_start: int) -> None:
    """ "a 5 percent rise", "indicating 0.3 percent fall", "4.9 percent more than": the figure is the change."""
    if c.direction is not None or c.kind not in ("percent", "money", "quantity", "count"):
        return
    data = pattern_data()
    am2 = data.dir_after_re.match(text, c.end)
    if am2:
        prev, _ = prev_word(text, cue_start)
        word = am2.group("f").lower()
        if prev.lower() in CHANGE_REPORTING or word in ("higher", "lower") or (
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
