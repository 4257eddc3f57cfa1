"""The Datasette site over the claims database: metadata (titles, descriptions, facets, canned queries),
templates (the claim-in-context page, notices) and a small plugin.

Security model (README "The site's security model"): the database is opened read-only (``?mode=ro``), never
immutable -- an extract may write to it while the site serves, and SQLite's WAL gives every query a consistent
snapshot of the last committed state; the server process cannot write (Datasette's write API is not in 0.65 and
no plugin writes). Every connection gets SQLite limits (plugin ``prepare_connection``): a value or row may not
exceed the largest article the input limits allow, SQL text, expression depth, compound selects, LIKE patterns,
variables and attached databases are bounded. Queries time out after 3 s. Arbitrary SQL is allowed only when
the site listens on the loopback interface, unless ``allow_sql`` is set.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.store.query import CANNED_QUERIES

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yaml"
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"
_DB_KEY = "claims"


@cache
def _base_metadata() -> dict[str, Any]:
    """metadata.yaml with each canned query's SQL added from the store (``CANNED_QUERIES``)."""
    with open(METADATA, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    queries = data["databases"][_DB_KEY]["queries"]
    if set(queries) != set(CANNED_QUERIES):
        raise ValueError(f"{METADATA}: canned queries {sorted(queries)} differ from the store's "
                         f"{sorted(CANNED_QUERIES)}")
    for name, q in queries.items():
        q["sql"] = CANNED_QUERIES[name]
    return data


def metadata_for(db_name: str = _DB_KEY) -> dict[str, Any]:
    """The site metadata with its database section keyed by ``db_name`` (Datasette names a database by its
    file stem)."""
    meta = copy.deepcopy(_base_metadata())
    if db_name != _DB_KEY:
        meta["databases"] = {db_name: meta["databases"].pop(_DB_KEY)}
        meta["description_html"] = meta["description_html"].replace(f"/{_DB_KEY}/", f"/{db_name}/")
    return meta


def canned_query_names() -> list[str]:
    return list(_base_metadata()["databases"][_DB_KEY]["queries"])


LOOPBACK = ("127.0.0.1", "localhost", "::1")
LENGTH_LIMIT_ENV = "NEWSCLAIMS_SQLITE_LENGTH_LIMIT"
SQL_TIME_LIMIT_MS = 3000


def sql_allowed(host: str, allow_sql: bool = False) -> bool:
    """Arbitrary SQL is on for a site on the loopback interface, off elsewhere unless ``allow_sql``."""
    return allow_sql or host in LOOPBACK


def datasette_args(db: Path, metadata_file: Path, *, host: str = "127.0.0.1", port: int = 8001,
                   allow_sql: bool = False) -> list[str]:
    """Arguments after ``datasette serve`` for a read-only (not immutable) site over ``db``."""
    args = [
        str(db), "--metadata", str(metadata_file), "--template-dir", str(TEMPLATES),
        "--plugins-dir", str(PLUGINS), "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", str(SQL_TIME_LIMIT_MS), "--setting", "facet_time_limit_ms", "1000",
    ]
    if not sql_allowed(host, allow_sql):
        args += ["--setting", "default_allow_sql", "off"]
    return args
