"""``newsclaims query``: the fact-checkers' questions in a terminal; and the claim filters it shares with
``newsclaims export``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal
from typing import Any, TextIO

from extractors.quantities import CLAIM_KINDS
from pipeline.cli.common import add_db, add_format, open_readonly
from pipeline.models import MODALITIES
from pipeline.query.claims import ClaimQuery, QueryError, find_claims, parse_amount
from pipeline.query.claims import parse_since as _parse_since
from pipeline.store.query import distinct_values

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
    p.add_argument("--type", choices=CLAIM_KINDS, help="claim type" + note)
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


def _cell(v: Any, width: int) -> str:
    s = "" if v is None else str(v).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def write_table(rows: list[dict[str, Any]], out: TextIO) -> None:
    widths = {c: min(40, max([len(c)] + [len(_cell(r.get(c), 40)) for r in rows])) for c in TABLE_COLUMNS}
    out.write("  ".join(c.ljust(widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")
    for r in rows:
        out.write("  ".join(_cell(r.get(c), 40).ljust(widths[c]) for c in TABLE_COLUMNS).rstrip() + "\n")


def cmd_query(args: argparse.Namespace) -> int:
    store = open_readonly(args.db, query_schema=True)
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


def register(sub: Any) -> None:
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
    add_db(q)
    add_filter_args(q)
    add_format(q, ["table", "json", "csv"], "table")
    q.set_defaults(func=cmd_query)
