import json
from pathlib import Path

import pytest

from pipeline.parse.fields import normalise_date, parse_english_datetime, split_authors
from pipeline.parse.page import (
    ParseError,
    choose_title,
    decode_html,
    parse_html,
    reconcile_url_date,
    strip_site_name,
    url_date,
)

FIXTURES = Path(__file__).parent / "fixtures" / "web"
CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "web_parse.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_parse_fixture_pages(case):
    page = parse_html((FIXTURES / case["file"]).read_bytes(), url=case["url"])
    got = page.to_dict()
    for key, value in case["expect"].items():
        assert got[key] == value, key
    for snippet in case["text_has"]:
        assert snippet in page.text
    for snippet in case["text_lacks"]:
        assert snippet not in page.text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("May 3, 2020 - 17:19", "2020-05-03T17:19:00+04:30"),  # Iran summer time (DST until 2022)
        ("January 12, 2021 - 09:05", "2021-01-12T09:05:00+03:30"),
        ("September 22, 2019 - 23:30", "2019-09-22T23:30:00+03:30"),  # DST ended 30 Shahrivar (21 Sep)
        ("June 1, 2023 - 10:00", "2023-06-01T10:00:00+03:30"),  # no DST after 2022
        ("3 May 2020, 5:19 pm", "2020-05-03T17:19:00+04:30"),
        ("May 3, 2020", "2020-05-03"),
        ("no date here", None),
    ],
)
def test_parse_tehran_local_dates(text, expected):
    got = parse_english_datetime(text)
    assert (got[0] if got else None) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-03-05T08:15:00Z", ("2024-03-05T08:15:00+00:00", "datetime")),
        ("2024-03-05T08:15:00.123-0500", ("2024-03-05T08:15:00-05:00", "datetime")),
        ("2024-03-05", ("2024-03-05", "day")),
        ("20240305", ("2024-03-05", "day")),
        ("2024-13-45", None),
        ("yesterday", None),
        ("Tue, Sep 15 2020 10:01:41 EDT", ("2020-09-15T10:01:41-04:00", "datetime")),  # RFC 2822 in JSON-LD
        ("Tue, 15 Sep 2020 10:01:02 +0330", ("2020-09-15T10:01:02+03:30", "datetime")),
        ("September 15, 2020", ("2020-09-15", "day")),
        ("Monday 12 2020", None),
    ],
)
def test_parse_normalise_date(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    "byline,expected",
    [
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Jane Roe, John Doe; Ali Reza", ["Jane Roe", "John Doe", "Ali Reza"]),
        ("https://www.facebook.com/someone", []),
        ("desk@example.com", []),
    ],
)
def test_parse_split_authors(byline, expected):
    assert split_authors(byline) == expected


def test_parse_charset_from_header_when_meta_missing():
    text = "<html><body><p>قیمت دلار در بازار آزاد</p></body></html>".replace("ی", "ي")
    data = text.encode("cp1256")
    decoded, enc = decode_html(data, {"Content-Type": "text/html; charset=windows-1256"})
    assert enc == "cp1256"
    assert "دلار" in decoded


def test_parse_utf8_wins_over_wrong_latin1_label():
    data = "<html><body><p>Café prices – up 5%</p></body></html>".encode()
    decoded, enc = decode_html(data, {"Content-Type": "text/html; charset=iso-8859-1"})
    assert enc == "utf-8" and "Café prices – up" in decoded


@pytest.mark.parametrize(
    "html",
    [
        "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>",
        '<html><body><div class="' + "a" * 12_000_000 + '">x</div></body></html>',
        "",
        "   \n  ",
    ],
    ids=["deep-nesting", "huge-attribute", "empty", "blank"],
)
def test_parse_hostile_page_raises_parse_error(html):
    with pytest.raises(ParseError):
        parse_html(html, url="https://example.org/x")


def test_parse_broken_markup_does_not_crash():
    page = parse_html("<<<>>><p <a =\"\" </b></i><p>Prices rose 3% in May, the statistics office said.</p>",
                      url="https://example.org/x")
    assert page.skip_reason is None


def test_parse_scripts_are_never_run_or_kept():
    html = ("<html><body><article><p>Exports rose 4% last year, the ministry said on Monday in Tehran.</p>"
            "<script>document.write('INJECTED')</script></article></body></html>")
    assert "INJECTED" not in parse_html(html).text


@pytest.mark.parametrize(
    "title,names,others,expected",
    [
        ("Rial hits record low | Tehran Times", ["tehrantimes"], [], "Rial hits record low"),
        ("Rial hits record low - Tehran Times", ["tehrantimes"], [], "Rial hits record low"),
        ("Rial hits record low -- Example.net", ["examplenet"], [], "Rial hits record low"),
        ("Rial hits record low | Business News | The Daily Example", ["thedailyexample"], [],
         "Rial hits record low"),
        ("Daily Example | Rial hits record low", ["dailyexample"], [], "Rial hits record low"),
        ("Rial hits record low * Some Blog * by A. Writer", ["someblog"], [], "Rial hits record low"),
        ("Rial hits record low | Markets", ["dailyexample"], ["Rial hits record low"], "Rial hits record low"),
        # a dash inside the headline is not a site suffix
        ("Oil up 3% - and gas too", ["dailyexample"], [], "Oil up 3% - and gas too"),
        ("Shares &amp;#8216;soar&amp;#8217; in Tehran", [], [], "Shares \u2018soar\u2019 in Tehran"),
    ],
)
def test_parse_strip_site_name(title, names, others, expected):
    assert strip_site_name(title, names, others) == expected


def test_parse_choose_title_precedence():
    cands = [("title", "Page title | Site"), ("h1", "The h1 headline"), ("og:title", "The og headline"),
             ("jsonld", "The JSON-LD headline")]
    assert choose_title(cands, ["site"]) == "The JSON-LD headline"
    assert choose_title(cands[:3], ["site"]) == "The og headline"
    assert choose_title(cands[:2], ["site"]) == "The h1 headline"
    assert choose_title(cands[:1], ["site"]) == "Page title"
    assert choose_title([], ["site"]) is None


def test_parse_title_from_meta_and_page_without_charset():
    # UTF-8 bytes with no declared charset: the tree must not be read as latin-1 (no "â\x80\x99" mojibake)
    html = ("<html><head><title>Exports\u2019 rise &#8211; Daily Example</title>"
            '<meta property="og:site_name" content="Daily Example"></head><body><nav><h1>Menu</h1></nav>'
            "<article><h1>Exports\u2019 rise \u2013 Daily Example</h1><p>Exports rose 4% last year, the "
            "ministry said on Monday in Tehran.</p></article></body></html>").encode()
    page = parse_html(html, url="https://www.dailyexample.com/a/1")
    assert page.title == "Exports\u2019 rise"


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://news.example.com/2020/04/13/suspect-arrested", "2020-04-13"),
        ("https://news.example.com/news/20200413/suspect-arrested?rs=1", "2020-04-13"),
        ("https://news.example.com/a/suspect-arrested-2020-04-13.html", "2020-04-13"),
        ("https://news.example.com/2020/04/suspect-arrested", None),  # month only
        ("https://news.example.com/news/120200622120908039/x", None),  # digits inside an id
        ("https://news.example.com/2020/13/45/x", None),
        (None, None),
    ],
)
def test_parse_url_date(url, expected):
    assert url_date(url) == expected


@pytest.mark.parametrize(
    "published,from_url,expected",
    [
        (("2020-04-14T00:38:07+00:00", "datetime"), "2020-04-13", ("2020-04-14T00:38:07+00:00", "datetime")),
        (("2020-04-14", "day"), "2020-04-13", ("2020-04-13", "day")),  # the publisher's own day
        (("2020-04-14T00:38:07", "datetime"), "2020-04-13", ("2020-04-13", "day")),
        (("2020-04-13T10:00:00+00:00", "datetime"), "2020-04-13", ("2020-04-13T10:00:00+00:00", "datetime")),
        (("2020-03-01", "day"), "2020-04-13", ("2020-03-01", "day")),  # far apart: the metadata stands
        (None, "2020-04-13", ("2020-04-13", "day")),
        (("2020-04-14", "day"), None, ("2020-04-14", "day")),
    ],
)
def test_parse_reconcile_url_date(published, from_url, expected):
    assert reconcile_url_date(published, from_url) == expected


@pytest.mark.parametrize(
    "balanced,precise,expected",
    [
        ("Body paragraph. " * 10 + "Share this story. Sign up for our newsletter.", "Body paragraph. " * 10,
         "Body paragraph. " * 10),  # precision mode dropped the boilerplate only
        ("Body paragraph. " * 10, "Body paragraph. ", "Body paragraph. " * 10),  # it cut real paragraphs
        ("Body paragraph. ", "", "Body paragraph. "),
    ],
)
def test_parse_fallback_text_prefers_precision_unless_it_cuts_the_body(monkeypatch, balanced, precise, expected):
    from pipeline.parse import page as parse

    monkeypatch.setattr(parse, "_trafilatura_text",
                        lambda html, url, favor_precision=False: precise if favor_precision else balanced)
    assert parse._fallback_text("<html></html>", None) == expected


def test_parse_jsonld_article_subtype_gives_the_date():
    html = ('<html><head><script type="application/ld+json">{"@context":"https://schema.org",'
            '"@type":"ReportageNewsArticle","headline":"Wheat harvest up 8%",'
            '"datePublished":"2024-08-08T08:00Z"}</script></head><body><article><p>The wheat harvest rose 8% '
            "this year, the agriculture ministry said on Thursday.</p></article></body></html>")
    page = parse_html(html, url="https://news.example.org/world/wheat-1.72")
    assert page.published == "2024-08-08T08:00:00+00:00" and page.title == "Wheat harvest up 8%"


_PARAS = "".join(
    f"<p>Paragraph {i}: the central bank said exports of steel rose {i}% in the year to March, while imports "
    f"of machinery fell by a smaller margin than analysts in Tehran had expected for the quarter.</p>"
    for i in range(1, 9)
)


@pytest.mark.parametrize(
    "box",
    [
        '<div class="newsletter-promo"><p>Get The Daily Example delivered to your inbox every morning.</p></div>',
        '<section class="editorial-disclosure"><p>This post contains references to products from our '
        "advertisers.</p></section>",
        '<aside class="inline-disclaimer"><p>Terms apply to the offers listed on this page, see the '
        "advertiser.</p></aside>",
    ],
)
def test_parse_prunes_newsletter_and_disclosure_boxes_inside_the_body(box):
    html = f"<html><body><article><h1>Steel exports rise</h1>{_PARAS[:900]}{box}{_PARAS[900:]}</article></body></html>"
    page = parse_html(html, url="https://news.example.org/economy/steel")
    assert "Paragraph 8" in page.text and "Paragraph 1" in page.text
    assert "inbox" not in page.text and "advertisers" not in page.text and "Terms apply" not in page.text


def test_parse_prune_spares_page_level_elements_with_a_styling_class():
    html = (f'<html><body class="newsletter-style-dark"><article class="disclosure-ready"><h1>Steel exports '
            f"rise</h1>{_PARAS}</article></body></html>")
    page = parse_html(html, url="https://news.example.org/economy/steel")
    assert "Paragraph 1" in page.text and "Paragraph 8" in page.text


def test_parse_text_and_title_are_nfc_normalised():
    decomposed = "\u09af\u09bc"  # Bengali YYA written as YA + NUKTA; NFC keeps this form (U+09DF is excluded)
    composed = "\u09df"
    html = (f"<html><head><title>{composed} headline</title></head><body><article>"
            + "".join(f"<p>{composed}{composed} sentence number {i} about the harvest in the north of the "
                      f"country this year.</p>" for i in range(6))
            + "</article></body></html>")
    page = parse_html(html.encode(), url="https://news.example.org/a")
    assert composed not in page.text and decomposed in page.text
    assert page.title is not None and composed not in page.title


def _ld_page(body: str, visible: str, free: str = "true") -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Oil output up",
                     "datePublished": "2024-01-02", "isAccessibleForFree": free, "articleBody": body})
    return (f'<html><head><script type="application/ld+json">{ld}</script></head><body><article>'
            f"<h1>Oil output up</h1>{visible}</article></body></html>")


_LONG_BODY = " ".join(f"Sentence {i}: crude output rose to 3.{i} million barrels a day, the oil ministry said."
                      for i in range(40))


def test_parse_jsonld_article_body_replaces_a_caption_fragment():
    page = parse_html(_ld_page(_LONG_BODY, "<figure><figcaption>The refinery in Abadan. Photo: AP"
                                           "</figcaption></figure>"), url="https://news.example.org/oil")
    assert "Sentence 39" in page.text and page.skip_reason is None


def test_parse_jsonld_article_body_never_bypasses_a_paywall():
    page = parse_html(_ld_page(_LONG_BODY, '<div class="paywall"><p>Subscribe to continue reading.</p></div>',
                               free="false"), url="https://news.example.org/oil")
    assert page.skip_reason == "paywall" and page.text == ""


def test_parse_jsonld_article_body_does_not_replace_a_full_extraction():
    visible = "".join(f"<p>Visible paragraph {i} on crude output, which rose again in the south this month "
                      f"according to the oil ministry.</p>" for i in range(12))
    page = parse_html(_ld_page("Short summary of the story.", visible), url="https://news.example.org/oil")
    assert "Visible paragraph 11" in page.text and "Short summary" not in page.text
