"""`make bench`: throughput and peak memory of `newsclaims extract` against bare `nlp.pipe` of the same spaCy
pipeline, on the same texts, with the same batch_size and n_process, in one run; then the engines side by side:
serial, `--n-process 2`, Dask with 1 and 2 workers (wall time including the cluster's start-up and the load
into SQLite), each with its throughput, peak RSS summed over every process of the run (workers included,
sampled with psutil) and its ratio to serial, and the load's share of the Dask wall time.

Each measurement runs in its own subprocess so that its peak RSS is its own. Ratios are what to compare;
absolute times on shared machines are noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("../shared/corpus/tehrantimes-econ")  # the Makefile passes --corpus $(SHARED)/corpus/...


def write_manifest(corpus: Path, out: Path, limit: int | None) -> int:
    rows = list(csv.DictReader((corpus / "index.csv").open(encoding="utf-8")))[:limit]
    with out.open("w") as fh:
        for r in rows:
            fh.write(json.dumps({"id": f"tehrantimes-{r['news_id']}", "path": str(corpus / r["path_in_repo"]),
                                 "url": r["reconstructed_url"], "published": r["approx_pub_date"] or None,
                                 "source": "tehrantimes.com"}) + "\n")
    return len(rows)


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def worker(mode: str, manifest: Path, batch_size: int, n_process: int) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    from pipeline.inputs import InputLimits
    from pipeline.models import Article
    from pipeline.read import iter_articles
    from pipeline.settings import Settings

    # the manifest (in a temporary folder) lists the corpus under ../shared by absolute path
    settings = Settings(batch_size=batch_size, n_process=n_process, allow_outside=True)
    if mode == "bare":
        from pipeline.extract import load_base

        nlp, _ = load_base(settings)
        t0 = time.perf_counter()
        n = words = 0
        texts = (a.text for a in iter_articles([manifest], limits=InputLimits.from_settings(settings))
                 if isinstance(a, Article))
        for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            n += 1
            words += len(doc.text.split())
        secs = time.perf_counter() - t0
    elif mode == "dask":
        from pipeline.engines.dask_engine import run_dask
        from pipeline.run import run_load

        with tempfile.TemporaryDirectory() as tmp:
            s = Settings(batch_size=batch_size, db_path=Path(tmp) / "bench.db", allow_outside=True)
            t0 = time.perf_counter()
            rep = run_dask([manifest], s, Path(tmp) / "shards", workers=n_process)
            t1 = time.perf_counter()
            loaded = run_load(rep.shards, s)
            secs = time.perf_counter() - t0
            if rep.errors:
                raise RuntimeError(f"dask batches failed: {rep.errors[:3]}")
            n, words = loaded.processed, loaded.words
            extra = {"start_seconds": rep.start_seconds, "extract_seconds": t1 - t0,
                     "load_seconds": secs - (t1 - t0), "warnings": [w for w in rep.warnings if "MALLOC" in w]}
    else:
        from pipeline.extract import build_nlp
        from pipeline.run import run_extract

        build_nlp(settings)  # warm-up parity with `bare`, which loads its model before the clock starts
        with tempfile.TemporaryDirectory() as tmp:
            s = Settings(batch_size=batch_size, n_process=n_process, db_path=Path(tmp) / "bench.db",
                         allow_outside=True)
            t0 = time.perf_counter()
            report = run_extract([manifest], s, force=True, command="bench")
            secs = time.perf_counter() - t0
            n, words = report.processed, report.words
    return {"mode": mode, "n_process": n_process, "batch_size": batch_size, "articles": n, "words": words,
            "seconds": secs, "articles_per_s": n / secs, "words_per_s": words / secs,
            "peak_rss_mb": _peak_rss_mb(), **extra}


class TreeRss:
    """Samples the RSS summed over a process and all its descendants (psutil), keeping the peak."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 1e6


def measure(mode: str, manifest: Path, batch_size: int, n_process: int) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "eval.bench", "--worker", mode, "--manifest", str(manifest),
         "--batch-size", str(batch_size), "--n-process", str(n_process)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    sampler = TreeRss(proc.pid)
    stdout, stderr = proc.communicate()
    tree_mb = sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"bench worker {mode} (n_process={n_process}) failed:\n{stderr[-3000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["tree_rss_mb"] = tree_mb
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(CORPUS), help="the corpus folder (with index.csv)")
    ap.add_argument("--limit", type=int, help="first N articles only")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--worker", choices=["bare", "extract", "dask"], help=argparse.SUPPRESS)
    ap.add_argument("--manifest", help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-parallel", action="store_true", help="skip the n_process=2 rows")
    ap.add_argument("--skip-dask", action="store_true", help="skip the Dask rows")
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.manifest), args.batch_size, args.n_process)))
        return 0
    corpus = Path(args.corpus).resolve()  # the manifests list the articles by absolute path
    if not (corpus / "index.csv").exists():
        print(f"error: {corpus}/index.csv not found; give --corpus PATH", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "all.jsonl"
        n = write_manifest(corpus, full, args.limit)
        quarter = Path(tmp) / "quarter.jsonl"
        write_manifest(corpus, quarter, max(1, n // 4))
        procs = [args.n_process] + ([] if args.skip_parallel or args.n_process == 2 else [2])
        for npr in procs:
            for mode in ("bare", "extract"):
                rows.append(measure(mode, full, args.batch_size, npr))
        # both modes at a quarter of the corpus too: spaCy's own vocabulary/string store grows with the texts
        # it sees, so our growth is extract's growth minus bare's
        small = measure("extract", quarter, args.batch_size, args.n_process)
        small_bare = measure("bare", quarter, args.batch_size, args.n_process)
        dask_rows = [] if args.skip_dask else [measure("dask", full, args.batch_size, w) for w in (1, 2)]
    pairs: dict[int, dict[str, dict[str, Any]]] = {}
    for r in rows:
        pairs.setdefault(r["n_process"], {})[r["mode"]] = r
    summary: dict[str, Any] = {
        "rows": rows,
        "ratio_extract_over_bare": {str(k): v["extract"]["words_per_s"] / v["bare"]["words_per_s"]
                                    for k, v in pairs.items()},
        "memory": {"articles_quarter": small["articles"], "peak_rss_mb_quarter": small["peak_rss_mb"],
                   "articles_full": pairs[args.n_process]["extract"]["articles"],
                   "peak_rss_mb_full": pairs[args.n_process]["extract"]["peak_rss_mb"],
                   "bare_peak_rss_mb_quarter": small_bare["peak_rss_mb"],
                   "bare_peak_rss_mb_full": pairs[args.n_process]["bare"]["peak_rss_mb"]},
    }
    serial = pairs[1]["extract"] if 1 in pairs else rows[1]
    engines = [("serial", serial)]
    if 2 in pairs and "extract" in pairs[2]:
        engines.append(("--n-process 2", pairs[2]["extract"]))
    engines += [(f"dask {r['n_process']} worker{'s' if r['n_process'] > 1 else ''}", r) for r in dask_rows]
    summary["engines"] = [
        {"row": name, "articles": r["articles"], "seconds": r["seconds"], "articles_per_s": r["articles_per_s"],
         "ratio_to_serial": r["articles_per_s"] / serial["articles_per_s"], "peak_rss_sum_mb": r["tree_rss_mb"],
         "load_share": (r["load_seconds"] / r["seconds"]) if "load_seconds" in r else None,
         "start_seconds": r.get("start_seconds")}
        for name, r in engines]
    m = summary["memory"]
    m["growth_mb_extract"] = m["peak_rss_mb_full"] - m["peak_rss_mb_quarter"]
    m["growth_mb_bare"] = m["bare_peak_rss_mb_full"] - m["bare_peak_rss_mb_quarter"]
    m["growth_mb_ours"] = m["growth_mb_extract"] - m["growth_mb_bare"]
    if args.json:
        print(json.dumps(summary, indent=1))
        return 0
    print(f"{'mode':<8} {'n_proc':>6} {'articles':>8} {'words':>8} {'secs':>7} {'art/s':>7} {'words/s':>8} "
          f"{'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['mode']:<8} {r['n_process']:>6} {r['articles']:>8} {r['words']:>8} {r['seconds']:7.1f} "
              f"{r['articles_per_s']:7.1f} {r['words_per_s']:8.0f} {r['peak_rss_mb']:11.0f}")
    for k, v in summary["ratio_extract_over_bare"].items():
        print(f"extract / bare nlp.pipe throughput (n_process={k}): {v:.2f}x  (rules+normalisation+writes "
              f"cost {max(0.0, 1 - v) * 100:.0f}%)")
    print(f"peak RSS extract: {m['peak_rss_mb_quarter']:.0f} MB at {m['articles_quarter']} articles, "
          f"{m['peak_rss_mb_full']:.0f} MB at {m['articles_full']} articles (+{m['growth_mb_extract']:.0f} MB)")
    print(f"peak RSS bare:    {m['bare_peak_rss_mb_quarter']:.0f} MB at {m['articles_quarter']} articles, "
          f"{m['bare_peak_rss_mb_full']:.0f} MB at {m['articles_full']} articles (+{m['growth_mb_bare']:.0f} MB)")
    print(f"growth beyond spaCy's own (n_process={args.n_process}): {m['growth_mb_ours']:+.0f} MB")
    print()
    print("engines: wall time including start-up and the load into SQLite; peak RSS summed over all processes")
    print(f"{'row':<16} {'articles':>8} {'secs':>7} {'art/s':>7} {'x serial':>8} {'peak RSS MB':>11} {'start s':>7} "
          f"{'load share':>10}")
    for e in summary["engines"]:
        share = "" if e["load_share"] is None else f"{e['load_share'] * 100:.0f}%"
        start = "" if e["start_seconds"] is None else f"{e['start_seconds']:.1f}"
        print(f"{e['row']:<16} {e['articles']:>8} {e['seconds']:7.1f} {e['articles_per_s']:7.1f} "
              f"{e['ratio_to_serial']:7.2f}x {e['peak_rss_sum_mb']:11.0f} {start:>7} {share:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
