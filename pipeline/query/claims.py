"""Ask the claims database the fact-checkers' questions: the filters are checked and folded here, and run
as parameterised SQL by :mod:`pipeline.store.query` (every user value a bound parameter, never part of the SQL
text) on a read-only connection.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.names import norm_name
from extractors.quantities import CLAIM_KINDS
from pipeline.models import MODALITIES
from pipeline.store import Store
from pipeline.store import query as db
from pipeline.store.query import ClaimFilter, distinct_values, has_query_schema

__all__ = ["ClaimQuery", "QueryError", "build_sql", "distinct_values", "find_claims", "fts_phrase",
           "has_query_schema", "parse_amount", "parse_since", "resolve_claim_id", "resolve_claim_ids"]

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


MIN_ID_PREFIX = 4
_HEX = re.compile(r"^[0-9a-f]+$")


def resolve_claim_id(store: Store, given: str) -> str:
    """The full claim id that ``given`` is, or is the unique prefix of (at least MIN_ID_PREFIX hex characters,
    as the ``series`` labels and the site print them). Raises QueryError naming the candidates when the prefix
    is ambiguous, and when no claim has it."""
    g = (given or "").strip().lower()
    if not _HEX.match(g) or len(g) < MIN_ID_PREFIX:
        raise QueryError(f"no claim with id {given} (a claim id is hex; give it whole or its first "
                         f"{MIN_ID_PREFIX} or more characters)")
    found = db.claim_ids_with_prefix(store, g)
    if not found:
        raise QueryError(f"no claim with id {given}")
    if len(found) > 1 and g not in found:
        more = "…" if len(found) >= 3 else ""
        raise QueryError(f"claim id prefix {given!r} is ambiguous: {', '.join(found)}{more}; give more characters")
    return g if g in found else found[0]


def resolve_claim_ids(store: Store, given: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(resolve_claim_id(store, g) for g in given)


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

    official: str | None = None  # speaker name, tolerant of variants (see extractors.names.norm_name)
    type: str | None = None  # one of CLAIM_KINDS
    subject: str | None = None  # substring of the claim's subject
    unit: str | None = None  # exact unit or currency code: IRR, USD, %, ...
    since: str | None = None  # article published on or after: YYYY, YYYY-MM or YYYY-MM-DD
    min_value: Decimal | None = None
    modality: str | None = None  # one of MODALITIES
    topic: str | None = None  # full-text search over the sentence, figure, subject and speaker
    claim_ids: tuple[str, ...] = ()
    limit: int | None = None

    def validate(self) -> ClaimQuery:
        if self.type is not None and self.type not in CLAIM_KINDS:
            raise QueryError(f"unknown claim type {self.type!r} (choose from {', '.join(CLAIM_KINDS)})")
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


def claim_filter(q: ClaimQuery) -> ClaimFilter:
    """``q`` checked, with the speaker's name folded and the topic made an FTS phrase: values ready to bind."""
    q.validate()
    return ClaimFilter(
        official=(norm_name(q.official) or "").replace(" ", "") if q.official else None,
        official_org=q.official.strip() if q.official else None,
        type=q.type, modality=q.modality, subject=q.subject, unit=q.unit, since=q.since,
        min_value=float(q.min_value) if q.min_value is not None else None,
        topic=fts_phrase(q.topic) if q.topic else None,
        claim_ids=q.claim_ids, limit=q.limit,
    )


def build_sql(q: ClaimQuery) -> tuple[str, dict[str, Any]]:
    """The SQL and its bound parameters (see :func:`pipeline.store.query.claims_sql`)."""
    return db.claims_sql(claim_filter(q))


def find_claims(store: Store, q: ClaimQuery) -> Iterator[dict[str, Any]]:
    """Claims matching ``q``, oldest article first. ``min_value`` is compared exactly (Decimal)."""
    for row in db.claim_rows(store, claim_filter(q)):
        if q.min_value is not None and Decimal(row["value_exact"]) < q.min_value:
            continue
        yield row
