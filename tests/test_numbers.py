"""Number normalisers: examples and hypothesis properties (round trips, never raising)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import parse_number, scale_factor


@pytest.mark.parametrize(
    "text, want",
    [
        ("1,726", "1726"),
        ("1.2", "1.2"),
        ("15", "15"),
        ("two", "2"),
        ("fifteen", "15"),
        ("one hundred and twenty", "120"),
        ("a million", "1000000"),
        ("twenty-eight thousand six hundred", "28600"),
        ("2.61m", "2610000"),
        ("1.2b", "1200000000"),
        ("15 trn", "15000000000000"),
        ("-3", "-3"),
        (".5", "0.5"),
    ],
)
def test_numbers_parse_number_examples(text: str, want: str) -> None:
    assert parse_number(text) == Decimal(want)


@pytest.mark.parametrize(
    "text", ["", "abc", "1,72", "1..2", "12,34,567", "one banana", "$", "1.2.3", "nan", "inf"]
)
def test_numbers_parse_number_malformed_is_none(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "word, factor",
    [
        ("thousand", 10**3),
        ("k", 10**3),
        ("million", 10**6),
        ("m", 10**6),
        ("mn", 10**6),
        ("MN", 10**6),
        ("billion", 10**9),
        ("b", 10**9),
        ("bn", 10**9),
        ("Bn", 10**9),
        ("trillion", 10**12),
        ("tn", 10**12),
        ("trn", 10**12),
        ("banana", 1),
    ],
)
def test_numbers_scale_factor(word: str, factor: int) -> None:
    assert (scale_factor(word) or 1) == factor


decimals = st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False, allow_infinity=False)


@given(decimals)
def test_numbers_round_trip_commas(value: Decimal) -> None:
    assert parse_number(f"{value:,f}") == value


@given(
    st.decimals(min_value=0, max_value=999, places=2),
    st.sampled_from(["thousand", "million", "billion", "bn", "m"]),
)
def test_numbers_round_trip_scale_word(value: Decimal, word: str) -> None:
    text = f"{value:,f} {word}" if len(word) > 2 else f"{value:,f}{word}"
    assert parse_number(text) == value * (scale_factor(word) or 1)


@given(st.integers(min_value=0, max_value=999_999))
def test_numbers_round_trip_words(n: int) -> None:
    assert parse_number(_spell(n)) == n


@settings(max_examples=300)
@given(st.text())
def test_numbers_never_raise(text: str) -> None:
    parse_number(text)
    scale_factor(text)


ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split()
)
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _spell(rest))
    rest = n % 1000
    return _spell(n // 1000) + " thousand" + ("" if rest == 0 else " " + _spell(rest))
