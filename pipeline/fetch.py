"""Fetch stage: the only module that talks to the network.

Politeness is on by default, modelled on Scrapy's defaults:

- robots.txt is obeyed (protego), including ``Crawl-delay``;
- at least ``delay`` seconds (1 s) between requests to one host; different hosts are fetched in parallel;
- 429, 5xx and network errors are retried with exponential backoff, honouring ``Retry-After``;
- connect and read timeouts, a maximum page size (the page is cut and the WARC record marked truncated);
- a descriptive User-Agent with a contact address;
- conditional GET (``If-None-Match`` / ``If-Modified-Since``) on re-fetch, from the fetch state;
- redirects are followed one hop at a time, each hop checked and archived; the chain, the final URL and the
  page's canonical link are recorded.

Safety: only http and https; hosts that resolve to private, loopback, link-local or otherwise reserved
addresses are refused unless ``allow_private`` is set. Pages are bytes here: no script ever runs.

The clock and the sleeper are injectable (``Fetcher(clock=..., sleep=...)``) so that tests never sleep.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import lxml.etree as etree
import requests  # noqa: TID251 - this module is the network's one home
from protego import Protego

from pipeline.archive import ArchiveRef, FetchState, WarcArchive, decode_content, gunzip_if_needed

VERSION = "0.1"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchSettings:
    contact: str = "https://github.com/newsclaims/newsclaims"
    user_agent: str | None = None  # built from ``contact`` when None
    robots_token: str = "newsclaims"
    delay: float = 1.0  # seconds between requests to one host (a robots.txt Crawl-delay can raise it)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # wall-clock budget for one response body (slow-drip servers)
    max_bytes: int = 10 * 1024 * 1024
    max_retries: int = 3
    backoff_base: float = 2.0
    max_backoff: float = 120.0  # a Retry-After above this gives up rather than wait
    max_redirects: int = 10
    max_parallel_hosts: int = 8
    allow_private: bool = False
    obey_robots: bool = True

    @property
    def agent(self) -> str:
        return self.user_agent or f"newsclaims/{VERSION} (+{self.contact}; research crawler for economy news)"


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""  # content coding undone, at most max_bytes
    redirects: tuple[tuple[str, int], ...] = ()  # (url, status) for every hop before final_url
    truncated: bool = False
    canonical_url: str | None = None
    fetched_at: str | None = None
    not_modified: bool = False
    attempts: int = 0
    error: str | None = None
    skip_reason: str | None = None  # "duplicate", "robots.txt disallows", "unsafe URL: ..."
    archive: ArchiveRef | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None and self.skip_reason is None


class UnsafeURL(ValueError):
    """A URL the fetcher refuses: a scheme other than http(s), or a private/loopback/link-local address."""


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, default port and fragment dropped: the key for duplicate detection."""
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower()
    port = p.port
    netloc = host if port is None or (p.scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if p.username:
        netloc = f"{p.username}@{netloc}"
    return urlunsplit((p.scheme.lower(), netloc, p.path or "/", p.query, ""))


Resolver = Callable[[str, int], list[str]]


def _resolve(host: str, port: int) -> list[str]:
    return sorted({str(ai[4][0]) for ai in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def check_url(url: str, allow_private: bool = False, resolver: Resolver = _resolve) -> None:
    """Raise :class:`UnsafeURL` unless ``url`` is http(s) to a public address (or ``allow_private``)."""
    p = urlsplit(url)
    if p.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(f"scheme {p.scheme or '(none)'!r} refused: only http and https are fetched")
    if not p.hostname:
        raise UnsafeURL("no host in URL")
    if allow_private:
        return
    try:
        addrs = resolver(p.hostname, p.port or (443 if p.scheme == "https" else 80))
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve {p.hostname}: {exc}") from exc
    for a in addrs:
        ip = ipaddress.ip_address(a.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeURL(
                f"{p.hostname} resolves to non-public address {ip}; pass --allow-private to permit")


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    v = value.strip()
    if v.isdigit():
        return float(v)
    try:
        when = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


_CANONICAL = re.compile(
    rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical[\"']?[^>]*>", re.I)
_HREF = re.compile(rb"\bhref\s*=\s*[\"']([^\"'<>]+)[\"']", re.I)


def canonical_link(body: bytes, base: str) -> str | None:
    m = _CANONICAL.search(body[:300_000])
    if not m:
        return None
    h = _HREF.search(m.group(0))
    if not h:
        return None
    url = urljoin(base, h.group(1).decode("utf-8", "replace").strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


class Fetcher:
    """Polite fetcher. One instance per run; it remembers robots.txt, host slots and the URLs it has seen.

    >>> with Fetcher(FetchSettings(contact="mailto:me@example.org"), archive=WarcArchive("archive")) as f:
    ...     result = f.fetch("https://www.tehrantimes.com/news/442871/x")  # doctest: +SKIP
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        archive: WarcArchive | None = None,
        state: FetchState | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        resolver: Resolver = _resolve,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.settings = settings or FetchSettings()
        self.archive = archive
        self.state = state
        self.clock = clock
        self.sleep = sleep
        self.now = now
        self.resolver = resolver
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxies or netrc from the environment
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_slot: dict[str, float] = {}
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}
        self._robots_reason: dict[str, str] = {}
        self._seen: set[str] = set()

    # ------------------------------------------------------------ context
    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()
        if self.state is not None:
            self.state.save()
        if self.archive is not None:
            self.archive.close()

    # ------------------------------------------------------------ politeness
    def _host(self, url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}".lower()

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def _delay_for(self, host: str) -> float:
        delay = self.settings.delay
        rp = self._robots.get(host)
        if rp is not None:
            cd = rp.crawl_delay(self.settings.robots_token)
            if cd is not None:
                delay = max(delay, float(cd))
        return delay

    def _wait_slot(self, host: str) -> None:
        """Block until ``host`` may be requested again, then book its next slot."""
        with self._host_lock(host):
            wait = self._next_slot.get(host, 0.0) - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._last_request[host] = self.clock()
            self._next_slot[host] = self._last_request[host] + self._delay_for(host)

    def _push_slot(self, host: str, seconds: float) -> None:
        with self._host_lock(host):
            self._next_slot[host] = max(self._next_slot.get(host, 0.0), self.clock() + seconds)

    # ------------------------------------------------------------ robots
    def allowed(self, url: str) -> tuple[bool, str | None]:
        if not self.settings.obey_robots:
            return True, None
        host = self._host(url)
        if host not in self._robots:
            self._load_robots(host)
        rp = self._robots.get(host)
        if rp is None:
            reason = self._robots_reason.get(host)
            return (reason is None), reason
        if rp.can_fetch(url, self.settings.robots_token):
            return True, None
        return False, "robots.txt disallows"

    def _load_robots(self, host: str) -> None:
        url = host + "/robots.txt"
        res = self._exchange(url, {}, robots=True)
        rp: Protego | None = None
        if res.status is not None and 200 <= res.status < 300:
            text = res.body[:500_000].decode("utf-8", "replace")
            rp = Protego.parse(text)
        elif res.status is not None and 400 <= res.status < 500:
            rp = Protego.parse("")  # no robots.txt: everything allowed
        else:
            self._robots_reason[host] = (
                f"robots.txt unavailable ({res.error or f'HTTP {res.status}'}): not fetching from {host}")
        self._robots[host] = rp
        if rp is not None:  # a Crawl-delay applies from the robots.txt request on
            with self._host_lock(host):
                after = self._last_request.get(host, self.clock()) + self._delay_for(host)
                self._next_slot[host] = max(self._next_slot.get(host, 0.0), after)

    # ------------------------------------------------------------ one exchange
    def _exchange(self, url: str, extra_headers: Mapping[str, str], robots: bool = False) -> FetchResult:
        """One GET with retries. No redirects followed. Every response is archived."""
        s = self.settings
        host = self._host(url)
        headers = {"User-Agent": s.agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        if s.contact.startswith("mailto:"):
            headers["From"] = s.contact[len("mailto:"):]
        headers.update(extra_headers)
        attempt = 0
        last_error = None
        while True:
            attempt += 1
            self._wait_slot(host)
            try:
                check_url(url, s.allow_private, self.resolver)
            except UnsafeURL as exc:
                return FetchResult(url=url, skip_reason=f"unsafe URL: {exc}", attempts=attempt)
            fetched_at = self.now().isoformat(timespec="seconds")
            try:
                resp = self.session.get(url, headers=headers, timeout=(s.connect_timeout, s.read_timeout),
                                        allow_redirects=False, stream=True)
            except requests.RequestException as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                if attempt > s.max_retries:
                    return FetchResult(url=url, error=f"gave up after {attempt} attempts: {last_error}",
                                       attempts=attempt, fetched_at=fetched_at)
                self._push_slot(host, self._backoff(attempt))
                continue
            try:
                payload, truncated, body_error = self._read_body(resp)
                ip = _peer_ip(resp)
            finally:
                resp.close()
            ref = None
            if self.archive is not None:
                ref = self.archive.write_exchange(
                    url=url, method="GET", request_headers=headers, status=resp.status_code,
                    reason=resp.reason or "", response_headers=list(resp.raw.headers.items()),
                    payload=payload, truncated=truncated, ip_address=ip)
            if body_error is not None:
                last_error = body_error
                if attempt > s.max_retries:
                    return FetchResult(url=url, status=resp.status_code, error=f"gave up after {attempt} "
                                       f"attempts: {last_error}", attempts=attempt, archive=ref,
                                       fetched_at=fetched_at)
                self._push_slot(host, self._backoff(attempt))
                continue
            hdrs = {k: v for k, v in resp.headers.items()}
            limit = s.max_bytes
            body = decode_content(payload, hdrs.get("Content-Encoding"), limit + 1)
            if len(body) > limit:
                body, truncated = body[:limit], True
            result = FetchResult(url=url, final_url=url, status=resp.status_code, headers=hdrs, body=body,
                                 truncated=truncated, fetched_at=fetched_at, attempts=attempt, archive=ref)
            if resp.status_code in RETRY_STATUSES and not robots or (robots and resp.status_code == 429):
                wait = self._backoff(attempt)
                ra = parse_retry_after(hdrs.get("Retry-After"), self.now())
                if ra is not None:
                    if ra > s.max_backoff:
                        return replace(result, error=f"HTTP {resp.status_code}: Retry-After {ra:.0f}s "
                                       f"exceeds the {s.max_backoff:.0f}s limit; try again later")
                    wait = max(wait, ra)
                if attempt > s.max_retries:
                    return replace(result, error=f"HTTP {resp.status_code}: gave up after {attempt} attempts")
                self._push_slot(host, wait)
                continue
            return result

    def _backoff(self, attempt: int) -> float:
        return min(self.settings.max_backoff, self.settings.backoff_base * (2 ** (attempt - 1)))

    def _read_body(self, resp: requests.Response) -> tuple[bytes, bool, str | None]:
        """Raw body bytes (content coding kept) up to max_bytes; (payload, truncated, error)."""
        s = self.settings
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + s.total_timeout  # real time: a wall-clock guard, not politeness
        try:
            while True:
                chunk = resp.raw.read(65536, decode_content=False)
                if not chunk:
                    return b"".join(chunks), False, None
                chunks.append(chunk)
                size += len(chunk)
                if size > s.max_bytes:
                    return b"".join(chunks)[: s.max_bytes], True, None
                if time.monotonic() > deadline:
                    return b"".join(chunks), True, f"body not received within {s.total_timeout:.0f}s"
        except Exception as exc:  # urllib3 raises unrelated types (ReadTimeoutError, ProtocolError, ...)
            return b"".join(chunks), True, f"{type(exc).__name__} while reading body: {exc}"

    # ------------------------------------------------------------ public API
    def fetch(self, url: str) -> FetchResult:
        """Fetch one URL politely, following redirects hop by hop."""
        try:
            check_url(url, True)  # scheme and host only; addresses are checked per hop
        except UnsafeURL as exc:
            return FetchResult(url=url, skip_reason=f"unsafe URL: {exc}")
        key = normalise_url(url)
        with self._lock:
            if key in self._seen:
                return FetchResult(url=url, skip_reason="duplicate")
            self._seen.add(key)
        hops: list[tuple[str, int]] = []
        current = url
        for _ in range(self.settings.max_redirects + 1):
            try:
                check_url(current, self.settings.allow_private, self.resolver)
            except UnsafeURL as exc:
                return FetchResult(url=url, final_url=current, redirects=tuple(hops),
                                   skip_reason=f"unsafe URL: {exc}")
            ok, reason = self.allowed(current)
            if not ok:
                return FetchResult(url=url, final_url=current, redirects=tuple(hops), skip_reason=reason)
            conditional: dict[str, str] = {}
            prev = self.state.get(current) if self.state is not None else None
            if prev and prev.get("status") == 200:
                if prev.get("etag"):
                    conditional["If-None-Match"] = prev["etag"]
                if prev.get("last_modified"):
                    conditional["If-Modified-Since"] = prev["last_modified"]
            res = self._exchange(current, conditional)
            if res.status in REDIRECT_STATUSES and res.headers.get("Location"):
                hops.append((current, res.status))
                nxt = urljoin(current, res.headers["Location"])
                if normalise_url(nxt) in {normalise_url(u) for u, _ in hops}:
                    return replace(res, url=url, redirects=tuple(hops), error="redirect loop")
                current = nxt
                continue
            result = replace(res, url=url, final_url=current, redirects=tuple(hops))
            if res.status == 304:
                result = replace(result, not_modified=True)
            elif res.status == 200:
                result = replace(result, canonical_url=canonical_link(res.body, current))
            self._remember(result)
            return result
        return FetchResult(url=url, final_url=current, redirects=tuple(hops),
                           error=f"more than {self.settings.max_redirects} redirects")

    def _remember(self, r: FetchResult) -> None:
        if self.state is None or r.final_url is None:
            return
        fields: dict[str, Any] = {"fetched_at": r.fetched_at}
        if r.status == 200 and r.archive is not None:
            fields.update(
                status=200, etag=r.headers.get("ETag"), last_modified=r.headers.get("Last-Modified"),
                requested_url=r.url, redirects=[list(h) for h in r.redirects], canonical_url=r.canonical_url,
                truncated=r.truncated, **r.archive.as_dict())
        for key in {r.url, r.final_url}:
            self.state.update(key, **fields)

    def fetch_many(self, urls: Iterable[str]) -> list[FetchResult]:
        """Fetch URLs: one at a time per host (polite), hosts in parallel; results in input order."""
        ordered = list(urls)
        groups: OrderedDict[str, list[int]] = OrderedDict()
        for i, u in enumerate(ordered):
            groups.setdefault(self._host(u), []).append(i)
        results: list[FetchResult | None] = [None] * len(ordered)

        def run(indexes: list[int]) -> None:
            for i in indexes:
                results[i] = self.fetch(ordered[i])

        workers = max(1, min(len(groups), self.settings.max_parallel_hosts))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(run, idx) for idx in groups.values()]:
                f.result()
        return [r for r in results if r is not None]

    # ------------------------------------------------------------ discovery
    def discover_feed(self, feed_url: str, since: dt.date | None = None) -> list[str]:
        """Article URLs of an RSS/Atom feed, newest first as the feed lists them; entries before ``since``
        are left out (entries without a date are kept)."""
        res = self.fetch(feed_url)
        if not res.ok:
            return []
        parsed = feedparser.parse(res.body)
        out = []
        for e in parsed.entries:
            link = e.get("link")
            if not link:
                continue
            when = e.get("published_parsed") or e.get("updated_parsed")
            if since is not None and when is not None and dt.date(*when[:3]) < since:
                continue
            out.append(urljoin(res.final_url or feed_url, link))
        return out

    def discover_sitemap(self, sitemap_url: str, since: dt.date | None = None, _depth: int = 0) -> list[str]:
        """Page URLs of a sitemap (or sitemap index, followed two levels deep) modified on/after ``since``."""
        res = self.fetch(sitemap_url)
        if not res.ok:
            return []
        data = gunzip_if_needed(res.body, self.settings.max_bytes)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            return []
        if root is None:
            return []
        out: list[str] = []
        for node in root:
            if not isinstance(node.tag, str):
                continue
            tag = etree.QName(node).localname
            loc = lastmod = None
            for child in node.iter():
                if not isinstance(child.tag, str):
                    continue
                name = etree.QName(child).localname
                if name == "loc" and loc is None:
                    loc = (child.text or "").strip()
                elif name in ("lastmod", "publication_date") and child.text:
                    lastmod = child.text.strip()
            if not loc:
                continue
            if since is not None and lastmod:
                try:
                    if dt.date.fromisoformat(lastmod[:10]) < since:
                        continue
                except ValueError:
                    pass
            if tag == "sitemap":
                if _depth < 2:
                    out.extend(self.discover_sitemap(urljoin(sitemap_url, loc), since, _depth + 1))
            elif tag == "url":
                out.append(urljoin(sitemap_url, loc))
        return out


def _peer_ip(resp: requests.Response) -> str | None:
    try:
        sock = resp.raw._connection.sock  # type: ignore[union-attr]  # urllib3 internals, best effort
        return str(sock.getpeername()[0]) if sock else None
    except Exception:  # not available on every transport; the IP is informative only
        return None
