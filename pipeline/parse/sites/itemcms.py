"""Adapters for the news CMS shared by Tehran Times, Mehr News and IRNA's English site.

Their article pages mark the headline ``h2.item-title[itemprop=headline]`` (IRNA: ``h1.title``), the
date ``div.item-date`` ("May 3, 2020 - 17:19", Tehran local time) and the body ``div.item-text``.
Each site has its own versioned adapter so that a layout change on one site bumps only its version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.parse.fields import parse_english_datetime, split_authors
from pipeline.parse.sites.base import SiteFields, paragraphs, text_of, xpath_class


@dataclass(frozen=True)
class ItemCmsAdapter:
    name: str
    domains: tuple[str, ...]
    title_paths: tuple[str, ...] = (
        ".//h2[@itemprop='headline']", xpath_class("h2", "item-title"), xpath_class("h1", "item-title"),
        xpath_class("h1", "title"), ".//h1[@itemprop='headline']",
    )
    date_paths: tuple[str, ...] = (xpath_class("div", "item-date"), xpath_class("span", "item-date"),
                                   xpath_class("div", "item-time"))
    body_paths: tuple[str, ...] = (xpath_class("div", "item-text"), xpath_class("div", "item-body"),
                                   ".//div[@itemprop='articleBody']")
    author_paths: tuple[str, ...] = (xpath_class("div", "item-author"), ".//*[@itemprop='author']")

    def extract(self, root: Any, url: str | None) -> SiteFields:
        title = _first_text(root, self.title_paths)
        date_text = _first_text(root, self.date_paths)
        published = parse_english_datetime(date_text) if date_text else None
        body = None
        for p in self.body_paths:
            found = root.xpath(p)
            if found:
                body = paragraphs(found[0]) or None
                if body:
                    break
        authors: tuple[str, ...] = ()
        a = _first_text(root, self.author_paths)
        if a:
            authors = tuple(split_authors(a))
        return SiteFields(title=title, published=published, authors=authors, text=body, language="en")


def _first_text(root: Any, paths: tuple[str, ...]) -> str | None:
    for p in paths:
        for el in root.xpath(p):
            t = text_of(el)
            if t:
                return t
    return None


TEHRANTIMES_V1 = ItemCmsAdapter("tehrantimes.v1", ("tehrantimes.com",))
MEHRNEWS_V1 = ItemCmsAdapter("mehrnews.v1", ("en.mehrnews.com",))
IRNA_V1 = ItemCmsAdapter(
    "irna.v1",
    ("en.irna.ir",),
    title_paths=(xpath_class("h1", "title"), ".//h1[@itemprop='headline']", xpath_class("h2", "item-title")),
)
