"""Value objects passed between the stages. Frozen dataclasses only: no I/O, no spaCy here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

APPROX = ("=", "~", ">", "<", ">=", "<=")
MODALITIES = ("actual", "target", "forecast", "potential")


@dataclass(frozen=True)
class Article:
    """One article's body text and metadata, ready for extraction.

    ``published`` is ISO 8601 (a date, or a date-time with offset); relative dates resolve against it.
    ``raw`` describes where the bytes came from: a local file or a WARC record.
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    fetched_at: str | None = None
    path: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skip:
    """An input that could not be processed, and why. Skips are recorded, never dropped."""

    source: str
    reason: str
    article_id: str | None = None


@dataclass(frozen=True)
class Span:
    """Character offsets into the article text, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True)
class Official:
    name: str
    title: str | None
    org: str | None
    span: Span
    sentence: Span
    rule_id: str
    extractor: str
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Organisation:
    name: str
    acronym: str | None
    span: Span
    rule_id: str
    extractor: str


@dataclass(frozen=True)
class DateMention:
    text: str
    start: str | None  # ISO date, inclusive
    end: str | None  # ISO date, inclusive
    calendar: str  # "persian" | "gregorian"
    span: Span
    sentence: Span
    rule_id: str
    extractor: str
    role: str | None = None  # "by" (deadline), "since", "in", "gloss", ...
    # A restating parenthesis merged into the mention ("the first seven months (March 21-October 22)"): its text
    # and the ISO bounds the journalist gave, beside the exact ``start``/``end`` (see extractors/dates.py).
    gloss_text: str | None = None
    gloss_start: str | None = None
    gloss_end: str | None = None


@dataclass(frozen=True)
class Claim:
    type: str  # one of extractors.quantities.CLAIM_KINDS
    text: str
    value: Decimal
    value_max: Decimal | None
    approx: str
    unit: str | None
    direction: str | None
    modality: str
    subject: str | None
    speaker: str | None
    time_start: str | None
    time_end: str | None
    span: Span
    sentence: Span
    rule_id: str
    extractor: str
    equivalent_of: int | None = None  # index (in the article's claim list) of the amount this one converts
    flags: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)  # which rule decided modality, speaker, time ...


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    officials: tuple[Official, ...]
    claims: tuple[Claim, ...]
    dates: tuple[DateMention, ...]
    organisations: tuple[Organisation, ...] = ()
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()  # rule components that failed on this article; such an article is skipped
