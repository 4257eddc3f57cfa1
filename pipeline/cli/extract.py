"""``newsclaims extract`` and ``newsclaims doctor``: articles in, claims stored; the database's health."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.cli.common import add_config, add_db, add_quiet, settings_from


def _progress(args: argparse.Namespace, unit: str = "article") -> Any:
    if not args.quiet and sys.stderr.isatty() or args.progress:
        from tqdm import tqdm

        return tqdm(unit=unit, file=sys.stderr, disable=args.quiet)
    return None


def _say(bar: Any, msg: str) -> None:
    if bar is not None:
        bar.write(msg, file=sys.stderr)
    else:
        print(msg, file=sys.stderr)


def _print_load(report: Any, args: argparse.Namespace, what: str) -> None:
    for w in report.warnings:
        if not args.quiet:
            print(f"warning: {w}", file=sys.stderr)
    by_type = ", ".join(f"{k} {v}" for k, v in sorted(report.claims_by_type.items())) or "none"
    pending = f"; {report.derived_pending} still pending (see skips)" if report.derived_pending else ""
    print(
        f"run {report.run_id}: {report.processed} articles {what}, {report.unchanged} unchanged "
        f"(already stored; --force re-saves), {len(report.skipped)} skipped\n"
        f"claims: {sum(report.claims_by_type.values())} ({by_type}); dates {report.dates}; "
        f"officials {report.officials}\n"
        f"derived data (entities, stories, clusters, flags): built for {report.derived_built} article(s){pending}\n"
        f"{report.seconds:.1f}s, {report.words} words\n"
        f"database: {report.db_path}"
    )


def cmd_extract_dask(args: argparse.Namespace) -> int:
    try:
        from pipeline.engines.dask_engine import run_dask
    except ImportError as e:
        print(f"error: --engine dask needs the scale extra ({e}): pip install 'newsclaims[scale]' "
              "(make install installs it)", file=sys.stderr)
        return 2
    from pipeline.run import run_load

    if not args.shards:
        print("error: --engine dask needs --shards DIR (where the workers write their shards)", file=sys.stderr)
        return 2
    settings = settings_from(args)
    if not args.verbose:  # Dask logs every worker's start and stop at INFO
        import logging

        logging.getLogger("distributed").setLevel(logging.WARNING)
    bar = _progress(args)

    def shard_done(got: dict[str, Any]) -> None:
        if bar is not None:
            bar.update(int(got.get("articles", 0)))

    def skipped(s: Any) -> None:
        _say(bar, f"skipped {s.source}: {s.reason}")

    rep = run_dask([Path(p) for p in args.paths], settings, Path(args.shards), scheduler=args.scheduler,
                   workers=args.workers or 2, batch_articles=args.batch_articles, on_shard=shard_done,
                   on_skip=skipped)
    if bar is not None:
        bar.close()
    for w in rep.warnings:
        if not args.quiet:
            print(f"warning: {w}", file=sys.stderr)
    for err in rep.errors:
        print(f"error: batch failed: {err}", file=sys.stderr)
    print(f"dask: {rep.articles} articles in {len(rep.shards)} shard(s) under {args.shards}: {rep.made} written, "
          f"{rep.done_before} already there (skipped), {len(rep.errors)} failed; {rep.read_skips} input(s) "
          f"skipped; {rep.workers} worker(s), pipeline {rep.pipeline.get('model')} "
          f"{rep.pipeline.get('model_version')}; {rep.seconds:.1f}s ({rep.start_seconds:.1f}s start-up)")
    code = 1 if rep.errors or not rep.articles else 0
    if not rep.articles:
        print("error: nothing could be processed; see the skip reasons above", file=sys.stderr)
    if getattr(args, "db_given", False) and not rep.errors:
        meta = {"command": "extract --engine dask", "config_hash": rep.config_hash,
                "spacy_version": rep.pipeline.get("spacy_version"), "spacy_model": rep.pipeline.get("model"),
                "spacy_model_version": rep.pipeline.get("model_version")}
        done = [p for p in rep.shards if p.exists()]
        report = run_load(done, settings, force=args.force, meta=meta)
        _print_load(report, args, "loaded")
    return code


def cmd_extract(args: argparse.Namespace) -> int:
    if args.engine == "dask":
        return cmd_extract_dask(args)
    if args.scheduler or args.workers or args.shards:
        print("error: --scheduler, --workers and --shards go with --engine dask", file=sys.stderr)
        return 2
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


def cmd_load(args: argparse.Namespace) -> int:
    from pipeline.engines.shards import list_shards
    from pipeline.run import run_load

    settings = settings_from(args)
    shards: list[Path] = []
    for d in args.dirs:
        p = Path(d)
        if p.is_dir():
            shards.extend(list_shards(p))
        elif p.is_file():
            shards.append(p)
        else:
            print(f"error: no such folder or shard: {d}", file=sys.stderr)
            return 2
    if not shards:
        print(f"error: no shards (shard-*.jsonl.gz) in {', '.join(args.dirs)}", file=sys.stderr)
        return 1
    bar = _progress(args)
    report = run_load(shards, settings, force=args.force,
                      on_article=lambda _a: bar.update(1) if bar is not None else None,
                      on_skip=lambda s: _say(bar, f"skipped {s.source}: {s.reason}"))
    if bar is not None:
        bar.close()
    _print_load(report, args, f"loaded from {len(shards)} shard(s)")
    return 0 if report.ok else 1


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
    add_db(e, what="SQLite database (default: claims.db; with --engine dask the shards are loaded only when --db "
           "is given)")
    e.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    add_quiet(e)
    e.add_argument("--progress", action="store_true", help="show the progress bar even when not a terminal")
    e.add_argument("--model", help="spaCy pipeline: auto (default), blank, or a package name")
    e.add_argument("--batch-size", type=int, help="nlp.pipe batch size (default 16)")
    e.add_argument("--n-process", type=int, help="nlp.pipe processes (default 1)")
    add_config(e, "TOML settings file with a [newsclaims] table (limits: README \"Limits\")")
    e.add_argument("--allow-outside", action="store_true",
                   help="let manifest paths and symlinks lead outside the PATHs given (refused by default)")
    g = e.add_argument_group("on a Dask cluster (the scale extra; README \"On a cluster\")")
    g.add_argument("--engine", choices=["serial", "dask"], default="serial",
                   help="serial (default: this process) or dask (batches on Dask workers, shards out)")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--workers", type=int, metavar="N", help="start a local cluster of N workers (default 2)")
    g.add_argument("--shards", metavar="DIR", help="where the workers write their shards (.jsonl.gz)")
    g.add_argument("--batch-articles", type=int, default=16, metavar="N",
                   help="articles a shard holds on average (default 16)")
    e.set_defaults(func=cmd_extract)

    ld = sub.add_parser(
        "load", help="load shards (from extract --engine dask, made anywhere) into SQLite",
        description="Load the shards in DIR (shard-*.jsonl.gz) into the claims database, one transaction per "
        "shard, then build the derived rows: the same database as a serial run, whatever the order; loading "
        "again changes nothing.",
        epilog="example: newsclaims load shards/ --db claims.db",
    )
    ld.add_argument("dirs", nargs="+", metavar="DIR", help="a folder of shards, or shard files")
    add_db(ld)
    ld.add_argument("--force", action="store_true", help="re-save articles even when unchanged")
    add_quiet(ld)
    ld.add_argument("--progress", action="store_true", help="show the progress bar even when not a terminal")
    add_config(ld)
    ld.set_defaults(func=cmd_load)

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
