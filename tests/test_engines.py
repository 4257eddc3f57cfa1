"""The engines and their one library API: the record form, shards, the loader, and extraction on a local Dask
cluster (2 single-threaded workers, no dashboard) checked table by table against a serial run."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.engines.shards import (
    batch_key,
    list_shards,
    plan_batches,
    read_shard,
    shard_path,
    write_shard,
)
from pipeline.models import (
    RECORD_SCHEMA,
    Article,
    Claim,
    DateMention,
    Extraction,
    Official,
    Organisation,
    RecordError,
    Skip,
    Span,
    article_to_record,
    extraction_from_record,
    extraction_to_record,
    skip_from_record,
    skip_to_record,
)
from pipeline.settings import Settings
from tests.fault_corpus import ROOT, build_corpus, snapshot

# --- the record form -------------------------------------------------------------------------------------------
text = st.text(max_size=30)
opt_text = st.none() | text
spans = st.builds(Span, st.integers(0, 10**6), st.integers(0, 10**6))
json_value = st.recursive(st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
                          | st.floats(allow_nan=False, allow_infinity=False),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                          max_leaves=8)
decimals = st.decimals(allow_nan=False, allow_infinity=False)
articles = st.builds(
    Article, id=text, text=st.text(max_size=200), url=opt_text, title=opt_text, published=opt_text,
    published_precision=opt_text, source=opt_text, authors=st.tuples(text) | st.just(()), language=opt_text,
    fetched_at=opt_text, path=opt_text, raw=st.dictionaries(text, json_value, max_size=3),
    flags=st.lists(text, max_size=2).map(tuple),
)
officials = st.builds(Official, name=text, title=opt_text, org=opt_text, span=spans, sentence=spans, rule_id=text,
                      extractor=text, mentions=st.lists(spans, max_size=3).map(tuple))
claims = st.builds(
    Claim, type=st.sampled_from(["money", "percent", "count", "quantity"]), text=text, value=decimals,
    value_max=st.none() | decimals, approx=st.sampled_from(["=", "~", ">", "<", ">=", "<="]), unit=opt_text,
    direction=opt_text, modality=text, subject=opt_text, speaker=opt_text, time_start=opt_text, time_end=opt_text,
    span=spans, sentence=spans, rule_id=text, extractor=text, equivalent_of=st.none() | st.integers(0, 50),
    flags=st.lists(text, max_size=2).map(tuple), evidence=st.dictionaries(text, json_value, max_size=4),
)
dates = st.builds(DateMention, text=text, start=opt_text, end=opt_text, calendar=text, span=spans, sentence=spans,
                  rule_id=text, extractor=text, role=opt_text, gloss_text=opt_text, gloss_start=opt_text,
                  gloss_end=opt_text)
orgs = st.builds(Organisation, name=text, acronym=opt_text, span=spans, rule_id=text, extractor=text)
extractions_st = st.builds(
    Extraction, article=articles, officials=st.lists(officials, max_size=3).map(tuple),
    claims=st.lists(claims, max_size=4).map(tuple), dates=st.lists(dates, max_size=3).map(tuple),
    organisations=st.lists(orgs, max_size=2).map(tuple), warnings=st.lists(text, max_size=2).map(tuple),
    errors=st.lists(text, max_size=1).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(ex=extractions_st, config_hash=opt_text)
def test_engines_record_round_trip(ex: Extraction, config_hash: str | None) -> None:
    """Extraction -> record -> JSON text -> record -> Extraction gives the same Extraction, every Decimal with
    its exact digits and exponent (Decimal("1.50") stays "1.50", not 1.5), and the record again."""
    rec = extraction_to_record(ex, config_hash)
    assert rec["schema_version"] == RECORD_SCHEMA and rec["config_hash"] == config_hash
    back_rec = json.loads(json.dumps(rec, allow_nan=False))
    back = extraction_from_record(back_rec)
    assert back == ex
    assert [str(c.value) for c in back.claims] == [str(c.value) for c in ex.claims]
    assert [str(c.value_max) for c in back.claims] == [str(c.value_max) for c in ex.claims]
    assert extraction_to_record(back, config_hash) == rec


@pytest.mark.parametrize("value", ["1.50", "-0.000", "1E+3", "12345678901234567890.123456789"])
def test_engines_record_keeps_decimal_digits(value: str) -> None:
    c = Claim("money", value, Decimal(value), None, "=", "USD", None, "actual", None, None, None, None,
              Span(0, 1), Span(0, 1), "r", "money.v1")
    ex = Extraction(Article("a", "x"), (), (c,), ())
    rec = extraction_to_record(ex)
    assert rec["claims"][0]["value"] == value
    assert str(extraction_from_record(json.loads(json.dumps(rec))).claims[0].value) == value


@pytest.mark.parametrize("record", [
    {"schema_version": RECORD_SCHEMA + 1, "kind": "extraction"},
    {"schema_version": None, "kind": "skip", "source": "x", "reason": "y"},
    {"schema_version": RECORD_SCHEMA, "kind": "mystery"},
    {"schema_version": RECORD_SCHEMA, "kind": "extraction", "article": {"id": "a"}},
    {"schema_version": RECORD_SCHEMA, "kind": "skip", "source": "x", "reason": "y"},  # not an extraction
    ["not", "a", "dict"],
])
def test_engines_record_refuses_what_it_cannot_read(record: Any) -> None:
    with pytest.raises(RecordError):
        extraction_from_record(record)


def test_engines_skip_record_round_trip() -> None:
    s = Skip("corpus/a.txt", "no body text", "a")
    assert skip_from_record(json.loads(json.dumps(skip_to_record(s)))) == s


# --- shards ----------------------------------------------------------------------------------------------------
def _arts(ids: list[str]) -> list[Article]:
    return [Article(i, f"text of {i}") for i in ids]


def test_engines_batches_are_stable_when_an_article_is_added() -> None:
    ids = [f"a{i:03d}" for i in range(200)]
    before = {tuple(a.id for a in b) for b in plan_batches(_arts(ids), 8)}
    after = {tuple(a.id for a in b) for b in plan_batches(_arts(ids[:77] + ["new"] + ids[77:]), 8)}
    assert len(before) > 10
    assert len(before - after) == 1 and 1 <= len(after - before) <= 2  # the batch "new" joined, split at most


def test_engines_batches_are_bounded() -> None:
    sizes = [len(b) for b in plan_batches(_arts([f"x{i}" for i in range(500)]), 4)]
    assert sum(sizes) == 500 and max(sizes) <= 16


def test_engines_shard_key_covers_contents_and_configuration() -> None:
    recs = [article_to_record(a) for a in _arts(["a", "b"])]
    key = batch_key(recs, "cfg1")
    assert batch_key(recs, "cfg1") == key
    assert batch_key(recs, "cfg2") != key
    changed = [dict(recs[0], published="2020-01-01"), recs[1]]
    assert batch_key(changed, "cfg1") != key


def test_engines_shard_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    path = shard_path(tmp_path, "k")

    def broken() -> Iterator[dict[str, Any]]:
        yield skip_to_record(Skip("a", "b"))
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        write_shard(path, broken())
    assert list(tmp_path.iterdir()) == []
    recs = [skip_to_record(Skip("a", "b")), skip_to_record(Skip("c", "d"))]
    assert write_shard(path, recs) == 2
    first = path.read_bytes()
    write_shard(path, recs)
    assert path.read_bytes() == first  # no time in the gzip header: the same records make the same bytes
    assert read_shard(path) == recs and list_shards(tmp_path) == [path]
    (tmp_path / f".{path.name}.dead.tmp").write_bytes(b"half")  # a killed writer's leftover is no shard
    assert list_shards(tmp_path) == [path]


# --- serial and distributed give the same database ------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = build_corpus(tmp_path_factory.mktemp("engines") / "corpus")
    (folder / "empty.txt").write_text("\n", encoding="utf-8")  # a skip
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)  # another
    return folder


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from pipeline.run import run_extract

    db = tmp_path_factory.mktemp("serial") / "serial.db"
    report = run_extract([corpus], Settings(db_path=db))
    assert report.processed >= 15 and len(report.skipped) == 2
    return {"db": db, "snapshot": snapshot(db), "skips": _skips(db)}


def _skips(db: Path) -> list[tuple[Any, ...]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return sorted(conn.execute("select source, article_id, reason from skips").fetchall())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from contextlib import ExitStack

    from pipeline.engines.dask_engine import start_cluster

    with ExitStack() as stack:
        yield start_cluster(stack, scheduler=None, workers=2)


def _load(shards: list[Path], db: Path) -> Any:
    from pipeline.run import run_load

    return run_load(shards, Settings(db_path=db))


def test_engines_local_cluster_equals_serial_table_by_table(corpus: Path, serial: dict[str, Any], client: Any,
                                                            tmp_path: Path) -> None:
    from pipeline.engines.dask_engine import run_dask

    rep = run_dask([corpus], Settings(), tmp_path / "shards", scheduler=client.scheduler.address,
                   batch_articles=3)
    assert not rep.errors and rep.workers == 2 and rep.made >= 3 and rep.read_skips == 2
    assert not [w for w in rep.warnings if "MALLOC" in w or "thread" in w]
    db = tmp_path / "dask.db"
    report = _load(rep.shards, db)
    assert report.processed == rep.articles
    got = snapshot(db)
    assert set(got) == set(serial["snapshot"]) and len(got) > 10
    for table, rows in serial["snapshot"].items():
        assert got[table] == rows, table
    assert _skips(db) == serial["skips"]

    # a re-run skips exactly the batches already done; loading again changes nothing
    again = run_dask([corpus], Settings(), tmp_path / "shards", scheduler=client.scheduler.address,
                     batch_articles=3)
    assert again.made == 0 and again.done_before == rep.made and again.shards == rep.shards
    second = _load(rep.shards, db)
    assert second.processed == 0 and second.unchanged == rep.articles
    assert snapshot(db) == got

    # shards load in any order to the same database
    db2 = tmp_path / "reversed.db"
    _load(list(reversed(rep.shards)), db2)
    assert snapshot(db2) == got


def test_engines_changed_article_remakes_only_its_shard(corpus: Path, client: Any, tmp_path: Path) -> None:
    import shutil

    from pipeline.engines.dask_engine import run_dask

    folder = tmp_path / "c"
    shutil.copytree(corpus, folder)
    first = run_dask([folder], Settings(), tmp_path / "shards", scheduler=client.scheduler.address,
                     batch_articles=3)
    txt = sorted(folder.glob("texts/*.txt"))[0]
    txt.write_text(txt.read_text(encoding="utf-8") + "\nExports rose 5 percent.\n", encoding="utf-8")
    second = run_dask([folder], Settings(), tmp_path / "shards", scheduler=client.scheduler.address,
                      batch_articles=3)
    assert second.made == 1 and second.done_before == first.made - 1
    assert len(set(second.shards) - set(first.shards)) == 1


def test_engines_worker_killed_mid_run_the_run_completes(corpus: Path, serial: dict[str, Any], client: Any,
                                                         tmp_path: Path) -> None:
    """The first worker to finish extracting a batch SIGKILLs itself before writing its shard (kill point
    ``shard.extracted``, once across the cluster); the nanny restarts it, the batch runs again, and the
    loaded database still equals the serial run's."""
    from pipeline.engines.dask_engine import run_dask

    marker = tmp_path / "killed"
    pids_before = set(client.run(os.getpid).values())

    def arm(on: bool) -> None:
        if on:
            os.environ.update({"NEWSCLAIMS_KILL_AT": "shard.extracted:1", "NEWSCLAIMS_KILL_ONCE": str(marker)})
        else:
            os.environ.pop("NEWSCLAIMS_KILL_AT", None)
            os.environ.pop("NEWSCLAIMS_KILL_ONCE", None)

    client.run(arm, True)
    try:
        rep = run_dask([corpus], Settings(), tmp_path / "shards", scheduler=client.scheduler.address,
                       batch_articles=3)
    finally:
        client.run(arm, False)
    assert marker.exists(), "no worker reached the kill point"
    assert not rep.errors and all(p.exists() for p in rep.shards)
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()) != pids_before  # one worker is a new process
    db = tmp_path / "dask.db"
    _load(rep.shards, db)
    assert snapshot(db) == serial["snapshot"]


def test_engines_workers_run_without_malloc_trim(client: Any) -> None:
    """Dask's default puts MALLOC_TRIM_THRESHOLD_=65536 in every worker's environment before it starts (the
    next test shows it); the engine's configuration (dask-worker.yaml) removes it."""
    from pipeline.engines.dask_engine import MALLOC_VAR, worker_config

    assert worker_config()[f"distributed.nanny.pre-spawn-environ.{MALLOC_VAR}"] is None
    seen = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")))
    assert len(seen) == 2
    assert all(v == (None, "1") for v in seen.values()), seen  # the rest of Dask's pre-spawn settings stay
    threads = client.run(lambda dask_worker: dask_worker.state.nthreads)
    assert set(threads.values()) == {1}


def test_engines_dask_config_file_applies_to_dask_worker() -> None:
    """`DASK_CONFIG=.../dask-worker.yaml dask worker ...` (README): the nanny's pre-spawn environment lacks the
    malloc-trim setting; without the file it has it."""
    from pipeline.engines.dask_engine import WORKER_CONFIG

    code = ("from distributed.nanny import _get_env_variables; "
            "print('MALLOC_TRIM_THRESHOLD_' in _get_env_variables('distributed.nanny.pre-spawn-environ'))")
    base = {k: v for k, v in os.environ.items() if not k.startswith("DASK_") and k != "MALLOC_TRIM_THRESHOLD_"}
    with_file = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                               env={**base, "DASK_CONFIG": str(WORKER_CONFIG)})
    without = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=base)
    assert (with_file.stdout.strip(), without.stdout.strip()) == ("False", "True")


# --- the loader ----------------------------------------------------------------------------------------------
def test_engines_damaged_shard_is_a_skip_naming_it(tmp_path: Path) -> None:
    from pipeline.run import run_load

    good = shard_path(tmp_path, "good")
    ex = Extraction(Article("a1", "Exports rose.", published="2020-01-01"), (), (), ())
    write_shard(good, [extraction_to_record(ex, "cfg")])
    bad = shard_path(tmp_path, "bad")
    bad.write_bytes(gzip.compress(b'{"schema_version": 1, "kind": "skip"')[:-6])
    report = run_load([bad, good], Settings(db_path=tmp_path / "x.db"))
    assert report.processed == 1
    assert [s.source for s in report.skipped] == [str(bad)] and "cannot read shard" in report.skipped[0].reason


def test_engines_cli_load_and_dask_arguments(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    empty = tmp_path / "empty"
    empty.mkdir()
    out = subprocess.run([sys.executable, "-m", "pipeline", "load", str(empty), "--db", str(tmp_path / "x.db")],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 1 and "no shards" in out.stderr
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", "corpus", "--engine", "dask"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 2 and "--shards" in out.stderr
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", "corpus", "--workers", "2"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 2 and "--engine dask" in out.stderr


def test_engines_pandas_stays_out() -> None:
    """dask.dataframe would make pandas importable, and sqlite-utils then imports it at start-up (+95 MB)."""
    out = subprocess.run([sys.executable, "-c", "import pipeline.engines.dask_engine, sys; "
                          "print('pandas' in sys.modules, 'dask.dataframe' in sys.modules)"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(("argv", "given"), [
    (["extract", "corpus", "--engine", "dask", "--shards", "s"], False),
    (["extract", "corpus", "--engine", "dask", "--shards", "s", "--db", "claims.db"], True),
])
def test_engines_dask_extract_loads_only_with_db(argv: list[str], given: bool) -> None:
    from pipeline.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.db == "claims.db" and getattr(args, "db_given", False) is given
