"""Claim ids: a unique prefix is accepted everywhere a claim id is (show-source, export --claim), and the series
chart labels print ids those commands accept (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.crossref import rebuild_crossref
from pipeline.crossref.series import series_points, short_id
from pipeline.query.claims import QueryError, resolve_claim_id
from pipeline.store import Store
from tests.crossref_fixtures import extractions


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ids") / "c.db"
    st = Store(path)
    run = st.start_run({"command": "test"})
    for ex in extractions().values():
        st.save_extraction(ex, run_id=run, config_hash="h")
    rebuild_crossref(st)
    st.close()
    return path


def _ids(db: Path) -> list[str]:
    st = Store(db, readonly=True)
    try:
        return sorted(r["id"] for r in st.rows("select id from claims"))
    finally:
        st.close()


def test_claim_ids_unique_prefix_resolves(db: Path) -> None:
    ids = _ids(db)
    st = Store(db, readonly=True)
    try:
        for cid in ids[:5]:
            assert resolve_claim_id(st, cid) == cid
            assert resolve_claim_id(st, short_id(st, cid)) == cid
            assert resolve_claim_id(st, cid[:10].upper()) == cid
    finally:
        st.close()


@pytest.mark.parametrize(("given", "why"), [("zz12", "is hex"), ("ab", "is hex"),
                                            ("ffffffffffff", "no claim"), ("'; drop", "is hex")])
def test_claim_ids_bad_prefixes_say_why(db: Path, given: str, why: str) -> None:
    st = Store(db, readonly=True)
    try:
        with pytest.raises(QueryError, match=why):
            resolve_claim_id(st, given)
    finally:
        st.close()


def test_claim_ids_ambiguous_prefix_names_the_candidates(tmp_path: Path, db: Path) -> None:
    ids = _ids(db)
    common = next((a[:4] for a, b in zip(ids, ids[1:], strict=False) if a[:4] == b[:4]), None)
    st = Store(db, readonly=True)
    try:
        if common is None:  # no two fixture ids share 4 characters: a prefix shorter than 4 is refused anyway
            with pytest.raises(QueryError):
                resolve_claim_id(st, ids[0][:3])
        else:
            with pytest.raises(QueryError, match="ambiguous"):
                resolve_claim_id(st, common)
    finally:
        st.close()


def test_claim_ids_series_labels_are_accepted_by_show_source_and_export(db: Path, capsys: pytest.CaptureFixture[str]
                                                                         ) -> None:
    st = Store(db, readonly=True)
    try:
        pts = series_points(st, "ISIPO", "idle SMEs")
    finally:
        st.close()
    assert pts
    for p in pts:
        assert p["claim_id"].startswith(p["short_id"]) and len(p["short_id"]) >= 8
        assert main(["show-source", p["short_id"], "--db", str(db)]) == 0
        assert p["claim_id"] in capsys.readouterr().out
    assert main(["export", "--format", "jsonl", "--claim", pts[0]["short_id"], "--db", str(db)]) == 0
    recs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [c["id"] for r in recs for c in r["claims"]] == [pts[0]["claim_id"]]
    assert main(["show-source", "zzzz", "--db", str(db)]) == 1
