"""Hypothesis properties of the money and date normalisers, through the public finders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dates import find_dates
from extractors.quantities import find_quantities

AMOUNTS = st.integers(min_value=1, max_value=999_999)
CURRENCY = st.sampled_from([("rials", "IRR", 1), ("tomans", "IRR", 10), ("dollars", "USD", 1), ("euros", "EUR", 1)])
SCALE = st.sampled_from([("", 1), (" million", 10**6), (" billion", 10**9), (" trillion", 10**12)])


@settings(deadline=None, max_examples=150)
@given(AMOUNTS, CURRENCY, SCALE)
def test_properties_money_value_is_amount_times_scale_times_factor(n: int, cur: tuple, scale: tuple) -> None:
    word, code, factor = cur
    text = f"The ministry allocated {n:,}{scale[0]} {word} to the project."
    money = [q for q in find_quantities(text) if q.kind == "money"]
    assert len(money) == 1
    assert money[0].unit == code
    assert money[0].value == Decimal(n) * scale[1] * factor
    assert isinstance(money[0].value, Decimal)


@settings(deadline=None, max_examples=150)
@given(st.text(max_size=200))
def test_properties_finders_never_raise_and_keep_offsets(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
    for d in find_dates(text, dt.date(2020, 1, 1)):
        assert 0 <= d.start < d.end <= len(text)
        if d.date_start and d.date_end:
            assert d.date_start <= d.date_end


@settings(deadline=None, max_examples=150)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_properties_absolute_gregorian_day_resolves_exactly(day: dt.date) -> None:
    text = f"The contract was signed on {day.strftime('%B')} {day.day}, {day.year} in Tehran."
    found = [d for d in find_dates(text, dt.date(2031, 1, 1)) if d.date_start == d.date_end]
    assert [(d.date_start, d.calendar) for d in found] == [(day.isoformat(), "gregorian")]
