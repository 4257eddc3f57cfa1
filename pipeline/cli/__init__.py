"""The ``newsclaims`` command: one parser, one module per command group, thin over the library and the only
part of newsclaims that prints.

- :mod:`pipeline.cli.extract`: ``extract``, ``doctor``
- :mod:`pipeline.cli.export`: ``export`` (JSONL, CSV, ClaimReview)
- :mod:`pipeline.cli.quantities`: ``quantities``
- :mod:`pipeline.cli.web`: ``fetch``, ``parse``, ``show-source``, ``serve``
- :mod:`pipeline.cli.query`: ``query``
- :mod:`pipeline.cli.crossref`: ``crossref``, ``entities``, ``clusters``, ``check``, ``series``

Options every command spells the same way (``--db``, ``--quiet``, ``--format``, ``--config``) and opening the
database live in :mod:`pipeline.cli.common`. A new command goes into its group's module (``register(sub)``
adds it to the parser, with help text and an example) and into the README.
"""

from __future__ import annotations

import argparse
import logging
import sys

from pipeline import __version__
from pipeline.cli import crossref, export, extract, quantities, query, web
from pipeline.cli.common import SettingsError

# Command groups, in the order `newsclaims --help` lists their commands.
GROUPS = (extract, export, quantities, web, query, crossref)

EPILOG = """examples:
  newsclaims extract corpus/ --db claims.db
  newsclaims doctor --db claims.db --repair
  newsclaims extract ../shared/corpus/tehrantimes-econ/idle-series.jsonl --db idle.db
  newsclaims export --db claims.db --format jsonl > claims.jsonl
  newsclaims query --official "Ali Asqar Mosaheb" --format table
  newsclaims export --format claimreview --claim 1a2b3c4d5e6f7a8b > review.jsonld
  echo "Exports rose 8% to $1.2b." | newsclaims quantities
"""


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
    for group in GROUPS:
        group.register(sub)
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
