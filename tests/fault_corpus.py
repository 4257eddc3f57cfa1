"""Helpers for the fault suite: a small corpus with cross-article links, running `newsclaims extract` as a
process, and comparing two databases table by table (ids and timestamps aside)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.crossref_fixtures import SRC, extractions

ROOT = Path(__file__).resolve().parent.parent

# Columns that differ between equal runs: which run wrote a row, and when.
VOLATILE = {"run_id", "extracted_at", "queued_at", "started_at", "ended_at", "applied_at", "at"}
# Tables that record runs rather than content, and SQLite's own or FTS shadow tables (checked separately).
NOT_COMPARED = {"runs", "skips", "_sqlite_migrations", "derived_pending"}


def build_corpus(folder: Path) -> Path:
    """The repository's sample corpus (text files with sidecars and HTML pages) plus the six crossref fixture
    articles (a spelling variant of a name, an acronym, a republished story, a restated target) as text files
    with sidecars: 15 articles whose derived rows depend on each other."""
    shutil.copytree(ROOT / "corpus", folder, ignore=shutil.ignore_patterns("README.md"))
    fx = folder / "fixtures"
    fx.mkdir()
    for aid, ex in extractions().items():
        (fx / f"{aid}.txt").write_text(ex.article.text, encoding="utf-8")
        (fx / f"{aid}.json").write_text(json.dumps({"url": f"https://{SRC}/{aid}", "title": aid.upper(),
                                                    "published": ex.article.published, "source": SRC}))
    return folder


def extract_cmd(db: Path, *paths: Path, model: str = "blank") -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", *map(str, paths), "--db", str(db), "--model", model,
            "--quiet"]


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "NEWSCLAIMS_KILL_AT"}
    e["PYTHONPATH"] = str(ROOT)
    e.update(extra)
    return e


def run(cmd: list[str], timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, env=env(**extra_env), timeout=timeout, cwd=ROOT)


def tables(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    finally:
        conn.close()
    return [n for n in names if n not in NOT_COMPARED and "_fts" not in n and not n.startswith("sqlite_")]


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every content and derived table, rows sorted, run ids and timestamps left out."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for t in tables(db):
            cols = [r[1] for r in conn.execute(f"pragma table_info([{t}])") if r[1] not in VOLATILE]
            rows = conn.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{t}]").fetchall()
            out[t] = sorted(rows, key=repr)
    finally:
        conn.close()
    return out


def health(db: Path) -> dict[str, Any]:
    """integrity_check, pending marks, run statuses and the FTS integrity check of a database."""
    conn = sqlite3.connect(str(db), isolation_level=None)
    try:
        out: dict[str, Any] = {
            "integrity": [r[0] for r in conn.execute("pragma integrity_check")],
            "pending": conn.execute("select count(*) from derived_pending").fetchone()[0],
            "runs": [r[0] for r in conn.execute("select status from runs order by started_at, id")],
        }
        for fts in ("claims_fts", "articles_fts"):
            conn.execute("begin")
            try:
                conn.execute(f"insert into {fts}({fts}) values('integrity-check')")
            finally:
                conn.execute("rollback")
        return out
    finally:
        conn.close()
