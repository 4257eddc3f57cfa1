"""Ask the claims database the fact-checkers' questions. Parameterised SQL only: every user value is a bound
parameter, never part of the SQL text. Reads go through ``Store.rows`` on a read-only connection.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.models import CLAIM_TYPES, MODALITIES
from pipeline.store import Store, norm_name

# Columns of the ``claims_in_context`` view (see the newsclaims-query migration) that a query returns.
RESULT_COLUMNS = (
    "claim_id", "published", "source", "type", "figure", "value_exact", "value_max", "approx", "unit",
    "modality", "subject", "speaker", "speaker_title", "speaker_org", "time_start", "time_end", "sentence",
    "figure_start", "figure_end", "article_title", "url", "article_id",
)

_SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9,
    "b": 10**9, "trillion": 10**12, "tn": 10**12, "quadrillion": 10**15,
}
_AMOUNT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]+)?\s*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(ValueError):
    """A parameter the user gave cannot be used; the message says why and what would work."""


def parse_amount(text: str) -> Decimal:
    """'10 trillion', '1e13', '10,000,000,000,000' -> Decimal. Raises QueryError on anything else."""
    m = _AMOUNT.match(text or "")
    if not m:
        raise QueryError(f"not a number: {text!r} (try 10000000000000, 1e13 or '10 trillion')")
    digits, scale = m.group(1).replace(",", ""), (m.group(2) or "").lower()
    if scale and scale not in _SCALES:
        raise QueryError(f"unknown scale {m.group(2)!r} in {text!r} (use thousand, million, billion or trillion)")
    try:
        return Decimal(digits) * _SCALES.get(scale, 1)
    except InvalidOperation as e:  # pragma: no cover - the regex admits only valid decimals
        raise QueryError(f"not a number: {text!r}") from e


def parse_since(text: str) -> str:
    """A date bound: YYYY, YYYY-MM or YYYY-MM-DD (checked to be a real date). Returns it unchanged."""
    if not _DATE.match(text or ""):
        raise QueryError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019-03-21)")
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as e:
        raise QueryError(f"not a date: {text!r} ({e})") from e
    return text


@dataclass(frozen=True)
class ClaimQuery:
    """Filters over claims; None means 'any'. Strings match case-insensitively."""

    official: str | None = None  # speaker name, tolerant of variants (see store.norm_name)
    type: str | None = None  # one of CLAIM_TYPES
    subject: str | None = None  # substring of the claim's subject
    unit: str | None = None  # exact unit or currency code: IRR, USD, %, ...
    since: str | None = None  # article published on or after: YYYY, YYYY-MM or YYYY-MM-DD
    min_value: Decimal | None = None
    modality: str | None = None  # one of MODALITIES
    topic: str | None = None  # full-text search over the sentence, figure, subject and speaker
    claim_ids: tuple[str, ...] = ()
    limit: int | None = None

    def validate(self) -> ClaimQuery:
        if self.type is not None and self.type not in CLAIM_TYPES:
            raise QueryError(f"unknown claim type {self.type!r} (choose from {', '.join(CLAIM_TYPES)})")
        if self.modality is not None and self.modality not in MODALITIES:
            raise QueryError(f"unknown modality {self.modality!r} (choose from {', '.join(MODALITIES)})")
        if self.since is not None:
            parse_since(self.since)
        if self.limit is not None and self.limit < 1:
            raise QueryError(f"limit must be a positive number, not {self.limit}")
        if self.official is not None and not norm_name(self.official):
            raise QueryError(f"not a name: {self.official!r}")
        return self


def fts_phrase(text: str) -> str:
    """Quote each word for an FTS5 MATCH so user text is never FTS syntax: 'idle units' -> '"idle" "units"'."""
    words = re.findall(r"\w+", text)
    if not words:
        raise QueryError(f"nothing to search for in {text!r}")
    return " ".join('"' + w + '"' for w in words)


def build_sql(q: ClaimQuery) -> tuple[str, dict[str, Any]]:
    """The SQL and its bound parameters. Only fixed SQL fragments are concatenated; values are parameters."""
    q.validate()
    where: list[str] = []
    params: dict[str, Any] = {}
    if q.official:
        # A person (name variants folded) or an organisation the speaker belongs to (e.g. ISIPO).
        where.append("(instr(replace(coalesce(norm_speaker, ''), ' ', ''), :official) > 0"
                     " or instr(lower(coalesce(speaker_org, '')), lower(:official_org)) > 0)")
        params["official"] = (norm_name(q.official) or "").replace(" ", "")
        params["official_org"] = q.official.strip()
    if q.type:
        where.append("type = :type")
        params["type"] = q.type
    if q.modality:
        where.append("modality = :modality")
        params["modality"] = q.modality
    if q.subject:
        where.append("instr(lower(coalesce(subject, '')), lower(:subject)) > 0")
        params["subject"] = q.subject
    if q.unit:
        where.append("lower(unit) = lower(:unit)")
        params["unit"] = q.unit
    if q.since:
        where.append("published >= :since")
        params["since"] = q.since
    if q.min_value is not None:
        where.append("value >= :min_value")
        params["min_value"] = float(q.min_value)
    if q.topic:
        where.append("claim_rowid in (select rowid from claims_fts where claims_fts match :topic)")
        params["topic"] = fts_phrase(q.topic)
    if q.claim_ids:
        names = []
        for i, cid in enumerate(q.claim_ids):
            params[f"id{i}"] = cid
            names.append(f":id{i}")
        where.append(f"claim_id in ({', '.join(names)})")
    sql = f"select {', '.join(RESULT_COLUMNS)} from claims_in_context"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by published, article_id, claim_rowid"
    if q.limit:
        sql += " limit :limit"
        params["limit"] = q.limit
    return sql, params


def find_claims(store: Store, q: ClaimQuery) -> Iterator[dict[str, Any]]:
    """Claims matching ``q``, oldest article first. ``min_value`` is compared exactly (Decimal)."""
    sql, params = build_sql(q)
    for row in store.rows(sql, params):
        if q.min_value is not None and Decimal(row["value_exact"]) < q.min_value:
            continue
        yield row


def distinct_values(store: Store, column: str) -> list[str]:
    """Values present in the database for a hint when a filter finds nothing (type, unit, modality)."""
    if column not in ("type", "unit", "modality"):
        raise ValueError(column)
    return [r["v"] for r in store.rows(f"select distinct {column} as v from claims where {column} is not null "
                                       f"order by v")]


def has_query_schema(store: Store) -> bool:
    """True when the database has the claims view and full-text index this module needs."""
    names = {r["name"] for r in store.rows("select name from sqlite_master where type in ('table', 'view')")}
    return {"claims", "claims_in_context", "claims_fts"} <= names
