"""Financial Tribune (Drupal): `h1.page-header` or `h1.title`, `div.field-name-body`, `time[datetime]`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.parse.fields import normalise_date
from pipeline.parse.sites.base import SiteFields, paragraphs, text_of, xpath_class


@dataclass(frozen=True)
class FinancialTribuneAdapter:
    name: str = "financialtribune.v1"
    domains: tuple[str, ...] = ("financialtribune.com",)

    def extract(self, root: Any, url: str | None) -> SiteFields:
        title = None
        for p in (xpath_class("h1", "page-header"), xpath_class("h1", "title"), ".//article//h1"):
            els = root.xpath(p)
            if els and text_of(els[0]):
                title = text_of(els[0])
                break
        body = None
        for p in (xpath_class("div", "field-name-body"), xpath_class("div", "field--name-body"),
                  ".//div[@property='content:encoded']"):
            els = root.xpath(p)
            if els:
                body = paragraphs(els[0]) or None
                if body:
                    break
        published = None
        for t in root.xpath(".//article//time[@datetime] | .//span[@property='dc:date']"):
            published = normalise_date(t.get("datetime") or t.get("content"))
            if published:
                break
        return SiteFields(title=title, published=published, text=body, language="en")


FINANCIALTRIBUNE_V1 = FinancialTribuneAdapter()
