"""Sentences and words: sentence spans read from the Doc's arrays, word tokens, whole-word occurrences."""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

from extractors.doctext import doc_text
from extractors.officials.data import regexes


def sent_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, as doc.sents gives them, read from token arrays (iterating
    doc.sents builds a Token object per token: the hot spot of this module)."""
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [(0, len(doc_text(doc)))]
    arr = doc.to_array([SENT_START, IDX, LENGTH])
    starts = [i for i, v in enumerate(arr[:, 0].tolist()) if v == 1 or i == 0]
    idx = arr[:, 1].tolist()
    length = arr[:, 2].tolist()
    ends = starts[1:] + [len(doc)]
    return [(idx[a], idx[b - 1] + length[b - 1]) for a, b in zip(starts, ends, strict=True)]


def sent_index(spans: list[tuple[int, int]], pos: int) -> int:
    i = bisect_right(spans, (pos, _BIG)) - 1
    if 0 <= i < len(spans) and spans[i][0] <= pos < spans[i][1]:
        return i
    # between sentences (whitespace) or past the end: the sentence that starts next, else the last
    for j in range(max(i, 0), len(spans)):
        if pos < spans[j][1]:
            return j
    return len(spans) - 1


_BIG = 1 << 62


def word_occurrences(text: str, form: str, hyphen: bool = False) -> list[tuple[int, int]]:
    """Spans of ``form`` standing as a word (not inside a longer word; with ``hyphen``, not joined by a hyphen
    either): plain string search, no pattern per form to compile."""
    out: list[tuple[int, int]] = []
    n = len(form)
    if not n:
        return out
    pos = text.find(form)
    while pos >= 0:
        end = pos + n
        left = text[pos - 1] if pos else " "
        right = text[end] if end < len(text) else " "
        # a form that starts or ends in a non-word character needs no boundary on that side
        lw = form[0].isalnum() or form[0] == "_"
        rw = form[-1].isalnum() or form[-1] == "_"
        ok_left = not lw or not (left.isalnum() or left == "_" or (hyphen and left == "-"))
        ok_right = not rw or not (right.isalnum() or right == "_" or (hyphen and right == "-"))
        if ok_left and ok_right:
            out.append((pos, end))
        pos = text.find(form, pos + 1)
    return out


def word_tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    rx = regexes()["word"]
    return [(m.group(), start + m.start(), start + m.end()) for m in rx.finditer(text[start:end])]
