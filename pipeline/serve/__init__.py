"""The Datasette site over the claims database: metadata (titles, descriptions, facets, canned queries),
templates (the claim-in-context page, notices) and a small plugin. Datasette serves the database immutable,
so the server can never write to it.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yaml"
TEMPLATES = HERE / "templates"
PLUGINS = HERE / "plugins"
_DB_KEY = "claims"


@cache
def _base_metadata() -> dict[str, Any]:
    with open(METADATA, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
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


def datasette_args(db: Path, metadata_file: Path, *, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """Arguments after ``datasette serve`` for a read-only site over ``db``."""
    return [
        "-i", str(db), "--metadata", str(metadata_file), "--template-dir", str(TEMPLATES),
        "--plugins-dir", str(PLUGINS), "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", "3000", "--setting", "facet_time_limit_ms", "1000",
    ]
