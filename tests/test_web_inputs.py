import json
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from pipeline.fetch.archive import WarcArchive, read_record
from pipeline.models import Article, Skip
from pipeline.read import iter_archive_articles
from pipeline.web_inputs import article_id

FIXTURES = Path(__file__).parent / "fixtures" / "web"


def _write(archive, url, name, status=200, ctype="text/html; charset=utf-8"):
    return archive.write_exchange(url=url, method="GET", request_headers={"User-Agent": "t"}, status=status,
                                  reason="OK", response_headers=[("Content-Type", ctype)],
                                  payload=(FIXTURES / name).read_bytes() if name else b"")


@pytest.fixture
def archive_dir(tmp_path):
    d = tmp_path / "archive"
    with WarcArchive(d) as a:
        refs = {
            "tt": _write(a, "https://www.tehrantimes.com/news/442871/x", "tehrantimes_442871.html"),
            "irna": _write(a, "https://en.irna.ir/news/85012345/y", "irna_85012345.html"),
            "challenge": _write(a, "https://en.mehrnews.com/news/1/z", "arvancloud_challenge.html"),
        }
        _write(a, "https://www.tehrantimes.com/robots.txt", None, ctype="text/plain")
        _write(a, "https://www.tehrantimes.com/missing", "generic_jsonld.html", status=404)
    return d, refs


def test_web_inputs_articles_point_at_warc_records(archive_dir):
    d, refs = archive_dir
    items = list(iter_archive_articles(d))
    arts = {i.id: i for i in items if isinstance(i, Article)}
    skips = [i for i in items if isinstance(i, Skip)]
    assert set(arts) == {"tehrantimes.com/news/442871/Non-oil-exports-rise-12-in-first-month-of-year",
                         "en.irna.ir/news/85012345/CBI-governor-inflation-to-fall-below-30-by-year-end"}
    tt = arts["tehrantimes.com/news/442871/Non-oil-exports-rise-12-in-first-month-of-year"]
    assert tt.published == "2020-05-03T17:19:00+04:30" and tt.source == "tehrantimes.com"
    assert tt.raw["warc_offset"] == refs["tt"].warc_offset
    assert tt.raw["warc_record_id"] == refs["tt"].warc_record_id
    rec = read_record(tt.raw["warc_file"], tt.raw["warc_offset"])
    assert rec.payload_sha256 == tt.raw["payload_sha256"]
    assert tt.fetched_at and "3.2 million tons" in tt.text
    assert [s.reason for s in skips] == ["bot-challenge: ArvanCloud"]


def test_web_inputs_newest_copy_wins(tmp_path):
    d = tmp_path / "archive"
    with WarcArchive(d, prefix="a") as a:
        _write(a, "https://www.tehrantimes.com/news/442871/x", "tehrantimes_442871.html")
    with WarcArchive(d, prefix="b") as b:
        newer = _write(b, "https://www.tehrantimes.com/news/442871/x", "tehrantimes_442871.html")
    arts = [i for i in iter_archive_articles(d) if isinstance(i, Article)]
    assert len(arts) == 1 and arts[0].raw["warc_file"] == newer.warc_file


def test_web_inputs_hostile_page_is_a_skip_not_a_crash(tmp_path):
    d = tmp_path / "archive"
    with WarcArchive(d) as a:
        a.write_exchange(url="https://bad.example/x", method="GET", request_headers={}, status=200,
                         reason="OK", response_headers=[("Content-Type", "text/html")],
                         payload=b"<html><body>" + b"<div>" * 3000 + b"</body></html>")
    items = list(iter_archive_articles(d))
    assert len(items) == 1 and isinstance(items[0], Skip) and items[0].reason.startswith("parse error")


@pytest.mark.parametrize(
    "url,expected",
    [("https://www.tehrantimes.com/news/442871/Slug", "tehrantimes.com/news/442871/Slug"),
     ("https://financialtribune.com/articles/economy/1/x/", "financialtribune.com/articles/economy/1/x"),
     ("https://example.com/story.html", "example.com/story"),
     ("https://example.com/view?id=5", "example.com/a6b0cd8b0e0c7d51")],
)
def test_web_inputs_article_id(url, expected):
    got = article_id(url)
    if "?" in url:
        assert got.startswith("example.com/") and len(got) == len("example.com/") + 16
        assert got == article_id(url)  # stable
    else:
        assert got == expected


def test_web_inputs_cli_show_source_prints_record(archive_dir, monkeypatch, capsys, tmp_path):
    d, refs = archive_dir
    ref = refs["tt"]

    class FakeStore:
        def __init__(self, path, readonly=False):
            assert readonly, "show-source reads: it opens the database read-only"
            self.path = path

        def close(self):
            pass

        def claim_with_provenance(self, claim_id):
            if claim_id != "7":
                return None
            return {"sentence": "Iran exported 3.2 million tons of non-oil goods worth $1.4 billion.",
                    "text": "$1.4 billion", "url": "https://www.tehrantimes.com/news/442871/x",
                    **ref.as_dict()}

    import pipeline.cli.common

    monkeypatch.setattr(pipeline.cli.common, "Store", FakeStore)
    db = tmp_path / "claims.db"
    db.write_bytes(b"")
    parser = build_parser()
    args = parser.parse_args(["show-source", "7", "--db", str(db)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "worth $1.4 billion" in out and ref.warc_record_id in out and "matches the article row" in out
    assert "item-title" in out  # payload excerpt
    args = parser.parse_args(["show-source", "8", "--db", str(db)])
    assert args.func(args) == 1


def test_web_inputs_cli_parse_prints_json(capsys):
    parser = build_parser()
    args = parser.parse_args(["parse", str(FIXTURES / "tehrantimes_442871.html"),
                              "--url", "https://www.tehrantimes.com/news/442871/x"])
    assert args.func(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert {"url", "canonical_url", "title", "published", "authors", "source", "language", "text"} <= set(got)
    assert got["published"] == "2020-05-03T17:19:00+04:30"
