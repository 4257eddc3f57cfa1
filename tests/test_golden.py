"""Whole-article golden files: every corpus article's export, compared field by field. A change in output
shows up as a diff of tests/golden/*.json; rewrite them with `pytest --update-golden` and review the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.query.export import iter_records
from pipeline.run import run_extract
from pipeline.settings import Settings
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
# Volatile fields (run ids, row ids) are left out so that the files are deterministic.
VOLATILE = {"run_id", "id", "equivalent_of", "path"}


def _stable(obj: object) -> object:
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in sorted(obj.items()) if k not in VOLATILE}
    if isinstance(obj, list):
        return [_stable(x) for x in obj]
    return obj


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    db = tmp_path_factory.mktemp("golden") / "claims.db"
    run_extract([ROOT / "corpus"], Settings(db_path=db))
    store = Store(db, readonly=True)
    out = {}
    for r in iter_records(store):
        ids = {c["id"]: i for i, c in enumerate(r["claims"])}
        for c in r["claims"]:
            c["equivalent_of_index"] = ids.get(c["equivalent_of"]) if c["equivalent_of"] else None
        stable = _stable(r)
        stable["article"]["id"] = r["article"]["id"]  # type: ignore[index]
        out[r["article"]["id"]] = stable
    store.close()
    return out


def _golden_path(aid: str) -> Path:
    return GOLDEN / (aid.replace("/", "__") + ".json")


def test_golden_files_cover_every_corpus_article(records: dict[str, dict], update_golden: bool) -> None:
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.json"):
            old.unlink()
        for aid, rec in records.items():
            _golden_path(aid).write_text(json.dumps(rec, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(_golden_path(a).name for a in records)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.json")))
def test_golden_article_output_unchanged(records: dict[str, dict], name: str) -> None:
    expected = json.loads((GOLDEN / name).read_text())
    aid = expected["article"]["id"]
    assert aid in records, f"{aid} no longer extracted"
    got = records[aid]
    for part in ("article", "officials", "dates", "claims"):
        assert got[part] == expected[part], f"{aid}: {part} changed; run pytest --update-golden and review the diff"
