"""Datasette plugin for the newsclaims site: SQL helper functions for the canned queries, the claim sentence
rendered with its figure highlighted, links to the claim-in-context page, notices for an empty database and
for malformed form parameters. Loaded with ``datasette --plugins-dir pipeline/query/serve/plugins``.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
from decimal import Decimal, InvalidOperation
from typing import Any

import datasette.handle_exception as _datasette_errors
from datasette import hookimpl
from markupsafe import Markup

from extractors.names import norm_name
from pipeline.query.chart import series_svg
from pipeline.query.claims import QueryError, fts_phrase, parse_amount, parse_since
from pipeline.store.query import (
    SITE_CLAIM_CLUSTER_SQL,
    SITE_CLAIM_COUNT_SQL,
    SITE_CLAIM_FLAGS_SQL,
    SITE_CLAIM_PREFIX_SQL,
    SITE_CLAIM_SQL,
    SITE_CLUSTER_APPEARANCES_SQL,
    SITE_CONFLICTS_SQL,
    SITE_CONVERSIONS_SQL,
    SITE_ENTITY_CLAIMS_SQL,
    SITE_ENTITY_ROLES_SQL,
    SITE_ENTITY_SQL,
    SITE_HAS_CROSSREF_SQL,
    SITE_SERIES_INDEX_SQL,
    SITE_SERIES_SQL,
)

# Datasette 0.65.5 prints every error with rich.print_exception(), which raises ValueError when called outside an
# `except` block -- as it is for unmatched paths -- turning a plain 404 into a 500 with a stack trace. The
# error page itself does not need rich; turn it off.
_datasette_errors.rich = None

CLAIM_PREFIX = re.compile(r"^[0-9a-f]{4,15}$")
EMPTY_NOTICE = "This database has no claims yet: run `make extract` to fill it, then `make serve` again."
_CHECKS = {"since": parse_since, "min_amount": parse_amount}


def sql_norm(text: str | None) -> str:
    return (norm_name(text or "") or "").replace(" ", "")


def sql_fts(text: str | None) -> str | None:
    try:
        return fts_phrase(text or "")
    except QueryError:
        return None


def sql_amount(text: str | None) -> float | None:
    try:
        return float(parse_amount(text or ""))
    except QueryError:
        return None


def sql_date(text: str | None) -> str | None:
    try:
        return parse_since(text or "")
    except QueryError:
        return None


def length_limit() -> int:
    """Bytes in one string, blob or row: above the largest article the input limits allow (``newsclaims serve``
    passes the value computed from its settings), far below what lets one query take gigabytes."""
    from pipeline.settings import Settings

    try:
        return int(os.environ.get("NEWSCLAIMS_SQLITE_LENGTH_LIMIT") or Settings().sqlite_length_limit())
    except ValueError:
        return Settings().sqlite_length_limit()


# (limit, value): what one query may use. The length limit is set per connection from length_limit().
SQLITE_LIMITS = (
    (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),
    (sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100),
    (sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 50),
    (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000),
    (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000),
    (sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 32),
    (sqlite3.SQLITE_LIMIT_ATTACHED, 0),
    (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 10),
)


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length_limit())
    for limit, value in SQLITE_LIMITS:
        conn.setlimit(limit, value)
    conn.create_function("newsclaims_norm", 1, sql_norm, deterministic=True)
    conn.create_function("newsclaims_fts", 1, sql_fts, deterministic=True)
    conn.create_function("newsclaims_amount", 1, sql_amount, deterministic=True)
    conn.create_function("newsclaims_date", 1, sql_date, deterministic=True)


def highlight(sentence: str, start: Any, end: Any) -> Markup:
    """The sentence, escaped, with sentence[start:end] wrapped in <mark>; unmarked when offsets are unusable."""
    try:
        s, e = int(start), int(end)
    except (TypeError, ValueError):
        return Markup(html.escape(sentence))
    if not 0 <= s < e <= len(sentence):
        return Markup(html.escape(sentence))
    return Markup(
        f'<span class="nc-sentence">{html.escape(sentence[:s])}<mark class="nc-figure">'
        f"{html.escape(sentence[s:e])}</mark>{html.escape(sentence[e:])}</span>"
    )


def _keys(row: Any) -> set[str]:
    try:
        return set(row.keys())
    except AttributeError:
        return set()


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    keys = _keys(row)
    if column == "sentence" and isinstance(value, str):
        if {"figure_start", "figure_end"} <= keys:
            return highlight(value, row["figure_start"], row["figure_end"])
        if table == "claims" and {"start", "end", "sentence_start"} <= keys:
            try:
                return highlight(value, row["start"] - row["sentence_start"], row["end"] - row["sentence_start"])
            except TypeError:
                return None
    if column == "claim_id" and isinstance(value, str) and value:
        href = datasette.urls.path("/claim/" + value)
        return Markup(f'<a class="nc-claim-link" href="{html.escape(href)}">{html.escape(value)}</a>')
    return None


def _grouped(value: str | None) -> str | None:
    """'15000000000000' -> '15,000,000,000,000' (exact: Decimal, no float)."""
    if value is None:
        return None
    try:
        return f"{Decimal(value):,}"
    except (InvalidOperation, ValueError):
        return value


STATUS_WORDS = {
    "corroborated": "Corroborated: independent sources give the same figure.",
    "restated": "Restated: the same figure, repeated from one origin; not independent confirmation.",
    "conflicting": "Conflicting: reports of this figure disagree.",
    "single-source": "Single source: no other story gives this figure.",
}


def _json_list(text: str | None) -> list[Any]:
    try:
        out = json.loads(text or "[]")
    except ValueError:
        return []
    return out if isinstance(out, list) else []


def _json_obj(text: str | None) -> dict[str, Any] | None:
    try:
        out = json.loads(text) if text else None
    except ValueError:
        return None
    return out if isinstance(out, dict) else None


def _cluster(row: dict[str, Any]) -> dict[str, Any]:
    """A claim_clusters row made ready for a template: status in words, revision, values."""
    row["status_words"] = STATUS_WORDS.get(row.get("status") or "", row.get("status"))
    row["revision"] = _json_obj(row.get("revision"))
    row["value_list"] = [dict(v, display=_grouped(str(v.get("value")))) for v in _json_list(row.get("cluster_values"))
                     if isinstance(v, dict)]
    return row


def _is_entity(origin: str | None) -> bool:
    return bool(origin) and str(origin).startswith(("person:", "org:", "other:"))


async def _appearances(db: Any, cluster_id: str) -> list[dict[str, Any]]:
    out = []
    for r in (await db.execute(SITE_CLUSTER_APPEARANCES_SQL, {"cluster_id": cluster_id})).rows:
        a = dict(r)
        a["value_display"] = _grouped(a["value"])
        a["origin_is_entity"] = _is_entity(a["origin"])
        a["own"] = a["origin_rule"] == "origin.outlet_own"
        out.append(a)
    return out


async def _claims_databases(datasette: Any) -> list[Any]:
    out = []
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        if await db.table_exists("claims") and await db.table_exists("articles"):
            out.append(db)
    return out


@hookimpl
def extra_template_vars(database: str | None, request: Any, datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        notices: list[str] = []
        dbs = [datasette.get_database(database)] if database else [
            d for n, d in datasette.databases.items() if n != "_internal"]
        for db in dbs:
            if not (await db.table_exists("claims") and await db.table_exists("articles")):
                notices.append(f"Database {db.name!r} has no claims tables: run `make extract` to create it.")
            elif (await db.execute(SITE_CLAIM_COUNT_SQL)).first()[0] == 0:
                notices.append(EMPTY_NOTICE)
        if request is not None:
            for key, check in _CHECKS.items():
                raw = request.args.get(key)
                if raw:
                    try:
                        check(raw)
                    except QueryError as e:
                        notices.append(f"{key}: {e}")

        async def claim_in_context(claim_id: str) -> dict[str, Any] | None:
            for db in await _claims_databases(datasette):
                rows = (await db.execute(SITE_CLAIM_SQL, {"claim_id": claim_id})).rows
                if not rows and CLAIM_PREFIX.match(claim_id or ""):  # a unique prefix, as the chart labels print
                    ids = [r[0] for r in (await db.execute(SITE_CLAIM_PREFIX_SQL, {"prefix": claim_id})).rows]
                    if len(ids) == 1:
                        rows = (await db.execute(SITE_CLAIM_SQL, {"claim_id": ids[0]})).rows
                if rows:
                    row = dict(rows[0])
                    row["database"] = db.name
                    url = row.get("url") or ""
                    row["safe_url"] = url if url.startswith(("https://", "http://")) else None
                    row["highlighted"] = highlight(row["sentence"] or "", row["figure_start"], row["figure_end"])
                    row["value_display"] = _grouped(row["value_exact"])
                    row["value_max_display"] = _grouped(row["value_max"])
                    row["conversions"] = [dict(r) for r in (await db.execute(
                        SITE_CONVERSIONS_SQL, {"claim_id": claim_id})).rows]
                    return row
            return None

        async def agreement(claim_id: str) -> dict[str, Any] | None:
            for db in await _claims_databases(datasette):
                if not (await db.execute(SITE_HAS_CROSSREF_SQL)).first()[0]:
                    continue
                flags = [dict(r) for r in (await db.execute(SITE_CLAIM_FLAGS_SQL, {"claim_id": claim_id})).rows]
                rows = (await db.execute(SITE_CLAIM_CLUSTER_SQL, {"claim_id": claim_id})).rows
                if not rows:
                    return {"cluster": None, "flags": flags}
                cl = _cluster(dict(rows[0]))
                cl["appearances"] = await _appearances(db, cl["id"])
                cl["others"] = [a for a in cl["appearances"] if a["claim_id"] != claim_id]
                return {"cluster": cl, "flags": flags}
            return None

        async def conflicts() -> list[dict[str, Any]]:
            out = []
            for db in await _claims_databases(datasette):
                if not (await db.execute(SITE_HAS_CROSSREF_SQL)).first()[0]:
                    continue
                for r in (await db.execute(SITE_CONFLICTS_SQL)).rows:
                    cl = _cluster(dict(r))
                    cl["appearances"] = await _appearances(db, cl["id"])
                    out.append(cl)
            return out

        async def entity(entity_id: str) -> dict[str, Any] | None:
            for db in await _claims_databases(datasette):
                if not (await db.execute(SITE_HAS_CROSSREF_SQL)).first()[0]:
                    continue
                rows = (await db.execute(SITE_ENTITY_SQL, {"entity_id": entity_id})).rows
                if rows:
                    e = dict(rows[0])
                    e["variants"] = _json_list(e["variants"])
                    e["roles"] = [dict(r) for r in (await db.execute(SITE_ENTITY_ROLES_SQL,
                                                                     {"entity_id": entity_id})).rows]
                    e["claims"] = [dict(r) for r in (await db.execute(SITE_ENTITY_CLAIMS_SQL,
                                                                      {"entity_id": entity_id})).rows]
                    return e
            return None

        async def series(subject: str | None, measure: str | None) -> dict[str, Any]:
            out: dict[str, Any] = {"points": [], "svg": None, "index": [], "subject": subject, "measure": measure}
            for db in await _claims_databases(datasette):
                if not (await db.execute(SITE_HAS_CROSSREF_SQL)).first()[0]:
                    continue
                out["index"] = [dict(r) for r in (await db.execute(SITE_SERIES_INDEX_SQL)).rows]
                if subject and measure:
                    pts = [dict(r) for r in (await db.execute(SITE_SERIES_SQL, {"subject": subject,
                                                                                "measure": measure})).rows]
                    out["points"] = pts
                    if not pts:
                        return out
                    name = pts[0]["subject"] if pts and pts[0]["subject"] else subject
                    out["title"] = f"{name}: {measure}"
                    out["svg"] = Markup(series_svg(pts, lambda cid: datasette.urls.path("/claim/" + cid),
                                                   out["title"]))
                return out
            return out

        return {"newsclaims_notices": notices, "newsclaims_claim": claim_in_context,
                "newsclaims_agreement": agreement, "newsclaims_conflicts": conflicts, "newsclaims_entity": entity,
                "newsclaims_series": series}

    return inner

