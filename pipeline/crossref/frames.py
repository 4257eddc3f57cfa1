"""The sentence-level frame of a figure: the content words around it, other figures masked. Pure functions.

Two figures have the same frame when the words just before and after them are the same once function words,
attribution ("he added", "the official stressed") and the other numbers are ignored. A frame is what makes an
undated or weakly measured figure "the same thing" in two articles: "the share of industrial units in bank
facilities is about [31 percent]" in two stories, or the second figure of "Tehran, Isfahan and Khorasan Razavi
had 9785, [8585], 5294 active units, respectively" republished.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

BEFORE = 6  # content words before the figure
AFTER = 4  # content words after it, within its clause

NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
    "thousand thousands million millions billion billions trillion trillions half quarter dozen".split()
)
STOP = frozenset(
    "a an the of and or but to in on at by for from with as into onto over under about around nearly some "
    "almost approximately roughly more than less fewer least most up down out off this that these those it its "
    "their his her he she they them we our you your i is are was were be been being has have had will would "
    "shall should can could may might must do does did not no so also currently now there here which who whom "
    "what when where while per cent percent said says say told tell added adding noted noting stressed stressing "
    "announced announcing stated explained mentioned official officials according reported reporting news "
    "agency quoted quoting".split()
)
_TOKEN = re.compile(r"\d[\d,.]*|[A-Za-z][A-Za-z'’-]*|[,;:()\"“”]")
_CLAUSE_END = frozenset({";", ":", ")", "\"", "”"})


def _sing(tok: str) -> str:
    if tok.endswith("ies") and len(tok) > 4:
        return tok[:-3] + "y"
    if tok.endswith("s") and not tok.endswith(("ss", "us", "is")) and len(tok) > 3:
        return tok[:-1]
    return tok


def _norm(tok: str) -> str | None:
    """Content token, "#" for a number, None for a function word or punctuation."""
    low = tok.lower().replace("’", "'").removesuffix("'s")
    if tok[0].isdigit() or low in NUMBER_WORDS:
        return "#"
    if not low[0].isalpha() or low in STOP:
        return None
    return _sing(low.replace("-", ""))


def frame_of(claim: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(frame hash, evidence) of a claim row (needs sentence, start, end, sentence_start).

    The figure itself is "@"; other numbers are "#" so that a list position is part of the frame. Before the
    figure, up to BEFORE content words of its sentence; after it, up to AFTER content words up to the end of
    its clause (a semicolon, colon, closing quote or bracket, or a comma not followed by another number).
    """
    sentence = claim.get("sentence") or ""
    s0 = claim.get("sentence_start") or 0
    rs = max(0, (claim.get("start") or 0) - s0)
    re_ = max(rs, (claim.get("end") or 0) - s0)
    before_toks = [m.group(0) for m in _TOKEN.finditer(sentence[:rs])]
    after_toks = [m.group(0) for m in _TOKEN.finditer(sentence[re_:])]
    before: list[str] = []
    for tok in reversed(before_toks):
        n = _norm(tok)
        if n:
            before.insert(0, n)
            if len(before) == BEFORE:
                break
    after: list[str] = []
    for i, tok in enumerate(after_toks):
        if tok in _CLAUSE_END:
            break
        if tok == ",":
            nxt = after_toks[i + 1] if i + 1 < len(after_toks) else ""
            if not (nxt and _norm(nxt) == "#") and nxt.lower() not in {"and", "or"}:
                break
            continue
        n = _norm(tok)
        if n:
            after.append(n)
            if len(after) == AFTER:
                break
    words = before + ["@"] + after
    text = " ".join(words)
    return hashlib.sha256(text.encode()).hexdigest()[:12], {"frame": text}
