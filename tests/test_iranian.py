import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import iranian

YEARS = st.integers(min_value=1300, max_value=1500)


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (1397, "2018-03-21", "2019-03-20"),
        (1398, "2019-03-21", "2020-03-19"),
        (1399, "2020-03-20", "2021-03-20"),
        (1400, "2021-03-21", "2022-03-20"),
        (1401, "2022-03-21", "2023-03-20"),
    ],
)
def test_iranian_year_span_matches_spec(year: int, start: str, end: str) -> None:
    assert iranian.year_span(year) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize(
    ("year", "first", "count", "start", "end"),
    [
        (1398, 1, 6, "2019-03-21", "2019-09-22"),
        (1398, 1, 9, "2019-03-21", "2019-12-21"),
        (1398, 1, 10, "2019-03-21", "2020-01-20"),
        (1398, 1, 15, "2019-03-21", "2020-06-20"),
        (1399, 1, 3, "2020-03-20", "2020-06-20"),
    ],
)
def test_iranian_months_span(year: int, first: int, count: int, start: str, end: str) -> None:
    want = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert iranian.months_span(year, first, count) == want


@pytest.mark.parametrize(("name", "number"), [("Farvardin", 1), ("Amordad", 5), ("Mordad", 5), ("Mehr", 7),
                                              ("Esfand", 12), ("Dey", 10), ("Monday", None)])
def test_iranian_month_names(name: str, number: int | None) -> None:
    assert iranian.month_number(name) == number


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1925, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iranian_round_trip(d: dt.date) -> None:
    y, m, day = iranian.from_gregorian(d)
    assert iranian.to_gregorian(y, m, day) == d
    assert iranian.persian_year_of(d) == y
    a, b = iranian.month_span(y, m)
    assert a <= d <= b


@settings(deadline=None)
@given(YEARS)
def test_iranian_years_contiguous_and_365_or_366(y: int) -> None:
    a, b = iranian.year_span(y)
    length = (b - a).days + 1
    assert length == (366 if iranian.is_leap(y) else 365)
    assert iranian.year_span(y + 1)[0] == b + dt.timedelta(days=1)


@settings(deadline=None)
@given(YEARS)
def test_iranian_months_tile_the_year(y: int) -> None:
    spans = [iranian.month_span(y, m) for m in range(1, 13)]
    assert spans[0][0] == iranian.year_span(y)[0]
    assert spans[-1][1] == iranian.year_span(y)[1]
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert s2 == e1 + dt.timedelta(days=1)
    assert [iranian.month_length(y, m) for m in range(1, 12)] == [31] * 6 + [30] * 5


def test_iranian_rejects_impossible_day() -> None:
    with pytest.raises(ValueError):
        iranian.to_gregorian(1398, 12, 30)  # 1398 is not a leap year


@settings(deadline=None, max_examples=60)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iranian_arithmetic_agrees_with_convertdate(d: dt.date) -> None:
    """The cached Nowruz arithmetic gives exactly convertdate's astronomical answer."""
    from convertdate import persian

    assert iranian.from_gregorian(d) == tuple(persian.from_gregorian(d.year, d.month, d.day))


@settings(deadline=None, max_examples=40)
@given(st.integers(min_value=1300, max_value=1500))
def test_iranian_fast_nowruz_agrees_with_convertdate(year: int) -> None:
    from convertdate import persian

    assert iranian.nowruz(year) == dt.date(*persian.to_gregorian(year, 1, 1))
