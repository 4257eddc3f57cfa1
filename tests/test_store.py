from __future__ import annotations

import socket
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.names import norm_name
from pipeline.models import Article, Claim, DateMention, Extraction, Official, Span
from pipeline.query.export import iter_records
from pipeline.store import Store
from tests.claims_fixture import table_counts


def _extraction(text: str = "ISIPO allocated 15 trillion rials (about $357 million).") -> Extraction:
    a = Article(id="a1", text=text, url="https://e.com/1", published="2019-12-10")
    s = Span(0, len(text))
    money = Claim("money", "15 trillion rials", Decimal("15000000000000"), None, "=", "IRR", None, "actual",
                  "ISIPO", None, None, None, Span(16, 33), s, "money.rials", "money.v1")
    usd = Claim("money", "$357 million", Decimal("357000000"), None, "~", "USD", None, "actual", "ISIPO", None,
                None, None, Span(41, 53), s, "money.symbol", "money.v1", equivalent_of=0)
    off = Official("Ali Asqar Mosaheb", "Deputy Head", "ISIPO", Span(0, 5), s, "officials.title_name",
                   "officials.v1")
    d = DateMention("on Monday", "2019-12-09", "2019-12-09", "gregorian", Span(0, 1), s, "dates.weekday",
                    "dates.v1")
    return Extraction(a, (off,), (money, usd), (d,))


def test_store_save_is_idempotent_and_replaces(tmp_path: Path) -> None:
    st = Store(tmp_path / "c.db")
    run = st.start_run({"command": "test"})
    st.save_extraction(_extraction(), run_id=run, config_hash="h")
    first = table_counts(st.path)
    st.save_extraction(_extraction(), run_id=run, config_hash="h")
    assert table_counts(st.path) == first
    assert first["claims"] == 2 and first["articles"] == 1 and first["people"] == 1
    assert st.article_state("a1") is not None and st.article_state("a1")[1] == "h"  # type: ignore[index]


def test_store_export_record_has_spec_shape_and_exact_values(tmp_path: Path) -> None:
    st = Store(tmp_path / "c.db")
    run = st.start_run({"command": "test"})
    st.save_extraction(_extraction(), run_id=run, config_hash="h")
    (rec,) = list(iter_records(st))
    assert set(rec) >= {"article", "officials", "claims", "dates"}
    c0, c1 = rec["claims"]
    assert c0["value"] == 15000000000000 and isinstance(c0["value"], int)
    assert c1["equivalent_of"] == c0["id"]
    assert c0["sentence"] == _extraction().article.text
    assert rec["officials"][0]["name"] == "Ali Asqar Mosaheb"
    assert rec["dates"][0]["start"] == "2019-12-09"


def test_store_migrations_apply_once(tmp_path: Path) -> None:
    Store(tmp_path / "c.db").close()
    st = Store(tmp_path / "c.db")
    names = [r["name"] for r in st.rows("select name from _sqlite_migrations")]
    assert len(names) == len(set(names)) and "0001_initial" in names


def test_store_readonly_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make extract"):
        Store(tmp_path / "nope.db", readonly=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ali Asqar Mosaheb", "Ali-Asghar Mosaheb"), ("Seyed Reza Fatemi", "reza fatemi"), ("Dr. Hemmati", "hemmati")],
)
def test_store_norm_name_folds_variants(a: str, b: str) -> None:
    assert norm_name(a).replace(" ", "") == norm_name(b).replace(" ", "")  # type: ignore[union-attr]


def test_store_writes_begin_immediate_and_a_waiting_writer_says_for_whom(tmp_path: Path) -> None:
    """Two writers: the second waits for the first's transaction (no "database is locked") and is told who
    holds the lock."""
    import subprocess
    import threading
    import time

    from pipeline.models import Skip

    db = tmp_path / "c.db"
    a = Store(db)
    run = a.start_run({"command": "extract"})
    holder = subprocess.Popen(["sleep", "60"])
    try:
        a.db.execute("update runs set pid = ?, pid_start = null where id = ?", [holder.pid, run])
        told: list[str] = []
        done: list[float] = []

        def second_writer() -> None:
            b = Store(db, busy_timeout=30)
            b.on_wait = told.append
            b.record_skip(run, Skip("x", "y"))
            done.append(time.monotonic())
            b.close()

        with a.transaction():
            a.db.execute("insert into skips (run_id, source, reason) values (?, 'held', 'lock')", [run])
            t = threading.Thread(target=second_writer)
            t.start()
            time.sleep(1.5)
            assert not done  # still waiting for the lock held here
            released = time.monotonic()
        t.join(30)
        assert done and done[0] >= released
        assert told == [f"the extract running on {socket.gethostname()}, pid {holder.pid} (run {run})"]
        assert [r["source"] for r in a.rows("select source from skips order by id")] == ["held", "x"]
    finally:
        holder.kill()
        holder.wait()
        a.close()


def test_store_run_of_a_killed_process_is_closed_as_interrupted(tmp_path: Path) -> None:
    import subprocess

    st = Store(tmp_path / "c.db")
    dead = subprocess.Popen(["true"])
    dead.wait()
    run = st.start_run({"command": "extract"})
    st.db.execute("update runs set pid = ? where id = ?", [dead.pid, run])
    live = st.start_run({"command": "extract"})  # closes the dead one; this process is alive: left alone
    assert st.close_stale_runs() == []
    status = {r["id"]: r["status"] for r in st.rows("select id, status from runs")}
    assert status == {run: "interrupted", live: "running"}


@pytest.mark.parametrize("gloss", [("March 20, 2020", "2020-03-20", "2020-03-20"), (None, None, None)])
def test_store_keeps_a_date_gloss_beside_the_exact_dates(tmp_path: Path, gloss: tuple[str | None, ...]) -> None:
    text = "By the end of the current Iranian calendar year (March 20, 2020) it rises."
    d = DateMention(text[3:64], "2020-03-19", "2020-03-19", "persian", Span(3, 64), Span(0, len(text)), "r", "dates.v1",
                    None, *gloss)
    st = Store(tmp_path / "g.db")
    st.save_extraction(Extraction(Article("a", text), (), (), (d,)), run_id=st.start_run({}), config_hash="h")
    (row,) = st.rows("select gloss_text, gloss_start_date, gloss_end_date from dates")
    assert tuple(row.values()) == gloss
