"""The fetcher: the only module that talks to the network.

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
addresses are refused unless ``allow_private`` is set -- an IPv4 address embedded in an IPv6 one (mapped,
compatible, NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo) is extracted and checked too. The host is
resolved once per request and the connection goes to exactly the address that was checked (the Host header
and TLS name stay the host's), so DNS rebinding cannot slip a second, private answer in. A response body must
arrive within ``total_timeout`` seconds in all: the socket's timeout is shortened to what is left before each
small read, so a server dripping one byte a second is cut off. Pages are bytes here: no script ever runs.

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
import urllib3
from protego import Protego
from requests.adapters import HTTPAdapter

from pipeline import __version__
from pipeline.fetch.archive import ArchiveRef, FetchState, WarcArchive, decode_content, gunzip_if_needed, read_record

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
        return self.user_agent or f"newsclaims/{__version__} (+{self.contact}; research crawler for economy news)"


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
    """The host's addresses in the system's order of preference (no duplicates)."""
    out: list[str] = []
    for ai in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        a = str(ai[4][0])
        if a not in out:
            out.append(a)
    return out


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_V4_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32"))
_V6_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries: mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``, NAT64
    ``64:ff9b::a.b.c.d`` (and the local-use ``64:ff9b:1::/48``), 6to4 ``2002:AABB:CCDD::``, and Teredo's
    server and (de-obfuscated) client."""
    out: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    n = int(ip)
    if n >> 32 == 0 and n > 1:  # deprecated IPv4-compatible ::a.b.c.d (not :: or ::1)
        out.append(ipaddress.IPv4Address(n & 0xFFFFFFFF))
    if any(ip in net for net in _NAT64):
        out.append(ipaddress.IPv4Address(n & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)
    return out


def not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` is not a public unicast address (None if it is). Explicit ranges, not ``is_global`` alone,
    which differs between Python versions; an IPv6 address is judged by every IPv4 address it embeds too."""
    if isinstance(ip, ipaddress.IPv6Address):
        for v4 in embedded_ipv4(ip):
            why = not_public(v4)
            if why:
                return f"{ip} embeds {v4}, {why}"
        if ip.ipv4_mapped is not None or any(ip in net for net in _NAT64) or ip.sixtofour is not None:
            return None  # another spelling of the IPv4 address just checked, which is public
        nets: tuple[Any, ...] = _V6_NOT_PUBLIC
    else:
        nets = _V4_NOT_PUBLIC
    if any(ip in net for net in nets) or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast \
            or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "a private, loopback, link-local or reserved address"
    return None


def check_scheme(url: str) -> None:
    """Raise :class:`UnsafeURL` unless ``url`` is http(s) with a host (no lookup)."""
    p = urlsplit(url)
    if p.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(f"scheme {p.scheme or '(none)'!r} refused: only http and https are fetched")
    if not p.hostname:
        raise UnsafeURL("no host in URL")


def check_url(url: str, allow_private: bool = False, resolver: Resolver = _resolve) -> str | None:
    """Raise :class:`UnsafeURL` unless ``url`` is http(s) to a public address (or ``allow_private``). Returns
    the checked address to connect to (None when the host was not resolved: ``allow_private`` with a
    hostname that does not resolve is left to the connection to report)."""
    check_scheme(url)
    p = urlsplit(url)
    assert p.hostname is not None
    try:
        port = p.port or (443 if p.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(f"bad port in URL: {exc}") from exc
    try:
        addrs = [str(ipaddress.ip_address(p.hostname.strip("[]").split("%")[0]))]
    except ValueError:
        try:
            addrs = resolver(p.hostname, port)
        except (OSError, UnicodeError) as exc:
            if allow_private:
                return None
            raise UnsafeURL(f"cannot resolve {p.hostname}: {exc}") from exc
    if not addrs:
        raise UnsafeURL(f"{p.hostname} resolves to no address")
    if not allow_private:
        for a in addrs:
            ip = ipaddress.ip_address(a.split("%")[0])
            why = not_public(ip)
            if why:
                raise UnsafeURL(f"{p.hostname} resolves to non-public address {ip} ({why}); pass --allow-private "
                                "to permit")
    return addrs[0].split("%")[0]


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address :func:`check_url` checked for the request's host and port -- never resolving the
    name again -- while the Host header, TLS SNI and certificate check keep the host name."""

    def __init__(self, pins: dict[tuple[str, int], str]) -> None:
        self.pins = pins
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **kw: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **kw)
        pins = self.pins

        def pinned(base: Any) -> Any:
            class Pinned(base):
                def _new_conn(self) -> socket.socket:
                    ip = pins.get((self.host.rstrip(".").lower(), int(self.port)))
                    if ip is None:
                        raise urllib3.exceptions.NewConnectionError(
                            self, f"no checked address for {self.host}:{self.port}; not resolving it again")
                    name: str = self.__dict__["_dns_host"]  # the name as given (urllib3 resolves this one)
                    self._dns_host = ip
                    try:
                        sock: socket.socket = super()._new_conn()
                        return sock
                    finally:
                        self._dns_host = name

            return Pinned

        http_conn = pinned(urllib3.connection.HTTPConnection)
        https_conn = pinned(urllib3.connection.HTTPSConnection)

        class HTTPPool(urllib3.HTTPConnectionPool):
            ConnectionCls = http_conn

        class HTTPSPool(urllib3.HTTPSConnectionPool):
            ConnectionCls = https_conn

        self.poolmanager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    v = value.strip()
    if v.isascii() and v.isdigit():  # '¹'.isdigit() is True too
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
        self._pins: dict[tuple[str, int], str] = {}
        adapter = _PinnedAdapter(self._pins)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_slot: dict[str, float] = {}
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}
        self._robots_reason: dict[str, str] = {}
        self._seen: set[str] = set()
        self.discovery_failures: list[FetchResult] = []  # feeds and sitemaps that could not be read

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
                ip = check_url(url, s.allow_private, self.resolver)
            except UnsafeURL as exc:
                return FetchResult(url=url, skip_reason=f"unsafe URL: {exc}", attempts=attempt)
            self._pin(url, ip)
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
                peer = _peer_ip(resp)
            finally:
                resp.close()
            hdrs = {k: v for k, v in resp.headers.items()}
            limit = s.max_bytes
            body = decode_content(payload, hdrs.get("Content-Encoding"), limit + 1)
            if len(body) > limit:  # a decompression bomb is cut here, and its record says so
                body, truncated = body[:limit], True
            ref = None
            if self.archive is not None:
                ref = self.archive.write_exchange(
                    url=url, method="GET", request_headers=headers, status=resp.status_code,
                    reason=resp.reason or "", response_headers=list(resp.raw.headers.items()),
                    payload=payload, truncated=truncated, ip_address=peer)
            if body_error is not None:
                last_error = body_error
                if attempt > s.max_retries:
                    return FetchResult(url=url, status=resp.status_code, error=f"gave up after {attempt} "
                                       f"attempts: {last_error}", attempts=attempt, archive=ref,
                                       fetched_at=fetched_at)
                self._push_slot(host, self._backoff(attempt))
                continue
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

    def _pin(self, url: str, ip: str | None) -> None:
        """The next connection to this URL's host and port goes to ``ip`` (when ``allow_private`` let a name
        that did not resolve through, to the name itself, so that the connection reports why)."""
        p = urlsplit(url)
        host = (p.hostname or "").rstrip(".").lower()
        key = (host, p.port or (443 if p.scheme.lower() == "https" else 80))
        with self._lock:
            self._pins[key] = ip if ip is not None else host

    def _read_body(self, resp: requests.Response) -> tuple[bytes, bool, str | None]:
        """Raw body bytes (content coding kept) up to max_bytes; (payload, truncated, error). The whole body
        must arrive within total_timeout: each read takes what has arrived (at most 64 KiB), and the socket's
        timeout is cut to the time left before it, so a slow drip is stopped on time."""
        s = self.settings
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + s.total_timeout  # real time: a wall-clock guard, not politeness
        sock = _socket_of(resp)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return b"".join(chunks), True, f"body not received within {s.total_timeout:.0f}s"
                if sock is not None:
                    sock.settimeout(max(0.001, min(s.read_timeout, left)))
                chunk = resp.raw.read1(65536, decode_content=False)
                if not chunk:
                    return b"".join(chunks), False, None
                chunks.append(chunk)
                size += len(chunk)
                if size > s.max_bytes:
                    return b"".join(chunks)[: s.max_bytes], True, None
        except Exception as exc:  # urllib3 raises unrelated types (ReadTimeoutError, ProtocolError, ...)
            if time.monotonic() >= deadline:
                return b"".join(chunks), True, f"body not received within {s.total_timeout:.0f}s"
            return b"".join(chunks), True, f"{type(exc).__name__} while reading body: {exc}"

    # ------------------------------------------------------------ public API
    def fetch(self, url: str) -> FetchResult:
        """Fetch one URL politely, following redirects hop by hop."""
        try:
            check_scheme(url)  # scheme and host only; addresses are checked per hop
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
            elif res.status is not None and res.status >= 400 and result.error is None:
                result = replace(result, error=f"HTTP {res.status}")
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
    def _current_body(self, res: FetchResult) -> bytes | None:
        """The body of a feed or sitemap: the response's, or on a 304 the archived copy the validators came
        from (the 304 itself has no body). None when there is neither."""
        if res.ok:
            return res.body
        if not res.not_modified or self.state is None:
            if res.error or res.skip_reason and res.skip_reason != "duplicate":
                self.discovery_failures.append(res)
            return None
        for key in (res.final_url, res.url):
            prev = self.state.get(key) if key else None
            if prev and prev.get("warc_file") and prev.get("warc_offset") is not None:
                try:
                    rec = read_record(prev["warc_file"], int(prev["warc_offset"]))
                except (OSError, ValueError):
                    continue
                return rec.content_capped(self.settings.max_bytes)[0]
        self.discovery_failures.append(replace(res, error="304 Not Modified, and no archived copy to read"))
        return None

    def discover_feed(self, feed_url: str, since: dt.date | None = None) -> list[str]:
        """Article URLs of an RSS/Atom feed, newest first as the feed lists them; entries before ``since``
        are left out (entries without a date are kept)."""
        res = self.fetch(feed_url)
        body = self._current_body(res)
        if body is None:
            return []
        parsed = feedparser.parse(body)
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
        body = self._current_body(res)
        if body is None:
            return []
        data = gunzip_if_needed(body, self.settings.max_bytes)
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


def _socket_of(resp: requests.Response) -> socket.socket | None:
    """The response's socket (urllib3 internals, best effort), to shorten its timeout."""
    try:
        sock = resp.raw._connection.sock  # type: ignore[union-attr]
        return sock if isinstance(sock, socket.socket) else None
    except Exception:  # not available on every transport: the per-read timeout still applies
        return None


def _peer_ip(resp: requests.Response) -> str | None:
    try:
        sock = resp.raw._connection.sock  # type: ignore[union-attr]  # urllib3 internals, best effort
        return str(sock.getpeername()[0]) if sock else None
    except Exception:  # not available on every transport; the IP is informative only
        return None
