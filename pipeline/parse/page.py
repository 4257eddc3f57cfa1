"""The parse stage proper: HTML bytes -> :class:`ParsedPage`.

Order of evidence, most trusted first:

1. JSON-LD (``NewsArticle`` and friends) and ``<meta>`` tags, which publishers fill for search engines;
2. the site adapter's selectors (``pipeline/parse/sites/``), small and versioned (``tehrantimes.v1``);
3. the generic fallback: trafilatura for the body text and metadata, htmldate for the publication date.

Pages that are not articles but a wall in front of one (a bot challenge, a paywall, a consent wall) come
back with ``skip_reason`` set and no text; they are never bypassed. Hostile markup raises
:class:`ParseError` for that page only.

The page is parsed once: one lxml tree (built the way trafilatura builds its own, so the fallback sees what it
always saw) is shared by the site adapter, the metadata readers, trafilatura (which copies what it prunes) and
htmldate. Before parsing, an element with more than MAX_ATTRIBUTES attributes keeps only the first ones:
libxml2 checks each new attribute against all earlier ones, so 100,000 attributes on one tag would cost
minutes per parse.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree
import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from htmldate import find_date
from trafilatura.utils import is_dubious_html, repair_faulty_html

from pipeline.parse.fields import clean_space, normalise_date, split_authors
from pipeline.parse.sites import adapter_for
from pipeline.parse.sites.base import SiteFields, text_of

MAX_DOCUMENT_CHARS = 20_000_000
ARTICLE_TYPES = {
    "article", "newsarticle", "reportage", "analysisnewsarticle", "backgroundnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "scholarlyarticle", "techarticle", "report",
    "socialmediaposting",    "liveblogposting", "webpage", "creativework", "posting",
}
DISAGREE_BELOW = 0.5  # shingle F1 between adapter and fallback text under which a page is flagged


class ParseError(ValueError):
    """The page cannot be parsed safely (hostile or broken markup). Raised for that page only."""


@dataclass(frozen=True)
class ParsedPage:
    url: str | None
    canonical_url: str | None
    title: str | None
    published: str | None
    authors: tuple[str, ...]
    source: str | None
    language: str | None
    text: str
    adapter: str
    flags: tuple[str, ...] = ()
    skip_reason: str | None = None
    published_precision: str | None = None  # "day" | "datetime"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["authors"] = list(self.authors)
        d["flags"] = list(self.flags)
        return d


# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)


# Codecs Python knows that no page is written in: "undefined" raises on every decode, the escapes and IDNA
# codecs are not charsets (and codecs.lookup also finds base64, zlib and rot13, which are not text encodings).
_NOT_CHARSETS = {"undefined", "idna", "punycode", "raw-unicode-escape", "unicode-escape"}


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset; None for unknown names and for codecs that are no charset
    (``<meta charset="undefined">`` names Python's always-failing codec)."""
    if not name:
        return None
    import codecs

    try:
        info = codecs.lookup(name.strip().lower())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def decode_html(data: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding).

    Strict UTF-8 first (a page that decodes as UTF-8 is UTF-8, whatever its label says), then the charset
    declared in the Content-Type header and in ``<meta>``, each strictly, then charset-normalizer's guess.
    A mislabelled page (e.g. windows-1256 bytes sent as UTF-8 or latin-1) therefore still decodes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared: list[str] = []
    ctype = _header(headers, "content-type")
    if ctype:
        m = _HEADER_CHARSET.search(ctype)
        if m:
            declared.append(m.group(1))
    m2 = _META_CHARSET.search(data[:4096])
    if m2:
        declared.append(m2.group(1).decode("ascii", "ignore"))
    # latin-1 and its alias windows-1252 decode any byte string, so they prove nothing: let the detector
    # look first, and only use them if it has no opinion.
    weak = {"latin_1", "iso8859-1", "cp1252", "ascii"}
    for name in declared:
        codec = _codec(name)
        if codec and codec not in weak:
            try:
                return data.decode(codec), codec
            except (UnicodeError, LookupError):
                continue
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding and _codec(best.encoding):
        try:
            return data.decode(best.encoding, errors="replace"), best.encoding
        except (UnicodeError, LookupError):
            pass
    for name in declared:
        codec = _codec(name)
        if codec:
            try:
                return data.decode(codec, errors="replace"), codec
            except (UnicodeError, LookupError):
                continue
    return data.decode("utf-8", errors="replace"), "utf-8"


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return None


# ---------------------------------------------------------------- safe tree


MAX_ATTRIBUTES = 256  # attributes kept on one element (see the module docstring)
_LONG_TAG = re.compile(r"<[A-Za-z][^\s/>]*\s[^<>]{4000,}>")
_ATTRIBUTE = re.compile(r"""[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?""")


def cap_attributes(html: str, limit: int = MAX_ATTRIBUTES) -> tuple[str, int]:
    """``html`` with every element's attributes after the first ``limit`` dropped, and how many elements were
    cut. Linear in the length of the page; a page without long tags is returned unchanged."""
    cut = 0

    def fix(m: re.Match[str]) -> str:
        nonlocal cut
        tag = m.group(0)
        name_end = re.match(r"<[A-Za-z][^\s/>]*", tag)
        assert name_end is not None
        attrs = _ATTRIBUTE.findall(tag, name_end.end(), len(tag) - 1)
        if len(attrs) <= limit:
            return tag
        cut += 1
        return name_end.group(0) + " " + " ".join(attrs[:limit]) + ">"

    out = _LONG_TAG.sub(fix, html)
    return out, cut


@dataclass(frozen=True)
class _Parsed:
    root: Any  # the one tree everything reads
    fallback_ok: bool  # trafilatura would have parsed this page itself (else it finds no text, as before)
    capped: int  # elements whose attributes were cut


def _html_parser() -> Any:
    # trafilatura's own HTML_PARSER options (so that the shared tree is the one it would build), plus no
    # network and libxml2's default limits on depth and text size (huge_tree off)
    return lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                remove_pis=True, no_network=True, huge_tree=False, recover=True)


def _tree(html: str) -> _Parsed:
    if len(html) > MAX_DOCUMENT_CHARS:
        raise ParseError(f"document too large ({len(html)} characters > {MAX_DOCUMENT_CHARS})")
    html, capped = cap_attributes(html)
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)  # also drops NULs and other characters XML cannot hold
    parser = _html_parser()
    root = None
    try:
        root = lxml.html.fromstring(html, parser=parser)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        root = None
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise ParseError(f"unparseable markup: {exc}") from exc
    if root is None or len(root) < 1:
        try:
            root = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            raise ParseError(f"unparseable markup: {exc}") from exc
    limits = [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        raise ParseError(f"hostile markup: {limits[0].message.strip()}")
    if root is None or len(root) == 0:
        raise ParseError("no document element: the markup is broken or empty")
    return _Parsed(root, not (is_dubious_html(beginning) and len(root) < 2), capped)


# ---------------------------------------------------------------- metadata


def _jsonld_objects(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            out.append(node)
            for key in ("@graph", "mainEntity", "itemListElement"):
                if key in node:
                    walk(node[key])

    for script in root.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            walk(json.loads(raw))
        except (json.JSONDecodeError, RecursionError):
            try:
                walk(json.loads(re.sub(r"[\x00-\x1f]", " ", raw)))
            except (json.JSONDecodeError, RecursionError):
                continue
    return out


def _types(obj: Mapping[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _article_ld(objs: list[dict[str, Any]]) -> dict[str, Any] | None:
    best: dict[str, Any] | None = None
    best_rank = 99
    for o in objs:
        ts = _types(o)
        if not ts & ARTICLE_TYPES and not any(t.endswith("article") for t in ts):
            continue  # every schema.org Article subtype ends in "Article" (ReportageNewsArticle, ...)
        rank = 0 if any(t.endswith("newsarticle") for t in ts) or "reportage" in ts else (
            1 if ts & {"article", "blogposting", "reviewnewsarticle", "liveblogposting", "report"} else 2
        )
        if not o.get("headline") and not o.get("datePublished"):
            rank += 3
        if rank < best_rank:
            best, best_rank = o, rank
    return best


def _meta(root: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and key not in out:
            out[key] = content.strip()
    return out


def _names(value: Any) -> list[str]:
    names: list[str] = []
    if isinstance(value, str):
        names.extend(split_authors(value))
    elif isinstance(value, list):
        for v in value:
            names.extend(_names(v))
    elif isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            names.extend(split_authors(name))
        elif isinstance(name, list):
            names.extend(_names(name))
    return names


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for i in items:
        k = i.casefold()
        if k not in seen:
            seen[k] = i
    return tuple(seen.values())


DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "article.published",
    "parsely-pub-date", "sailthru.date", "pubdate", "publishdate", "publish-date", "published_time",
    "dc.date.issued", "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date", "date",
    "article_date_original", "cxenseparse:recs:publishtime", "og:published_time", "timestamp",
    "dc.date.created",
)
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
               "citation_author", "twitter:creator:name")
TITLE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "headline", "title")


# ---------------------------------------------------------------- title

TITLE_PRIORITY = ("jsonld", "og:title", "h1", "twitter:title", "parsely-title", "sailthru.title", "dc.title",
                  "headline", "title")
_SEP = re.compile(r"\s+(?:\||-{1,2}|\u2013|\u2014|::|\*|\u00b7|\u2022|\u00bb|/)\s+")


def clean_title(value: str) -> str:
    """Whitespace collapsed and HTML entities decoded (also doubly escaped ones: ``&amp;#8217;``)."""
    t = clean_space(value)
    for _ in range(2):
        if "&" not in t:
            break
        t = htmllib.unescape(t)
    return clean_space(t)


def _squash(value: str) -> str:
    return re.sub(r"\W+", "", value.casefold())


def _is_site_name(segment: str, names: Iterable[str]) -> bool:
    seg = _squash(segment)
    if not seg:
        return False
    for n in names:
        if seg == n or (len(n) >= 4 and (n in seg or (len(seg) >= 4 and seg in n))):
            return True
    return False


def strip_site_name(title: str, names: Iterable[str], others: Iterable[str] = ()) -> str:
    """Remove a site-name suffix or prefix: "Headline | Section | Site" -> "Headline".

    ``names`` are squashed site names (og:site_name, the JSON-LD publisher, the host). A title that is
    another candidate followed by a separator and more words is cut back to that candidate.
    """
    t = clean_title(title)
    for o in sorted(others, key=len, reverse=True):
        if o and len(o) < len(t) and t.startswith(o) and _SEP.match(t, len(o)):
            return o
    names = [n for n in names if n]
    seps = list(_SEP.finditer(t))
    if not seps:
        return t
    bounds = [0] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [len(t)]
    parts = [t[b:e] for b, e in zip(bounds, ends, strict=True)]
    for k in range(1, len(parts)):  # "Headline | Section | Site": cut at the first site segment
        if _is_site_name(parts[k], names):
            j = k - 1
            while j >= 1 and len(parts[j].split()) <= 3 and "|" in seps[j - 1].group():
                j -= 1  # a section name between the headline and the site: "| Business News |"
            return t[: ends[j]].strip()
    if len(parts) > 1 and _is_site_name(parts[0], names):  # "Site | Headline"
        return t[bounds[1]:].strip()
    return t


def _site_names(art: Mapping[str, Any] | None, meta: Mapping[str, str], url: str | None) -> list[str]:
    names: list[str] = []
    for k in ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"):
        if meta.get(k):
            names.append(meta[k].lstrip("@"))
    if art is not None:
        pub = art.get("publisher")
        if isinstance(pub, list) and pub:
            pub = pub[0]
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            names.append(pub["name"])
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        host = host[4:] if host.startswith("www.") else host
        names.append(host)
        labels = host.split(".")
        names.extend(lb for lb in labels if len(lb) >= 4 and lb not in ("news", "html"))
    out = [_squash(n) for n in names]
    return list(dict.fromkeys(n for n in out if len(n) >= 3))


def _headline_element(root: Any) -> str | None:
    """The article's ``<h1>`` (inside ``<article>`` or ``<main>`` first); navigation h1s ("Log in") skipped."""
    for path in (".//article//h1", ".//main//h1", ".//h1"):
        for el in root.iterfind(path):
            t = text_of(el)
            if len(t.split()) >= 3:
                return t
    return None


def choose_title(candidates: list[tuple[str, str]], names: list[str]) -> str | None:
    """The headline: JSON-LD ``headline``, else og:title, else the article ``<h1>``, else the rest.

    Every candidate loses a site-name suffix ("Headline | Site", "Headline - Site", "Headline -- Site")
    and is cut back to another candidate it merely extends with a separator ("Headline | Section").
    """
    cleaned = [(src, clean_title(v)) for src, v in candidates if v and clean_title(v)]
    values = [v for _, v in cleaned]
    stripped: dict[str, str] = {}
    for src, v in cleaned:
        others = [o for o in values if o != v]
        s = strip_site_name(v, names, others)
        if s and src not in stripped:
            stripped[src] = s
    for src in TITLE_PRIORITY:
        if stripped.get(src):
            return stripped[src]
    return None


@dataclass(frozen=True)
class _Meta:
    title: str | None = None
    published: tuple[str, str] | None = None
    authors: tuple[str, ...] = ()
    canonical: str | None = None
    language: str | None = None
    body: str | None = None
    free: bool | None = None
    from_jsonld: bool = False


def _read_meta(root: Any, url: str | None, headers: Mapping[str, str] | None) -> _Meta:
    objs = _jsonld_objects(root)
    art = _article_ld(objs)
    meta = _meta(root)
    title = None
    published = None
    authors: list[str] = []
    body = None
    free = None
    language = None
    from_jsonld = False
    if art is not None:
        h = art.get("headline") or art.get("name")
        if isinstance(h, str) and h.strip():
            title = h
        published = normalise_date(_first_str(art.get("datePublished")) or _first_str(art.get("dateCreated")))
        from_jsonld = published is not None
        authors = _names(art.get("author")) or _names(art.get("creator"))
        b = art.get("articleBody")
        if isinstance(b, str) and b.strip():
            body = b
        acc = art.get("isAccessibleForFree")
        if acc is not None:
            free = str(acc).strip().lower() not in ("false", "0", "no")
        lang = art.get("inLanguage")
        if isinstance(lang, str):
            language = lang
    candidates: list[tuple[str, str]] = []
    if title is not None:
        candidates.append(("jsonld", title))
    for k in TITLE_META:
        if meta.get(k):
            candidates.append((k, meta[k]))
    h1 = _headline_element(root)
    if h1:
        candidates.append(("h1", h1))
    t_el = root.find(".//title")
    if t_el is not None and text_of(t_el):
        candidates.append(("title", text_of(t_el)))
    names = _site_names(art, meta, url)
    title = choose_title(candidates, names)
    if published is None:
        for k in DATE_META:
            published = normalise_date(meta.get(k))
            if published:
                break
    if published is None:
        for t in root.iterfind(".//time[@datetime]"):
            if (t.get("itemprop") or "").lower() == "datepublished" or (t.get("pubdate") is not None):
                published = normalise_date(t.get("datetime"))
                if published:
                    break
    if not authors:
        for k in AUTHOR_META:
            if meta.get(k):
                authors = split_authors(meta[k])
                if authors:
                    break
    canonical = None
    for link in root.iterfind(".//link[@rel]"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canonical = urljoin(url or "", link.get("href").strip())
            break
    if canonical is None and meta.get("og:url"):
        canonical = urljoin(url or "", meta["og:url"])
    if canonical and urlsplit(canonical).scheme not in ("http", "https"):
        canonical = None
    if language is None:
        html_el = root if root.tag == "html" else root.find(".//html")
        if html_el is not None:
            language = html_el.get("lang") or html_el.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not language:
        language = meta.get("og:locale") or meta.get("content-language") or meta.get("language")
    if not language:
        language = _header(headers, "content-language")
    return _Meta(title, published, _dedupe(authors), canonical, _lang(language), body, free, from_jsonld)


def _first_str(v: Any) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, list) and v and isinstance(v[0], str):
        return v[0]
    return None


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*", value)
    return m.group(1).lower() if m else None


# ---------------------------------------------------------------- walls

BOT_CHALLENGES = (
    ("ArvanCloud", re.compile(r"arvancloud|__arcsjs|ar-challenge|arvan-challenge", re.I)),
    ("Cloudflare", re.compile(r"cf-browser-verification|cf_chl_|challenges\.cloudflare\.com|"
                              r"<title>\s*(?:just a moment\.\.\.|attention required! \| cloudflare)", re.I)),
    ("DDoS-Guard", re.compile(r"ddos-guard", re.I)),
    ("Sucuri", re.compile(r"sucuri website firewall", re.I)),
    ("Imperva", re.compile(r"_incapsula_resource|incapsula incident id", re.I)),
    ("captcha", re.compile(r"<title>[^<]*(?:captcha|are you a robot|verify you are human)[^<]*</title>",
                           re.I)),
)
CONSENT = re.compile(
    r"consent\.(?:google|yahoo)|before you continue to|we value your privacy|cookie consent|"
    r"accept (?:all )?cookies to (?:continue|read)|manage (?:your )?consent", re.I)
PAYWALL = re.compile(
    r"subscribe to (?:continue|read)|to continue reading|"
    r"this (?:article|content) is for (?:subscribers|members)|"
    r"already a subscriber\?|class=\"(?:[^\"]*\s)?paywall(?:\s[^\"]*)?\"", re.I)  # the token, not "paywall-login"
SHORT_TEXT = 600  # a wall has at most this much readable text


def _wall(html: str, text: str, free: bool | None, headers: Mapping[str, str] | None) -> str | None:
    server = (_header(headers, "server") or "") + " " + (_header(headers, "x-sid") or "")
    head = html[:60_000]
    for name, rx in BOT_CHALLENGES:
        if (name == "ArvanCloud" and "arvancloud" in server.lower()) or rx.search(head):
            if len(text) < SHORT_TEXT * 3:
                return f"bot-challenge: {name}"
    if len(text) < SHORT_TEXT:
        if CONSENT.search(html[:200_000]):
            return "consent-wall"
        if free is False or PAYWALL.search(html[:400_000]):
            return "paywall"
    return None


# ---------------------------------------------------------------- text comparison


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shingle_f1(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    inter = len(sa & sb)
    if not inter:
        return 0.0
    p, r = inter / len(sa), inter / len(sb)
    return 2 * p * r / (p + r)


# ---------------------------------------------------------------- entry point


PRECISION_KEEPS = 0.5  # favor_precision's text is used unless it dropped more than half of the balanced text


def _class_token(word: str) -> str:
    """XPath 1.0 test: some class token starts or ends with ``word`` ("newsletter-promo", "inline-newsletter")."""
    return (f"contains(concat(' ', normalize-space(@class)), ' {word}') or "
            f"contains(concat(normalize-space(@class), ' '), '{word} ')")


# Boxes publishers put inside the article body that are never the article: newsletter sign-ups and
# editorial/advertising disclosures. Matched on class-token prefixes/suffixes only, so a wrapper such as
# "article-body" is never hit. Handed to trafilatura (prune_xpath): we configure it, we do not re-implement it.
# A box is short: a page-level element whose class merely styles such boxes ("newsletter-style-dark" on
# <body>) is never pruned.
PRUNE_MAX_CHARS = 1500
PRUNE_XPATH = [
    f"//*[not(self::html or self::body or self::main or self::article)][{_class_token(w)}]"
    f"[string-length(normalize-space(.)) < {PRUNE_MAX_CHARS}]"
    for w in ("newsletter", "disclosure", "disclaimer")
]


def _trafilatura_text(tree: Any, url: str | None, favor_precision: bool = False) -> str:
    try:  # bare_extraction copies a tree it is given before pruning it
        doc: Any = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False,
                                               favor_precision=favor_precision, prune_xpath=PRUNE_XPATH)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        raise ParseError(f"text extraction failed: {exc}") from exc
    if doc is None:
        return ""
    return str((doc.get("text") if isinstance(doc, dict) else doc.text) or "")


def _fallback_text(tree: Any, url: str | None) -> str:
    """trafilatura's body text: its precision mode (news pages mostly fail by keeping boilerplate: share
    bars, newsletter boxes, related links), unless that mode lost most of what the balanced mode finds,
    which means it cut real paragraphs."""
    balanced = _trafilatura_text(tree, url)
    precise = _trafilatura_text(tree, url, favor_precision=True)
    if precise and len(precise) >= PRECISION_KEEPS * len(balanced):
        return precise
    return balanced


def _fallback_meta(tree: Any, url: str | None) -> Any:
    try:  # reads the tree; its author search prunes a copy
        return trafilatura.extract_metadata(tree, default_url=url)
    except (ValueError, TypeError, RecursionError, etree.LxmlError):
        return None


def _htmldate(tree: Any, url: str | None) -> str | None:
    try:  # find_date copies a tree it is given before cleaning it
        return find_date(tree, url=url, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError, RecursionError, etree.LxmlError):
        return None


_URL_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})([/_-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


def url_date(url: str | None) -> str | None:
    """The publication day a URL path spells out: /2020/04/13/, /20200413/, -2020-04-13-."""
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None
    return day.isoformat() if 1990 <= day.year and day <= dt.date.today() + dt.timedelta(days=1) else None


def reconcile_url_date(published: tuple[str, str] | None, from_url: str | None) -> tuple[str, str] | None:
    """A URL date one day off a date without an offset is the publisher's own calendar day: keep it.
    A URL date also stands in for a missing date."""
    if from_url is None:
        return published
    if published is None:
        return from_url, "day"
    try:
        gap = abs((dt.date.fromisoformat(published[0][:10]) - dt.date.fromisoformat(from_url)).days)
    except ValueError:
        return published
    if gap == 1 and (published[1] == "day" or not re.search(r"(?:[+-]\d{2}:\d{2}|Z)$", published[0])):
        return from_url, "day"
    return published  # an instant with an offset is kept: it is exact, the URL is only a calendar day


def _drawn_from(text: str, body: str) -> bool:
    got = shingles(text)
    return bool(got) and len(got & shingles(body)) >= 0.9 * len(got)


ARTICLE_BODY_RATIO = 3  # JSON-LD articleBody replaces an extraction this many times shorter


def use_article_body(text: str, body: str | None) -> bool:
    """The publisher's JSON-LD ``articleBody`` is used when the extraction is empty or caught a fragment
    (a caption, a teaser) of it: the body is several times longer and contains most of the extraction.
    Never on a page behind a wall (the caller checks), so a paywall is not bypassed through its markup."""
    if not body or not body.strip():
        return False
    if not text.strip():
        return True
    if len(body) < ARTICLE_BODY_RATIO * len(text):
        return False
    got = shingles(text)
    return not got or len(got & shingles(body)) >= 0.5 * len(got) or len(text) < SHORT_TEXT


def parse_html(
    data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None
) -> ParsedPage:
    """Parse one HTML page. Raises :class:`ParseError` for hostile or broken markup.

    >>> page = parse_html(open("page.html", "rb").read(), url="https://www.tehrantimes.com/news/1/x")
    >>> page.adapter, page.published  # doctest: +SKIP
    ('tehrantimes.v1', '2020-05-03T17:19:00+04:30')
    """
    if isinstance(data, bytes):
        if not data.strip():
            raise ParseError("empty document")
        html, _enc = decode_html(data, headers)
    else:
        html = data
    if not html.strip():
        raise ParseError("empty document")
    parsed = _tree(html)
    root = parsed.root
    meta = _read_meta(root, url, headers)
    page_url = url or meta.canonical
    adapter = adapter_for(page_url) or adapter_for(meta.canonical)
    site = adapter.extract(root, page_url) if adapter is not None else SiteFields()
    flags: list[str] = ["attributes_capped"] if parsed.capped else []
    dates: dict[str, str | None] = {}

    def htmldate_day() -> str | None:
        if "day" not in dates:  # htmldate rejects the same dubious pages trafilatura does
            dates["day"] = _htmldate(root, page_url) if parsed.fallback_ok else None
        return dates["day"]

    fallback_text = _fallback_text(root, page_url) if parsed.fallback_ok else ""
    text = site.text or fallback_text
    if site.text and fallback_text and shingle_f1(site.text, fallback_text) < DISAGREE_BELOW:
        flags.append("adapter_fallback_disagree")
        if len(fallback_text) > 2 * len(site.text):
            text = fallback_text  # the selectors caught a fragment (a layout change?): keep the fuller text
    # trafilatura itself falls back to JSON-LD articleBody; on a page its publisher marks as not free, text
    # that is only that body is not visible text, so the wall test must not count it.
    visible = "" if meta.free is False and meta.body and _drawn_from(text, meta.body) else text
    skip = _wall(html, visible, meta.free, headers)
    if skip is None and meta.free is not False and use_article_body(text, meta.body):
        text = (meta.body or "").strip()
    text = unicodedata.normalize("NFC", text)

    fb = None
    title = meta.title or site.title
    if site.title and meta.title and site.title.casefold() != meta.title.casefold():
        title = site.title  # the page's own headline beats a search-engine title with a site suffix
    authors = meta.authors or site.authors
    published = site.published or meta.published
    if meta.published and not site.published and not meta.from_jsonld:
        # a loose <meta> date is checked against htmldate's reading of the whole page
        day = htmldate_day()
        if day and day != meta.published[0][:10]:
            published = (day, "day")
    if (title is None or not authors or published is None) and parsed.fallback_ok:
        fb = _fallback_meta(root, page_url)
    if title is None and fb is not None and fb.title:
        title = clean_space(fb.title)
    if not authors and fb is not None and fb.author:
        authors = _dedupe(a for part in fb.author.split(";") for a in split_authors(part))
    if published is None:
        day = htmldate_day()
        if day:
            published = (day, "day")
    published = reconcile_url_date(published, url_date(page_url) or url_date(meta.canonical))
    if site.published and meta.published and site.published[0][:10] != meta.published[0][:10]:
        flags.append("date_sources_disagree")

    canonical = meta.canonical or page_url
    host_url = canonical or page_url
    source = None
    if host_url:
        host = urlsplit(host_url).hostname or ""
        source = host[4:] if host.startswith("www.") else (host or None)
    return ParsedPage(
        url=url,
        canonical_url=canonical,
        title=unicodedata.normalize("NFC", title) if title else None,
        published=published[0] if published else None,
        authors=tuple(authors),
        source=source,
        language=meta.language or site.language,
        text="" if skip else text.strip(),
        adapter=adapter.name if adapter is not None else "generic.v1",
        flags=tuple(flags),
        skip_reason=skip,
        published_precision=published[1] if published else None,
    )
