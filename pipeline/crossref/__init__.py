"""Cross-article features: canonical entities, story clusters, claim clusters, consistency flags, series.

Public API:
    update_crossref(store, article_ids) -> dict   # incremental; call after saving those articles
    rebuild_crossref(store) -> dict               # from scratch; equals any order of incremental updates
"""

from __future__ import annotations

from pipeline.crossref.engine import rebuild_crossref, update_crossref

__all__ = ["rebuild_crossref", "update_crossref"]
