"""End to end over corpus/: extract, export, idempotency, bad input. No network, no ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.query.export import iter_records
from pipeline.run import run_extract
from pipeline.settings import Settings
from pipeline.store import Store
from tests.claims_fixture import table_counts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_ID = "seed/isipo-idle-units"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("e2e") / "claims.db"
    report = run_extract([CORPUS], Settings(db_path=db))
    assert report.processed >= 9 and not report.skipped
    return db


def _records(db: Path) -> dict[str, dict]:
    store = Store(db, readonly=True)
    try:
        return {r["article"]["id"]: r for r in iter_records(store)}
    finally:
        store.close()


def test_e2e_seed_record_has_the_allocation_conversion_and_deputy(corpus_db: Path) -> None:
    rec = _records(corpus_db)[SEED_ID]
    assert rec["article"]["published"] == "2019-12-10"
    money = [(c["value"], c["unit"], c["approx"]) for c in rec["claims"] if c["type"] == "money"]
    assert (15000000000000, "IRR", "=") in money
    assert (357000000, "USD", "~") in money
    usd = next(c for c in rec["claims"] if c["type"] == "money" and c["unit"] == "USD")
    irr = next(c for c in rec["claims"] if c["type"] == "money" and c["unit"] == "IRR")
    assert usd["equivalent_of"] == irr["id"]
    deputy = next(o for o in rec["officials"] if o["name"] == "Ali Asqar Mosaheb")
    assert deputy["title"] == "Deputy Head" and deputy["org"] == "ISIPO"


def test_e2e_every_claim_leads_back_to_its_sentence(corpus_db: Path) -> None:
    store = Store(corpus_db, readonly=True)
    rows = list(store.rows("select c.*, a.text as atext from claims c join articles a on a.id = c.article_id"))
    assert rows
    for c in rows:
        assert c["atext"][c["start"]:c["end"]] == c["text"]
        assert c["sentence_start"] <= c["start"] and c["end"] <= c["sentence_end"]
        assert c["atext"][c["sentence_start"]:c["sentence_end"]] == c["sentence"]
        assert c["rule_id"] and c["extractor"] and c["run_id"]


def test_e2e_rerun_is_idempotent_and_says_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    first = run_extract([CORPUS], Settings(db_path=db))
    counts = table_counts(db)
    second = run_extract([CORPUS], Settings(db_path=db))
    assert second.processed == 0 and second.unchanged == first.processed
    forced = run_extract([CORPUS], Settings(db_path=db), force=True)
    assert forced.processed == first.processed
    after = table_counts(db)
    for t in ("articles", "claims", "dates", "people"):
        assert after[t] == counts[t]
    assert after["runs"] == counts["runs"] + 2


def test_e2e_bad_input_is_skipped_and_the_run_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("The company exported 5,000 tons of steel last year.", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02")
    (src / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (src / "side.txt").write_text("Exports rose 8 percent.", encoding="utf-8")
    (src / "side.json").write_text("{broken", encoding="utf-8")
    db = tmp_path / "c.db"
    assert main(["extract", str(src), "--db", str(db), "--quiet"]) == 0
    err = capsys.readouterr().err
    for name in ("empty.txt", "bin.txt", "latin.txt", "side.json"):
        assert name in err
    store = Store(db)
    assert [r["id"] for r in store.rows("select id from articles")] == ["good"]
    assert table_counts(db)["skips"] == 4
    # A run with nothing processable exits non-zero and loses nothing already stored.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"")
    assert main(["extract", str(bad), "--db", str(db), "--quiet"]) == 1
    assert [r["id"] for r in Store(db).rows("select id from articles")] == ["good"]


def test_e2e_export_jsonl_and_csv(corpus_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    assert main(["export", "--db", str(corpus_db), "--format", "jsonl", "-o", str(out)]) == 0
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert {SEED_ID} <= {r["article"]["id"] for r in recs}
    for r in recs:
        for c in r["claims"]:
            assert {"type", "text", "value", "value_max", "approx", "unit", "direction", "modality", "subject",
                    "speaker", "time"} <= set(c)
            assert isinstance(c["value"], (int, float))
    csv_out = tmp_path / "x.csv"
    assert main(["export", "--db", str(corpus_db), "--format", "csv", "-o", str(csv_out)]) == 0
    lines = csv_out.read_text().splitlines()
    assert lines[0].startswith("claim_id,article_id") and len(lines) > 10


def test_e2e_manifest_ids_are_kept(tmp_path: Path) -> None:
    m = tmp_path / "m.jsonl"
    m.write_text(json.dumps({"id": "my-id-1", "path": str(CORPUS / "seed" / "isipo-idle-units.txt"),
                             "published": "2019-12-10"}) + "\n")
    db = tmp_path / "c.db"
    refused = run_extract([m], Settings(db_path=db))  # the manifest points outside its own folder
    assert not refused.ok and "--allow-outside" in refused.skipped[0].reason
    run_extract([m], Settings(db_path=db, allow_outside=True))
    assert list(_records(db)) == ["my-id-1"]


def test_e2e_blank_pipeline_still_finds_figures(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    report = run_extract([CORPUS / "seed"], Settings(db_path=db, spacy_model="blank"))
    assert report.processed == 1
    rec = _records(db)[SEED_ID.split("/")[1]]
    assert (15000000000000, "IRR") in [(c["value"], c["unit"]) for c in rec["claims"]]


def test_e2e_rule_component_failure_skips_that_article_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Regression: an IndexError inside find_officials on one corpus article aborted the whole run."""
    import extractors.officials as officials

    real = officials.find_officials

    def flaky(doc):  # type: ignore[no-untyped-def]
        if "BOOM" in doc.text:
            raise IndexError("list index out of range")
        return real(doc)

    monkeypatch.setattr(officials, "find_officials", flaky)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The company exported 5,000 tons of steel.", encoding="utf-8")
    (src / "b.txt").write_text("BOOM: exports rose 8 percent.", encoding="utf-8")
    (src / "c.txt").write_text("Imports fell 3 percent.", encoding="utf-8")
    db = tmp_path / "c.db"
    assert main(["extract", str(src), "--db", str(db), "--quiet"]) == 0
    assert "IndexError" in capsys.readouterr().err
    store = Store(db)
    assert [r["id"] for r in store.rows("select id from articles order by id")] == ["a", "c"]
    (skip,) = list(store.rows("select article_id, reason from skips"))
    assert skip["article_id"] == "b" and "OfficialsComponent" in skip["reason"]
