"""Fetch tests against local HTTP servers on 127.0.0.1 and 127.0.0.2 (no internet, no sleeping)."""

import datetime as dt
import gzip
import http.server
import threading
import time
from pathlib import Path

import pytest

from pipeline.fetch.archive import FetchState, WarcArchive, read_record
from pipeline.fetch.fetcher import Fetcher, FetchSettings, UnsafeURL, check_url, normalise_url, parse_retry_after
from pipeline.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "web"
ARTICLE = (FIXTURES / "tehrantimes_442871.html").read_bytes()
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Economy</title>
<item><title>New</title><link>/article.html</link><pubDate>Mon, 04 May 2020 10:00:00 +0430</pubDate></item>
<item><title>Old</title><link>/old.html</link><pubDate>Mon, 06 Jan 2020 10:00:00 +0330</pubDate></item>
</channel></rss>"""
SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/article.html</loc><lastmod>2020-05-03</lastmod></url>
<url><loc>/old.html</loc><lastmod>2019-01-01</lastmod></url></urlset>"""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: dict = {}

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - a routing table
        host = self.server.server_address[0]
        key = (host, self.path)
        Handler.hits[key] = Handler.hits.get(key, 0) + 1
        n = Handler.hits[key]
        html = ("Content-Type", "text/html; charset=utf-8")
        if self.path == "/robots.txt":
            if host == "127.0.0.1":
                return self._send(200, b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n")
            return self._send(404, b"not found")
        if self.path == "/article.html":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, b"", [("ETag", '"v1"')])
            return self._send(200, ARTICLE, [html, ("ETag", '"v1"'),
                                              ("Last-Modified", "Sun, 03 May 2020 13:00:00 GMT")])
        if self.path == "/old.html":
            return self._send(200, ARTICLE, [html])
        if self.path.startswith("/private/"):
            return self._send(200, b"secret", [html])
        if self.path == "/r1":
            return self._send(301, b"", [("Location", "/r2")])
        if self.path == "/r2":
            target = f"http://127.0.0.2:{PORTS['127.0.0.2']}/article.html"
            return self._send(302, b"", [("Location", target)])
        if self.path == "/429":
            if n == 1:
                return self._send(429, b"slow down", [("Retry-After", "7")])
            return self._send(200, ARTICLE, [html])
        if self.path == "/500":
            return self._send(500, b"boom", [html])
        if self.path == "/gzip":
            return self._send(200, gzip.compress(ARTICLE), [html, ("Content-Encoding", "gzip")])
        if self.path == "/cp1256":
            return self._send(200, (FIXTURES / "cp1256.html").read_bytes(),
                              [("Content-Type", "text/html; charset=windows-1256")])
        if self.path == "/mislabelled":
            return self._send(200, (FIXTURES / "mislabelled_utf8_is_cp1256.html").read_bytes(), [html])
        if self.path == "/big":
            big = b"<html><body>" + b"<p>filler text</p>" * 20000 + b"</body></html>"
            return self._send(200, big, [html])
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(1.5)
            return None
        if self.path == "/drip":  # a slow drip: one byte every 0.1 s, never finishing in time
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
            return None
        if self.path == "/bomb":
            return self._send(200, BOMB, [html, ("Content-Encoding", "gzip")])
        if self.path == "/whoami":
            me = f"{self.server.server_address[0]} {self.headers.get('Host')}".encode()
            return self._send(200, me, [("Content-Type", "text/plain")])
        if self.path in ("/feed304.xml", "/sitemap304.xml"):
            if self.headers.get("If-None-Match") == '"f1"':
                return self._send(304, b"", [("ETag", '"f1"')])
            body = RSS if self.path.startswith("/feed") else SITEMAP
            return self._send(200, body, [("Content-Type", "application/xml"), ("ETag", '"f1"')])
        if self.path == "/challenge":
            return self._send(200, (FIXTURES / "arvancloud_challenge.html").read_bytes(), [html])
        if self.path == "/feed.xml":
            return self._send(200, RSS, [("Content-Type", "application/rss+xml")])
        if self.path == "/sitemap.xml":
            return self._send(200, SITEMAP, [("Content-Type", "application/xml")])
        return self._send(404, b"not found", [html])


PORTS: dict = {}
BOMB = gzip.compress(b"<html><body><p>" + b"x" * 20_000_000 + b"</p></body></html>")


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client hanging up on /slow is expected
        pass


@pytest.fixture(scope="module")
def servers():
    started = []
    for host in ("127.0.0.1", "127.0.0.2"):
        srv = QuietServer((host, 0), Handler)
        PORTS[host] = srv.server_address[1]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        started.append(srv)
    yield {h: f"http://{h}:{p}" for h, p in PORTS.items()}
    for srv in started:
        srv.shutdown()
        srv.server_close()


class FakeClock:
    def __init__(self):
        self.t = 1000.0
        self.sleeps = []
        self.lock = threading.Lock()

    def __call__(self):
        return self.t

    def sleep(self, s):
        with self.lock:
            self.sleeps.append(round(s, 3))
            self.t += s


@pytest.fixture
def make_fetcher(tmp_path):
    made = []

    def make(**settings):
        clock = FakeClock()
        opts = {"allow_private": True, "read_timeout": 0.5, "connect_timeout": 1.0, "max_retries": 2}
        opts.update(settings)
        f = Fetcher(FetchSettings(**opts), archive=WarcArchive(tmp_path / "archive"),
                    state=FetchState.in_archive(tmp_path / "archive"), clock=clock, sleep=clock.sleep)
        f.fake_clock = clock
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


def test_fetch_article_archived_with_hash(servers, make_fetcher):
    f = make_fetcher()
    r = f.fetch(servers["127.0.0.1"] + "/article.html")
    assert r.ok and r.body == ARTICLE
    assert r.canonical_url == "https://www.tehrantimes.com/news/442871/Non-oil-exports-rise-12-in-first-month-of-year"
    rec = read_record(r.archive.warc_file, r.archive.warc_offset)
    assert rec.record_id == r.archive.warc_record_id
    assert rec.payload_sha256 == r.archive.payload_sha256 and rec.payload == ARTICLE
    assert rec.warc_header("WARC-Type") == "response"
    assert "newsclaims/" in f.settings.agent and f.settings.contact in f.settings.agent


def test_fetch_robots_disallow_honoured(servers, make_fetcher):
    Handler.hits.pop(("127.0.0.1", "/private/secret.html"), None)
    f = make_fetcher()
    r = f.fetch(servers["127.0.0.1"] + "/private/secret.html")
    assert r.skip_reason == "robots.txt disallows" and r.status is None
    assert ("127.0.0.1", "/private/secret.html") not in Handler.hits


def test_fetch_per_host_delay_and_crawl_delay_without_sleeping(servers, make_fetcher):
    f = make_fetcher(delay=1.0)
    t0 = time.monotonic()
    f.fetch(servers["127.0.0.1"] + "/article.html")  # robots.txt then the page: Crawl-delay 2 s applies
    f.fetch(servers["127.0.0.2"] + "/old.html")  # other host: only its own 1 s after its robots.txt
    assert f.fake_clock.sleeps == [2.0, 1.0]
    assert time.monotonic() - t0 < 5  # the fake sleeper never really sleeps


def test_fetch_many_parallel_hosts_results_in_order(servers, make_fetcher):
    f = make_fetcher()
    urls = [servers["127.0.0.1"] + "/old.html", servers["127.0.0.2"] + "/article.html",
            servers["127.0.0.2"] + "/old.html"]
    results = f.fetch_many(urls)
    assert [r.url for r in results] == urls and all(r.ok for r in results)


def test_fetch_429_retry_after_backed_off(servers, make_fetcher):
    Handler.hits.pop(("127.0.0.2", "/429"), None)
    f = make_fetcher()
    r = f.fetch(servers["127.0.0.2"] + "/429")
    assert r.ok and r.attempts == 2
    assert 7.0 in f.fake_clock.sleeps


def test_fetch_500_retried_then_given_up(servers, make_fetcher):
    Handler.hits.pop(("127.0.0.2", "/500"), None)
    f = make_fetcher(max_retries=2, backoff_base=2.0)
    r = f.fetch(servers["127.0.0.2"] + "/500")
    assert not r.ok and r.status == 500 and "gave up after 3 attempts" in r.error
    assert Handler.hits[("127.0.0.2", "/500")] == 3
    assert f.fake_clock.sleeps[-2:] == [2.0, 4.0]  # exponential backoff


def test_fetch_redirect_chain_recorded(servers, make_fetcher):
    f = make_fetcher()
    r = f.fetch(servers["127.0.0.1"] + "/r1")
    assert r.ok and r.final_url == servers["127.0.0.2"] + "/article.html"
    assert [s for _, s in r.redirects] == [301, 302]
    assert r.redirects[0][0] == servers["127.0.0.1"] + "/r1"
    # every hop is archived
    hop = read_record(r.archive.warc_file, 0)
    assert hop.warc_file == r.archive.warc_file


def test_fetch_gzip_decoded_and_archived_raw(servers, make_fetcher):
    f = make_fetcher()
    r = f.fetch(servers["127.0.0.2"] + "/gzip")
    assert r.ok and r.body == ARTICLE
    rec = read_record(r.archive.warc_file, r.archive.warc_offset)
    assert rec.payload == gzip.compress(ARTICLE) or rec.payload[:2] == b"\x1f\x8b"
    assert rec.content == ARTICLE and rec.payload_sha256 == r.archive.payload_sha256


@pytest.mark.parametrize("path,snippet", [("/cp1256", "صادرات غيرنفتي"), ("/mislabelled", "سخنگوي گمرك")])
def test_fetch_charset_pages_parse(servers, make_fetcher, path, snippet):
    from pipeline.parse.page import parse_html

    f = make_fetcher()
    r = f.fetch(servers["127.0.0.2"] + path)
    page = parse_html(r.body, url=r.final_url, headers=r.headers)
    assert snippet in page.text


def test_fetch_oversized_page_cut(servers, make_fetcher):
    f = make_fetcher(max_bytes=50_000)
    r = f.fetch(servers["127.0.0.2"] + "/big")
    assert r.truncated and len(r.body) == 50_000
    rec = read_record(r.archive.warc_file, r.archive.warc_offset)
    assert rec.warc_header("WARC-Truncated") == "length"


def test_fetch_slow_server_times_out(servers, make_fetcher):
    f = make_fetcher(read_timeout=0.2, max_retries=0)
    t0 = time.monotonic()
    r = f.fetch(servers["127.0.0.2"] + "/slow")
    assert not r.ok and r.error and "gave up" in r.error
    assert time.monotonic() - t0 < 1.4


def test_fetch_duplicate_url_skipped(servers, make_fetcher):
    f = make_fetcher()
    base = servers["127.0.0.2"]
    first = f.fetch(base + "/old.html")
    second = f.fetch(base.replace("http://", "HTTP://") + "/old.html#comments")
    assert first.ok and second.skip_reason == "duplicate"


def test_fetch_conditional_get_on_refetch(servers, make_fetcher):
    url = servers["127.0.0.2"] + "/article.html"
    f1 = make_fetcher()
    assert f1.fetch(url).ok
    f1.close()
    f2 = make_fetcher()
    r = f2.fetch(url)
    assert r.status == 304 and r.not_modified


def test_fetch_bot_challenge_page_skipped_by_parse(servers, make_fetcher):
    from pipeline.parse.page import parse_html

    f = make_fetcher()
    r = f.fetch(servers["127.0.0.2"] + "/challenge")
    assert parse_html(r.body, url=r.final_url, headers=r.headers).skip_reason == "bot-challenge: ArvanCloud"


def test_fetch_feed_and_sitemap_discovery_since(servers, make_fetcher):
    f = make_fetcher()
    base = servers["127.0.0.2"]
    assert f.discover_feed(base + "/feed.xml", since=dt.date(2020, 5, 1)) == [base + "/article.html"]
    assert f.discover_feed(base + "/feed.xml") == []  # the same feed twice in one run: a duplicate URL
    assert len(make_fetcher().discover_feed(base + "/feed.xml")) == 2
    f2 = make_fetcher()
    assert f2.discover_sitemap(base + "/sitemap.xml", since=dt.date(2020, 1, 1)) == [base + "/article.html"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x",
                                 "javascript:alert(1)"])
def test_fetch_non_http_schemes_refused(make_fetcher, url):
    f = make_fetcher()
    r = f.fetch(url)
    assert r.skip_reason and r.skip_reason.startswith("unsafe URL")
    with pytest.raises(UnsafeURL):
        check_url(url, allow_private=True)


@pytest.mark.parametrize("addr", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1",
                                  "fe80::1"])
def test_fetch_private_addresses_refused_without_allow_private(addr):
    def resolver(host, port):
        return [addr]

    with pytest.raises(UnsafeURL, match="non-public"):
        check_url("http://news.example/x", allow_private=False, resolver=resolver)
    check_url("http://news.example/x", allow_private=True, resolver=resolver)


def test_fetch_public_address_allowed():
    check_url("https://news.example/x", resolver=lambda h, p: ["93.184.216.34"])


def test_fetch_private_refused_end_to_end(servers, tmp_path):
    f = Fetcher(FetchSettings(), clock=FakeClock(), sleep=lambda s: None)
    r = f.fetch(servers["127.0.0.1"] + "/article.html")
    assert r.skip_reason and "non-public address 127.0.0.1" in r.skip_reason


@pytest.mark.parametrize("value,expected", [("7", 7.0), (None, None), ("soon", None), ("¹", None), ("٣", None),
                                            ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0)])
def test_fetch_parse_retry_after(value, expected):
    now = dt.datetime(2015, 10, 21, 7, 28, 0, tzinfo=dt.UTC)
    assert parse_retry_after(value, now) == expected


@pytest.mark.parametrize("a,b", [("HTTP://Example.org:80/a#x", "http://example.org/a"),
                                 ("https://example.org", "https://example.org/")])
def test_fetch_normalise_url(a, b):
    assert normalise_url(a) == b


# --- issue 12: the fetcher keeps its promises ------------------------------------------------------------
def test_fetch_slow_drip_is_cut_at_the_total_deadline(servers, make_fetcher):
    f = make_fetcher(read_timeout=5.0, total_timeout=1.0, max_retries=0)
    t0 = time.monotonic()
    r = f.fetch(servers["127.0.0.2"] + "/drip")
    assert not r.ok and "body not received within 1s" in r.error
    assert time.monotonic() - t0 < 5.0  # the whole-body deadline, not the 5 s per-read timeout, stopped it
    rec = read_record(r.archive.warc_file, r.archive.warc_offset)
    assert rec.warc_header("WARC-Truncated") == "length" and 0 < len(rec.payload) < 1000


def test_fetch_gzip_bomb_is_capped_and_its_record_marked_truncated(servers, make_fetcher, tmp_path):
    from pipeline.read import iter_archive_articles

    f = make_fetcher(max_bytes=1_000_000)
    r = f.fetch(servers["127.0.0.2"] + "/bomb")
    assert r.truncated and len(r.body) == 1_000_000
    rec = read_record(r.archive.warc_file, r.archive.warc_offset)
    assert rec.payload == BOMB and rec.warc_header("WARC-Truncated") == "length"
    body, cut = rec.content_capped(1_000_000)
    assert len(body) == 1_000_000 and cut
    f.close()
    bomb = [a for a in iter_archive_articles(tmp_path / "archive", max_bytes=2_000_000)
            if isinstance(a, Article) and a.url == servers["127.0.0.2"] + "/bomb"]
    assert bomb and all("truncated" in a.flags for a in bomb)


def test_fetch_decode_content_is_never_unbounded(monkeypatch):
    import pipeline.fetch.archive as archive

    monkeypatch.setattr(archive, "MAX_CONTENT_BYTES", 1000)
    assert len(archive.decode_content(BOMB, "gzip")) == 1000


def test_fetch_connects_to_the_checked_address_without_a_second_lookup(servers, make_fetcher):
    """DNS rebinding: an exchange resolves the name once, checks that answer and connects to exactly it (the
    Host header keeps the name). "rebind.test" does not exist: any lookup by the connection itself would fail."""
    answers = iter([["127.0.0.2"], ["127.0.0.1"]])  # fetch()'s own check, then the exchange's single lookup
    calls = []

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    f = make_fetcher(obey_robots=False, max_retries=0)
    f.resolver = rebinding
    port = PORTS["127.0.0.1"]
    r = f.fetch(f"http://rebind.test:{port}/whoami")
    assert r.ok and r.body == f"127.0.0.1 rebind.test:{port}".encode()
    assert calls == ["rebind.test", "rebind.test"]


def test_fetch_public_check_and_connection_use_one_answer(monkeypatch):
    import urllib3.connection

    seen = []

    def fake_connect(address, *a, **k):
        seen.append(address)
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr(urllib3.connection.connection, "create_connection", fake_connect)
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    f = Fetcher(FetchSettings(max_retries=0, obey_robots=False), clock=FakeClock(), sleep=lambda s: None,
                resolver=lambda h, p: next(answers))
    r = f.fetch("http://rebind.example/x")
    # fetch()'s own check saw the public answer; the exchange's single lookup got the private one and refused it
    assert r.skip_reason and "non-public address 127.0.0.1" in r.skip_reason and seen == []
    answers2 = iter([["93.184.216.34"], ["93.184.216.34"], ["127.0.0.1"]])
    f2 = Fetcher(FetchSettings(max_retries=0, obey_robots=False), clock=FakeClock(), sleep=lambda s: None,
                 resolver=lambda h, p: next(answers2))
    r2 = f2.fetch("http://rebind.example/x")
    assert not r2.ok and seen == [("93.184.216.34", 80)]  # the checked address, not a fresh lookup


@pytest.mark.parametrize("addr", [
    "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::a9fe:a9fe",
    "2002:7f00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "::", "100::1", "fc00::1",
    "0.0.0.0", "100.64.0.1", "198.18.0.1", "192.0.0.8", "224.0.0.1",
])
def test_fetch_embedded_and_special_addresses_refused(addr):
    with pytest.raises(UnsafeURL, match="non-public"):
        check_url("http://news.example/x", resolver=lambda h, p: [addr])


@pytest.mark.parametrize("addr", ["93.184.216.34", "2606:4700::1111", "64:ff9b::808:808", "2002:5db8:d822::1"])
def test_fetch_public_addresses_in_any_form_allowed(addr):
    assert check_url("http://news.example/x", resolver=lambda h, p: [addr]) == addr


def test_fetch_refetch_of_unchanged_feed_and_sitemap_reads_the_archived_body(servers, make_fetcher):
    base = servers["127.0.0.2"]
    first = make_fetcher()
    feed = first.discover_feed(base + "/feed304.xml")
    sitemap = first.discover_sitemap(base + "/sitemap304.xml")
    first.close()
    assert len(feed) == 2 and len(sitemap) == 2
    again = make_fetcher()
    assert again.discover_feed(base + "/feed304.xml") == feed  # a 304: the archived copy is read
    assert again.discover_sitemap(base + "/sitemap304.xml") == sitemap
    assert not again.discovery_failures


def test_fetch_cli_counts_and_lists_4xx_and_5xx(servers, tmp_path, capsys):
    from pipeline.cli import main as web_main

    base = servers["127.0.0.2"]
    code = web_main(["fetch", base + "/missing", base + "/old.html", "--allow-private", "--delay", "0",
                     "--archive", str(tmp_path / "a")])
    out = capsys.readouterr().out
    assert code == 0  # something was fetched
    assert f"error 404 {base}/missing  (HTTP 404)" in out
    assert "errors 1 (HTTP 404: 1)" in out and "fetched 1" in out
    code = web_main(["fetch", base + "/missing", "--allow-private", "--delay", "0", "--archive", str(tmp_path / "b")])
    assert code == 1  # nothing fetched, errors
