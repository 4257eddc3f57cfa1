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


# --- the record form: what shards hold and loaders read -------------------------------------------------------
# A record is a plain, JSON-safe dict: Decimals as their exact strings, spans as [start, end], tuples as lists.
# ``schema_version`` names the record layout; a reader refuses a version it does not know. Bump it (and keep
# reading the old one) when a field changes meaning.
RECORD_SCHEMA = 1
RECORD_KINDS = ("extraction", "skip")


class RecordError(ValueError):
    """A record that is not one this version can read (unknown schema_version or kind, missing fields)."""


def _span(s: Span) -> list[int]:
    return [s.start, s.end]


def _unspan(v: Any) -> Span:
    return Span(int(v[0]), int(v[1]))


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def article_to_record(a: Article) -> dict[str, Any]:
    return {"id": a.id, "text": a.text, "url": a.url, "title": a.title, "published": a.published,
            "published_precision": a.published_precision, "source": a.source, "authors": list(a.authors),
            "language": a.language, "fetched_at": a.fetched_at, "path": a.path, "raw": dict(a.raw),
            "flags": list(a.flags)}


def article_from_record(r: dict[str, Any]) -> Article:
    return Article(id=r["id"], text=r["text"], url=r.get("url"), title=r.get("title"), published=r.get("published"),
                   published_precision=r.get("published_precision"), source=r.get("source"),
                   authors=tuple(r.get("authors") or ()), language=r.get("language"), fetched_at=r.get("fetched_at"),
                   path=r.get("path"), raw=dict(r.get("raw") or {}), flags=tuple(r.get("flags") or ()))


def extraction_to_record(ex: Extraction, config_hash: str | None = None) -> dict[str, Any]:
    """``ex`` as a record (see above); ``config_hash`` names the extraction configuration that made it."""
    return {
        "schema_version": RECORD_SCHEMA, "kind": "extraction", "config_hash": config_hash,
        "article": article_to_record(ex.article),
        "officials": [{"name": o.name, "title": o.title, "org": o.org, "span": _span(o.span),
                       "sentence": _span(o.sentence), "rule_id": o.rule_id, "extractor": o.extractor,
                       "mentions": [_span(m) for m in o.mentions]} for o in ex.officials],
        "claims": [{"type": c.type, "text": c.text, "value": str(c.value), "value_max": _dec(c.value_max),
                    "approx": c.approx, "unit": c.unit, "direction": c.direction, "modality": c.modality,
                    "subject": c.subject, "speaker": c.speaker, "time_start": c.time_start, "time_end": c.time_end,
                    "span": _span(c.span), "sentence": _span(c.sentence), "rule_id": c.rule_id,
                    "extractor": c.extractor, "equivalent_of": c.equivalent_of, "flags": list(c.flags),
                    "evidence": c.evidence} for c in ex.claims],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "calendar": d.calendar, "span": _span(d.span),
                   "sentence": _span(d.sentence), "rule_id": d.rule_id, "extractor": d.extractor, "role": d.role,
                   "gloss_text": d.gloss_text, "gloss_start": d.gloss_start, "gloss_end": d.gloss_end}
                  for d in ex.dates],
        "organisations": [{"name": o.name, "acronym": o.acronym, "span": _span(o.span), "rule_id": o.rule_id,
                           "extractor": o.extractor} for o in ex.organisations],
        "warnings": list(ex.warnings),
        "errors": list(ex.errors),
    }


def skip_to_record(s: Skip) -> dict[str, Any]:
    return {"schema_version": RECORD_SCHEMA, "kind": "skip", "source": s.source, "reason": s.reason,
            "article_id": s.article_id}


def check_record(r: Any) -> str:
    """The record's kind; raises RecordError for anything this version cannot read."""
    if not isinstance(r, dict):
        raise RecordError(f"a record is a JSON object, not {type(r).__name__}")
    if r.get("schema_version") != RECORD_SCHEMA:
        raise RecordError(f"record schema_version {r.get('schema_version')!r} is not {RECORD_SCHEMA}, the one this "
                          "version reads; re-run the extraction with this version")
    kind = r.get("kind")
    if kind not in RECORD_KINDS:
        raise RecordError(f"unknown record kind {kind!r}")
    return str(kind)


def skip_from_record(r: dict[str, Any]) -> Skip:
    if check_record(r) != "skip":
        raise RecordError(f"not a skip record: {r.get('kind')!r}")
    return Skip(r["source"], r["reason"], r.get("article_id"))


def extraction_from_record(r: dict[str, Any]) -> Extraction:
    """The Extraction a record holds (the inverse of :func:`extraction_to_record`); raises RecordError."""
    if check_record(r) != "extraction":
        raise RecordError(f"not an extraction record: {r.get('kind')!r}")
    try:
        return Extraction(
            article=article_from_record(r["article"]),
            officials=tuple(Official(name=o["name"], title=o["title"], org=o["org"], span=_unspan(o["span"]),
                                     sentence=_unspan(o["sentence"]), rule_id=o["rule_id"], extractor=o["extractor"],
                                     mentions=tuple(_unspan(m) for m in o["mentions"])) for o in r["officials"]),
            claims=tuple(Claim(type=c["type"], text=c["text"], value=Decimal(c["value"]),
                               value_max=None if c["value_max"] is None else Decimal(c["value_max"]),
                               approx=c["approx"], unit=c["unit"], direction=c["direction"], modality=c["modality"],
                               subject=c["subject"], speaker=c["speaker"], time_start=c["time_start"],
                               time_end=c["time_end"], span=_unspan(c["span"]), sentence=_unspan(c["sentence"]),
                               rule_id=c["rule_id"], extractor=c["extractor"], equivalent_of=c["equivalent_of"],
                               flags=tuple(c["flags"]), evidence=dict(c["evidence"])) for c in r["claims"]),
            dates=tuple(DateMention(text=d["text"], start=d["start"], end=d["end"], calendar=d["calendar"],
                                    span=_unspan(d["span"]), sentence=_unspan(d["sentence"]), rule_id=d["rule_id"],
                                    extractor=d["extractor"], role=d["role"], gloss_text=d["gloss_text"],
                                    gloss_start=d["gloss_start"], gloss_end=d["gloss_end"]) for d in r["dates"]),
            organisations=tuple(Organisation(name=o["name"], acronym=o["acronym"], span=_unspan(o["span"]),
                                             rule_id=o["rule_id"], extractor=o["extractor"])
                                for o in r["organisations"]),
            warnings=tuple(r["warnings"]),
            errors=tuple(r["errors"]),
        )
    except (KeyError, TypeError, IndexError, ArithmeticError, ValueError) as e:
        raise RecordError(f"malformed extraction record ({type(e).__name__}: {e})") from e
