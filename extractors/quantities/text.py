"""Character-level helpers over the raw text: neighbouring words, sentence and line starts, prose and quotes."""

from __future__ import annotations

import re


def prev_word(text: str, pos: int) -> tuple[str, int]:
    """The word ending just before ``pos`` (skipping blanks), and its start; ("", pos) if punctuation."""
    i = pos
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’."):
        j -= 1
    return text[j:i], j


def next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \u00a0]*([A-Za-z][\w'’-]*)", text[pos:])
    return m.group(1) if m else ""


def inside_quote(text: str, pos: int) -> bool:
    """Whether a straight double quotation mark opened on this line before ``pos`` is still open (an inch
    mark right after a number, as in '22" long', neither opens nor closes one)."""
    open_ = False
    for i in range(text.rfind("\n", 0, pos) + 1, pos):
        if text[i] == '"' and not (i > 0 and text[i - 1].isdigit()):
            open_ = not open_
    return open_


def is_prose(text: str, pos: int) -> bool:
    """Whether the line around ``pos`` reads as running text (most words lower case), not a title-case
    heading ("Iran to Export Two Million Tons")."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    words = re.findall(r"[A-Za-z][\w'’-]*", text[max(s, pos - 120) : min(e if e >= 0 else len(text), pos + 120)])
    return sum(w[0].islower() for w in words) * 2 > len(words)


_SENT_END_RE = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'‘“(]*[A-Z0-9])|\n")


def sentence_start(text: str, pos: int) -> int:
    starts = [m.end() for m in _SENT_END_RE.finditer(text, max(0, pos - 400), pos + 1) if m.end() <= pos]
    return starts[-1] if starts else max(0, pos - 400)


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1
