"""Archived web pages -> :class:`Article` (or :class:`Skip`), for the extract stage.

``iter_archive_articles("archive/")`` reads every HTML ``200`` response in the archive's WARC files,
parses it with :func:`pipeline.parse.parse_html`, and yields one Article per article id. When the same
article was fetched more than once, the newest copy wins. Each Article's ``raw`` points at the exact
WARC record (``warc_file``, ``warc_offset``, ``warc_record_id``, ``payload_sha256``).

Article ids are derived from the canonical URL (:func:`article_id`): the host without ``www.`` plus the
path, e.g. ``tehrantimes.com/news/442871/Iran-s-non-oil-exports``; a URL with a query string, or an id
longer than 120 characters, becomes host + ``/`` + the first 16 hex digits of the URL's SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.archive import MAX_CONTENT_BYTES, ArchivedRecord, iter_records
from pipeline.models import Article, Skip
from pipeline.parse import ParseError, parse_html
from pipeline.published import parse_published

MAX_ID = 120
HTML_TYPES = ("text/html", "application/xhtml+xml")


def article_id(url: str) -> str:
    """Stable, readable id from a (canonical) URL; see the module docstring."""
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = re.sub(r"/+", "/", unquote(p.path or "/")).rstrip("/")
    path = re.sub(r"\.(?:html?|php|aspx?)$", "", path)
    ident = host + path
    if p.query or len(ident) > MAX_ID or not re.fullmatch(r"[\w./\-~%]+", ident):
        digest = hashlib.sha256(f"{host}{p.path}?{p.query}".encode()).hexdigest()[:16]
        return f"{host}/{digest}"
    return ident


def _is_html(rec: ArchivedRecord, max_bytes: int = 4096) -> bool:
    ctype = (rec.header("content-type") or "").lower()
    if ctype:
        return any(t in ctype for t in HTML_TYPES)
    return rec.content_capped(min(max_bytes, 4096))[0][:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


def iter_archive_articles(archive_dir: Path, max_bytes: int = MAX_CONTENT_BYTES) -> Iterator[Article | Skip]:
    """Articles (newest copy per id, in id order) and Skips (with reasons) from an archive directory. A payload
    is decompressed to at most ``max_bytes``; a cut one (or one the fetcher marked ``WARC-Truncated``) is
    flagged ``truncated``."""
    latest: dict[str, ArchivedRecord] = {}
    for rec in iter_records(archive_dir, "response"):
        if rec.status != 200 or rec.target_uri.endswith("/robots.txt") or not _is_html(rec, max_bytes):
            continue
        latest[rec.target_uri] = rec  # files are read oldest first: a later copy replaces an earlier one
    articles: dict[str, Article] = {}
    skips: list[Skip] = []
    for url, rec in latest.items():
        payload, cut = rec.content_capped(max_bytes)
        headers = dict(rec.http_headers)
        try:
            page = parse_html(payload, url=url, headers=headers)
        except ParseError as exc:
            skips.append(Skip(source=url, reason=f"parse error: {exc}", article_id=article_id(url)))
            continue
        except Exception as exc:  # noqa: BLE001 - a page that trips a bug is a recorded skip, not the end
            skips.append(Skip(source=url, reason=f"parse error ({type(exc).__name__}: {exc})",
                              article_id=article_id(url)))
            continue
        aid = article_id(page.canonical_url or url)
        if page.skip_reason:
            skips.append(Skip(source=url, reason=page.skip_reason, article_id=aid))
            continue
        if not page.text.strip():
            skips.append(Skip(source=url, reason="no article text found", article_id=aid))
            continue
        flags = page.flags + (("truncated",) if cut else ())
        published = page.published if page.published and parse_published(page.published).iso else None
        art = Article(
            id=aid,
            text=page.text.replace("\x00", ""),
            url=url,
            title=page.title,
            published=published,
            published_precision=page.published_precision if published else None,
            source=page.source,
            authors=page.authors,
            language=page.language,
            fetched_at=rec.warc_date,
            raw={"warc_file": rec.warc_file, "warc_offset": rec.warc_offset, "warc_record_id": rec.record_id,
                 "payload_sha256": rec.payload_sha256, "canonical_url": page.canonical_url,
                 "adapter": page.adapter},
            flags=flags,
        )
        prev = articles.get(aid)
        if prev is None or (prev.fetched_at or "") <= (art.fetched_at or ""):
            articles[aid] = art
    yield from (articles[k] for k in sorted(articles))
    yield from skips
