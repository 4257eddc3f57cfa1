"""eval-web: the parse stage against public ground truth, with trafilatura alone as the same-run baseline.

Corpora (under ``../shared/corpus/web`` by default; read at run time, never copied):

- ``scrapinghub-aeb``: body text; per page, 4-word-shingle tp/fp/fn (case kept) normalised to sum 1;
  precision averaged over pages with a prediction, recall over pages with a gold body, F1 of the two
  averages: the benchmark's own ``evaluate.py``.
- ``htmldate-dates``: publication date, day accuracy over the pages that have a gold date.
- ``fundus-en`` and ``newspaper4k``: title, date (day) and authors (as a set, case-insensitive), exact match.
- ``trafilatura-eval``: share of "with" snippets found and "without" snippets absent in the body text.

``python -m eval.eval_web [--corpus DIR] [--json] [--floors eval/floors-web.json] [--limit N]``
exits 1 when a newsclaims figure is below its committed floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.parse.fields import clean_space
from pipeline.parse.page import ParseError, parse_html


@dataclass(frozen=True)
class Extracted:
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    text: str = ""


@dataclass
class Case:
    corpus: str
    name: str
    html: bytes
    url: str | None
    gold: dict[str, Any] = field(default_factory=dict)


def newsclaims_system(html: bytes, url: str | None) -> Extracted:
    try:
        p = parse_html(html, url=url)
    except ParseError:
        return Extracted()
    return Extracted(p.title, p.published, p.authors, p.text)


def trafilatura_system(html: bytes, url: str | None) -> Extracted:
    doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return Extracted()
    if isinstance(doc, dict):
        doc = argparse.Namespace(**doc)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Extracted(doc.title, doc.date, authors, doc.text or "")


SYSTEMS: dict[str, Callable[[bytes, str | None], Extracted]] = {
    "newsclaims": newsclaims_system,
    "trafilatura": trafilatura_system,
}


# ---------------------------------------------------------------- corpora


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def aeb_cases(root: Path) -> Iterator[Case]:
    base = root / "scrapinghub-aeb"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        yield Case("scrapinghub-aeb", key, _read(base / "html" / f"{key}.html.gz"), truth[key].get("url"),
                   {"text": truth[key].get("articleBody") or ""})


def htmldate_cases(root: Path) -> Iterator[Case]:
    base = root / "htmldate-dates"
    gold = json.loads((base / "selected_gold_dates.json").read_text(encoding="utf-8"))
    for group, folder in (("mediacloud", "test_set"), ("default", "eval")):
        for url, item in sorted(gold.get(group, {}).items()):
            date = item.get("date")
            if not isinstance(date, str):  # NaN: no clear date, not scored (as in htmldate's evaluation)
                continue
            path = base / folder / item["file"]
            if path.exists():
                yield Case("htmldate-dates", item["file"], path.read_bytes(), url, {"date": date})


def fundus_cases(root: Path) -> Iterator[Case]:
    base = root / "fundus-en"
    pairs = json.loads((base / "pairs_version_to_html.json").read_text(encoding="utf-8"))["paired_by_order"]
    metas: dict[str, dict[str, Any]] = {}
    for info in base.glob("test_data/*/meta.info"):
        for fname, m in json.loads(info.read_text(encoding="utf-8")).items():
            metas[f"{info.parent.name}/{fname}"] = m
    for publisher, versions in sorted(pairs.items()):
        truth = json.loads((base / "test_data" / f"{publisher}.json").read_text(encoding="utf-8"))
        for version, html_file in sorted(versions.items()):
            g = truth.get(version)
            if g is None:
                continue
            url = metas.get(html_file, {}).get("url")
            yield Case("fundus-en", html_file, _read(base / "test_data" / html_file), url,
                       {"title": g.get("title"), "date": g.get("publishing_date"),
                        "authors": g.get("authors")})


def newspaper_cases(root: Path) -> Iterator[Case]:
    base = root / "newspaper4k"
    for meta_path in sorted((base / "metadata").glob("*.json")):
        g = json.loads(meta_path.read_text(encoding="utf-8"))
        html = base / "html" / f"{meta_path.stem}.html"
        if html.exists():
            yield Case("newspaper4k", meta_path.stem, html.read_bytes(), g.get("url"),
                       {"title": g.get("title"), "date": g.get("publish_date"), "authors": g.get("authors")})


def trafilatura_cases(root: Path) -> Iterator[Case]:
    base = root / "trafilatura-eval"
    sel = json.loads((base / "selected_evaldata.json").read_text(encoding="utf-8"))
    for url, item in sorted(sel.items()):
        path = base / item["file"]
        if path.exists():
            yield Case("trafilatura-eval", item["file"], path.read_bytes(), url,
                       {"with": item.get("with") or [], "without": item.get("without") or []})


# ---------------------------------------------------------------- scoring


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text or "")  # case kept, as in the benchmark's evaluate.py


def shingle_counts(pred: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-word shingles, normalised to sum to 1 per page (the benchmark's evaluate.py)."""

    def sh(t: str) -> Counter[tuple[str, ...]]:
        w = _tokens(t)
        return Counter(tuple(w[i : i + n]) for i in range(max(1, len(w) - n + 1)) if w[i : i + n])

    p, g = sh(pred), sh(gold)
    tp = float(sum((p & g).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision averaged over pages with a prediction, recall over pages with a gold body; F1 of the two."""

    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [prec(*c) for c in counts if c[0] + c[1] > 0]
    rs = [rec(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _parse_dt(value: str | None) -> dt.datetime | dt.date | None:
    if not value or not isinstance(value, str):
        return None
    v = value.strip().replace(" ", "T", 1)
    try:
        return dt.datetime.fromisoformat(v)
    except ValueError:
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None


def same_day(pred: str | None, gold: str | None) -> bool:
    """Same calendar day; when both carry an offset, the day is read in the gold's offset."""
    p, g = _parse_dt(pred), _parse_dt(gold)
    if p is None or g is None:
        return False
    if isinstance(p, dt.datetime) and isinstance(g, dt.datetime) and p.tzinfo and g.tzinfo:
        return p.astimezone(g.tzinfo).date() == g.date()
    pd = p.date() if isinstance(p, dt.datetime) else p
    gd = g.date() if isinstance(g, dt.datetime) else g
    return pd == gd


def norm_title(t: str | None) -> str:
    t = clean_space(t or "").casefold()
    return t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def norm_authors(a: Any) -> frozenset[str]:
    if isinstance(a, str):
        a = [a]
    return frozenset(clean_space(x).casefold() for x in (a or []) if isinstance(x, str) and clean_space(x))


def evaluate(root: Path, systems: list[str], limit: int | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {s: {} for s in systems}
    timing: dict[str, float] = {s: 0.0 for s in systems}
    details: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}

    def run(cases: Iterator[Case]) -> Iterator[tuple[Case, dict[str, Extracted]]]:
        for i, case in enumerate(cases):
            if limit is not None and i >= limit:
                return
            out = {}
            for s in systems:
                t0 = time.perf_counter()
                out[s] = SYSTEMS[s](case.html, case.url)
                timing[s] += time.perf_counter() - t0
            yield case, out

    # body text: scrapinghub-aeb
    pr: dict[str, list[tuple[float, float, float]]] = {s: [] for s in systems}
    for case, out in run(aeb_cases(root)):
        for s in systems:
            pr[s].append(shingle_counts(out[s].text, case.gold["text"]))
    for s in systems:
        if pr[s]:
            p, r, f1 = aeb_scores(pr[s])
            results[s]["aeb.precision"] = p
            results[s]["aeb.recall"] = r
            results[s]["aeb.f1"] = f1
            results[s]["aeb.pages"] = len(pr[s])
            results[s]["aeb.empty"] = sum(1 for c in pr[s] if c[0] + c[1] == 0)

    # dates: htmldate-dates
    hits: dict[str, list[bool]] = {s: [] for s in systems}
    for case, out in run(htmldate_cases(root)):
        for s in systems:
            ok = same_day(out[s].published, case.gold["date"])
            hits[s].append(ok)
            if not ok:
                details[s].append({"corpus": case.corpus, "page": case.name, "field": "date",
                                   "gold": case.gold["date"], "got": out[s].published})
    for s in systems:
        if hits[s]:
            results[s]["htmldate.date_day"] = sum(hits[s]) / len(hits[s])
            results[s]["htmldate.pages"] = len(hits[s])

    # metadata: fundus-en + newspaper4k
    meta: dict[str, dict[str, list[bool]]] = {s: {"title": [], "date": [], "authors": []} for s in systems}

    def chain() -> Iterator[Case]:
        yield from fundus_cases(root)
        yield from newspaper_cases(root)

    for case, out in run(chain()):
        for s in systems:
            checks = {
                "title": norm_title(out[s].title) == norm_title(case.gold["title"]),
                "date": (out[s].published is None) if case.gold["date"] is None
                else same_day(out[s].published, case.gold["date"]),
                "authors": norm_authors(out[s].authors) == norm_authors(case.gold["authors"]),
            }
            for k, ok in checks.items():
                meta[s][k].append(ok)
                if not ok:
                    details[s].append({"corpus": case.corpus, "page": case.name, "field": k,
                                       "gold": case.gold[k], "got": getattr(out[s], "published" if k == "date"
                                                                              else k)})
    for s in systems:
        for k, v in meta[s].items():
            if v:
                results[s][f"meta.{k}"] = sum(v) / len(v)
        results[s]["meta.pages"] = len(meta[s]["title"])

    # snippets: trafilatura-eval
    snip: dict[str, list[bool]] = {s: [] for s in systems}
    for case, out in run(trafilatura_cases(root)):
        for s in systems:
            text = clean_space(out[s].text)
            for w in case.gold["with"]:
                snip[s].append(clean_space(w) in text)
            for w in case.gold["without"]:
                snip[s].append(clean_space(w) not in text)
    for s in systems:
        if snip[s]:
            results[s]["snippets.satisfied"] = sum(snip[s]) / len(snip[s])
            results[s]["snippets.count"] = len(snip[s])
    for s in systems:
        results[s]["seconds"] = round(timing[s], 1)
    return {"results": results, "misses": details}


def check_floors(results: dict[str, Any], floors: dict[str, float]) -> list[str]:
    failures = []
    ours = results.get("newsclaims", {})
    for metric, floor in sorted(floors.items()):
        got = ours.get(metric)
        if got is None or (isinstance(got, float) and math.isnan(got)) or got + 1e-9 < floor:
            failures.append(f"{metric}: {got} < floor {floor}")
    return failures


METRICS = ("aeb.f1", "aeb.precision", "aeb.recall", "htmldate.date_day", "meta.title", "meta.date",
           "meta.authors", "snippets.satisfied")


def table(results: dict[str, Any], floors: dict[str, float]) -> str:
    systems = list(results)
    lines = [f"{'metric':<22}" + "".join(f"{s:>14}" for s in systems) + f"{'floor':>10}"]
    for m in METRICS:
        row = f"{m:<22}"
        for s in systems:
            v = results[s].get(m)
            row += f"{v:>14.3f}" if isinstance(v, float) else f"{'-':>14}"
        fl = floors.get(m)
        row += f"{fl:>10.3f}" if fl is not None else f"{'':>10}"
        lines.append(row)
    lines.append(f"{'seconds':<22}" + "".join(f"{results[s].get('seconds', 0):>14}" for s in systems))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m eval.eval_web", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus/web"))
    ap.add_argument("--floors", type=Path, default=Path("eval/floors-web.json"))
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--misses", action="store_true", help="with --json, include every miss")
    ap.add_argument("--limit", type=int, default=None, help="pages per corpus (smoke runs; gate not applied)")
    ap.add_argument("--systems", default="newsclaims,trafilatura")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"eval-web: corpus directory {args.corpus} not found; pass --corpus DIR", file=sys.stderr)
        return 2
    floors: dict[str, float] = {}
    if args.floors.exists():
        raw = json.loads(args.floors.read_text())
        floors = {k: float(v) for k, v in raw.items() if not k.startswith("_")}
    out = evaluate(args.corpus, args.systems.split(","), args.limit)
    failures = [] if args.limit is not None else check_floors(out["results"], floors)
    if args.json:
        payload = {"results": out["results"], "floors": floors, "failures": failures}
        if args.misses:
            payload["misses"] = out["misses"]
        print(json.dumps(payload, indent=2, sort_keys=True, default=str))
    else:
        print(table(out["results"], floors))
        for f in failures:
            print(f"BELOW FLOOR: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
