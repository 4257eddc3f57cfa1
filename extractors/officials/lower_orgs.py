"""Organisation phrases written in lower case around a head word ("the energy ministry", "Kish free zone
authority"), and whether an organisation stands before a title's head."""

from __future__ import annotations

import re

from extractors.officials.acronyms import is_org_acronym
from extractors.officials.data import FUNCTION_WORDS, LOWER_STOP, NOT_ORG, lexicon, lexicon_speech_word
from extractors.officials.words import is_lower_org_head, is_org_head, title_words_right


def lower_org_right(words: list[tuple[str, int, int]], k: int) -> int:
    """Index of the lower-case organisation word that ends an organisation (partly) in lower case starting at
    words[k] and followed by a role ('energy ministry spokesman', 'Kish free zone organization CEO'), or k."""
    lex = lexicon()
    j = k
    while j < len(words) and j < k + 6:
        w = words[j][0]
        if is_lower_org_head(w) and j > k:
            t_end = title_words_right(words, j + 1, j + 1)
            if any(x[0].lower() in lex.heads for x in words[j + 1 : t_end]):
                return j
        if (w in ("of", "and") and j > k) or (
            re.fullmatch(r"[a-z][a-z\-]+", w) and w not in LOWER_STOP and w not in FUNCTION_WORDS
            and w not in lex.heads and not lexicon_speech_word(w)
        ) or (w[:1].isupper() and w not in NOT_ORG and w.lower() not in lex.heads):
            j += 1
            continue
        break
    return k


def lower_org_left(words: list[tuple[str, int, int]], j: int) -> int:
    """First index of an organisation written (partly) in lower case that ends in the lower-case organisation
    word words[j] ('Kish free zone organization', 'energy ministry', 'Tehran chamber of commerce' ends in
    'commerce' after 'chamber'), two to six words; ``j`` when there is none."""
    w = words[j][0]
    if not is_lower_org_head(w):
        # "the Tehran chamber of commerce head": an 'of' remit after the organisation word
        if not (
            j >= 2
            and w.islower()
            and w in lexicon().domains
            and words[j - 1][0] == "of"
            and is_lower_org_head(words[j - 2][0])
        ):
            return j
    k = j
    while k > 0 and j - k < 5:
        prev = words[k - 1][0]
        if prev in ("of", "and") and k - 1 > 0 and words[k - 2][0] not in ("the", "a", "an"):
            k -= 1
            continue
        if (prev.islower() and re.fullmatch(r"[a-z][a-z\-]+", prev) and prev not in LOWER_STOP
                and prev not in FUNCTION_WORDS and not lexicon_speech_word(prev) and prev not in ("a", "an")) or (
            prev[:1].isupper() and prev not in NOT_ORG and prev.lower() not in lexicon().heads
        ):
            k -= 1
            continue
        break
    while k < j and words[k][0] in ("of", "and"):
        k += 1
    return k if k < j and j - k >= 1 else j


def org_before_head(words: list[tuple[str, int, int]], k: int) -> bool:
    """'National Iranian Oil Company (NIOC)'s director': a capitalised stretch that opens with a title word but
    holds an organisation word or an acronym before its first role word."""
    lex = lexicon()
    j = k
    while j < len(words) and (words[j][0][:1].isupper() or words[j][0] in ("(", ")", "of", "and")):
        w = words[j][0]
        if w.lower() in lex.heads and not is_org_acronym(w):
            return False
        if is_org_head(w) or is_org_acronym(w):
            return True
        j += 1
    return False


def lower_org(words: list[tuple[str, int, int]], k: int) -> int:
    """'science and technology vice presidency', 'telecommunications company': an organisation written in lower
    case, two to six words ending in an organisation word. Index one past it, or ``k``."""
    lex = lexicon()
    best = k
    j = k
    while j < len(words) and j < k + 6:
        w = words[j][0]
        if w == "and" and j > k and j + 1 < len(words):
            j += 1
            continue
        if not re.fullmatch(r"[a-z][a-z\-]+", w) or w in LOWER_STOP or w in lex.heads or lexicon_speech_word(w):
            break
        if j > k and is_lower_org_head(w):
            best = j + 1
        j += 1
    return best
