"""Site adapters: one small, versioned adapter per site. Unknown sites get none (the generic path)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pipeline.parse.sites.base import SiteAdapter
from pipeline.parse.sites.financialtribune import FINANCIALTRIBUNE_V1
from pipeline.parse.sites.itemcms import IRNA_V1, MEHRNEWS_V1, TEHRANTIMES_V1

ADAPTERS: tuple[SiteAdapter, ...] = (TEHRANTIMES_V1, IRNA_V1, MEHRNEWS_V1, FINANCIALTRIBUNE_V1)


def adapter_for(url: str | None) -> SiteAdapter | None:
    """The adapter whose domain is the URL's host or a parent of it (``www.tehrantimes.com``)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for a in ADAPTERS:
        for d in a.domains:
            if host == d or host.endswith("." + d):
                return a
    return None
