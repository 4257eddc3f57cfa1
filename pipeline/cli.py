"""The `newsclaims` command: thin over the library, and the only part (with cli_*.py) that prints."""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.settings import Settings

# Modules that add their own subcommands through register(subparsers).
COMMAND_MODULES: tuple[str, ...] = ("pipeline.cli_web", "pipeline.cli_query", "pipeline.cli_crossref")

EPILOG = """examples:
  newsclaims extract corpus/ --db claims.db
  newsclaims doctor --db claims.db --repair
  newsclaims extract ../shared/corpus/tehrantimes-econ/idle-series.jsonl --db idle.db
  newsclaims export --db claims.db --format jsonl > claims.jsonl
  newsclaims query --official "Ali Asqar Mosaheb" --format table
  newsclaims export --format claimreview --claim 1a2b3c4d5e6f7a8b > review.jsonld
  echo "Exports rose 8% to $1.2b." | newsclaims quantities
"""


def _settings(args: argparse.Namespace) -> Settings:
    over: dict[str, Any] = {}
    if getattr(args, "db", None):
        over["db_path"] = Path(args.db)
    if getattr(args, "model", None):
        over["spacy_model"] = args.model
    if getattr(args, "batch_size", None):
        over["batch_size"] = args.batch_size
    if getattr(args, "n_process", None):
        over["n_process"] = args.n_process
    if getattr(args, "allow_outside", False):
        over["allow_outside"] = True
    cfg = Path(args.config) if getattr(args, "config", None) else None
    return Settings.load(cfg, **over)


class SettingsError(Exception):
    pass


def _checked_settings(args: argparse.Namespace) -> Settings:
    try:
        return _settings(args)
    except (OSError, ValueError) as e:  # tomllib.TOMLDecodeError is a ValueError
        raise SettingsError(f"error: settings: {e}") from e


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.run import run_extract

    settings = _checked_settings(args)
    bar = None
    if not args.quiet and sys.stderr.isatty() or args.progress:
        from tqdm import tqdm

        bar = tqdm(unit="article", file=sys.stderr, disable=args.quiet)

    def tick(_aid: str) -> None:
        if bar is not None:
            bar.update(1)

    def skipped(s: object) -> None:
        msg = f"skipped {getattr(s, 'source', '')}: {getattr(s, 'reason', '')}"
        if bar is not None:
            bar.write(msg, file=sys.stderr)
        else:
            print(msg, file=sys.stderr)

    def waiting(who: str) -> None:
        msg = f"waiting for {who} to finish its write (up to {settings.busy_timeout:.0f}s)"
        if bar is not None:
            bar.write(msg, file=sys.stderr)
        else:
            print(msg, file=sys.stderr)

    report = run_extract(
        [Path(p) for p in args.paths], settings, force=args.force, on_article=tick, on_skip=skipped,
        on_wait=waiting,
    )
    if bar is not None:
        bar.close()
    for w in report.warnings:
        if not args.quiet:
            print(f"warning: {w}", file=sys.stderr)
    by_type = ", ".join(f"{k} {v}" for k, v in sorted(report.claims_by_type.items())) or "none"
    odd = f", {len(report.unsupported)} unsupported file(s) left out" if report.unsupported else ""
    pending = f"; {report.derived_pending} still pending (see skips)" if report.derived_pending else ""
    print(
        f"run {report.run_id}: {report.processed} articles processed, {report.unchanged} unchanged "
        f"(skipped as already extracted; --force re-extracts), {len(report.skipped)} skipped{odd}\n"
        f"claims: {sum(report.claims_by_type.values())} ({by_type}); dates {report.dates}; "
        f"officials {report.officials}\n"
        f"derived data (entities, stories, clusters, flags): built for {report.derived_built} article(s){pending}\n"
        f"pipeline: {report.model}; {report.seconds:.1f}s, {report.words} words\n"
        f"database: {report.db_path}"
    )
    if not report.ok:
        if not report.skipped:
            print(f"error: nothing to process: no input found in {', '.join(args.paths)}"
                  + (f" ({len(report.unsupported)} unsupported file(s))" if report.unsupported else ""),
                  file=sys.stderr)
        else:
            print("error: nothing could be processed; see the skip reasons above", file=sys.stderr)
        return 1
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from pipeline.doctor import examine, repair

    settings = _checked_settings(args)
    if not settings.db_path.is_file():
        print(f"error: no database at {settings.db_path}: run `make extract` first", file=sys.stderr)
        return 2
    size = settings.db_path.stat().st_size
    wal = settings.db_path.with_name(settings.db_path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    more = f", {wal_size / 1e6:.1f} MB more in its write-ahead log" if wal_size else ""
    print(f"database: {settings.db_path} ({size / 1e6:.1f} MB{more})")
    report = examine(settings, check_model=not args.no_model)
    for f in report.findings:
        print(f"{f.check + ':':<20}{'ok  ' if f.ok else 'FAIL'}  {f.detail}")
    if args.repair and not report.healthy:
        print("repairing:")
        for line in repair(settings):
            print(f"  - {line}")
        report = examine(settings, check_model=not args.no_model)
        for f in report.findings:
            if not f.ok:
                print(f"{f.check + ':':<20}FAIL  {f.detail}")
    if report.healthy:
        print("verdict: healthy")
        return 0
    fixable = [f.check for f in report.findings if not f.ok and f.repairable]
    hint = f"; `newsclaims doctor --repair` fixes: {', '.join(fixable)}" if fixable and not args.repair else ""
    print(f"verdict: {sum(not f.ok for f in report.findings)} problem(s){hint}")
    return 1


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.export import CSV_COLUMNS, iter_claim_rows, iter_records
    from pipeline.store import Store

    try:
        store = Store(Path(args.db), readonly=True)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.format == "claimreview":
            from pipeline.cli_query import export_claimreview

            return export_claimreview(args, store, out)
        from pipeline.cli_query import FILTERS, query_from_args
        from pipeline.query import QueryError, find_claims

        ids: set[str] | None = None
        if args.claim or any(getattr(args, f, None) is not None for f in FILTERS):
            try:
                ids = {r["claim_id"] for r in find_claims(store, query_from_args(args, tuple(args.claim or ())))}
            except QueryError as e:
                print(f"error: {e}", file=sys.stderr)
                return 2
        if args.format == "jsonl":
            for rec in iter_records(store):
                if ids is not None:
                    rec["claims"] = [c for c in rec["claims"] if c["id"] in ids]
                    if not rec["claims"]:
                        continue
                out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            w = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
            w.writeheader()
            for row in iter_claim_rows(store):
                if ids is None or row["claim_id"] in ids:
                    w.writerow(row)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_quantities(args: argparse.Namespace) -> int:
    from extractors.quantities import quantities_json

    for line in sys.stdin:
        sys.stdout.write(json.dumps(quantities_json(line.rstrip("\n")), ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsclaims",
        description="Turn economy news into attributed claims in SQLite, with provenance.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"newsclaims {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    e = sub.add_parser(
        "extract", help="extract claims from folders, files or .jsonl manifests into SQLite",
        description="Extract officials, figures and dates from articles into the claims database.\n"
        "PATH is a folder of .html/.txt files (each optionally with a sidecar <name>.json "
        "{url, title, published, source}), one such file, or a .jsonl manifest "
        '({"id", "path" or "text", "url", "title", "published", "source"} per line).',
        epilog="example: newsclaims extract corpus/ --db claims.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("--db", default="claims.db", help="SQLite database (default: claims.db)")
    e.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    e.add_argument("--quiet", action="store_true", help="no progress bar, no warnings")
    e.add_argument("--progress", action="store_true", help="show the progress bar even when not a terminal")
    e.add_argument("--model", help="spaCy pipeline: auto (default), blank, or a package name")
    e.add_argument("--batch-size", type=int, help="nlp.pipe batch size (default 16)")
    e.add_argument("--n-process", type=int, help="nlp.pipe processes (default 1)")
    e.add_argument("--config", help="TOML settings file with a [newsclaims] table (limits: README \"Limits\")")
    e.add_argument("--allow-outside", action="store_true",
                   help="let manifest paths and symlinks lead outside the PATHs given (refused by default)")
    e.set_defaults(func=cmd_extract)

    d = sub.add_parser(
        "doctor", help="check a claims database (integrity, pending derived data, orphans, schema, model drift)",
        description="Report the database's health: integrity, the schema version, runs a killed process left "
        "running, derived rows still pending, orphan rows, the full-text indexes, unreadable publication dates "
        "and model drift. --repair fixes what it can; exit 0 when healthy, 1 when problems remain.",
        epilog="example: newsclaims doctor --db claims.db --repair",
    )
    d.add_argument("--db", default="claims.db", help="SQLite database (default: claims.db)")
    d.add_argument("--repair", action="store_true",
                   help="close killed runs, build pending derived rows, delete orphans, rebuild indexes")
    d.add_argument("--model", help="the spaCy pipeline to compare against for model drift (default: auto)")
    d.add_argument("--no-model", action="store_true", help="skip the model drift check (no spaCy load)")
    d.add_argument("--config", help="TOML settings file with a [newsclaims] table")
    d.set_defaults(func=cmd_doctor)

    x = sub.add_parser(
        "export", help="export the claims as spec-shaped JSONL records or a flat CSV",
        epilog="example: newsclaims export --db claims.db --format jsonl -o claims.jsonl",
    )
    x.add_argument("--db", default="claims.db")
    x.add_argument("--format", choices=["jsonl", "csv", "claimreview"], default="jsonl",
                   help="claimreview: schema.org ClaimReview JSON-LD skeletons (a JSON array)")
    x.add_argument("-o", "--output", help="file to write (default: standard output)")
    x.add_argument("--claim", action="append", metavar="ID", help="claimreview: only this claim (repeatable)")
    from pipeline.cli_query import add_filter_args

    add_filter_args(x, note="")
    x.set_defaults(func=cmd_export)

    q = sub.add_parser(
        "quantities", help="every quantity in each line of stdin, one JSON list per line",
        epilog='example: echo "Output rose 8% to 2.61m bpd." | newsclaims quantities',
    )
    q.set_defaults(func=cmd_quantities)

    for mod in COMMAND_MODULES:
        importlib.import_module(mod).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return 0
    except SettingsError as e:
        print(str(e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
