"""``newsclaims crossref`` (build what is pending, rebuild the derived tables) and the reports over them:
``entities``, ``clusters``, ``check``, ``series``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.cli.common import add_db, add_format, open_readonly
from pipeline.store import Store


def cmd_entities(args: argparse.Namespace) -> int:
    from pipeline.crossref.report import iter_entities

    st = open_readonly(args.db)
    if st is None:
        return 2
    for e in iter_entities(st, kind=args.kind):
        if args.format == "jsonl":
            print(json.dumps(e, ensure_ascii=False, sort_keys=True))
        else:
            print(f"{e['id']}\t{e['kind']}\t{e['name']}\t{' | '.join(e['variants'])}\t{len(e['articles'])} articles")
    return 0


def cmd_clusters(args: argparse.Namespace) -> int:
    from pipeline.crossref.report import iter_clusters

    st = open_readonly(args.db)
    if st is None:
        return 2
    for c in iter_clusters(st, status=args.status, min_appearances=args.min_appearances):
        if args.format == "jsonl":
            print(json.dumps(c, ensure_ascii=False, sort_keys=True))
        else:
            vals = ", ".join(str(v["value"]) for v in c["values"])
            print(f"{c['id']}\t{c['status']}\t{c['subject']}\t{c['measure']}\t{c['period']['start']}.."
                  f"{c['period']['end']}\t{c['modality']}\t[{vals}]\t{len(c['appearances'])} appearances")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipeline.crossref.report import check_report

    st = open_readonly(args.db)
    if st is None:
        return 2
    sys.stdout.write(check_report(st))
    return 0


def cmd_series(args: argparse.Namespace) -> int:
    from pipeline.crossref.series import plot_series, series_points

    st = open_readonly(args.db)
    if st is None:
        return 2
    pts = series_points(st, args.subject, args.measure)
    if not pts:
        print(f"no figures for subject {args.subject!r} and measure {args.measure!r}", file=sys.stderr)
        return 1
    cols = ("period_start", "period_end", "modality", "value", "status", "published", "article_id", "claim_id")
    print("\t".join(cols))
    for p in pts:
        print("\t".join("" if p[c] is None else str(p[c]) for c in cols))
    if args.plot:
        plot_series(pts, f"{pts[0]['subject']}: {pts[0]['measure']}", Path(args.plot))
        print(f"plot: {args.plot}", file=sys.stderr)
    return 0


def cmd_crossref(args: argparse.Namespace) -> int:
    from pipeline.crossref import build_pending, rebuild_crossref

    if not Path(args.db).is_file():
        print(f"error: {args.db}: no such database; run `make extract` first", file=sys.stderr)
        return 2
    st = Store(Path(args.db))
    try:
        failures: list[str] = []
        pending: dict[str, Any] = build_pending(st, lambda aid, reason: failures.append(f"{aid}: {reason}"))
        print(f"pending derived rows built for {pending['built']} article(s)")
        for f in failures:
            print(f"skipped {f}", file=sys.stderr)
        if args.pending:
            return 1 if failures else 0
        out: dict[str, Any] = rebuild_crossref(st)
        print(f"crossref rebuilt: {out}")
        return 0
    finally:
        st.close()


def register(sub: Any) -> None:
    e = sub.add_parser("entities", help="canonical people and organisations across articles",
                       epilog="example: newsclaims entities --db claims.db --format jsonl")
    add_db(e)
    add_format(e, ["jsonl", "table"], "table")
    e.add_argument("--kind", choices=["person", "org", "other"])
    e.set_defaults(func=cmd_entities)

    c = sub.add_parser("clusters", help="claims about the same thing across articles, with their status",
                       epilog="example: newsclaims clusters --db claims.db --format jsonl --status conflicting")
    add_db(c)
    add_format(c, ["jsonl", "table"], "table")
    c.add_argument("--status", choices=["corroborated", "restated", "conflicting", "single-source"])
    c.add_argument("--min-appearances", type=int, default=1)
    c.set_defaults(func=cmd_clusters)

    k = sub.add_parser("check", help="report of conflicting figures and consistency flags",
                       epilog="example: newsclaims check --db claims.db")
    add_db(k)
    k.set_defaults(func=cmd_check)

    s = sub.add_parser("series", help="a subject's figures for one measure over time (table, optional chart)",
                       epilog='example: newsclaims series --db claims.db --subject ISIPO --measure "idle units" '
                              "--plot isipo.png")
    add_db(s)
    s.add_argument("--subject", required=True, help="a name, variant or acronym of the subject")
    s.add_argument("--measure", required=True, help='e.g. "idle units", "idle SMEs", "money IRR"')
    s.add_argument("--plot", help="write a PNG chart here")
    s.set_defaults(func=cmd_series)

    r = sub.add_parser("crossref", help="rebuild entities, stories, clusters and flags from the stored claims",
                       description="First builds what is pending (articles stored by a run that was killed or "
                       "whose derived step failed), then rebuilds every derived table from the stored claims in one "
                       "transaction.", epilog="example: newsclaims crossref --db claims.db")
    add_db(r)
    r.add_argument("--pending", action="store_true", help="only build what is pending; no full rebuild")
    r.set_defaults(func=cmd_crossref)
