"""Faster scanning for rule regexes that start with no fixed word.

Python's ``re`` tries such a pattern (``\\b(?:in|since|...)\\s+...``, an optional leading group, a long
alternation) at every position of the text, running through its alternatives each time. :func:`compile_guarded`
puts a lookahead for the characters a match can start with in front of the pattern (``(?=[isu...])``), so most
positions are rejected at one character. The lookahead consumes nothing and captures nothing: group numbers,
names, spans and matches stay exactly those of the plain pattern. The character set is a superset (case-
insensitive under the pattern's own flags, local ``(?-i:...)`` ignored); when it cannot be worked out (a
pattern that can match the empty string, a negated class, a back-reference, a local ``(?i:...)``), the plain
pattern is compiled.
"""

from __future__ import annotations

import re
import re._constants as C  # the parser behind re.compile (Python 3.11+, requires-python)
import re._parser as P
from typing import Any

_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")
_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_WORD: r"\w", C.CATEGORY_SPACE: r"\s"}


class _Unknown(Exception):
    pass


def _char(c: int) -> str:
    return re.escape(chr(c)) if chr(c) not in "-]\\^" else "\\" + chr(c)


def _class_items(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(_char(av))
        elif op is C.RANGE:
            out.add(f"{_char(av[0])}-{_char(av[1])}")
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:  # NEGATE, other categories
            raise _Unknown
    return out


def _first(seq: Any, global_i: bool) -> tuple[set[str], bool]:
    """(class items a match of ``seq`` can start with, whether ``seq`` can match the empty string)."""
    out: set[str] = set()
    for op, av in seq:
        chars, nullable = _first_item(op, av, global_i)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_item(op: Any, av: Any, global_i: bool) -> tuple[set[str], bool]:
    if op is C.LITERAL:
        return {_char(av)}, False
    if op is C.IN:
        return _class_items(av), False
    if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
        return set(), True  # zero-width
    if op is C.BRANCH:
        out: set[str] = set()
        nullable = False
        for alt in av[1]:
            chars, n = _first(alt, global_i)
            out |= chars
            nullable = nullable or n
        return out, nullable
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE and not global_i:
            raise _Unknown
        return _first(sub, global_i)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
        lo, _hi, sub = av
        chars, n = _first(sub, global_i)
        return chars, n or lo == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first(av, global_i)
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...


def guard_for(pattern: str, flags: int = 0) -> str | None:
    """The lookahead ``(?=[...])`` for ``pattern``, or None when it cannot be worked out."""
    try:
        parsed = P.parse(pattern, flags)
        global_i = bool(parsed.state.flags & re.IGNORECASE)
        chars, nullable = _first(parsed, global_i)
    except (_Unknown, re.error, TypeError, ValueError):
        return None
    if nullable or not chars:
        return None
    return "(?=[" + "".join(sorted(chars)) + "])"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` with a first-character lookahead in front (see the module docstring)."""
    guard = guard_for(pattern, flags)
    if guard is None:
        return re.compile(pattern, flags)
    head = _GLOBAL_FLAGS.match(pattern)
    at = head.end() if head else 0
    try:
        return re.compile(pattern[:at] + guard + "(?:" + pattern[at:] + ")", flags)
    except re.error:
        return re.compile(pattern, flags)
