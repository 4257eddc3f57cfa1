"""One test (at least) per hostile or unlucky input of issue 12: each must end as a recorded skip or a
warning with a reason, never stop the run, never read without bound, never store what it should not."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.extract import split_text
from pipeline.inputs import InputLimits
from pipeline.models import Article, Skip
from pipeline.parse.page import MAX_ATTRIBUTES, cap_attributes, parse_html
from pipeline.read import iter_articles
from pipeline.run import run_extract
from pipeline.settings import Settings
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOOD = "The Industry Ministry said exports rose 8 percent to 120 tons in March, Deputy Minister Ali Rezaei said.\n"


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Fails the test (instead of hanging the suite) if it blocks for a minute: a guard, not a timing."""

    def boom(signum: int, frame: Any) -> None:
        raise TimeoutError("blocked for 60 s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _write(p: Path, data: str | bytes) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def _blank(db: Path, **kw: Any) -> Settings:
    return Settings(db_path=db, spacy_model="blank", **kw)


def _rows(db: Path, sql: str) -> list[dict[str, Any]]:
    st = Store(db, readonly=True)
    try:
        return list(st.rows(sql))
    finally:
        st.close()


# --- 2. one bad article must not stop the run -------------------------------------------------------------
def test_hostile_line_over_a_million_characters_is_extracted_in_pieces(tmp_path: Path) -> None:
    filler = "The committee met again and the talks went on for a long time without a result. "
    figure = "Exports rose 8 percent to 120 tons in March. "
    line = "".join(figure if i % 500 == 0 else filler for i in range(13_000))  # one line, > 1,000,000 chars
    assert len(line) > 1_000_000 and "\n" not in line
    _write(tmp_path / "in" / "long.txt", line)
    _write(tmp_path / "in" / "ok.txt", GOOD)
    db = tmp_path / "c.db"
    report = run_extract([tmp_path / "in"], _blank(db))
    assert report.processed == 2 and not report.skipped
    assert any("in 11 pieces" in w for w in report.warnings)
    rows = _rows(db, "select c.text, c.start, c.end, c.sentence, c.sentence_start, c.sentence_end, a.text as atext "
                     "from claims c join articles a on a.id = c.article_id where a.id = 'long'")
    assert len([r for r in rows if r["text"] == "8 percent"]) == 26  # every figure, in every piece
    for r in rows:
        assert r["atext"][r["start"]:r["end"]] == r["text"]
        assert r["atext"][r["sentence_start"]:r["sentence_end"]] == r["sentence"]
    assert _rows(db, "select length(text) as n from articles where id = 'long'") == [{"n": len(line)}]


@pytest.mark.parametrize(("text", "cuts_after"), [
    ("para one. x\nyz\n\n" * 6, "\n\n"),  # a blank line beats a line break
    ("line one. Next\n" * 6, "\n"),  # a line break beats a sentence end
    ("Short one. Here ok. " * 5, ". "),  # a sentence end beats a space
    ("abcdefghijk " * 6, " "),
    ("x" * 50, None),
])
def test_hostile_split_text_cuts_at_boundaries_and_covers_the_text(text: str, cuts_after: str | None) -> None:
    pieces = split_text(text, 20)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 20 for _, p in pieces) and len(pieces) > 1
    assert [o for o, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]
    if cuts_after:
        assert all(p.endswith(cuts_after) for _, p in pieces[:-1])


def test_hostile_text_over_the_limit_is_refused_with_its_reason(tmp_path: Path) -> None:
    _write(tmp_path / "big.txt", "Exports rose. " * 1000)
    (s,) = list(iter_articles([tmp_path / "big.txt"], limits=InputLimits(max_text_chars=5000)))
    assert isinstance(s, Skip) and "max_text_chars" in s.reason


def test_hostile_meta_charset_undefined_is_parsed(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="undefined"><title>Rial</title></head><body><article><p>'
            + "Exports rose 8 percent to 120 tons, the ministry said on Monday. " * 5
            + "Caf\xe9</p></article></body></html>").encode("latin-1")
    parsed = parse_html(page, url="https://example.org/a")
    assert "Exports rose 8 percent" in parsed.text
    _write(tmp_path / "in" / "undefined.html", page)
    _write(tmp_path / "in" / "ok.txt", GOOD)
    report = run_extract([tmp_path / "in"], _blank(tmp_path / "c.db"))
    assert report.processed == 2 and not report.skipped


@pytest.mark.parametrize(("value", "stored", "warned"), [
    ("March 3rd 2020", "2020-03-03", False),
    ("3 March 2020", "2020-03-03", False),
    ("2020-03-03", "2020-03-03", False),
    ("03/05/2020", None, True),
    ("yesterday", None, True),
    ("sometime soon", None, True),
])
def test_hostile_published_values_are_validated(tmp_path: Path, value: str, stored: str | None,
                                                warned: bool) -> None:
    _write(tmp_path / "in" / "a.txt", GOOD)
    _write(tmp_path / "in" / "a.json", json.dumps({"url": "https://e.org/a", "title": "T", "published": value,
                                                   "source": "e.org"}))
    _write(tmp_path / "in" / "b.txt", GOOD.replace("Rezaei", "Karimi"))
    _write(tmp_path / "in" / "b.json", json.dumps({"url": "https://e.org/b", "title": "T", "published": "2020-03-10",
                                                   "source": "e.org"}))
    db = tmp_path / "c.db"
    report = run_extract([tmp_path / "in"], _blank(db))
    assert report.processed == 2 and not report.skipped and report.derived_built == 2
    assert _rows(db, "select published from articles where id = 'a'") == [{"published": stored}]
    warnings = [w for w in report.warnings if "publication date" in w and value in w]
    assert bool(warnings) == warned
    if warned:
        assert str(tmp_path / "in" / "a.txt") in warnings[0] and "null" in warnings[0]
    assert main(["crossref", "--db", str(db)]) == 0


def test_hostile_unreadable_published_already_stored_does_not_stop_crossref(tmp_path: Path) -> None:
    """A database written before dates were validated: crossref reads the value as no date, and doctor
    --repair sets it to null."""
    _write(tmp_path / "in" / "a.txt", GOOD)
    db = tmp_path / "c.db"
    run_extract([tmp_path / "in"], _blank(db))
    st = Store(db)
    with st.transaction():
        st.db.execute("update articles set published = 'yesterday', source = 'e.org'")
    st.close()
    assert main(["crossref", "--db", str(db)]) == 0
    assert main(["doctor", "--db", str(db), "--no-model"]) == 1
    assert main(["doctor", "--db", str(db), "--no-model", "--repair"]) == 0
    assert _rows(db, "select published from articles") == [{"published": None}]


def test_hostile_pipeline_component_failure_skips_that_article_only(tmp_path: Path) -> None:
    from spacy.language import Language

    from pipeline.extract import build_nlp, extract_stream

    @Language.component("test_explodes_on_boom")
    def explode(doc: Any) -> Any:
        if "BOOM" in doc.text:
            raise RuntimeError("the model broke")
        return doc

    nlp, _ = build_nlp(Settings(spacy_model="blank"))
    nlp.add_pipe("test_explodes_on_boom", first=True)
    arts = [Article(f"a{i}", GOOD if i != 3 else "BOOM " + GOOD) for i in range(6)]
    out = list(extract_stream(nlp, arts, batch_size=4))
    assert [e.article.id for e in out] == [a.id for a in arts]
    assert [bool(e.errors) for e in out] == [False, False, False, True, False, False]
    assert "the model broke" in out[3].errors[0]
    assert all(e.claims for i, e in enumerate(out) if i != 3)


def test_hostile_derived_failure_is_a_skip_and_stays_pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import pipeline.crossref.engine as engine

    real = engine._update_flags

    def flaky(store: Any, ids: list[str]) -> None:
        if "bad" in ids:
            raise ValueError("a bug in the flags")
        real(store, ids)

    monkeypatch.setattr(engine, "_update_flags", flaky)
    _write(tmp_path / "in" / "bad.txt", GOOD)
    _write(tmp_path / "in" / "good.txt", GOOD.replace("Rezaei", "Karimi"))
    db = tmp_path / "c.db"
    report = run_extract([tmp_path / "in"], _blank(db))
    assert report.processed == 2 and report.derived_built == 1 and report.derived_pending == 1
    (skip,) = report.skipped
    assert skip.article_id == "bad" and "a bug in the flags" in skip.reason and "pending" in skip.reason
    assert _rows(db, "select article_id, attempts from derived_pending") == [{"article_id": "bad", "attempts": 1}]
    monkeypatch.setattr(engine, "_update_flags", real)
    again = run_extract([tmp_path / "in"], _blank(db))  # the bug is fixed: the next run builds it
    assert again.unchanged == 2 and again.derived_built == 1 and again.derived_pending == 0


def test_hostile_parser_bug_on_one_page_is_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.parse.page as parse

    def broken(*a: Any, **k: Any) -> Any:
        raise UnicodeError("a decoder blew up")

    monkeypatch.setattr(parse, "parse_html", broken)
    _write(tmp_path / "in" / "page.html", "<html><body><p>x</p></body></html>")
    _write(tmp_path / "in" / "ok.txt", GOOD)
    report = run_extract([tmp_path / "in"], _blank(tmp_path / "c.db"))
    assert report.processed == 1
    (skip,) = report.skipped
    assert "UnicodeError" in skip.reason and "page.html" in skip.source


# --- 3. bounded reads -------------------------------------------------------------------------------------
def test_hostile_manifest_path_to_dev_zero_is_refused(tmp_path: Path, hang_guard: None) -> None:
    m = _write(tmp_path / "m.jsonl", json.dumps({"id": "z", "path": "/dev/zero"}) + "\n")
    (s,) = list(iter_articles([m], limits=InputLimits(allow_outside=True)))
    assert isinstance(s, Skip) and "character device" in s.reason and "not a regular file" in s.reason


def test_hostile_fifo_is_refused_without_blocking(tmp_path: Path, hang_guard: None) -> None:
    fifo = tmp_path / "in" / "pipe.txt"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    _write(tmp_path / "in" / "ok.txt", GOOD)
    items = list(iter_articles([tmp_path / "in"]))
    skips = [i for i in items if isinstance(i, Skip)]
    assert [s.source for s in skips] == [str(fifo)] and "FIFO" in skips[0].reason
    assert [i.id for i in items if isinstance(i, Article)] == ["ok"]
    m = _write(tmp_path / "in" / "m.jsonl", json.dumps({"id": "p", "path": "pipe.txt"}) + "\n")
    (s,) = list(iter_articles([m]))
    assert isinstance(s, Skip) and "FIFO" in s.reason


def test_hostile_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    f = _write(tmp_path / "big.txt", GOOD * 100)
    (s,) = list(iter_articles([f], limits=InputLimits(max_input_bytes=1000)))
    assert isinstance(s, Skip) and "max_input_bytes" in s.reason
    cfg = _write(tmp_path / "limits.toml", "[newsclaims]\nmax_input_bytes = 1000\n")
    assert Settings.load(cfg).max_input_bytes == 1000
    assert main(["extract", str(f), "--db", str(tmp_path / "c.db"), "--model", "blank", "--config", str(cfg)]) == 1


def test_hostile_bad_limit_setting_is_a_usage_error(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "limits.toml", "[newsclaims]\nmax_input_bytes = -5\n")
    assert main(["extract", str(tmp_path), "--db", str(tmp_path / "c.db"), "--config", str(cfg)]) == 2


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../../../etc/passwd"])
def test_hostile_manifest_cannot_leave_its_folder(tmp_path: Path, path: str) -> None:
    m = _write(tmp_path / "m" / "m.jsonl", json.dumps({"id": "pw", "path": path}) + "\n")
    (s,) = list(iter_articles([m]))
    assert isinstance(s, Skip) and "outside" in s.reason and "--allow-outside" in s.reason
    db = tmp_path / "c.db"
    assert main(["extract", str(m), "--db", str(db), "--model", "blank", "--quiet"]) == 1
    assert _rows(db, "select count(*) as n from articles") == [{"n": 0}]


def test_hostile_symlink_out_of_the_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    outside = _write(tmp_path / "elsewhere" / "secret.txt", GOOD)
    _write(tmp_path / "in" / "ok.txt", GOOD)
    (tmp_path / "in" / "link.txt").symlink_to(outside)
    (tmp_path / "in" / "etc").symlink_to("/etc")
    (tmp_path / "in" / "inside.txt").symlink_to(tmp_path / "in" / "ok.txt")
    items = list(iter_articles([tmp_path / "in"]))
    skips = {Path(i.source).name: i.reason for i in items if isinstance(i, Skip)}
    assert set(skips) == {"link.txt", "etc"} and all("outside" in r for r in skips.values())
    assert sorted(i.id for i in items if isinstance(i, Article)) == ["inside", "ok"]
    allowed = [i for i in iter_articles([tmp_path / "in" / "link.txt"], limits=InputLimits())]
    assert isinstance(allowed[0], Article)  # a file named on the command line is the user's choice
    loose = list(iter_articles([tmp_path / "elsewhere", tmp_path / "in"]))
    assert "link" in {i.id for i in loose if isinstance(i, Article)}  # its target's folder was named too


# --- 8. smaller -----------------------------------------------------------------------------------------
def test_hostile_hundred_thousand_attributes_are_capped(hang_guard: None) -> None:
    attrs = " ".join(f'data-a{i}="v{i}"' for i in range(100_000))
    page = (f"<html><head><title>T</title></head><body><div {attrs}><article><p>"
            + "Exports rose 8 percent to 120 tons, the ministry said on Monday. " * 5
            + "</p></article></div></body></html>")
    capped, n = cap_attributes(page)
    assert n == 1 and capped.count('="v') == MAX_ATTRIBUTES
    parsed = parse_html(page, url="https://example.org/a")
    assert "attributes_capped" in parsed.flags and "Exports rose 8 percent" in parsed.text


def test_hostile_nul_after_the_first_4kb_is_not_stored(tmp_path: Path) -> None:
    text = GOOD * 60 + "Imports\x00 fell 3 percent.\n"
    assert text.index("\x00") > 4096
    _write(tmp_path / "in" / "nul.txt", text)
    db = tmp_path / "c.db"
    report = run_extract([tmp_path / "in"], _blank(db))
    assert report.processed == 1 and any("NUL" in w for w in report.warnings)
    (row,) = _rows(db, "select text from articles")
    assert "\x00" not in row["text"] and "Imports fell 3 percent." in row["text"]


@pytest.mark.parametrize("files", [["a.pdf", "b.docx"], []])
def test_hostile_folder_without_inputs_is_reported_and_fails(tmp_path: Path, files: list[str],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for f in files:
        _write(folder / f, b"%PDF-1.4 binary")
    code = main(["extract", str(folder), "--db", str(tmp_path / "c.db"), "--model", "blank"])
    out = capsys.readouterr()
    assert code == 1
    assert "0 articles processed" in out.out and "1 skipped" in out.out
    assert "no input found" in out.err
    for f in files:
        assert f in out.err  # each unsupported file is named
    if files:
        assert f"{len(files)} unsupported file(s)" in out.out


def test_hostile_unsupported_files_beside_inputs_are_mentioned(tmp_path: Path) -> None:
    _write(tmp_path / "in" / "ok.txt", GOOD)
    _write(tmp_path / "in" / "ok.json", json.dumps({"title": "T"}))  # a sidecar, not unsupported
    _write(tmp_path / "in" / "notes.docx", b"PK")
    report = run_extract([tmp_path / "in"], _blank(tmp_path / "c.db"))
    assert report.ok and report.unsupported == [str(tmp_path / "in" / "notes.docx")]
    assert any("notes.docx" in w for w in report.warnings)


def test_hostile_export_csv_honours_the_official_filter(tmp_path: Path) -> None:
    _write(tmp_path / "in" / "a.txt", GOOD)
    _write(tmp_path / "in" / "b.txt", "Output fell 4 percent in May, Governor Hemmati said.\n")
    db = tmp_path / "c.db"
    run_extract([tmp_path / "in"], _blank(db))
    speakers = {r["speaker"] for r in _rows(db, "select speaker from claims")}
    assert len(speakers) >= 2
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--official", "Hemmati", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and {r["speaker"] for r in rows} == {"Hemmati"}
    out_j = tmp_path / "x.jsonl"
    assert main(["export", "--db", str(db), "--format", "jsonl", "--official", "Hemmati", "-o", str(out_j)]) == 0
    recs = [json.loads(line) for line in out_j.read_text().splitlines()]
    assert [r["article"]["id"] for r in recs] == ["b"]
    assert {c["speaker"] for r in recs for c in r["claims"]} == {"Hemmati"}


@pytest.mark.parametrize("n_process", [1, 2])
def test_hostile_pieces_and_failures_in_and_across_processes(n_process: int) -> None:
    """Pieces of a long text come back merged with article offsets, a failing article is reported alone,
    with one process or with worker processes (whose failure makes the rest go on in this process)."""
    from spacy.language import Language

    from pipeline.extract import build_nlp, extract_stream

    if not Language.has_factory("test_explodes_on_kaboom"):
        @Language.component("test_explodes_on_kaboom")
        def explode(doc: Any) -> Any:
            if "KABOOM" in doc.text:
                raise RuntimeError("kaboom")
            return doc

    nlp, _ = build_nlp(Settings(spacy_model="blank"))
    nlp.add_pipe("test_explodes_on_kaboom", first=True)
    long_text = (GOOD * 40).replace("\n", " ")
    arts = [Article("a", GOOD), Article("long", long_text), Article("bad", "KABOOM " + GOOD), Article("b", GOOD)]
    out = {e.article.id: e for e in extract_stream(nlp, arts, batch_size=2, n_process=n_process, chunk_chars=1000)}
    assert list(out) == ["a", "long", "bad", "b"]
    assert out["bad"].errors and "kaboom" in out["bad"].errors[0]
    assert not out["a"].errors and not out["b"].errors and not out["long"].errors
    whole = next(extract_stream(nlp, [Article("long", long_text)], chunk_chars=100_000))
    assert [c.text for c in out["long"].claims] == [c.text for c in whole.claims]
    for c in out["long"].claims:
        assert long_text[c.span.start:c.span.end] == c.text
        assert c.sentence.start <= c.span.start and c.span.end <= c.sentence.end


def test_hostile_long_text_holds_only_the_pieces_in_flight() -> None:
    """Regression: every piece of a long article stayed parsed in memory until the last one was done (a
    1M-character line peaked at 3.6 GB). Now a piece's Doc becomes its Extraction as it comes back, and a long
    article goes through spaCy in batches of BATCH_CHARS_PER_CHUNK pieces."""
    import gc
    import weakref

    from spacy.language import Language

    from pipeline.extract import BATCH_CHARS_PER_CHUNK, build_nlp, extract_stream

    live: weakref.WeakSet[Any] = weakref.WeakSet()
    peak = [0]
    if not Language.has_factory("test_counts_live_docs"):
        @Language.component("test_counts_live_docs")
        def count(doc: Any) -> Any:
            live.add(doc)
            gc.collect()
            peak[0] = max(peak[0], len(live))
            return doc

    nlp, _ = build_nlp(Settings(spacy_model="blank"))
    nlp.add_pipe("test_counts_live_docs", last=True)
    long_text = GOOD * 60  # about 60 pieces of at most 200 characters
    (ex,) = extract_stream(nlp, [Article("long", long_text)], batch_size=16, chunk_chars=200)
    assert not ex.errors and len(ex.claims) >= 60
    assert 0 < peak[0] <= 2 * BATCH_CHARS_PER_CHUNK
