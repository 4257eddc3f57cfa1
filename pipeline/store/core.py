"""The store's core: the connection, transactions, migrations, and the core tables (runs, articles, people,
organisations, claims, dates, skips, derived_pending) with their schema (the ``newsclaims`` migration set),
reads and writes. The crossref and query tables have their own modules (:mod:`pipeline.store.crossref`,
:mod:`pipeline.store.query`), each registering its migration set in MIGRATION_SETS (applied in order after
the core set; ``pipeline/store/__init__.py`` imports them in that order).

Schema changes go through sqlite-utils Migrations; writes go through one Store, one transaction per article.

Concurrency: every write transaction starts with ``BEGIN IMMEDIATE`` (:meth:`Store.transaction`), so a
second process waits for the write lock (up to ``busy_timeout`` seconds) instead of failing with "database is
locked" when its read lock cannot be upgraded; sqlite-utils' own ``atomic()`` blocks nest inside as
savepoints. WAL is switched on and migrations applied under the same care.

Derived data: :meth:`Store.save_extraction` -- the one "load an article" write path -- stores an article and
marks it pending for the derived (crossref) tables in the same transaction; the crossref layer builds what is
pending and clears the marks in its own transaction (:func:`pipeline.crossref.build_pending`). A run killed
at any moment therefore leaves either the article and its pending mark, or neither.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from extractors.names import norm_name
from pipeline.models import Article, Extraction, Skip

core = Migrations("newsclaims")


@core(name="0001_initial")
def _m0001_initial(db: sqlite_utils.Database) -> None:
    db.table("runs").create(
        {
            "id": str, "started_at": str, "ended_at": str, "status": str, "command": str,
            "package_version": str, "git_commit": str, "spacy_version": str, "spacy_model": str,
            "spacy_model_version": str, "extractors": str, "config_hash": str, "settings": str,
            "processed": int, "unchanged": int, "skipped": int, "claims": int,
        },
        pk="id",
    )
    db.table("articles").create(
        {
            "id": str, "url": str, "source": str, "title": str, "published": str,
            "published_precision": str, "authors": str, "language": str, "fetched_at": str,
            "text": str, "text_sha256": str, "word_count": int, "raw_path": str, "raw_sha256": str,
            "warc_file": str, "warc_offset": int, "warc_record_id": str, "payload_sha256": str,
            "flags": str, "warnings": str, "config_hash": str, "run_id": str, "extracted_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("people").create(
        {
            "id": str, "article_id": str, "name": str, "norm_name": str, "title": str, "org": str,
            "start": int, "end": int, "sentence_start": int, "sentence_end": int, "mentions": str,
            "extractor": str, "rule_id": str, "run_id": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")],
    )
    db.table("organisations").create(
        {
            "id": str, "article_id": str, "name": str, "acronym": str, "start": int, "end": int,
            "extractor": str, "rule_id": str, "run_id": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")],
    )
    db.table("claims").create(
        {
            "id": str, "article_id": str, "ordinal": int, "type": str, "text": str,
            "value": float, "value_decimal": str, "value_max": float, "value_max_decimal": str,
            "approx": str, "unit": str, "direction": str, "modality": str, "subject": str,
            "speaker": str, "norm_speaker": str, "time_start": str, "time_end": str,
            "start": int, "end": int, "sentence_start": int, "sentence_end": int, "sentence": str,
            "extractor": str, "rule_id": str, "equivalent_of": str, "flags": str, "evidence": str,
            "run_id": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")],
    )
    db.table("dates").create(
        {
            "id": str, "article_id": str, "ordinal": int, "text": str, "start_date": str,
            "end_date": str, "calendar": str, "role": str, "start": int, "end": int,
            "sentence_start": int, "sentence_end": int, "extractor": str, "rule_id": str, "run_id": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "runs", "id")],
    )
    db.table("skips").create(
        {"id": int, "run_id": str, "source": str, "article_id": str, "reason": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    for table in ("people", "organisations", "claims", "dates"):
        db.table(table).create_index(["article_id"])
    db.table("claims").create_index(["type", "unit"])
    db.table("claims").create_index(["norm_speaker"])
    db.table("skips").create_index(["run_id"])


@core(name="0002_derived_pending_and_run_owner")
def _m0002_pending(db: sqlite_utils.Database) -> None:
    """Articles whose derived (crossref) rows are not built yet, and who runs a run (to close killed runs)."""
    db.table("derived_pending").create(
        {"article_id": str, "run_id": str, "queued_at": str, "attempts": int, "error": str}, pk="article_id"
    )
    for col, kind in (("pid", int), ("pid_start", str), ("host", str)):
        db.table("runs").add_column(col, kind)


@core(name="0003_date_glosses")
def _m0003_date_glosses(db: sqlite_utils.Database) -> None:
    """The journalist's own bounds of a date mention, kept beside the exact ones (the gloss check reads them)."""
    for col in ("gloss_text", "gloss_start_date", "gloss_end_date"):
        db.table("dates").add_column(col, str)


# The crossref and query modules register their own Migrations here (applied in this order after `core`).
MIGRATION_SETS: list[Migrations] = [core]


@dataclass(frozen=True)
class OrphanCheck:
    """Rows of ``table`` whose article, claim, cluster or entity is gone: those matching ``condition``.
    ``repend``: the table has an ``article_id`` whose derived rows lose a part when these rows go, so that
    article is marked pending."""

    label: str
    table: str
    condition: str
    repend: bool = False


# Orphan checks per area, in the order doctor reports them (the crossref module adds its own).
ORPHAN_CHECKS: list[OrphanCheck] = [
    OrphanCheck("claims without article", "claims", "article_id not in (select id from articles)"),
    OrphanCheck("dates without article", "dates", "article_id not in (select id from articles)"),
    OrphanCheck("people without article", "people", "article_id not in (select id from articles)"),
    OrphanCheck("organisations without article", "organisations", "article_id not in (select id from articles)"),
    OrphanCheck("pending marks without article", "derived_pending", "article_id not in (select id from articles)"),
]
# Full-text index tables (the query module adds its own); checked and rebuilt by doctor.
FTS_TABLES: list[str] = []
# The check doctor runs first, named as the report names it.
INTEGRITY_CHECK = "PRAGMA integrity_check"

RUN_STATUSES = ("running", "ok", "failed", "interrupted")


def _id(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _host() -> str:
    return socket.gethostname()


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux /proc), so that a reused pid is not taken for
    the process that owned a run; None where /proc is not available."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22 of stat(5); fields before ")" may hold spaces


def _process_alive(pid: int, start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by someone else
    return start is None or _process_start(pid) in (None, start)


class Store:
    """A claims database. Open it, apply pending migrations, write through it.

    ``busy_timeout`` is how long (seconds) a write waits for another connection's write transaction.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False, busy_timeout: float = 600.0) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_ms = int(busy_timeout * 1000)
        # Told (with who holds the lock) when a write transaction has to wait for another writer.
        self.on_wait: Callable[[str], None] | None = None
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"{self.path}: no such database; run `make extract` first")
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=busy_timeout,
                                   isolation_level=None)
            self.db = sqlite_utils.Database(conn)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: the sqlite3 module never opens a transaction behind our back; every write
            # transaction is an explicit BEGIN IMMEDIATE (transaction()) or sqlite-utils' atomic() inside one.
            conn = sqlite3.connect(str(self.path), timeout=busy_timeout, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self._enable_wal(busy_timeout)
            self.migrate()

    def _enable_wal(self, busy_timeout: float) -> None:
        """Switch to WAL once; another process doing the same (or writing) at that moment is waited for."""
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.db.execute("PRAGMA journal_mode=wal")  # a file system without WAL keeps its mode
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction: ``BEGIN IMMEDIATE`` (the write lock is taken at once, waiting up to the busy
        timeout for another writer), committed on success, rolled back on any exception. Nested calls (and
        sqlite-utils' ``atomic()`` inside) become savepoints."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self._begin_immediate()
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE; when another process holds the write lock for more than a second, ``on_wait`` is told
        who (the run and its pid) before waiting on, up to the busy timeout."""
        conn = self.db.conn
        if self.on_wait is None:
            conn.execute("BEGIN IMMEDIATE")
            return
        conn.execute(f"PRAGMA busy_timeout = {min(1000, self.busy_ms)}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
        self.on_wait(self._writer())
        conn.execute("BEGIN IMMEDIATE")

    def _writer(self) -> str:
        """Who probably holds the write lock: the other live runs, else "another process"."""
        try:
            others = [r for r in self.running_runs() if r["alive"] is not False and r["pid"] != os.getpid()]
        except sqlite3.Error:
            others = []
        if not others:
            return "another process writing to the database"
        return "; ".join(f"the {r['command'] or 'run'} running on {r['host']}, pid {r['pid']} (run {r['id']})"
                         for r in others)

    def pending_migrations(self) -> list[tuple[str, str]]:
        """(migration set, name) of every migration not applied yet."""
        return [(ms.name, m.name) for ms in MIGRATION_SETS for m in ms.pending(self.db)]

    def migrate(self) -> None:
        """Apply pending migrations, all in one write transaction (a concurrent opener waits, then finds
        nothing left to do)."""
        if not self.pending_migrations():
            return
        with self.transaction():
            for ms in MIGRATION_SETS:
                ms.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # --- runs -----------------------------------------------------------------------------------
    def start_run(self, meta: dict[str, Any]) -> str:
        """Record a new run (with this process as its owner); runs left ``running`` by a killed process are
        closed as ``interrupted`` first (see :meth:`close_stale_runs`)."""
        run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        pid = os.getpid()
        with self.transaction():
            self.close_stale_runs()
            self.db.table("runs").insert({"id": run_id, "started_at": _now(), "status": "running", **meta,
                                          "pid": pid, "pid_start": _process_start(pid), "host": _host()})
        return run_id

    def close_stale_runs(self) -> list[str]:
        """Mark as ``interrupted`` every run still ``running`` whose process (on this host) is gone; returns
        their ids. Runs of other hosts are left alone (their processes cannot be checked from here)."""
        closed: list[str] = []
        with self.transaction():
            for r in self.rows("select id, pid, pid_start, host from runs where status = 'running'"):
                if r["host"] not in (None, _host()):
                    continue
                if r["pid"] is not None and _process_alive(int(r["pid"]), r["pid_start"]):
                    continue
                self.db.execute("update runs set status = 'interrupted', ended_at = ? where id = ?",
                                [_now(), r["id"]])
                closed.append(r["id"])
        return closed

    def running_runs(self) -> list[dict[str, Any]]:
        """Runs marked ``running``, each with ``alive`` (its process still exists on this host; None when the
        run belongs to another host)."""
        out = []
        for r in self.rows("select id, started_at, command, pid, pid_start, host from runs where status = 'running'"
                           " order by started_at"):
            alive = None
            if r["host"] in (None, _host()):
                alive = r["pid"] is not None and _process_alive(int(r["pid"]), r["pid_start"])
            out.append({**r, "alive": alive})
        return out

    def finish_run(self, run_id: str, counts: dict[str, int], status: str = "ok") -> None:
        with self.transaction():
            self.db.table("runs").update(run_id, {"ended_at": _now(), "status": status, **counts})

    # --- articles -------------------------------------------------------------------------------
    def article_state(self, article_id: str) -> tuple[str, str] | None:
        row = self.db.execute(
            "select text_sha256, config_hash from articles where id = ?", [article_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def record_skip(self, run_id: str, skip: Skip) -> None:
        with self.transaction():
            self.db.table("skips").insert(
                {"run_id": run_id, "source": skip.source, "article_id": skip.article_id,
                 "reason": skip.reason, "at": _now()}
            )

    def save_extraction(self, ex: Extraction, *, run_id: str, config_hash: str) -> int:
        """Load one article: replace everything stored for it with ``ex`` and mark it pending for the derived
        (crossref) tables, in one transaction. Returns #claims. See :meth:`save_extractions`."""
        return self.save_extractions([(ex, config_hash)], run_id=run_id)

    def save_extractions(self, items: list[tuple[Extraction, str]], *, run_id: str) -> int:
        """Load whole articles, each ``(extraction, config_hash)``: replace everything stored for them and mark
        them pending for the derived (crossref) tables, all in one transaction (a batch of whole articles,
        never a half article), with bulk inserts. This is the only write path for extracted articles (any
        engine that loads articles -- the run loop, the shard loader -- goes through it). An article id given
        twice keeps its last extraction. Returns #claims."""
        last: dict[str, tuple[Extraction, str]] = {}
        for ex, ch in items:
            last.pop(ex.article.id, None)
            last[ex.article.id] = (ex, ch)
        batch = list(last.values())
        if not batch:
            return 0
        ids = [ex.article.id for ex, _ in batch]
        people: list[dict[str, Any]] = []
        orgs: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        dates: list[dict[str, Any]] = []
        articles: list[dict[str, Any]] = []
        for ex, config_hash in batch:
            a = ex.article
            text = a.text
            claim_ids = [_id(a.id, c.span.start, c.span.end, c.type, i) for i, c in enumerate(ex.claims)]
            articles.append(article_row(a, run_id, config_hash, ex.warnings))
            people.extend(
                {
                    "id": _id(a.id, "person", o.name), "article_id": a.id, "name": o.name,
                    "norm_name": norm_name(o.name), "title": o.title, "org": o.org,
                    "start": o.span.start, "end": o.span.end, "sentence_start": o.sentence.start,
                    "sentence_end": o.sentence.end,
                    "mentions": json.dumps([[m.start, m.end] for m in o.mentions]),
                    "extractor": o.extractor, "rule_id": o.rule_id, "run_id": run_id,
                }
                for o in ex.officials
            )
            orgs.extend(
                {
                    "id": _id(a.id, "org", o.name, o.span.start), "article_id": a.id, "name": o.name,
                    "acronym": o.acronym, "start": o.span.start, "end": o.span.end,
                    "extractor": o.extractor, "rule_id": o.rule_id, "run_id": run_id,
                }
                for o in ex.organisations
            )
            claims.extend(
                {
                    "id": claim_ids[i], "article_id": a.id, "ordinal": i, "type": c.type, "text": c.text,
                    "value": _num(c.value), "value_decimal": str(c.value),
                    "value_max": _num(c.value_max),
                    "value_max_decimal": None if c.value_max is None else str(c.value_max),
                    "approx": c.approx, "unit": c.unit, "direction": c.direction, "modality": c.modality,
                    "subject": c.subject, "speaker": c.speaker, "norm_speaker": norm_name(c.speaker),
                    "time_start": c.time_start, "time_end": c.time_end,
                    "start": c.span.start, "end": c.span.end,
                    "sentence_start": c.sentence.start, "sentence_end": c.sentence.end,
                    "sentence": text[c.sentence.start : c.sentence.end],
                    "extractor": c.extractor, "rule_id": c.rule_id,
                    "equivalent_of": None if c.equivalent_of is None else claim_ids[c.equivalent_of],
                    "flags": json.dumps(list(c.flags)), "evidence": json.dumps(c.evidence, sort_keys=True),
                    "run_id": run_id,
                }
                for i, c in enumerate(ex.claims)
            )
            dates.extend(
                {
                    "id": _id(a.id, "date", d.span.start, d.span.end, i), "article_id": a.id, "ordinal": i,
                    "text": d.text, "start_date": d.start, "end_date": d.end, "calendar": d.calendar,
                    "role": d.role, "start": d.span.start, "end": d.span.end,
                    "sentence_start": d.sentence.start, "sentence_end": d.sentence.end,
                    "extractor": d.extractor, "rule_id": d.rule_id, "run_id": run_id,
                    "gloss_text": d.gloss_text, "gloss_start_date": d.gloss_start, "gloss_end_date": d.gloss_end,
                }
                for i, d in enumerate(ex.dates)
            )
        with self.transaction():
            self._mark_pending(ids, run_id)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for table in ("claims", "dates", "people", "organisations"):
                    self.db.execute(f"delete from [{table}] where article_id in ({marks})", chunk)
            self._bulk_write("articles", articles, upsert_pk="id")
            self._bulk_write("people", people)
            self._bulk_write("organisations", orgs)
            self._bulk_write("claims", claims)
            self._bulk_write("dates", dates)
        return len(claims)

    def _bulk_write(self, table: str, rows: list[dict[str, Any]], upsert_pk: str | None = None,
                    convert: bool = False) -> None:
        """``executemany`` of rows that all have the same keys and plain values (str, int, float, None): what
        sqlite-utils' ``insert_all(replace=True)`` / ``upsert_all`` do for such rows, without their per-value
        conversion (measured: a third of the load's time). With ``upsert_pk``, an existing row is updated. With
        ``convert``, values are converted as sqlite-utils does (Decimal to float, dict/list/tuple to JSON, dates
        to ISO text)."""
        if not rows:
            return
        cols = list(rows[0])
        if any(len(r) != len(cols) for r in rows):  # some row lacks a column: it is null there, as in insert_all
            cols = list(dict.fromkeys(c for r in rows for c in r))
            rows = [{c: r.get(c) for c in cols} for r in rows]
        names = ", ".join(f"[{c}]" for c in cols)
        marks = ", ".join("?" * len(cols))
        if upsert_pk is None:
            sql = f"insert or replace into [{table}] ({names}) values ({marks})"
        else:
            sets = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != upsert_pk)
            sql = f"insert into [{table}] ({names}) values ({marks}) on conflict([{upsert_pk}]) do update set {sets}"
        if convert:
            self.db.conn.executemany(sql, [tuple(_plain_value(r[c]) for c in cols) for r in rows])
        else:
            self.db.conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])

    # --- derived data pending ---------------------------------------------------------------------
    def _mark_pending(self, article_ids: list[str], run_id: str | None) -> None:
        self.db.conn.executemany(
            "insert into derived_pending (article_id, run_id, queued_at, attempts, error) values (?, ?, ?, 0, null) "
            "on conflict(article_id) do update set run_id = excluded.run_id, queued_at = excluded.queued_at, "
            "attempts = 0, error = null",
            [(aid, run_id, _now()) for aid in article_ids],
        )

    def mark_pending(self, article_ids: list[str], run_id: str | None = None) -> None:
        """Queue these articles for the derived tables (e.g. after a repair changed them)."""
        with self.transaction():
            self._mark_pending(article_ids, run_id)

    def pending_ids(self) -> list[str]:
        """Articles waiting for their derived rows, oldest first (only those that still exist)."""
        return [r[0] for r in self.db.execute(
            "select p.article_id from derived_pending p join articles a on a.id = p.article_id "
            "order by p.queued_at, p.article_id")]

    def clear_pending(self, article_ids: list[str]) -> None:
        """Drop the pending marks of these articles; call inside the transaction that built their rows."""
        ids = sorted(set(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            self.db.execute(f"delete from derived_pending where article_id in ({','.join('?' * len(chunk))})", chunk)

    def clear_all_pending(self) -> None:
        """Drop every pending mark (a full rebuild covers them all); call inside its transaction."""
        self.db.execute("delete from derived_pending")

    def drop_pending_without_article(self) -> None:
        """Drop the marks of articles that no longer exist (nothing to build for them)."""
        self.db.execute("delete from derived_pending where article_id not in (select id from articles)")

    def pending_failed(self, article_id: str, error: str) -> None:
        """Keep the article pending and record why its derived rows could not be built."""
        with self.transaction():
            self.db.execute("update derived_pending set attempts = attempts + 1, error = ? where article_id = ?",
                            [error[:2000], article_id])

    def pending_summary(self) -> dict[str, Any]:
        """How many articles wait for derived rows, how many of them failed last time (with the errors), and
        how many articles have no derived rows although nothing marks them pending."""
        total = self.db.execute("select count(*) from derived_pending").fetchone()[0]
        failed = list(self.rows("select article_id, attempts, error from derived_pending where error is not null "
                                "order by article_id limit 20"))
        n_failed = self.db.execute("select count(*) from derived_pending where error is not null").fetchone()[0]
        return {"pending": total, "failed": n_failed, "failures": failed,
                "unmarked_without_derived": len(self.articles_without_derived())}

    def articles_without_derived(self) -> list[str]:
        """Articles with no ``stories`` row (every built article has one) and no pending mark: derived rows
        lost before pending marks existed (e.g. a crossref step that crashed)."""
        if not self.db.table("stories").exists():
            return []
        return [r[0] for r in self.db.execute(
            "select id from articles where id not in (select article_id from stories) "
            "and id not in (select article_id from derived_pending) order by id")]

    # --- health (newsclaims doctor) ---------------------------------------------------------------
    def integrity_problems(self, full: bool = True) -> list[str]:
        """``PRAGMA integrity_check`` (or ``quick_check``): an empty list when the file is sound."""
        rows = [r[0] for r in self.db.execute(INTEGRITY_CHECK if full else "PRAGMA quick_check")]
        return [] if rows == ["ok"] else rows

    def schema_status(self) -> dict[str, Any]:
        """Applied migrations per set (the schema version is the last one of each) and those not applied."""
        applied: dict[str, list[str]] = {}
        if self.db.table("_sqlite_migrations").exists():
            for r in self.rows("select migration_set, name from _sqlite_migrations order by id"):
                applied.setdefault(r["migration_set"], []).append(r["name"])
        known = {ms.name: [m.name for m in ms._migrations] for ms in MIGRATION_SETS}
        unknown = {k: [n for n in v if n not in known.get(k, [])] for k, v in applied.items()}
        return {"applied": applied, "pending": self.pending_migrations(),
                "unknown": {k: v for k, v in unknown.items() if v}, "known": known}

    def orphan_counts(self) -> dict[str, int]:
        out = {}
        for c in ORPHAN_CHECKS:
            if self.db.table(c.table).exists():
                n = self.db.execute(f"select count(*) from [{c.table}] where {c.condition}").fetchone()[0]
                if n:
                    out[c.label] = n
        return out

    def delete_orphans(self) -> dict[str, int]:
        """Delete the rows :meth:`orphan_counts` reports, in one transaction; returns what was deleted. The
        articles whose derived rows lost a part are marked pending, so that they are rebuilt."""
        out: dict[str, int] = {}
        with self.transaction():
            touched: set[str] = set()
            for c in ORPHAN_CHECKS:
                if not self.db.table(c.table).exists():
                    continue
                if c.repend:
                    touched |= {r[0] for r in self.db.execute(
                        f"select article_id from [{c.table}] where ({c.condition}) "
                        "and article_id in (select id from articles)")}
                n = self.db.execute(f"delete from [{c.table}] where {c.condition}").rowcount
                if n:
                    out[c.label] = n
            if touched:
                self._mark_pending(sorted(touched), None)
        return out

    def fts_problems(self) -> list[str]:
        """Full-text indexes out of step with their tables (the FTS5 'integrity-check' command). SQLite runs
        that command as an INSERT, so it runs on a second, writable connection inside a transaction that is
        always rolled back: nothing is ever written."""
        tables = [t for t in FTS_TABLES if self.db.table(t).exists()]
        if not tables:
            return []
        try:
            conn = sqlite3.connect(str(self.path), timeout=self.db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
                                   / 1000, isolation_level=None)
        except sqlite3.Error as e:
            return [f"not checked ({e})"]
        out = []
        try:
            for fts in tables:
                conn.execute("BEGIN")
                try:
                    conn.execute(f"insert into [{fts}]([{fts}]) values('integrity-check')")
                except sqlite3.DatabaseError as e:
                    out.append(f"{fts}: {e}")
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
        finally:
            conn.close()
        return out

    def rebuild_fts(self) -> None:
        with self.transaction():
            for fts in FTS_TABLES:
                if self.db.table(fts).exists():
                    self.db.execute(f"insert into [{fts}]([{fts}]) values('rebuild')")

    def config_hash_counts(self) -> dict[str, int]:
        """Articles per extraction configuration hash (model, rules, package version)."""
        return {r[0]: r[1] for r in self.db.execute(
            "select coalesce(config_hash, ''), count(*) from articles group by 1 order by 2 desc")}

    def invalid_published(self) -> list[tuple[str, str]]:
        """(article id, value) of stored publication dates that do not start with a valid ISO date."""
        out = []
        for aid, pub in self.db.execute("select id, published from articles where published is not null"):
            try:
                dt.date.fromisoformat(str(pub)[:10])
            except ValueError:
                out.append((aid, pub))
        return out

    def null_published(self, article_ids: list[str]) -> None:
        """Set these articles' publication date to null (unreadable values) and queue their derived rows."""
        with self.transaction():
            self.db.conn.executemany("update articles set published = null, published_precision = null "
                                     "where id = ?", [(a,) for a in article_ids])
            self._mark_pending(article_ids, None)

    # --- reading --------------------------------------------------------------------------------
    def rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Parameterised read-only query; yields dicts."""
        cur = self.db.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        for row in cur:
            yield dict(zip(cols, row, strict=True))

    def claim_with_provenance(self, claim_id: str) -> dict[str, Any] | None:
        rows = list(
            self.rows(
                """select c.*, a.url, a.title, a.source, a.published, a.fetched_at, a.text_sha256,
                          a.raw_path, a.raw_sha256, a.warc_file, a.warc_offset, a.warc_record_id,
                          a.payload_sha256, r.package_version, r.spacy_model, r.spacy_model_version,
                          r.git_commit
                   from claims c join articles a on a.id = c.article_id
                   left join runs r on r.id = c.run_id where c.id = ?""",
                [claim_id],
            )
        )
        return rows[0] if rows else None


def _plain_value(v: Any) -> Any:
    """A value as sqlite-utils stores it (its ``jsonify_if_needed``)."""
    if v is None or type(v) in (str, int, float, bool):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, default=repr, ensure_ascii=False)
    if isinstance(v, (dt.time, dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (dt.timedelta, uuid.UUID)):
        return str(v)
    return v


def article_row(a: Article, run_id: str, config_hash: str, warnings: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": a.id, "url": a.url, "source": a.source, "title": a.title, "published": a.published,
        "published_precision": a.published_precision, "authors": json.dumps(list(a.authors)),
        "language": a.language, "fetched_at": a.fetched_at, "text": a.text,
        "text_sha256": text_sha256(a.text), "word_count": len(a.text.split()),
        "raw_path": a.raw.get("raw_path"), "raw_sha256": a.raw.get("raw_sha256"),
        "warc_file": a.raw.get("warc_file"), "warc_offset": a.raw.get("warc_offset"),
        "warc_record_id": a.raw.get("warc_record_id"), "payload_sha256": a.raw.get("payload_sha256"),
        "flags": json.dumps(list(a.flags)), "warnings": json.dumps(list(warnings)),
        "config_hash": config_hash, "run_id": run_id, "extracted_at": _now(),
    }


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
