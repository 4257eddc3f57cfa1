"""`newsclaims doctor`: how healthy a claims database is, and what can be repaired.

Checks: the file's integrity (SQLite's integrity check), the schema version (applied migrations against the
ones this version knows), runs a killed process left ``running``, derived (crossref) rows still pending or
missing, orphan rows, the full-text indexes, stored publication dates that are not ISO dates, and model drift
(articles extracted with another pipeline configuration than the current one). SQL lives in the store; this
module decides and the CLI prints.

``repair`` fixes what can be fixed without the original inputs, each step in its own transaction: applies
migrations, closes dead runs as ``interrupted``, nulls unreadable publication dates, deletes orphan rows, marks
articles without derived rows pending, rebuilds the full-text indexes, and builds everything pending. A damaged
file and model drift are reported, not repaired (the first needs a backup or ``sqlite3 .recover``, the second
a re-extract from the inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.settings import Settings
from pipeline.store import Store
from pipeline.store.core import INTEGRITY_CHECK


@dataclass
class Finding:
    check: str
    ok: bool
    detail: str
    repairable: bool = False


@dataclass
class DoctorReport:
    db_path: Path
    findings: list[Finding] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, check: str, ok: bool, detail: str, repairable: bool = False) -> None:
        self.findings.append(Finding(check, ok, detail, repairable and not ok))


def _config_hash(settings: Settings) -> tuple[str, str]:
    from pipeline.extract import build_nlp

    _nlp, info = build_nlp(settings)
    return info.config_hash, f"{info.model} {info.model_version}"


def examine(settings: Settings, *, check_model: bool = True) -> DoctorReport:
    """Every check, on a read-only connection (nothing is written, no migration applied)."""
    report = DoctorReport(settings.db_path)
    store = Store(settings.db_path, readonly=True, busy_timeout=settings.busy_timeout)
    try:
        problems = store.integrity_problems()
        report.add("integrity", not problems, f"{INTEGRITY_CHECK}: ok" if not problems else
                   f"{len(problems)} problem(s): {'; '.join(problems[:5])}; restore a backup or run "
                   f"`sqlite3 {settings.db_path} .recover`")
        if problems:
            return report
        schema = store.schema_status()
        last = ", ".join(f"{k} {v[-1]}" for k, v in schema["applied"].items()) or "none"
        if schema["unknown"]:
            unknown = "; ".join(f"{k}: {', '.join(v)}" for k, v in schema["unknown"].items())
            report.add("schema", False, f"{last}; applied migrations this version does not know ({unknown}): "
                       "the database was written by a newer newsclaims")
        elif schema["pending"]:
            todo = ", ".join(f"{s} {n}" for s, n in schema["pending"])
            report.add("schema", False, f"{last}; not applied yet: {todo}", repairable=True)
            return report  # the other checks read tables the migrations create
        else:
            report.add("schema", True, f"{last} (up to date)")
        runs = store.running_runs()
        dead = [r for r in runs if r["alive"] is False]
        alive = [r for r in runs if r["alive"]]
        other = [r for r in runs if r["alive"] is None]
        detail = [f"run {r['id']} (pid {r['pid']}) was killed and is still marked running" for r in dead]
        detail += [f"run {r['id']} is in progress (pid {r['pid']})" for r in alive]
        detail += [f"run {r['id']} is marked running on host {r['host']} (not checked from here)" for r in other]
        report.add("runs", not dead, "; ".join(detail) or "none left running", repairable=bool(dead))
        pend = store.pending_summary()
        msg = f"{pend['pending']} article(s) pending"
        if pend["failed"]:
            msg += f", {pend['failed']} of them failed last time (" + "; ".join(
                f"{f['article_id']}: {f['error']}" for f in pend["failures"][:3]) + ")"
        if pend["unmarked_without_derived"]:
            msg += f"; {pend['unmarked_without_derived']} article(s) have no derived rows and no pending mark"
        report.add("derived data", not pend["pending"] and not pend["unmarked_without_derived"],
                   msg if (pend["pending"] or pend["unmarked_without_derived"]) else "built for every article",
                   repairable=True)
        orphans = store.orphan_counts()
        report.add("orphan rows", not orphans, ", ".join(f"{n} {label}" for label, n in orphans.items()) or "none",
                   repairable=True)
        fts = store.fts_problems()
        report.add("full-text indexes", not fts, "; ".join(fts) or "in step with their tables", repairable=True)
        bad = store.invalid_published()
        report.add("publication dates", not bad, "all ISO or empty" if not bad else
                   f"{len(bad)} not an ISO date (e.g. {bad[0][0]}: {bad[0][1]!r})", repairable=True)
        hashes = store.config_hash_counts()
        if check_model and hashes:
            current, model = _config_hash(settings)
            other_n = sum(n for h, n in hashes.items() if h != current)
            report.add("model drift", not other_n,
                       f"{hashes.get(current, 0)} article(s) extracted with the current pipeline ({model}, config "
                       f"{current})" + (f"; {other_n} with another configuration (model, rules or version): "
                                        "re-run `newsclaims extract` on their inputs (--force re-extracts all; "
                                        "--model compares with another pipeline)" if other_n else ""))
        return report
    finally:
        store.close()


def repair(settings: Settings) -> list[str]:
    """Fix what can be fixed (see the module docstring); returns what was done."""
    from pipeline.crossref import build_pending

    done: list[str] = []
    probe = Store(settings.db_path, readonly=True, busy_timeout=settings.busy_timeout)
    try:
        if probe.integrity_problems():
            return ["nothing repaired: the file itself is damaged"]
        pending_migrations = probe.pending_migrations()
    finally:
        probe.close()
    store = Store(settings.db_path, busy_timeout=settings.busy_timeout)  # applies pending migrations
    try:
        if pending_migrations:
            done.append(f"applied {len(pending_migrations)} migration(s)")
        closed = store.close_stale_runs()
        if closed:
            done.append(f"closed {len(closed)} killed run(s) as interrupted: {', '.join(closed)}")
        bad = store.invalid_published()
        if bad:
            store.null_published([a for a, _ in bad])
            done.append(f"set {len(bad)} unreadable publication date(s) to null")
        deleted = store.delete_orphans()
        if deleted:
            done.append("deleted orphan rows: " + ", ".join(f"{n} {label}" for label, n in deleted.items()))
        missing = store.articles_without_derived()
        if missing:
            store.mark_pending(missing)
            done.append(f"marked {len(missing)} article(s) without derived rows pending")
        if store.fts_problems():
            store.rebuild_fts()
            done.append("rebuilt the full-text indexes")
        failures: list[str] = []
        out: dict[str, Any] = build_pending(store, lambda aid, reason: failures.append(f"{aid}: {reason}"))
        if out["built"]:
            done.append(f"built derived rows for {out['built']} article(s)")
        done.extend(f"could not build {f}" for f in failures)
    finally:
        store.close()
    return done
