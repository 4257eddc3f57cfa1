"""``newsclaims export``: the claims as spec-shaped JSONL records, a flat CSV, or ClaimReview skeletons; the
query filters choose the claims."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, TextIO

from pipeline.cli.common import add_db, add_format, open_readonly
from pipeline.cli.query import FILTERS, add_filter_args, query_from_args
from pipeline.store import Store


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.query.claims import QueryError, find_claims, resolve_claim_ids
    from pipeline.query.export import CSV_COLUMNS, iter_claim_rows, iter_records

    store = open_readonly(args.db)
    if store is None:
        return 2
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.format == "claimreview":
            return export_claimreview(args, store, out)
        ids: set[str] | None = None
        if args.claim or any(getattr(args, f, None) is not None for f in FILTERS):
            try:
                wanted = resolve_claim_ids(store, tuple(args.claim or ()))
                ids = {r["claim_id"] for r in find_claims(store, query_from_args(args, wanted))}
            except QueryError as e:
                print(f"error: {e}", file=sys.stderr)
                return 2
        if args.format == "jsonl":
            for rec in iter_records(store, agreement=True):
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


def export_claimreview(args: argparse.Namespace, store: Store, out: TextIO) -> int:
    """`newsclaims export --format claimreview`: a JSON array of ClaimReview skeletons."""
    from pipeline.query.claimreview import iter_claimreviews, missing_claim_ids
    from pipeline.query.claims import QueryError, resolve_claim_ids

    try:
        ids = resolve_claim_ids(store, tuple(args.claim or ()))
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


def register(sub: Any) -> None:
    x = sub.add_parser(
        "export", help="export the claims as spec-shaped JSONL records or a flat CSV",
        epilog="examples:\n"
        "  newsclaims export --db claims.db --format jsonl -o claims.jsonl\n"
        "  newsclaims export --format claimreview --type money --unit IRR --since 2019 > reviews.jsonld",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_db(x)
    add_format(x, ["jsonl", "csv", "claimreview"], "jsonl",
               help="claimreview: schema.org ClaimReview JSON-LD skeletons (a JSON array)")
    x.add_argument("-o", "--output", help="file to write (default: standard output)")
    x.add_argument("--claim", action="append", metavar="ID",
                   help="only this claim (an id or a unique prefix of at least 4 characters; repeatable)")
    add_filter_args(x, note="")
    x.set_defaults(func=cmd_export)
