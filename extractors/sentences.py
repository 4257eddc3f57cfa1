"""A small rule-based sentence splitter for when no spaCy ``Doc`` is at hand (evaluation, fallbacks).

Splits after ``.``, ``!`` or ``?`` (optionally followed by a closing quote or bracket) when the next
non-space character opens a new sentence, except after common abbreviations and initials.
"""

from __future__ import annotations

import re

_ABBREV = {"u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "st", "no", "vs", "inc", "co", "corp", "ltd", "jr",
           "sr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g",
           "i.e", "etc", "gov", "prof", "gen", "col", "lt", "sgt", "capt"}
_END = re.compile(r"[.!?][”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (end exclusive, trailing spaces excluded) of the sentences of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        word = re.search(r"([A-Za-z.]+)$", text[max(start, m.start() - 12):m.start()])
        w = word.group(1).lower().rstrip(".") if word else ""
        if w in _ABBREV or (len(w) == 1 and w.isalpha()):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span containing ``pos`` (or the nearest one before it)."""
    best = spans[0] if spans else (0, 0)
    for s, e in spans:
        if s <= pos:
            best = (s, e)
        else:
            break
    return best
