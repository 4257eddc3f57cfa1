"""The web: ``newsclaims fetch`` (pages into the WARC archive), ``newsclaims parse`` (one saved page),
``newsclaims show-source`` (a claim back to its archived bytes) and ``newsclaims serve`` (the Datasette site)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pipeline
from pipeline.cli.common import add_config, add_db, open_readonly
from pipeline.fetch.archive import FetchState, WarcArchive, read_record
from pipeline.fetch.fetcher import Fetcher, FetchResult, FetchSettings
from pipeline.fetch.sources import load_sources
from pipeline.parse.page import ParseError, parse_html


def register(subparsers: Any) -> None:
    f = subparsers.add_parser(
        "fetch", help="fetch article pages politely into the WARC archive",
        description="Fetch article pages (robots.txt obeyed, >= 1 s per host, retries with backoff) and "
        "archive every response as WARC.",
        epilog="example: newsclaims fetch --sources sources.toml --since 2024-05-01",
    )
    f.add_argument("urls", nargs="*", metavar="URL", help="article URLs")
    f.add_argument("--urls", dest="urls_file", type=Path, metavar="FILE", help="file of URLs, one a line")
    f.add_argument("--feed", action="append", default=[], metavar="URL", help="RSS/Atom feed (repeatable)")
    f.add_argument("--sitemap", action="append", default=[], metavar="URL", help="sitemap (repeatable)")
    f.add_argument("--since", type=dt.date.fromisoformat, metavar="DATE",
                   help="with feeds and sitemaps: only entries on or after DATE (YYYY-MM-DD)")
    f.add_argument("--sources", type=Path, metavar="FILE", help="TOML file of sources (see sources.toml)")
    f.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR", help="default: archive/")
    f.add_argument("--allow-private", action="store_true",
                   help="allow private/loopback addresses (for a local test server)")
    f.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (>= 1 "
                   "unless --allow-private; default 1)")
    f.add_argument("--contact", default=FetchSettings.contact,
                   help="contact URL or mailto: put in the User-Agent")
    f.add_argument("--refetch", action="store_true",
                   help="also re-fetch discovered URLs already archived (conditional GET)")
    f.set_defaults(func=cmd_fetch)

    p = subparsers.add_parser(
        "parse", help="parse one saved HTML page and print its fields as JSON",
        description="Parse one saved HTML page (site adapter, metadata, walls) and print its fields as JSON.",
        epilog="example: newsclaims parse page.html --url https://www.tehrantimes.com/news/442871/x",
    )
    p.add_argument("file", type=Path, metavar="FILE.html")
    p.add_argument("--url", help="the page's URL (chooses the site adapter)")
    p.set_defaults(func=cmd_parse)

    s = subparsers.add_parser(
        "show-source", help="print a claim's sentence and the archived WARC record it came from",
        description="Print a claim's sentence, its URL and the WARC record its article was parsed from, and "
        "check the record's payload digest and id against the article row. The database is opened read-only.",
        epilog="example: newsclaims show-source 1a2b3c4d5e6f7a8b --db claims.db",
    )
    s.add_argument("claim_id", help="the claim id, or a unique prefix of it (at least 4 characters)")
    add_db(s)
    s.add_argument("--chars", type=int, default=1500, help="payload excerpt length (default 1500)")
    s.set_defaults(func=cmd_show_source)

    v = subparsers.add_parser(
        "serve", help="browse the claims in Datasette, read-only",
        description="Start Datasette on the claims database with the newsclaims metadata, canned queries and "
        "claim pages. The database is opened read-only, not immutable: an extract may write to it meanwhile and "
        "every page shows the last committed state. Each query is limited (3 s, SQLite length and depth "
        "limits). Arbitrary SQL is on for 127.0.0.1/localhost/::1 and off on any other interface unless "
        "--allow-sql; canned queries, tables, facets and search always work. See README \"The site's security "
        "model\".",
        epilog="example: newsclaims serve --db claims.db --port 8001",
    )
    add_db(v)
    v.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    v.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    v.add_argument("--allow-sql", action="store_true",
                   help="allow arbitrary SQL queries on a non-loopback interface (off there by default)")
    add_config(v, "TOML settings file (the SQLite length limit follows max_text_chars)")
    v.add_argument("--get", metavar="PATH", help="print the response for PATH and exit (a smoke check)")
    v.set_defaults(func=cmd_serve)


def _line(r: FetchResult) -> str:
    if r.skip_reason:
        return f"skip  {r.url}  ({r.skip_reason})"
    if r.error:
        status = f" {r.status}" if r.status else ""
        return f"error{status} {r.url}  ({r.error})"
    hops = f"  via {len(r.redirects)} redirect(s) -> {r.final_url}" if r.redirects else ""
    extra = " not modified" if r.not_modified else (" truncated" if r.truncated else "")
    return f"{r.status}   {r.url}{hops}{extra}"


def cmd_fetch(args: argparse.Namespace) -> int:
    urls: list[str] = list(args.urls)
    feeds, sitemaps = list(args.feed), list(args.sitemap)
    if args.urls_file:
        urls += [ln.strip() for ln in args.urls_file.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    if args.sources:
        try:
            src = load_sources(args.sources)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            print(f"fetch: cannot read sources file {args.sources}: {exc}", file=sys.stderr)
            return 2
        urls += src["urls"]
        feeds += src["feeds"]
        sitemaps += src["sitemaps"]
    if not (urls or feeds or sitemaps):
        print("fetch: nothing to fetch; give URLs, --urls, --feed, --sitemap or --sources", file=sys.stderr)
        return 2
    delay = args.delay if args.allow_private else max(1.0, args.delay)
    settings = FetchSettings(contact=args.contact, delay=delay, allow_private=args.allow_private)
    state = FetchState.in_archive(args.archive)
    with Fetcher(settings, archive=WarcArchive(args.archive), state=state) as fetcher:
        discovered: list[str] = []
        for feed in feeds:
            found = fetcher.discover_feed(feed, args.since)
            print(f"feed    {feed}: {len(found)} entries")
            discovered += found
        for sm in sitemaps:
            found = fetcher.discover_sitemap(sm, args.since)
            print(f"sitemap {sm}: {len(found)} URLs")
            discovered += found
        if not args.refetch:
            new = [u for u in discovered if (state.get(u) or {}).get("status") != 200]
            if len(new) < len(discovered):
                print(f"{len(discovered) - len(new)} discovered URL(s) already archived (use --refetch)")
            discovered = new
        results = fetcher.fetch_many(urls + discovered)
        failed_discovery = list(fetcher.discovery_failures)
    for r in failed_discovery + results:
        print(_line(r))
    ok = sum(r.ok for r in results)
    errors = [r for r in failed_discovery + results if r.error]
    skipped = sum(1 for r in results if r.skip_reason)
    by_status: dict[str, int] = {}
    for r in errors:
        key = f"HTTP {r.status}" if r.status and r.status >= 400 else "network"
        by_status[key] = by_status.get(key, 0) + 1
    detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(by_status.items()))})" if by_status else ""
    print(f"fetched {ok}, not modified {sum(r.not_modified for r in results)}, skipped {skipped}, "
          f"errors {len(errors)}{detail}; archive {args.archive}/")
    return 1 if errors and not ok else 0


def cmd_parse(args: argparse.Namespace) -> int:
    from pipeline.inputs import InputError, read_regular
    from pipeline.settings import Settings

    try:
        data = read_regular(args.file, Settings().max_input_bytes)
    except InputError as exc:
        print(f"parse: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        page = parse_html(data, url=args.url)
    except ParseError as exc:
        print(f"parse: {args.file}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(page.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def cmd_show_source(args: argparse.Namespace) -> int:
    if not Path(args.db).exists():
        print(f"show-source: database {args.db} not found; run `make extract` first", file=sys.stderr)
        return 2
    store = open_readonly(args.db)
    if store is None:
        return 2
    from pipeline.query.claims import QueryError, resolve_claim_id

    try:
        claim = store.claim_with_provenance(args.claim_id)
        if claim is None:  # a unique prefix, as the series labels print them
            try:
                args.claim_id = resolve_claim_id(store, args.claim_id)
            except QueryError as e:
                print(f"show-source: {e} in {args.db}", file=sys.stderr)
                return 1
            claim = store.claim_with_provenance(args.claim_id)
    finally:
        store.close()
    if claim is None:
        print(f"show-source: no claim {args.claim_id} in {args.db}", file=sys.stderr)
        return 1
    print(f"claim    {args.claim_id}: {claim.get('text')}")
    print(f"sentence {claim.get('sentence')}")
    print(f"url      {claim.get('url')}")
    if not claim.get("warc_file"):
        print("(this claim's article was not fetched from the web: no WARC record)")
        return 0
    try:
        rec = read_record(claim["warc_file"], int(claim["warc_offset"]))
    except (OSError, ValueError) as exc:
        where = f"{claim['warc_file']} at {claim['warc_offset']}"
        print(f"show-source: cannot read {where}: {exc}", file=sys.stderr)
        return 1
    print(f"\nWARC record {claim['warc_file']} @ {claim['warc_offset']}")
    for k, v in rec.warc_headers:
        print(f"  {k}: {v}")
    print(f"\nHTTP {rec.status}")
    for k, v in rec.http_headers:
        print(f"  {k}: {v}")
    match = rec.payload_sha256 == claim.get("payload_sha256")
    id_match = rec.record_id == claim.get("warc_record_id")
    verdict = "matches" if match else "DOES NOT MATCH"
    print(f"\npayload sha256 {rec.payload_sha256} ({verdict} the article row; "
          f"record id {'matches' if id_match else 'DOES NOT MATCH'})")
    excerpt = rec.content[: args.chars * 4].decode("utf-8", "replace")[: args.chars]
    print("\n" + excerpt)
    return 0 if match and id_match else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.query.serve import LENGTH_LIMIT_ENV, datasette_args, metadata_for, sql_allowed
    from pipeline.settings import Settings

    db = Path(args.db)
    if not db.is_file():
        print(f"error: no database at {db}: run `make extract` first", file=sys.stderr)
        return 2
    store = open_readonly(db, query_schema=True)
    if store is None:
        return 2
    store.close()
    with tempfile.TemporaryDirectory(prefix="newsclaims-serve-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata_for(db.stem)), encoding="utf-8")
        cmd = [sys.executable, "-m", "datasette", "serve",
               *datasette_args(db, meta, host=args.host, port=args.port, allow_sql=args.allow_sql)]
        if args.get:
            cmd += ["--get", args.get]
        env = dict(os.environ)
        root = str(Path(pipeline.__file__).resolve().parent.parent)  # the plugin imports pipeline
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            settings = Settings.load(Path(args.config) if args.config else None)
        except (OSError, ValueError) as e:
            print(f"error: settings: {e}", file=sys.stderr)
            return 2
        env[LENGTH_LIMIT_ENV] = str(settings.sqlite_length_limit())
        if not args.get:
            sql = "arbitrary SQL on" if sql_allowed(args.host, args.allow_sql) else "arbitrary SQL off (--allow-sql)"
            print(f"serving {db} read-only at http://{args.host}:{args.port}/ ({sql}; Ctrl-C stops)",
                  file=sys.stderr)
        proc = subprocess.Popen(cmd, env=env)

        def stop(signum: int, frame: object) -> None:
            proc.terminate()

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            return proc.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches Datasette too (same process group)
            proc.terminate()
            proc.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
