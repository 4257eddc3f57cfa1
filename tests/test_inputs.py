from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.models import Article, Skip
from pipeline.read import iter_articles, normalise_text


def _write(p: Path, data: bytes | str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def test_inputs_folder_ids_are_relative_paths_without_extension(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "one.txt", "Exports rose 8 percent.")
    _write(tmp_path / "two.txt", "Imports fell.")
    items = list(iter_articles([tmp_path]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a/one", "two"]


def test_inputs_sidecar_gives_metadata_and_drops_repeated_title(tmp_path: Path) -> None:
    _write(tmp_path / "x.txt", "Big headline\nBody sentence with 5 units.")
    _write(tmp_path / "x.json", json.dumps({"url": "https://e.com/x", "title": "Big headline",
                                            "published": "2019-12-10", "source": "e.com"}))
    (a,) = list(iter_articles([tmp_path / "x.txt"]))
    assert isinstance(a, Article)
    assert (a.id, a.url, a.published, a.source, a.title) == ("x", "https://e.com/x", "2019-12-10", "e.com",
                                                             "Big headline")
    assert a.text == "Body sentence with 5 units."


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n", "empty"),
        ("binary.txt", b"\x00\x01\x02PNG", "binary"),
        ("latin.txt", "Caf\u00e9 exports".encode("latin-1"), "UTF-8"),
    ],
)
def test_inputs_bad_file_is_skipped_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    f = _write(tmp_path / name, data)
    (s,) = list(iter_articles([f]))
    assert isinstance(s, Skip)
    assert reason in s.reason
    assert str(f) in s.source


def test_inputs_bad_sidecar_skips_article_and_missing_field_only_warns(tmp_path: Path) -> None:
    _write(tmp_path / "bad.txt", "Text one.")
    _write(tmp_path / "bad.json", "{not json")
    _write(tmp_path / "part.txt", "Text two.")
    _write(tmp_path / "part.json", json.dumps({"title": "T"}))
    warnings: list[str] = []
    items = list(iter_articles([tmp_path], warnings))
    skips = [i for i in items if isinstance(i, Skip)]
    arts = [i for i in items if isinstance(i, Article)]
    assert [s.article_id for s in skips] == ["bad"]
    assert "bad.json" in skips[0].source and "JSON" in skips[0].reason
    assert [a.id for a in arts] == ["part"]
    assert any("part.json" in w and "published" in w for w in warnings)


def test_inputs_manifest_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    _write(tmp_path / "docs" / "a.txt", "Alpha text.")
    m = _write(
        tmp_path / "m.jsonl",
        "\n".join([
            json.dumps({"id": "keep-me", "path": "docs/a.txt", "published": "2020-01-02", "url": "u"}),
            "{oops",
            json.dumps({"id": "nothing"}),
            json.dumps({"id": "inline", "text": "Inline text with 3 tankers."}),
            json.dumps({"id": "gone", "path": "docs/missing.txt"}),
        ]),
    )
    items = list(iter_articles([m]))
    assert [(type(i).__name__, i.article_id if isinstance(i, Skip) else i.id) for i in items] == [
        ("Article", "keep-me"), ("Skip", None), ("Skip", None), ("Article", "inline"), ("Skip", "gone"),
    ]
    assert items[1].source == f"{m}:2" and "not JSON" in items[1].reason
    assert "neither" in items[2].reason
    assert isinstance(items[0], Article) and items[0].published == "2020-01-02"


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("Title\nBody", "Title", "Body"),
        ("Title\r\nBody", "title", "Body"),
        ("\ufeffBody only", None, "Body only"),
        ("Other first line\nBody", "Title", "Other first line\nBody"),
    ],
)
def test_inputs_normalise_text(text: str, title: str | None, expected: str) -> None:
    assert normalise_text(text, title) == expected


def test_inputs_gzipped_pages_are_read_with_their_stem_as_id(tmp_path: Path) -> None:
    import gzip

    _write(tmp_path / "p.html.gz", gzip.compress(b"<html><head><title>T</title></head><body><article><p>"
                                                 + b"Exports of the company rose 8 percent to 120 tons. " * 8
                                                 + b"</p></article></body></html>"))
    _write(tmp_path / "n.txt.gz", gzip.compress(b"Imports fell 3 percent."))
    items = {i.id: i for i in iter_articles([tmp_path])}
    assert set(items) == {"n", "p"}
    assert all(isinstance(i, Article) for i in items.values())
    assert "Exports of the company rose 8 percent" in items["p"].text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bomb.txt.gz", None, "more than"),
        ("corrupt.html.gz", b"\x1f\x8b\x08\x00garbage", "gzip"),
    ],
)
def test_inputs_bad_gzip_is_skipped_with_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes | None, reason: str
) -> None:
    import gzip

    import pipeline.inputs as inputs

    monkeypatch.setattr(inputs, "MAX_DECOMPRESSED_BYTES", 1000)
    f = _write(tmp_path / name, data if data is not None else gzip.compress(b"a" * 100_000))
    (s,) = list(iter_articles([f]))
    assert isinstance(s, Skip)
    assert reason in s.reason and str(f) in s.source
