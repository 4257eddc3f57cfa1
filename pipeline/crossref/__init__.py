"""Cross-article features: canonical entities, story clusters, claim clusters, consistency flags, series.

Public API:
    update_crossref(store, article_ids) -> dict   # incremental; call after saving those articles
    build_pending(store) -> dict                  # what Store.save_extraction marked pending; clears the marks
    rebuild_crossref(store) -> dict               # from scratch; equals any order of incremental updates
"""

from __future__ import annotations

from pipeline.crossref.engine import build_pending, rebuild_crossref, update_crossref

__all__ = ["build_pending", "rebuild_crossref", "update_crossref"]
