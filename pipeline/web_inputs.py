"""Archived web pages, as inputs: ``latest_pages("archive/")`` is the newest HTML ``200`` response of each URL
in the archive's WARC files, unparsed (the reader, :func:`pipeline.read.archive_articles`, parses them and
keeps the newest copy of each article). Each Article's ``raw`` points at the exact WARC record
(``warc_file``, ``warc_offset``, ``warc_record_id``, ``payload_sha256``).

Article ids are derived from the canonical URL (:func:`article_id`): the host without ``www.`` plus the
path, e.g. ``tehrantimes.com/news/442871/Iran-s-non-oil-exports``; a URL with a query string, or an id
longer than 120 characters, becomes host + ``/`` + the first 16 hex digits of the URL's SHA-256.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.fetch.archive import MAX_CONTENT_BYTES, ArchivedRecord, iter_records

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


def latest_pages(archive_dir: Path, max_bytes: int = MAX_CONTENT_BYTES) -> list[ArchivedRecord]:
    """The newest HTML ``200`` response of each URL in the archive (robots.txt left out), in the order the URLs
    were first archived."""
    latest: dict[str, ArchivedRecord] = {}
    for rec in iter_records(archive_dir, "response"):
        if rec.status != 200 or rec.target_uri.endswith("/robots.txt") or not _is_html(rec, max_bytes):
            continue
        latest[rec.target_uri] = rec  # files are read oldest first: a later copy replaces an earlier one
    return list(latest.values())
