"""``newsclaims quantities``: every quantity in each line of standard input, one JSON list per line.

``--style`` picks the output conventions: ``plain`` (the default) is the quantity layer as it is;
``newsquant`` adds the conventions of the NewsQuant benchmark (and CQE), which exist for scoring only and so
live here, not in the extractor: amounts of kind "other" that NewsQuant counts as quantities (fractions,
multipliers, vague amounts, "one of"), and metric units in SI (British) spelling ("kilometre", "litre").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

STYLES = ("plain", "newsquant")
#: amounts of kind "other" that NewsQuant counts as quantities (rule id prefixes)
NEWSQUANT_OTHER_RULES = ("fraction.", "multiplier.", "vague.", "pronoun.one_of")
#: NewsQuant and CQE write metric units in SI (British) spelling
_SI_SPELLING = (("meter", "metre"), ("liter", "litre"))


def _si_spelling(unit: str) -> str:
    for us, si in _SI_SPELLING:
        unit = re.sub(rf"{us}\b", si, unit)
    return unit


def quantities_rows(line: str, style: str = "plain") -> list[dict[str, Any]]:
    """The quantities of one line in the tool format, with the conventions of ``style``."""
    from extractors.quantities import quantities_json
    from extractors.quantities.tool import tool_dict, tool_quantities

    if style == "plain":
        return quantities_json(line)
    if style == "newsquant":
        return [tool_dict(q, _si_spelling) for q in tool_quantities(line, NEWSQUANT_OTHER_RULES)]
    raise ValueError(f"unknown style {style!r} (one of {', '.join(STYLES)})")


def cmd_quantities(args: argparse.Namespace) -> int:
    for line in sys.stdin:
        rows = quantities_rows(line.rstrip("\n"), args.style)
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
    return 0


def register(sub: Any) -> None:
    q = sub.add_parser(
        "quantities", help="every quantity in each line of stdin, one JSON list per line",
        description="Every quantity in each line of standard input, one JSON list per line of "
                    "{text, value, value_max, unit, approx, direction}.",
        epilog='example: echo "Output rose 8% to 2.61m bpd." | newsclaims quantities --style plain',
    )
    q.add_argument("--style", choices=STYLES, default="plain",
                   help="output conventions: plain (default), or newsquant (the NewsQuant benchmark's: "
                        "fractions, multipliers and vague amounts reported, metric units in SI spelling)")
    q.set_defaults(func=cmd_quantities)
