"""HTML -> ParsedPage. Minimal placeholder; the site adapters and trafilatura fallback replace it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import BeautifulSoup


class ParseError(Exception):
    pass


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


def parse_html(data: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None) -> ParsedPage:
    soup = BeautifulSoup(data, "lxml")
    body = soup.select_one("div.item-text") or soup.body
    if body is None:
        raise ParseError("no body")
    text = "\n".join(p.get_text(" ", strip=True) for p in body.find_all("p")) or body.get_text("\n", strip=True)
    title_el = soup.select_one("h2.item-title") or soup.title
    return ParsedPage(url, url, title_el.get_text(strip=True) if title_el else None, None, (), None, None, text,
                      "placeholder.v0")
