"""``newsclaims quantities``: every quantity in each line of standard input, one JSON list per line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def cmd_quantities(args: argparse.Namespace) -> int:
    from extractors.quantities import quantities_json

    for line in sys.stdin:
        sys.stdout.write(json.dumps(quantities_json(line.rstrip("\n")), ensure_ascii=False) + "\n")
    return 0


def register(sub: Any) -> None:
    q = sub.add_parser(
        "quantities", help="every quantity in each line of stdin, one JSON list per line",
        epilog='example: echo "Output rose 8% to 2.61m bpd." | newsclaims quantities',
    )
    q.set_defaults(func=cmd_quantities)
