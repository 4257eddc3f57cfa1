"""The fault suite: runs killed (SIGKILL) at numbered kill points chosen by a seed, then resumed, must end
equal to a clean run, derived tables included; two extracts at once; an extract while the site serves.

Kill points are reached through a test hook (pipeline/faults.py: NEWSCLAIMS_KILL_AT=point:n). The runs use
the blank spaCy pipeline: the faults are about the store, not the model.
"""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from pipeline.faults import KILL_POINTS
from tests.fault_corpus import build_corpus, env, extract_cmd, health, run, snapshot

POINTS = list(KILL_POINTS)
PER_ARTICLE = ("article.extracted", "article.saved")
SEEDS = range(8)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("faults") / "corpus")


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    out = run(extract_cmd(db, corpus))
    assert out.returncode == 0, out.stderr
    snap = snapshot(db)
    assert len(snap["articles"]) == 15 and snap["stories"] and snap["entities"] and snap["claim_clusters"]
    return snap


def kill_plan(seed: int) -> list[tuple[str, int]]:
    """One to three kills in a row. The first point cycles through every kill point as the seed grows (so the
    seeds together reach each one); where it stops within a run (which article) and what follows is random."""
    rng = random.Random(seed)
    points = [POINTS[seed % len(POINTS)]] + [rng.choice(POINTS) for _ in range(rng.randint(0, 2))]
    if points[0] == "derived.leftover":  # reached only when an earlier run left work pending
        points.insert(0, "article.saved")
    return [(p, rng.randint(1, 15) if p in PER_ARTICLE else 1) for p in points]


def test_faults_seeds_reach_every_kill_point() -> None:
    reached = {p for seed in SEEDS for p, _ in kill_plan(seed)}
    assert reached == set(POINTS)


@pytest.mark.parametrize("seed", SEEDS)
def test_faults_killed_runs_resume_to_a_clean_result(seed: int, corpus: Path, clean: dict[str, Any],
                                                    tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    killed = 0
    for point, nth in kill_plan(seed):
        out = run(extract_cmd(db, corpus), NEWSCLAIMS_KILL_AT=f"{point}:{nth}")
        assert out.returncode in (0, -signal.SIGKILL), (point, nth, out.stderr)
        killed += out.returncode == -signal.SIGKILL
        if not db.exists():
            continue
        h = health(db)
        assert h["integrity"] == ["ok"], (point, h)
        half = snapshot(db)  # no article is half-written: a stored article has all its rows
        for aid, *_ in half["articles"]:
            for table in ("claims", "dates", "people", "organisations"):
                mine = [r for r in half[table] if r[1] == aid]
                theirs = [r for r in clean[table] if r[1] == aid]
                assert mine == theirs, (seed, point, aid, table)
    assert killed, f"seed {seed}: no kill point was reached ({kill_plan(seed)})"
    out = run(extract_cmd(db, corpus))
    assert out.returncode == 0, out.stderr
    h = health(db)
    assert h["integrity"] == ["ok"] and h["pending"] == 0
    assert h["runs"][-1] == "ok" and "running" not in h["runs"] and h["runs"].count("interrupted") >= killed
    final = snapshot(db)
    assert final.keys() == clean.keys()
    for table in clean:
        assert final[table] == clean[table], (seed, kill_plan(seed), table)


def test_faults_doctor_reports_a_killed_run_and_repairs_it(corpus: Path, clean: dict[str, Any],
                                                          tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    out = run(extract_cmd(db, corpus), NEWSCLAIMS_KILL_AT="derived.entities:1")
    assert out.returncode == -signal.SIGKILL
    doctor = [sys.executable, "-m", "pipeline", "doctor", "--db", str(db), "--model", "blank"]
    report = run(doctor)
    assert report.returncode == 1, report.stdout + report.stderr
    assert "was killed and is still marked running" in report.stdout
    assert "15 article(s) pending" in report.stdout and "--repair" in report.stdout
    repaired = run([*doctor, "--repair"])
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "closed 1 killed run(s) as interrupted" in repaired.stdout
    assert "built derived rows for 15 article(s)" in repaired.stdout
    assert health(db)["runs"] == ["interrupted"]
    assert snapshot(db) == clean


def test_faults_legacy_database_without_derived_rows_is_healed(corpus: Path, clean: dict[str, Any],
                                                              tmp_path: Path) -> None:
    """A database from before pending marks, whose crossref step crashed: stored articles, no derived rows.
    The migration marks them pending and the next run builds them although every article is unchanged."""
    import sqlite3

    db = tmp_path / "claims.db"
    assert run(extract_cmd(db, corpus)).returncode == 0
    conn = sqlite3.connect(db, isolation_level=None)
    for t in ("stories", "story_lsh", "entity_mentions", "entity_edges", "entities", "entity_keys",
              "entity_merges", "claim_keys", "claim_clusters", "cluster_members", "flags", "derived_pending"):
        conn.execute(f"delete from {t}")
    conn.execute("delete from _sqlite_migrations where name = '0003_pending_backfill'")
    conn.close()
    out = run(extract_cmd(db, corpus))
    assert out.returncode == 0, out.stderr
    assert "15 unchanged" in out.stdout and "built for 15 article(s)" in out.stdout
    assert snapshot(db) == clean


def test_faults_two_extracts_at_once_both_finish_and_equal_one_run(corpus: Path, clean: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    procs = [subprocess.Popen(extract_cmd(db, corpus), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert not any("locked" in err for _, err in outs)
    h = health(db)
    assert h["integrity"] == ["ok"] and h["pending"] == 0 and h["runs"] == ["ok", "ok"]
    assert snapshot(db) == clean


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - a local test server
        return json.loads(r.read())


def test_faults_extract_while_the_site_serves(corpus: Path, tmp_path: Path) -> None:
    """The site shows what is committed, never a stale or broken picture: every answer is a 200, the count
    of articles never goes down, and once the extract is done the site shows all of them."""
    db = tmp_path / "claims.db"
    first = corpus / "seed"
    assert run(extract_cmd(db, first)).returncode == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
                              env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/claims"
    count_url = f"{base}.json?sql=select+count(*)+as+n+from+articles&_shape=array"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _get_json(count_url) == [{"n": 1}]
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the site did not start"
                time.sleep(0.2)
        extract = subprocess.Popen(extract_cmd(db, corpus), env=env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        seen: list[int] = []
        pages = ["/articles.json?_shape=array&_col=id&_size=max", "/claims_in_context.json?_shape=array",
                 "/claims.json?_shape=array&_size=5", "/entities.json?_shape=array", ""]
        while extract.poll() is None or len(seen) < 3:
            seen.append(_get_json(count_url)[0]["n"])
            for page in pages:
                with urllib.request.urlopen(base + page, timeout=30) as r:  # noqa: S310 - local
                    assert r.status == 200, page
        out, err = extract.communicate(timeout=300)
        assert extract.returncode == 0, err
        assert seen == sorted(seen)
        final = _get_json(count_url)[0]["n"]
        assert final == 16  # the first run's article (id relative to seed/) and the corpus's 15
        ids = {r["id"] for r in _get_json(f"{base}/articles.json?_shape=array&_col=id&_size=max")}
        assert len(ids) == 16 and seen[0] >= 1
    finally:
        server.terminate()
        server.wait(timeout=30)
