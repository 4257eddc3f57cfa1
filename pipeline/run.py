"""Orchestration: inputs -> (skip unchanged) -> extract -> store -> derived tables. Every skipped item is
recorded, whatever went wrong with it; the run goes on.

Order of a run: close runs that a killed process left ``running`` (as ``interrupted``); build the derived rows
that earlier runs left pending; extract and store each new or changed article (each store, a batch of whole
articles, also marks its articles pending); build what is pending again, now including this run's articles;
finish the run row. Both runs go through the one library API (:mod:`pipeline.engines`): :func:`run_extract`
chains read -> extract_records -> load_records in this process, :func:`run_load` loads shards that any engine
wrote.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__, faults
from pipeline.engines.load import LoadOptions, build_derived, load_batch, load_records
from pipeline.extract import build_nlp, extract_records
from pipeline.inputs import InputLimits
from pipeline.models import Article, Extraction, Skip
from pipeline.read import read_inputs
from pipeline.settings import Settings
from pipeline.store import Store, text_sha256


@dataclass
class RunReport:
    run_id: str
    db_path: Path
    processed: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    claims_by_type: Counter[str] = field(default_factory=Counter)
    dates: int = 0
    officials: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    words: int = 0
    model: str = ""
    unsupported: list[str] = field(default_factory=list)  # files under the input folders that are not inputs
    interrupted_runs: list[str] = field(default_factory=list)  # runs a killed process left open, closed now
    derived_built: int = 0  # articles whose derived (crossref) rows were built by this run
    derived_pending: int = 0  # articles still waiting for derived rows at the end (their failures are skips)

    def count_saved(self, ex: Extraction) -> None:
        """One stored article's figures in the run's totals."""
        self.processed += 1
        self.words += len(ex.article.text.split())
        self.claims_by_type.update(c.type for c in ex.claims)
        self.dates += len(ex.dates)
        self.officials += len(ex.officials)
        self.warnings.extend(ex.warnings)

    @property
    def ok(self) -> bool:
        """False when nothing could be processed: every input was skipped, or no input was found at all."""
        return self.processed + self.unchanged > 0


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True,
            text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def run_extract(
    paths: list[Path],
    settings: Settings,
    *,
    force: bool = False,
    command: str = "extract",
    on_article: Callable[[str], None] | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> RunReport:
    """Extract ``paths`` into the database (see the module docstring). ``on_wait`` is told, once per holder,
    when a write has to wait for another process's (``"the extract running on HOST, pid N (run ID)"``)."""
    t0 = time.perf_counter()
    nlp, info = build_nlp(settings)
    store = Store(settings.db_path, busy_timeout=settings.busy_timeout)
    told: set[str] = set()

    def waiting(who: str) -> None:
        if on_wait is not None and who not in told:
            told.add(who)
            on_wait(who)

    store.on_wait = waiting
    report = RunReport(run_id="", db_path=settings.db_path, model=f"{info.model} {info.model_version}")
    report.interrupted_runs = store.close_stale_runs()
    run_id = store.start_run(
        {
            "command": command, "package_version": __version__, "git_commit": git_commit(),
            "spacy_version": info.spacy_version, "spacy_model": info.model,
            "spacy_model_version": info.model_version, "extractors": json.dumps(list(info.extractors)),
            "config_hash": info.config_hash,
            "settings": json.dumps({k: str(v) for k, v in asdict(settings).items()}, sort_keys=True),
        }
    )
    report.run_id = run_id
    for r in report.interrupted_runs:
        report.warnings.append(f"run {r} was killed before it finished; closed as interrupted")
    if info.warning:
        report.warnings.append(info.warning)
    faults.point("run.started")

    def recorded(s: Skip) -> None:  # the loader has recorded it
        report.skipped.append(s)
        if on_skip:
            on_skip(s)

    def skip(s: Skip) -> None:
        store.record_skip(run_id, s)
        recorded(s)

    failed_derived: set[str] = set()

    def derived_failed(article_id: str, reason: str) -> None:
        if article_id not in failed_derived:  # tried at the start and again at the end: one skip a run
            failed_derived.add(article_id)
            skip(Skip(article_id, reason, article_id))

    def todo() -> Iterator[Article | Skip]:
        limits = InputLimits.from_settings(settings)
        for item in read_inputs(paths, limits, warnings=report.warnings, unsupported=report.unsupported):
            if isinstance(item, Article) and not force and \
                    store.article_state(item.id) == (text_sha256(item.text), info.config_hash):
                report.unchanged += 1
                if on_article:
                    on_article(item.id)
                continue
            yield item

    def saved(ex: Extraction) -> None:
        report.count_saved(ex)
        if on_article:
            on_article(ex.article.id)

    status = "failed"
    try:
        # What earlier runs left pending (a kill, a crash, a failed derived step) is built first.
        options = LoadOptions(run_id=run_id, batch=settings.batch_size, skip_unchanged=False, derived=False,
                              on_saved=saved, on_skip=recorded, on_derived_failure=derived_failed)
        build_derived(store, options, kill_point="derived.leftover")
        # One transaction per batch of whole articles (a spaCy batch): a killed run keeps every batch it stored.
        records = extract_records(todo(), nlp, config_hash=info.config_hash, batch_size=settings.batch_size,
                                  n_process=settings.n_process, chunk_chars=settings.chunk_chars)
        load_records(store, records, options)
        # Entities, stories, claim clusters and flags for everything pending -- this run's articles and any a
        # concurrent run stored meanwhile -- in one update: measured on the 1,194-article bench, per-batch
        # updates re-key shared entities again and again and cost more time and no less memory (the crossref
        # layer is order- and batch-independent, see tests/test_crossref.py).
        build_derived(store, options)
        report.derived_built = options.stats.derived_built
        faults.point("derived.committed")
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _close_run(store, run_id, report, status, t0)
    return report


def run_load(
    shards: list[Path],
    settings: Settings,
    *,
    force: bool = False,
    command: str = "load",
    meta: dict[str, Any] | None = None,
    on_article: Callable[[str], None] | None = None,
    on_skip: Callable[[Skip], None] | None = None,
) -> RunReport:
    """Load shards (:mod:`pipeline.engines.shards`, made by any engine anywhere) into the database, one
    transaction per shard, then the derived rows of everything pending: the same database as a serial run of
    the same inputs, in any order, and loading a shard again changes nothing (its articles are unchanged;
    ``force`` re-saves them). A shard that cannot be read is a skip naming it. ``meta`` goes on the run row
    (the engine's pipeline and configuration)."""
    from pipeline.engines.shards import read_shard

    t0 = time.perf_counter()
    store = Store(settings.db_path, busy_timeout=settings.busy_timeout)
    report = RunReport(run_id="", db_path=settings.db_path, model=str((meta or {}).get("spacy_model") or ""))
    report.interrupted_runs = store.close_stale_runs()
    run_id = store.start_run({"command": command, "package_version": __version__, "git_commit": git_commit(),
                              "settings": json.dumps({k: str(v) for k, v in asdict(settings).items()},
                                                     sort_keys=True), **(meta or {})})
    report.run_id = run_id
    for r in report.interrupted_runs:
        report.warnings.append(f"run {r} was killed before it finished; closed as interrupted")
    failed_derived: set[str] = set()

    def recorded(s: Skip) -> None:
        report.skipped.append(s)
        if on_skip:
            on_skip(s)

    def derived_failed(article_id: str, reason: str) -> None:
        if article_id not in failed_derived:
            failed_derived.add(article_id)
            s = Skip(article_id, reason, article_id)
            store.record_skip(run_id, s)
            recorded(s)

    def saved(ex: Extraction) -> None:
        report.count_saved(ex)
        if on_article:
            on_article(ex.article.id)

    def unchanged(aid: str) -> None:
        report.unchanged += 1
        if on_article:
            on_article(aid)

    options = LoadOptions(run_id=run_id, skip_unchanged=not force, derived=False, on_saved=saved,
                          on_unchanged=unchanged, on_skip=recorded, on_derived_failure=derived_failed)
    status = "failed"
    try:
        build_derived(store, options, kill_point="derived.leftover")
        for path in shards:
            try:
                records = read_shard(path)
            except (OSError, EOFError, ValueError) as e:
                s = Skip(str(path), f"cannot read shard ({type(e).__name__}: {e}); re-run the extraction to "
                         "make it again")
                store.record_skip(run_id, s)
                recorded(s)
                continue
            load_batch(store, records, options)  # one transaction for the shard's articles
        build_derived(store, options)
        report.derived_built = options.stats.derived_built
        status = "ok"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        _close_run(store, run_id, report, status, t0)
    return report


def _close_run(store: Store, run_id: str, report: RunReport, status: str, t0: float) -> None:
    """The run's row gets its counts and status (also when interrupted), and the store is closed."""
    report.seconds = time.perf_counter() - t0
    report.derived_pending = len(store.pending_ids())
    store.finish_run(
        run_id,
        {"processed": report.processed, "unchanged": report.unchanged, "skipped": len(report.skipped),
         "claims": sum(report.claims_by_type.values())},
        status=status,
    )
    store.close()
