"""`make eval`: score extraction against the dev gold files and NewsQuant, and gate on committed floors.

(a) Gold: a manifest is built from the gold files' own `article` blocks (path under ../shared/corpus and
    published), extracted into a fresh database, exported, and scored by the reference scorer
    ../shared/tools/score.py, so the figures are the reference's by construction.
(b) NewsQuant: every sentence goes through the quantity layer with NewsQuant's conventions (as
    `newsclaims quantities --style newsquant` does) and the predictions are scored by
    ../shared/tools/newsquant.py, likewise.

Floors live in eval/floors.json; the gate fails when a figure drops below its floor. Floors only go up.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = Path("../shared")  # the Makefile passes --shared $(SHARED)
FLOORS = HERE / "floors.json"
HOLDOUT = HERE / "holdout.txt"
# Gold sets scored by `make eval`: name -> (folder under gold/, part). "tuned" files are the ones rules may be
# tuned on; "holdout" files (eval/holdout.txt) are kept aside for an honest estimate.
GOLD_SETS: dict[str, tuple[str, str]] = {
    "dev": ("dev", "all"),
    "dev2": ("dev2", "tuned"),
    "dev2-holdout": ("dev2", "holdout"),
    "web": ("dev-web", "tuned"),
    "web-holdout": ("dev-web", "holdout"),
}


def holdout_names(path: Path = HOLDOUT) -> set[str]:
    """``folder/file.json`` names listed in eval/holdout.txt (comments and blank lines ignored)."""
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")}


def gold_files(gold_root: Path, folder: str, part: str, holdout: set[str] | None = None) -> list[Path]:
    held = holdout_names() if holdout is None else holdout
    files = sorted((gold_root / folder).glob("*.json"))
    if part == "all":
        return files
    keep_held = part == "holdout"
    return [f for f in files if (f"{folder}/{f.name}" in held) == keep_held]


def gold_manifest(files: list[Path], corpus_dir: Path, out: Path) -> int:
    lines = []
    for f in files:
        a = json.loads(f.read_text())["article"]
        lines.append(json.dumps({"id": a["id"], "path": str(corpus_dir / a["path"]), "url": a.get("url"),
                                 "published": a.get("published"),
                                 "published_precision": a.get("published_precision")}))
    out.write_text("\n".join(lines) + "\n")
    return len(lines)


def run_gold(shared: Path, work: Path, files: list[Path], name: str = "gold",
             verbose: bool = False) -> dict[str, Any]:
    """Extract ``files``' articles end to end (text or gzipped HTML), export, and score with score.py."""
    from pipeline.query.export import iter_records
    from pipeline.run import run_extract
    from pipeline.settings import Settings
    from pipeline.store import Store

    gold_dir = work / f"{name}-gold"
    gold_dir.mkdir()
    for f in files:  # score.py takes a folder: link this part's files into one
        (gold_dir / f.name).symlink_to(f.resolve())
    manifest = work / f"{name}-manifest.jsonl"
    gold_manifest(files, shared / "corpus", manifest)
    db = work / f"{name}.db"
    # the manifest lists articles under ../shared by absolute path: outside its own folder, on purpose
    report = run_extract([manifest], Settings(db_path=db, allow_outside=True), force=True, command="eval")
    if report.skipped:
        raise RuntimeError(f"gold articles skipped: {report.skipped}")
    pred = work / f"{name}-pred.jsonl"
    store = Store(db, readonly=True)
    with pred.open("w") as fh:
        for rec in iter_records(store):
            fh.write(json.dumps(rec) + "\n")
    store.close()
    out_json = work / f"{name}-score.json"
    cmd = [sys.executable, str(shared / "tools" / "score.py"), str(pred), str(gold_dir),
           "--json", str(out_json)] + (["--verbose"] if verbose else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if not out_json.exists():
        raise RuntimeError(f"score.py failed: {proc.stderr or proc.stdout}")
    result: dict[str, Any] = json.loads(out_json.read_text())
    result["_log"] = proc.stdout
    result["_files"] = len(files)
    return result


def run_newsquant(shared: Path, work: Path) -> dict[str, Any]:
    from pipeline.cli.quantities import quantities_rows

    gold = shared / "corpus" / "newsquant" / "formatted_test_set" / "NewsQuant.json"
    sentences = json.loads(gold.read_text())
    pred = work / "newsquant-pred.jsonl"
    with pred.open("w") as fh:
        for s in sentences:
            fh.write(json.dumps(quantities_rows(s["text"], style="newsquant")) + "\n")
    proc = subprocess.run(
        [sys.executable, str(shared / "tools" / "newsquant.py"), str(gold), str(pred)],
        capture_output=True, text=True, check=False,
    )
    found = dict(re.findall(r"(value(?:\+unit|\+change)?) F1=([0-9.]+)", proc.stdout.splitlines()[-1]))
    if len(found) != 3:
        raise RuntimeError(f"newsquant.py failed: {proc.stdout}{proc.stderr}")
    out: dict[str, Any] = {"_log": proc.stdout, **{k: float(v) for k, v in found.items()}}
    return out


def flatten(gold: dict[str, Any] | None, nq: dict[str, Any] | None, prefix: str = "") -> dict[str, float]:
    figs: dict[str, float] = {}
    if gold:
        for t, v in gold["claims"].items():
            figs[f"{prefix}claims.{t}.f1"] = v["f1"]
        for k, v in gold["attributes"].items():
            figs[f"{prefix}attr.{k}"] = v
        for k, v in gold["officials"].items():
            figs[f"{prefix}officials.{k}"] = v
        for k, v in gold["dates"].items():
            figs[f"{prefix}dates.{k}"] = v
    if nq:
        for k in ("value", "value+unit", "value+change"):
            figs[f"newsquant.{k}.f1"] = nq[k]
    return figs


def counts(gold: dict[str, Any]) -> str:
    """'N files, C gold claims, ...' for a report line (small sets give noisy figures)."""
    c = gold.get("claims", {}).get("all", {})
    n_claims = c.get("tp", 0) + c.get("fn", 0)
    return f"{gold.get('_files', '?')} files, {n_claims} gold claims, {c.get('tp', 0)} matched"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.evaluate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(SHARED),
                    help="the shared folder (default ../shared; make passes $(SHARED))")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--gate", action="store_true", help="exit 1 when a figure is below eval/floors.json")
    ap.add_argument("--only", action="append", choices=[*GOLD_SETS, "newsquant"],
                    help="run this part only (repeatable); default: every gold set and NewsQuant")
    ap.add_argument("--verbose", action="store_true", help="list misses and attribute errors")
    ap.add_argument("--keep", help="keep the work folder (databases, exports, scores) here")
    ap.add_argument("--gold", action="append", default=[], metavar="DIR",
                    help="also score the gold files (*.json, the shared gold format; article paths under "
                         "SHARED/corpus) in DIR, as a set named after DIR (repeatable); not gated")
    args = ap.parse_args(argv)
    shared = Path(args.shared).resolve()  # manifests list the articles by absolute path
    if not (shared / "gold" / "dev").is_dir():
        print(f"error: {shared}/gold/dev not found; give --shared PATH", file=sys.stderr)
        return 2
    # with --gold only, just those folders; --only adds named parts
    parts = args.only or ([] if args.gold else [*GOLD_SETS, "newsquant"])
    figs: dict[str, float] = {}
    logs: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name, (folder, part) in GOLD_SETS.items():
            if name not in parts:
                continue
            files = gold_files(shared / "gold", folder, part)
            if not files:
                continue
            gold = run_gold(shared, work, files, name, args.verbose)
            figs.update(flatten(gold, None, f"{name}."))
            logs.append(f"== {name} ({counts(gold)})\n{gold['_log'] if args.verbose else ''}")
        for extra in args.gold:
            extra_dir = Path(extra)
            files = sorted(extra_dir.glob("*.json"))
            if not files:
                print(f"error: no gold files (*.json) in {extra_dir}", file=sys.stderr)
                return 2
            gold = run_gold(shared, work, files, extra_dir.name, args.verbose)
            figs.update(flatten(gold, None, f"{extra_dir.name}."))
            logs.append(f"== {extra_dir.name} ({counts(gold)})\n{gold['_log'] if args.verbose else ''}")
        if "newsquant" in parts:
            figs.update(flatten(None, run_newsquant(shared, work)))
    floors = {k: v for k, v in (json.loads(FLOORS.read_text()) if FLOORS.exists() else {}).items()
              if not k.startswith("_")}
    below = {k: (figs[k], v) for k, v in floors.items() if k in figs and figs[k] < v}
    if args.json:
        print(json.dumps({"figures": figs, "floors": floors, "below_floor": below}, indent=1, sort_keys=True))
    else:
        for line in logs:
            print(line.rstrip())
        print(f"{'figure':<34} {'value':>7} {'floor':>7}")
        for k in sorted(figs):
            mark = "  BELOW FLOOR" if k in below else ""
            fl = f"{floors[k]:7.3f}" if k in floors else "      -"
            print(f"{k:<34} {figs[k]:7.3f} {fl}{mark}")
    if args.gate and below:
        print(f"eval gate: {len(below)} figure(s) below floor: {', '.join(sorted(below))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
