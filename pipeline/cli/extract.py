"""``newsclaims extract`` and ``newsclaims doctor``: articles in, claims stored; the database's health."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.cli.common import add_config, add_db, add_quiet, settings_from


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.run import run_extract

    settings = settings_from(args)
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

    settings = settings_from(args)
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


def register(sub: Any) -> None:
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
    add_db(e)
    e.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    add_quiet(e)
    e.add_argument("--progress", action="store_true", help="show the progress bar even when not a terminal")
    e.add_argument("--model", help="spaCy pipeline: auto (default), blank, or a package name")
    e.add_argument("--batch-size", type=int, help="nlp.pipe batch size (default 16)")
    e.add_argument("--n-process", type=int, help="nlp.pipe processes (default 1)")
    add_config(e, "TOML settings file with a [newsclaims] table (limits: README \"Limits\")")
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
    add_db(d)
    d.add_argument("--repair", action="store_true",
                   help="close killed runs, build pending derived rows, delete orphans, rebuild indexes")
    d.add_argument("--model", help="the spaCy pipeline to compare against for model drift (default: auto)")
    d.add_argument("--no-model", action="store_true", help="skip the model drift check (no spaCy load)")
    add_config(d)
    d.set_defaults(func=cmd_doctor)
