"""Evaluate date extraction and claim time attribution against the hand-labelled gold files.

usage: python -m pipeline.eval_dates [--gold DIR] [--corpus DIR] [--verbose] [--rule-splitter]

Dates are scored like shared/tools/score.py: a predicted entry matches a gold one when (start, end) are
both equal and their texts share a token; precision, recall and F1 over all articles. Claim time: each gold
claim's ``text`` is located in the article (in order), ``claim_time`` is computed for it with the found
dates, and (start, end) is compared with the gold ``time``. Sentences come from the same spaCy pipeline as the
real extraction path (model + ``newsclaims_paragraphs``), so the figures match ``pipeline.evaluate``;
``--rule-splitter`` uses the rule-based splitter of :mod:`extractors.sentences` instead (no model needed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractors.dates import find_dates
from extractors.sentences import sentence_of, split_sentences
from extractors.time_attribution import attribute_time

DEFAULT_GOLD = Path("/work/shared/gold/dev")
DEFAULT_CORPUS = Path("/work/shared/corpus")


def _toks(s: str | None) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", (s or "").lower()) if t}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    time_ok: int = 0
    time_n: int = 0
    located: int = 0

    @property
    def dates_prf(self) -> tuple[float, float, float]:
        return _prf(self.tp, self.fp, self.fn)

    @property
    def time_accuracy(self) -> float:
        return self.time_ok / self.time_n if self.time_n else 0.0


Splitter = Callable[[str], list[tuple[int, int]]]


def spacy_splitter() -> Splitter:
    """Sentence spans as the real path makes them: the configured spaCy model + the paragraph component."""
    import extractors.components  # noqa: F401  (registers newsclaims_paragraphs)
    from pipeline.extract import load_base
    from pipeline.settings import Settings

    nlp, _warning = load_base(Settings())
    keep = {"tok2vec", "parser", "sentencizer", "senter"}
    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in keep])
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsclaims_paragraphs", before="parser")
    else:
        nlp.add_pipe("newsclaims_paragraphs")

    def split(text: str) -> list[tuple[int, int]]:
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    return split


def evaluate(gold_dir: Path, corpus: Path, log: list[str] | None = None,
             splitter: Splitter | None = None) -> Report:
    rep = Report()
    split = splitter or split_sentences
    for f in sorted(gold_dir.glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        art = g["article"]
        aid = art["id"]
        text = (corpus / art["path"]).read_text(encoding="utf-8")
        pub = dt.date.fromisoformat(art["published"][:10]) if art.get("published") else None
        found = find_dates(text, pub)
        pred = [{"text": d.text, "start": d.date_start, "end": d.date_end} for d in found]
        used: set[int] = set()
        for gd in g.get("dates") or []:
            key = (gd.get("start") or None, gd.get("end") or None)
            hit = next((i for i, p in enumerate(pred) if i not in used and (p["start"], p["end"]) == key
                        and _toks(gd.get("text")) & _toks(p["text"])), None)
            if hit is None:
                rep.fn += 1
                if log is not None:
                    log.append(f"{aid} missed date: {gd.get('text')!r} {key}")
                continue
            used.add(hit)
            rep.tp += 1
        for i, p in enumerate(pred):
            if i not in used:
                rep.fp += 1
                if log is not None:
                    log.append(f"{aid} spurious date: {p['text']!r} ({p['start']}, {p['end']})")
        sents = split(text)
        pos = 0
        for c in g.get("claims") or []:
            ct = c.get("text") or ""
            i = text.find(ct, pos)
            if i < 0:
                i = text.find(ct)
            rep.time_n += 1
            if i < 0:
                if log is not None:
                    log.append(f"{aid} claim not located: {ct!r}")
                continue
            rep.located += 1
            pos = i + len(ct)
            span = (i, i + len(ct))
            t = attribute_time(text, sentence_of(sents, i), span, found, pub, sentences=sents)
            gt = c.get("time") or {}
            gkey = (gt.get("start") or None, gt.get("end") or None)
            if gkey == t.bounds:
                rep.time_ok += 1
            elif log is not None:
                log.append(f"{aid} time {ct!r}: gold={gkey} pred={t.bounds} rule={t.rule_id}")
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--rule-splitter", action="store_true", help="rule-based sentences instead of spaCy's")
    args = ap.parse_args(argv)
    log: list[str] | None = [] if args.verbose else None
    rep = evaluate(args.gold, args.corpus, log, None if args.rule_splitter else spacy_splitter())
    for line in log or []:
        print(line)
    p, r, f = rep.dates_prf
    print(f"dates  P={p:.3f} R={r:.3f} F1={f:.3f}  tp/fp/fn={rep.tp}/{rep.fp}/{rep.fn}")
    print(f"time   accuracy={rep.time_accuracy:.3f}  {rep.time_ok}/{rep.time_n} (located {rep.located})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
