"""Evaluate the quantity layer on NewsQuant (CQE's benchmark): value, value+unit and value+change P/R/F1.

The matching follows the published protocol as implemented by the project's reference scorer
(``shared/tools/newsquant.py``): per sentence, each gold quantity takes the first unused prediction whose
value agrees (within 0.5 %, or inside a gold range); the unit agrees when the NewsQuant normalised unit of
the prediction equals the gold one or shares a singularised word with the gold unit or normalised unit;
the change agrees when the prediction's direction (else its approximation, ">=" read as ">" and "<=" as
"<") equals the gold ``change``.

usage: python -m pipeline.eval_newsquant [--json] [--pred-out FILE] [GOLD]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from extractors.quantities import quantities_json

DEFAULT_GOLD = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/corpus/newsquant/formatted_test_set/NewsQuant.json"
)

#: our units (ISO codes, "%") in NewsQuant's normalised vocabulary
NEWSQUANT_UNIT = {
    "USD": "dollar",
    "$": "dollar",
    "EUR": "euro",
    "€": "euro",
    "GBP": "pound sterling",
    "£": "pound sterling",
    "JPY": "japanese yen",
    "CNY": "chinese yuan",
    "AUD": "australian dollar",
    "CAD": "canadian dollar",
    "INR": "indian rupee",
    "ILS": "shekel",
    "MYR": "malaysian ringgit",
    "IRR": "iranian rial",
    "%": "percentage",
    "percent": "percentage",
    "per cent": "percentage",
}
METRICS = ("value", "value+unit", "value+change")


def _words(s: str | None) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", (s or "").lower()) if t]


def _singular(t: str) -> str:
    if t.endswith("ies") and len(t) > 4:
        return t[:-3] + "y"
    if t.endswith("s") and not t.endswith("ss") and len(t) > 3:
        return t[:-1]
    return t


def _gold_bounds(v: Any) -> tuple[float | None, float | None]:
    s = str(v)
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*-\s*(-?[\d.]+)\s*", s)
    if m:
        return float(m.group(1)), float(m.group(2))
    try:
        f = float(s)
    except ValueError:
        return None, None
    return f, f


def _near(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or abs(a - b) <= 0.005 * max(abs(a), abs(b))


def value_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    lo, hi = _gold_bounds(gold["value"])
    try:
        pv = float(str(pred.get("value")).replace(",", ""))
    except (TypeError, ValueError):
        return False
    if _near(lo, pv):
        return True
    return lo is not None and hi is not None and lo != hi and lo <= pv <= hi


def unit_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    pu = (pred.get("unit") or "").strip()
    pn = NEWSQUANT_UNIT.get(pu, NEWSQUANT_UNIT.get(pu.upper(), pu.lower()))
    gn = (gold.get("normalized_unit") or "").lower()
    gu = (gold.get("unit") or "").lower()
    if gn in ("-", "") and not pu:
        return True
    if pn == gn:
        return True
    pw = {_singular(t) for t in _words(pn)}
    gw = {_singular(t) for t in _words(gn)} | {_singular(t) for t in _words(gu)}
    return bool(pw & gw)


def change_of(pred: dict[str, Any]) -> str:
    d = (pred.get("direction") or "").lower()
    if d in ("up", "down"):
        return d
    a = pred.get("approx") or "="
    return {">=": ">", "<=": "<"}.get(a, a)


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(gold: list[dict[str, Any]], preds: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """P/R/F1 of ``preds`` (one list per gold sentence, in order) against NewsQuant ``gold``."""
    if len(gold) != len(preds):
        raise ValueError(f"{len(preds)} prediction lists for {len(gold)} gold sentences")
    tp = dict.fromkeys(METRICS, 0)
    ngold = npred = 0
    for sent, plist in zip(gold, preds, strict=True):
        gq = sent["quantities"]
        ngold += len(gq)
        npred += len(plist)
        used: set[int] = set()
        for g in gq:
            hit = next((i for i, p in enumerate(plist) if i not in used and value_matches(g, p)), None)
            if hit is None:
                continue
            used.add(hit)
            p = plist[hit]
            tp["value"] += 1
            tp["value+unit"] += unit_matches(g, p)
            tp["value+change"] += (g.get("change") or "=") == change_of(p)
    out: dict[str, Any] = {"sentences": len(gold), "gold": ngold, "predicted": npred}
    for k in METRICS:
        out[k] = _prf(tp[k], npred, ngold)
    return out


def predict(gold: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [quantities_json(s["text"]) for s in gold]


def evaluate(gold_path: Path, pred_out: Path | None = None) -> dict[str, Any]:
    """Run the quantity layer over every NewsQuant sentence and score it; optionally write the predictions."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    preds = predict(gold)
    if pred_out is not None:
        with open(pred_out, "w", encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    return score(gold, preds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Score the quantity layer on NewsQuant. Example: python -m pipeline.eval_newsquant --json"
    )
    ap.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD.resolve())
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--pred-out", type=Path, help="also write the predictions, one JSON list per line")
    args = ap.parse_args(argv)
    res = evaluate(args.gold, args.pred_out)
    if args.json:
        sys.stdout.write(json.dumps(res, indent=2, sort_keys=True) + "\n")
    else:
        head = f"NewsQuant: {res['sentences']} sentences, {res['gold']} gold, {res['predicted']} predicted\n"
        sys.stdout.write(head)
        for k in METRICS:
            m = res[k]
            sys.stdout.write(f"  {k:<13} P={m['p']:.3f} R={m['r']:.3f} F1={m['f1']:.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
