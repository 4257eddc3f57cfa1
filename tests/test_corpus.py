"""Integrity of the sample corpus: sidecars are complete; README's intended claims occur in their article."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SIDECAR_KEYS = {"url", "title", "published", "source"}
ROW = re.compile(
    r"^\| (count|money|percent|quantity) \| (.+?) \| ([0-9.]+)(?: \(max ([0-9.]+)\))? \| (.+?) \|"
)


def _readme_sections() -> dict[str, list[tuple[str, str, Decimal, str]]]:
    sections: dict[str, list[tuple[str, str, Decimal, str]]] = {}
    current = None
    for line in (CORPUS / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            current = line[4:].split(" (")[0]
            sections[current] = []
        elif current and (m := ROW.match(line)):
            sections[current].append((m.group(1), m.group(2), Decimal(m.group(3)), m.group(5)))
    return sections


def _plain(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("sidecar", sorted(CORPUS.glob("*/*.json")), ids=lambda p: p.name)
def test_corpus_sidecar_has_metadata_and_text(sidecar: Path) -> None:
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    assert SIDECAR_KEYS <= meta.keys()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["published"])
    assert sidecar.with_suffix(".txt").is_file()


def test_corpus_readme_lists_every_new_article() -> None:
    sections = _readme_sections()
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*") if p.suffix in {".txt", ".html"}}
    assert files - {"seed/isipo-idle-units.txt"} == {k for k, v in sections.items() if v}


@pytest.mark.parametrize(
    ("name", "claim"),
    [(name, claim) for name, rows in _readme_sections().items() for claim in rows],
    ids=lambda x: x if isinstance(x, str) else x[1],
)
def test_corpus_readme_claim_occurs_in_article(name: str, claim: tuple[str, str, Decimal, str]) -> None:
    kind, text, value, unit = claim
    quoted = re.sub(r" \(.*\)$", "", text)  # "$1.7 billion (imports)" -> "$1.7 billion"
    assert quoted in _plain(CORPUS / name)
    assert value > 0
    if kind == "money":
        assert re.fullmatch(r"[A-Z]{3}", unit)
    if kind == "percent":
        assert unit == "%"
