"""The sources file (``sources.toml``): which feeds, sitemaps and URLs ``newsclaims fetch --sources`` reads."""

from __future__ import annotations

import tomllib
from pathlib import Path


def load_sources(path: Path) -> dict[str, list[str]]:
    """``[[source]]`` tables with ``feeds``, ``sitemaps`` and ``urls`` lists -> merged lists."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {"feeds": [], "sitemaps": [], "urls": []}
    for src in data.get("source", []):
        if src.get("enabled", True) is False:
            continue
        for key in out:
            out[key].extend(str(u) for u in src.get(key, []))
    return out
