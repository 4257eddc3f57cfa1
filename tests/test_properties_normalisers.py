"""Hypothesis properties of every public normaliser (never raising beyond what it documents, keeping what it
promises), and of parse_html on arbitrary bytes. The money, number and date finders have theirs in
test_properties.py and test_numbers.py."""

from __future__ import annotations

import datetime as dt
import ipaddress
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors import iranian
from extractors.names import is_acronym, norm_name, person_tokens
from extractors.numbers import normalise, scale_factor
from pipeline.crossref import names
from pipeline.crossref.measures import canonical_head, normalise_measure_query
from pipeline.crossref.periods import iso_day, period_key
from pipeline.extract import split_text
from pipeline.fetch.fetcher import UnsafeURL, check_url, embedded_ipv4, normalise_url, not_public, parse_retry_after
from pipeline.parse.fields import clean_space, normalise_date, parse_english_datetime, split_authors
from pipeline.parse.page import (
    ParsedPage,
    ParseError,
    cap_attributes,
    clean_title,
    decode_html,
    parse_html,
    strip_site_name,
    url_date,
)
from pipeline.parse.published import parse_published
from pipeline.query.claims import QueryError, parse_amount, parse_since
from pipeline.read import normalise_text

TEXT = st.text(max_size=200)
FAST = settings(max_examples=200, deadline=None)


@FAST
@given(st.one_of(TEXT, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(), st.dates().map(str)))
def test_prop_parse_published_is_iso_or_says_why(value: object) -> None:
    got = parse_published(value)
    if got.iso is None:
        assert got.problem and got.precision is None
    else:
        assert got.problem is None and got.precision in ("day", "datetime")
        dt.date.fromisoformat(got.iso[:10])
        assert parse_published(got.iso).iso == got.iso  # a normalised date is kept as it is


@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{y} {M} {d}", "{W}, {M} {d}th {y}", "{d} {m}. {y}"]))
def test_prop_parse_published_reads_written_out_dates_in_any_order(day: dt.date, fmt: str) -> None:
    text = fmt.format(d=day.day, M=day.strftime("%B"), m=day.strftime("%b"), y=day.year, W=day.strftime("%A"))
    assert parse_published(text).iso == day.isoformat()


@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from("/.-"))
def test_prop_parse_published_refuses_numeric_day_month_orders(day: dt.date, sep: str) -> None:
    text = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert parse_published(text).iso is None


@FAST
@given(st.text(alphabet=st.sampled_from("ab .\n?!\"'"), max_size=400), st.integers(min_value=2, max_value=60))
def test_prop_split_text_covers_the_text_in_bounded_pieces(text: str, size: int) -> None:
    pieces = split_text(text, size)
    assert "".join(p for _, p in pieces) == text
    assert all(0 < len(p) <= size for _, p in pieces) or text == ""
    offset = 0
    for off, p in pieces:
        assert off == offset
        offset += len(p)


@FAST
@given(TEXT, st.one_of(st.none(), TEXT))
def test_prop_normalise_text_has_unix_lines_and_is_stable(text: str, title: str | None) -> None:
    out = normalise_text(text, title)
    assert "\r" not in out and not out.startswith("\ufeff")
    assert normalise_text(out, None) == out


@FAST
@given(TEXT)
def test_prop_norm_name_folds_case_and_hyphens(name: str) -> None:
    out = norm_name(name)
    assert out is None or (out == out.lower() and "-" not in out and out.strip() == out and out)
    assert norm_name(name.upper()) == norm_name(name.lower()) or not name.isascii()


@FAST
@given(TEXT)
def test_prop_crossref_name_keys_never_raise(name: str) -> None:
    for f in (names.person_key, names.surname_key, names.org_key):
        k = f(name)
        assert k is None or isinstance(k, str)
    person_tokens(name)
    names.org_tokens(name)
    is_acronym(name)
    names.looks_like_place(name)
    for _acr, _full, s, e in names.acronym_definitions(name):
        assert 0 <= s <= e <= len(name)
    subj, rule = names.clean_subject(name, name, name)
    assert subj is None or isinstance(subj, str)


@FAST
@given(TEXT)
def test_prop_measure_normalisers_never_raise(phrase: str) -> None:
    head, rule = canonical_head(phrase)
    assert isinstance(head, str) and isinstance(rule, str)
    assert isinstance(normalise_measure_query(phrase), str)


@FAST
@given(st.one_of(st.none(), TEXT, st.dates().map(lambda d: d.isoformat())))
def test_prop_iso_day_and_period_key_never_raise(value: str | None) -> None:
    d = iso_day(value)
    assert d is None or isinstance(d, dt.date)
    if d is not None and dt.date(1800, 1, 1) <= d <= dt.date(2200, 1, 1):
        s, e = period_key(d.isoformat(), d.isoformat())
        assert s and e


@FAST
@given(st.dates(min_value=dt.date(1925, 3, 21), max_value=dt.date(2100, 3, 20)))
def test_prop_iranian_calendar_round_trips(day: dt.date) -> None:
    y, m, d = iranian.from_gregorian(day)
    assert iranian.to_gregorian(y, m, d) == day
    assert 1 <= d <= iranian.month_length(y, m)


@FAST
@given(TEXT)
def test_prop_number_scale_words(word: str) -> None:
    f = scale_factor(word)
    assert f is None or (isinstance(f, int) and f >= 1)


@FAST
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_prop_number_normalise_keeps_the_value(value: Decimal) -> None:
    assert normalise(value) == value


@FAST
@given(TEXT)
def test_prop_query_parsers_raise_only_query_errors(text: str) -> None:
    for f in (parse_amount, parse_since):
        try:
            f(text)
        except QueryError:
            pass


@FAST
@given(st.text(max_size=120), st.lists(st.text(max_size=20), max_size=3))
def test_prop_titles_authors_and_dates_from_pages(value: str, site_names: list[str]) -> None:
    t = clean_title(value)
    assert t == clean_title(t) and t == t.strip()
    assert isinstance(strip_site_name(value, site_names), str)
    assert all(a and len(a) < 80 for a in split_authors(value))
    got = normalise_date(value)
    if got is not None:
        dt.date.fromisoformat(got[0][:10])
        assert got[1] in ("day", "datetime")
    e = parse_english_datetime(value)
    assert e is None or dt.date.fromisoformat(e[0][:10])
    assert clean_space(value) == clean_space(clean_space(value))
    u = url_date("https://example.org/" + value)
    assert u is None or dt.date.fromisoformat(u)


@FAST
@given(st.text(alphabet=st.sampled_from("<>ab =\"'/ div"), max_size=300), st.integers(min_value=1, max_value=5))
def test_prop_cap_attributes_keeps_short_tags_and_is_stable(html: str, limit: int) -> None:
    out, n = cap_attributes(html, limit)
    again, m = cap_attributes(out, limit)
    assert again == out and m == 0
    assert n == 0 or len(out) < len(html)


@FAST
@given(st.from_regex(r"https?://[a-zA-Z0-9.\-]{1,20}(:[0-9]{1,4})?(/[a-zA-Z0-9/._%\-]{0,20})?(\?[a-z=&]{0,10})?"
                     r"(#[a-z]{0,5})?", fullmatch=True))
def test_prop_normalise_url_is_idempotent(url: str) -> None:
    try:
        once = normalise_url(url)
    except ValueError:
        return  # a port out of range
    assert normalise_url(once) == once and "#" not in once


@FAST
@given(st.ip_addresses(v=6))
def test_prop_ipv6_embedded_ipv4_is_checked(ip: ipaddress.IPv6Address) -> None:
    for v4 in embedded_ipv4(ip):
        assert isinstance(v4, ipaddress.IPv4Address)
        if not_public(v4):
            assert not_public(ip)
    try:
        got = check_url(f"http://[{ip}]/x")
    except UnsafeURL:
        assert not_public(ip)
    else:
        assert got == str(ip) and not_public(ip) is None


@FAST
@given(st.ip_addresses(v=4))
def test_prop_ipv4_private_ranges_never_public(ip: ipaddress.IPv4Address) -> None:
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved:
        assert not_public(ip)
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert bool(not_public(mapped)) == bool(not_public(ip))


@FAST
@given(st.one_of(st.none(), TEXT, st.integers(min_value=0, max_value=10**6).map(str)))
def test_prop_retry_after_is_a_non_negative_delay(value: str | None) -> None:
    got = parse_retry_after(value, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert got is None or got >= 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_prop_parse_html_on_arbitrary_bytes_returns_a_page_or_parse_error(data: bytes) -> None:
    decode_html(data)
    try:
        page = parse_html(data, url="https://example.org/news/1")
    except ParseError:
        return
    assert isinstance(page, ParsedPage) and isinstance(page.text, str)
    assert page.published is None or dt.date.fromisoformat(page.published[:10])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<html>", "<head>", "<meta charset=\"", "undefined", "zlib", "base64", "\">",
                                 "<title>", "</title>", "<body>", "<p>", "Exports rose 8%.", "</p>", "\xe9", "\x00",
                                 "<div a=1 b=2>", "</div>", "<script>", "</script>", "&amp;", "<!--", "-->"]),
                max_size=40))
def test_prop_parse_html_on_html_like_soup(parts: list[str]) -> None:
    data = "".join(parts).encode("latin-1")
    assume(data.strip())
    try:
        parse_html(data, url="https://example.org/news/1")
    except ParseError:
        pass


@pytest.mark.parametrize("name", ["undefined", "zlib", "base64", "rot13", "idna", "hex"])
def test_prop_declared_non_text_codecs_are_ignored(name: str) -> None:
    data = f'<html><head><meta charset="{name}"></head><body><p>Caf\xe9 prices</p></body></html>'.encode("latin-1")
    text, enc = decode_html(data)
    assert "prices" in text and enc != name
