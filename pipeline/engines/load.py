"""The loader: records in, rows stored (see :mod:`pipeline.engines`). One writer (SQLite has one), bulk inserts,
one transaction per batch of whole articles; the derived rows last, for everything pending."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline import faults
from pipeline.models import Extraction, RecordError, Skip, check_record, extraction_from_record, skip_from_record
from pipeline.store import Store, text_sha256


@dataclass
class LoadStats:
    """What a load did: articles saved or unchanged, skips recorded, derived rows built."""

    saved: int = 0
    unchanged: int = 0
    skipped: int = 0
    claims: int = 0
    derived_built: int = 0
    derived_failed: int = 0


@dataclass
class LoadOptions:
    """``batch``: whole articles per transaction. ``skip_unchanged``: an article whose text and extraction
    configuration are stored already is left alone (so loading the same records twice changes nothing).
    ``derived``: build the derived rows of everything pending at the end."""

    run_id: str
    batch: int = 64
    skip_unchanged: bool = True
    derived: bool = True
    on_saved: Callable[[Extraction], None] | None = None
    on_unchanged: Callable[[str], None] | None = None
    on_skip: Callable[[Skip], None] | None = None
    on_derived_failure: Callable[[str, str], None] | None = None
    stats: LoadStats = field(default_factory=LoadStats)


def load_records(store: Store, records: Iterable[dict[str, Any]], options: LoadOptions) -> LoadStats:
    """Load ``records`` (extraction and skip records, :mod:`pipeline.models`) into ``store``: the library API's
    last step. Idempotent: a record whose article is stored with the same text and configuration is counted
    unchanged (unless ``skip_unchanged`` is off), and a re-saved article's rows are replaced, never doubled.
    A record this version cannot read is a skip. Returns the stats (also on ``options.stats``)."""
    for batch in _batches(records, max(1, options.batch)):
        load_batch(store, batch, options)
    if options.derived:
        build_derived(store, options)
    return options.stats


def _batches(records: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for r in records:
        batch.append(r)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def load_batch(store: Store, records: list[dict[str, Any]], options: LoadOptions) -> None:
    """One transaction for the batch's articles (each marked pending in it); skip records are recorded. If the
    batch cannot be stored, each article is tried alone, and one that still fails is a skip."""
    st = options.stats
    items: list[tuple[Extraction, str]] = []
    for r in records:
        try:
            kind = check_record(r)
            if kind == "skip":
                _skip(store, skip_from_record(r), options)
                continue
            ex = extraction_from_record(r)
        except RecordError as e:
            where = r.get("article", {}).get("id") if isinstance(r, dict) and isinstance(r.get("article"), dict) \
                else None
            _skip(store, Skip(str(where or "record"), f"unreadable record ({e})", where), options)
            continue
        config_hash = str(r.get("config_hash") or "")
        if options.skip_unchanged and store.article_state(ex.article.id) == (text_sha256(ex.article.text),
                                                                               config_hash):
            st.unchanged += 1
            if options.on_unchanged:
                options.on_unchanged(ex.article.id)
            continue
        items.append((ex, config_hash))
    if not items:
        return
    try:
        st.claims += store.save_extractions(items, run_id=options.run_id)
        done = items
    except Exception:  # noqa: BLE001 - find the article that cannot be stored; the others are stored alone
        done = []
        for ex, ch in items:
            try:
                st.claims += store.save_extractions([(ex, ch)], run_id=options.run_id)
                done.append((ex, ch))
            except Exception as e:  # noqa: BLE001 - one article that cannot be stored is a skip, not the end
                _skip(store, Skip(ex.article.path or ex.article.id,
                                  f"cannot store ({type(e).__name__}: {e}); nothing stored for it", ex.article.id),
                      options)
    for ex, _ in done:
        faults.point("article.saved")
        st.saved += 1
        if options.on_saved:
            options.on_saved(ex)


def build_derived(store: Store, options: LoadOptions, kill_point: str = "derived.built") -> None:
    """Entities, stories, claim clusters and flags for everything pending, in one update (see
    :func:`pipeline.crossref.build_pending`)."""
    from pipeline.crossref import build_pending

    got = build_pending(store, options.on_derived_failure, kill_point=kill_point)
    options.stats.derived_built += got["built"]
    options.stats.derived_failed += got["failed"]


def _skip(store: Store, s: Skip, options: LoadOptions) -> None:
    options.stats.skipped += 1
    store.record_skip(options.run_id, s)
    if options.on_skip:
        options.on_skip(s)
