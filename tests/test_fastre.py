"""extractors.fastre: a first-character lookahead in front of a rule regex changes no match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dates import load_rules
from extractors.fastre import compile_guarded, guard_for
from extractors.quantities.lexicons import pattern_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("pattern", "flags", "guard"), [
    (r"\b(?:in|since)\s+\d+", re.I, "(?=[is])"),
    (r"(?:\bfrom\s+)?(?P<m>(?-i:May|June))", re.I, "(?=[JMf])"),
    (r"[0-3]?\d(?:st|nd)", 0, r"(?=[0-3\d])"),
    (r"(?<=\s)x|y", 0, "(?=[xy])"),
])
def test_fastre_guard_is_the_possible_first_characters(pattern: str, flags: int, guard: str) -> None:
    assert guard_for(pattern, flags) == guard


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"a?", 0),  # matches the empty string
    (r"[^a]b", 0),  # negated class
    (r".b", 0),  # any character
    (r"(?i:a)b", 0),  # a local ignore-case the guard would not have
    (r"(?:(a)|\1)b", 0),  # a back-reference
])
def test_fastre_no_guard_when_it_cannot_be_worked_out(pattern: str, flags: int) -> None:
    assert guard_for(pattern, flags) is None
    assert [m.span() for m in compile_guarded(pattern, flags).finditer("ab aab xb Ab")] == \
        [m.span() for m in re.finditer(pattern, "ab aab xb Ab", flags)]


def _case_texts() -> list[str]:
    texts = []
    for f in sorted((ROOT / "tests" / "cases").glob("*.jsonl")):
        for raw in f.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                t = json.loads(raw).get("text")
                if isinstance(t, str):
                    texts.append(t)
    return texts


RULES = [(r.id, r.regex) for r in load_rules()] + [(r["id"], rx) for r, rx in pattern_data().rules]


def test_fastre_rules_are_guarded() -> None:
    """The rule files' patterns get their lookahead (so the equality below tests something)."""
    assert sum(rx.pattern.startswith("(?=[") for _, rx in RULES) > 0.9 * len(RULES)


@pytest.mark.parametrize(("rid", "rx"), RULES, ids=[r for r, _ in RULES])
def test_fastre_rule_matches_equal_the_plain_pattern(rid: str, rx: re.Pattern[str]) -> None:
    plain_pattern = rx.pattern
    if plain_pattern.startswith("(?=["):  # strip the guard and its wrapping group again
        plain_pattern = plain_pattern[plain_pattern.index("])") + 2:]
        assert plain_pattern.startswith("(?:") and plain_pattern.endswith(")")
        plain_pattern = plain_pattern[3:-1]
    plain = re.compile(plain_pattern, rx.flags)
    texts = _case_texts()
    assert len(texts) > 300
    for t in texts:
        assert [(m.span(), m.groups()) for m in rx.finditer(t)] == [(m.span(), m.groups()) for m in plain.finditer(t)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab1 -KkSsſ\u212a.", max_size=30))
def test_fastre_guarded_equals_plain_on_any_text(text: str) -> None:
    for pattern, flags in [(r"\b(?:k|s)\w+", re.I), (r"(?:-)?\d+(?:\.\d+)?", 0), (r"(?-i:K)s|\bab", re.I)]:
        assert [m.span() for m in compile_guarded(pattern, flags).finditer(text)] == \
            [m.span() for m in re.finditer(pattern, text, flags)]
