"""`newsclaims query` and `newsclaims serve`: the fact-checkers' questions in a terminal, and the Datasette
site. Also the ClaimReview branch of `newsclaims export`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from pipeline.models import CLAIM_TYPES, MODALITIES
from pipeline.query import ClaimQuery, QueryError, distinct_values, find_claims, has_query_schema, parse_amount
from pipeline.query import parse_since as _parse_since
from pipeline.store import Store

TABLE_COLUMNS = ("claim_id", "published", "speaker", "type", "figure", "value_exact", "unit", "modality", "subject")


def _since(text: str) -> str:
    try:
        return _parse_since(text)
    except QueryError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except QueryError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return n


FILTERS = ("official", "type", "subject", "unit", "since", "min_value", "modality", "topic", "limit")


def add_filter_args(p: argparse.ArgumentParser, *, note: str = "") -> None:
    """The claim filters shared by `query` and `export --format claimreview`."""
    p.add_argument("--official", help="speaker name; case, hyphens, honorifics and q/gh variants are folded" + note)
    p.add_argument("--type", choices=CLAIM_TYPES, help="claim type" + note)
    p.add_argument("--subject", help="word or phrase of the claim's subject, e.g. 'idle units'" + note)
    p.add_argument("--unit", help="unit or currency code, e.g. IRR, USD, %%" + note)
    p.add_argument("--since", type=_since, help="articles published on or after YYYY, YYYY-MM or YYYY-MM-DD" + note)
    p.add_argument("--min-value", type=_amount, help="at least this value: 1e13, 10000000000000, '10 trillion'" + note)
    p.add_argument("--modality", choices=MODALITIES, help="actual, target, forecast or potential" + note)
    p.add_argument("--topic", help="full-text search in the sentence, e.g. 'idle units'" + note)
    p.add_argument("--limit", type=_positive, help="at most this many claims" + note)


def query_from_args(args: argparse.Namespace, claim_ids: tuple[str, ...] = ()) -> ClaimQuery:
    return ClaimQuery(
        official=args.official, type=args.type, subject=args.subject, unit=args.unit, since=args.since,
        min_value=args.min_value, modality=args.modality, topic=args.topic, claim_ids=claim_ids, limit=args.limit,
    ).validate()


def _open(db: str) -> Store | None:
    try:
        store = Store(Path(db), readonly=True)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return None
    if not has_query_schema(store):
        print(f"error: {db} predates the query schema; run `make extract` (it upgrades the database) first",
              file=sys.stderr)
        return None
    return store


def _cell(v: Any, width: int) -> str:
    s = "" if v is None else str(v).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def write_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    widths = {c: min(40, max([len(c)] + [len(_cell(r.get(c), 40)) for r in rows])) for c in TABLE_COLUMNS}
    out.write("  ".join(c.ljust(widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")
    for r in rows:
        out.write("  ".join(_cell(r.get(c), 40).ljust(widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")


def cmd_query(args: argparse.Namespace) -> int:
    store = _open(args.db)
    if store is None:
        return 2
    try:
        q = query_from_args(args)
        rows = list(find_claims(store, q))
    except QueryError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["claim_id"])
        w.writeheader()
        w.writerows(rows)
    else:
        write_table(rows, sys.stdout)
    if not rows:
        for column, value in (("type", q.type), ("unit", q.unit), ("modality", q.modality)):
            present = distinct_values(store, column)
            if value and value.lower() not in {p.lower() for p in present}:
                print(f"note: no claim has {column} {value!r}; present: {', '.join(present) or 'none'}",
                      file=sys.stderr)
        print("0 claims", file=sys.stderr)
    return 0


def export_claimreview(args: argparse.Namespace, store: Store, out: TextIO) -> int:
    """`newsclaims export --format claimreview`: a JSON array of ClaimReview skeletons."""
    from pipeline.claimreview import iter_claimreviews, missing_claim_ids

    ids = tuple(args.claim or ())
    try:
        q = query_from_args(args, ids)
        if ids and (missing := missing_claim_ids(store, ids)):
            print(f"error: no claim with id {', '.join(missing)}", file=sys.stderr)
            return 2
        reviews = list(iter_claimreviews(store, q))
    except QueryError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out.write(json.dumps(reviews, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pipeline.serve import LENGTH_LIMIT_ENV, datasette_args, metadata_for, sql_allowed
    from pipeline.settings import Settings

    db = Path(args.db)
    if not db.is_file():
        print(f"error: no database at {db}: run `make extract` first", file=sys.stderr)
        return 2
    store = _open(str(db))
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
        root = str(Path(__file__).resolve().parent.parent)
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    q = sub.add_parser(
        "query", help="claims matching filters, as a table, JSON or CSV",
        description="Ask the claims database a question. Every filter is optional; filters combine with AND.",
        epilog="examples:\n"
        "  newsclaims query --official 'Ali Asqar Mosaheb'\n"
        "  newsclaims query --type money --unit IRR --min-value '10 trillion' --since 2019\n"
        "  newsclaims query --subject exports --unit USD --format csv\n"
        "  newsclaims query --official ISIPO --topic 'idle units' --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("--db", default="claims.db", help="SQLite database (default: claims.db)")
    add_filter_args(q)
    q.add_argument("--format", choices=["table", "json", "csv"], default="table")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser(
        "serve", help="browse the claims in Datasette, read-only",
        description="Start Datasette on the claims database with the newsclaims metadata, canned queries and "
        "claim pages. The database is opened read-only, not immutable: an extract may write to it meanwhile and "
        "every page shows the last committed state. Each query is limited (3 s, SQLite length and depth "
        "limits). Arbitrary SQL is on for 127.0.0.1/localhost/::1 and off on any other interface unless "
        "--allow-sql; canned queries, tables, facets and search always work. See README \"The site's security "
        "model\".",
        epilog="example: newsclaims serve --db claims.db --port 8001",
    )
    s.add_argument("--db", default="claims.db", help="SQLite database (default: claims.db)")
    s.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    s.add_argument("--allow-sql", action="store_true",
                   help="allow arbitrary SQL queries on a non-loopback interface (off there by default)")
    s.add_argument("--config", help="TOML settings file (the SQLite length limit follows max_text_chars)")
    s.add_argument("--get", metavar="PATH", help="print the response for PATH and exit (a smoke check)")
    s.set_defaults(func=cmd_serve)
