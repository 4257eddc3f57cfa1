"""What the command modules share: the options every command spells the same way (``--db``, ``--quiet``,
``--format``), settings from the command line, and opening the database (read-only for every command that
only reads: no write lock, no migration)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.settings import Settings
from pipeline.store import Store
from pipeline.store.query import has_query_schema

DEFAULT_DB = "claims.db"


class _GivenDb(argparse.Action):
    """Stores ``--db`` and notes that it was given (``args.db_given``): ``extract --engine dask`` loads its
    shards only then."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.db_given = True


def add_db(p: argparse.ArgumentParser, what: str | None = None) -> None:
    p.add_argument("--db", default=DEFAULT_DB, action=_GivenDb,
                   help=what or f"SQLite database (default: {DEFAULT_DB})")


def add_quiet(p: argparse.ArgumentParser, what: str = "no progress bar, no warnings") -> None:
    p.add_argument("--quiet", action="store_true", help=what)


def add_format(p: argparse.ArgumentParser, choices: Sequence[str], default: str, help: str | None = None) -> None:
    p.add_argument("--format", choices=list(choices), default=default,
                   help=help or f"output format (default: {default})")


def add_config(p: argparse.ArgumentParser, what: str = "TOML settings file with a [newsclaims] table") -> None:
    p.add_argument("--config", help=what)


class SettingsError(Exception):
    """Settings that cannot be read; main() prints the message and exits 2."""


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from ``--config`` with the command line's overrides (``--db``, ``--model``, ...)."""
    over: dict[str, Any] = {}
    if getattr(args, "db", None):
        over["db_path"] = Path(args.db)
    if getattr(args, "model", None):
        over["spacy_model"] = args.model
    if getattr(args, "batch_size", None):
        over["batch_size"] = args.batch_size
    if getattr(args, "n_process", None):
        over["n_process"] = args.n_process
    if getattr(args, "allow_outside", False):
        over["allow_outside"] = True
    cfg = Path(args.config) if getattr(args, "config", None) else None
    try:
        return Settings.load(cfg, **over)
    except (OSError, ValueError) as e:  # tomllib.TOMLDecodeError is a ValueError
        raise SettingsError(f"error: settings: {e}") from e


def open_readonly(db: str | Path, *, query_schema: bool = False) -> Store | None:
    """The database opened read-only, or None after saying why not (no such file; with ``query_schema``, a
    database that predates the query layer's view and index)."""
    try:
        store = Store(Path(db), readonly=True)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return None
    if query_schema and not has_query_schema(store):
        store.close()
        print(f"error: {db} predates the query schema; run `make extract` (it upgrades the database) first",
              file=sys.stderr)
        return None
    return store
