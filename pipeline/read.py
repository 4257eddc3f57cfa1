"""The reader: inputs -> Articles. :mod:`pipeline.inputs` finds and reads the local inputs and
:mod:`pipeline.web_inputs` the archived pages, without parsing; this module parses the HTML ones
(:mod:`pipeline.parse`) and assembles each Article: the body text normalised, the metadata checked, the
publication date read strictly (:mod:`pipeline.parse.published`). Every input that cannot become an Article is
a Skip with its reason (naming the file, manifest line or URL); nothing one input does stops the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.inputs import InputLimits, RawArchive, RawInput, iter_inputs
from pipeline.models import Article, Skip
from pipeline.parse.published import parse_published

if TYPE_CHECKING:  # the parser (trafilatura, htmldate) and warcio load only when an HTML or WARC input comes
    from pipeline.fetch.archive import ArchivedRecord

MAX_FIELD_CHARS = 4096  # a metadata value (title, url, source, author) longer than this is dropped with a warning


def iter_articles(
    paths: list[Path],
    warnings: list[str] | None = None,
    *,
    limits: InputLimits | None = None,
    unsupported: list[str] | None = None,
) -> Iterator[Article | Skip]:
    """An Article or a Skip for every input found under ``paths``, in a stable order (see
    :func:`pipeline.inputs.iter_inputs`); warnings about the inputs are appended to ``warnings``."""
    warn = warnings if warnings is not None else []
    lim = limits or InputLimits()
    for item in iter_inputs(paths, warn, limits=lim, unsupported=unsupported):
        if isinstance(item, Skip):
            yield item
        elif isinstance(item, RawArchive):
            for got in archive_articles(item.pages, item.max_bytes):
                if isinstance(got, Article) and len(got.text) > lim.max_text_chars:
                    yield Skip(got.url or got.id, f"text is {len(got.text)} characters, more than the limit of "
                               f"{lim.max_text_chars} (max_text_chars)", got.id)
                else:
                    yield got
        else:
            yield article_from(item, warn, lim)


def read_inputs(
    paths: list[Path],
    limits: InputLimits | None = None,
    *,
    warnings: list[str] | None = None,
    unsupported: list[str] | None = None,
) -> Iterator[Article | Skip]:
    """The library API's first step (see :mod:`pipeline.engines`): every Article under ``paths`` once, in a
    stable order, and a Skip for every input (file, manifest line, archived page) that cannot be one -- a
    second article with an id already seen included. Never raises for one bad input."""
    seen: set[str] = set()
    for item in iter_articles(paths, warnings, limits=limits, unsupported=unsupported):
        if isinstance(item, Article):
            if item.id in seen:
                yield Skip(item.path or item.id, "duplicate article id in this run; ids must be unique", item.id)
                continue
            seen.add(item.id)
        yield item


def article_from(item: RawInput, warn: list[str], lim: InputLimits | None = None) -> Article | Skip:
    """One raw input -> an Article (an HTML page parsed first), or a Skip with the reason: never raises."""
    try:
        return _article_from(item, warn, lim or InputLimits())
    except Exception as e:  # noqa: BLE001 - one unreadable input is a recorded skip, never the end of the run
        if item.manifest_text:
            return Skip(item.source, f"cannot read manifest line ({type(e).__name__}: {e})")
        return Skip(item.source, f"cannot read ({type(e).__name__}: {e})", item.id)


def _article_from(item: RawInput, warn: list[str], lim: InputLimits) -> Article | Skip:
    if item.kind != "html":
        assert isinstance(item.body, str)
        return _article(item.id, item.body, item.meta, raw=item.raw, warn=warn, where=item.where, lim=lim)
    from pipeline.parse.page import ParseError, parse_html

    merged = item.meta
    try:
        page = parse_html(item.body, url=merged.get("url") if isinstance(merged.get("url"), str) else None)
    except Exception as e:  # noqa: BLE001 - ParseError, or any bug the page triggers: a skip either way
        return Skip(item.source, f"cannot parse HTML: {e}" if isinstance(e, ParseError)
                    else f"cannot parse HTML ({type(e).__name__}: {e})", item.id)
    if page.skip_reason:
        return Skip(item.source, page.skip_reason, item.id)
    parsed = {
        "url": page.canonical_url or page.url,
        "title": page.title,
        "published": page.published,
        "source": page.source,
        "authors": list(page.authors),
        "language": page.language,
    }
    merged = {**{k: v for k, v in parsed.items() if v}, **merged}
    return _article(item.id, page.text, merged, raw=item.raw, warn=warn, where=item.where, flags=tuple(page.flags),
                    lim=lim)


def iter_archive_articles(archive_dir: Path, max_bytes: int | None = None) -> Iterator[Article | Skip]:
    """Articles and Skips from an archive directory (see :func:`archive_articles`); ``max_bytes`` defaults to
    the archive's MAX_CONTENT_BYTES."""
    from pipeline.fetch.archive import MAX_CONTENT_BYTES
    from pipeline.web_inputs import latest_pages

    limit = MAX_CONTENT_BYTES if max_bytes is None else max_bytes
    return archive_articles(latest_pages(archive_dir, limit), limit)


def archive_articles(pages: Iterable[ArchivedRecord], max_bytes: int) -> Iterator[Article | Skip]:
    """Archived pages parsed: Articles (newest copy per article id, in id order), then Skips (with reasons). A
    payload is decompressed to at most ``max_bytes``; a cut one (or one the fetcher marked ``WARC-Truncated``)
    is flagged ``truncated``."""
    from pipeline.parse.page import ParseError, parse_html
    from pipeline.web_inputs import article_id

    articles: dict[str, Article] = {}
    skips: list[Skip] = []
    for rec in pages:
        url = rec.target_uri
        payload, cut = rec.content_capped(max_bytes)
        headers = dict(rec.http_headers)
        try:
            page = parse_html(payload, url=url, headers=headers)
        except ParseError as exc:
            skips.append(Skip(source=url, reason=f"parse error: {exc}", article_id=article_id(url)))
            continue
        except Exception as exc:  # noqa: BLE001 - a page that trips a bug is a recorded skip, not the end
            skips.append(Skip(source=url, reason=f"parse error ({type(exc).__name__}: {exc})",
                              article_id=article_id(url)))
            continue
        aid = article_id(page.canonical_url or url)
        if page.skip_reason:
            skips.append(Skip(source=url, reason=page.skip_reason, article_id=aid))
            continue
        if not page.text.strip():
            skips.append(Skip(source=url, reason="no article text found", article_id=aid))
            continue
        flags = page.flags + (("truncated",) if cut else ())
        published = page.published if page.published and parse_published(page.published).iso else None
        art = Article(
            id=aid,
            text=page.text.replace("\x00", ""),
            url=url,
            title=page.title,
            published=published,
            published_precision=page.published_precision if published else None,
            source=page.source,
            authors=page.authors,
            language=page.language,
            fetched_at=rec.warc_date,
            raw={"warc_file": rec.warc_file, "warc_offset": rec.warc_offset, "warc_record_id": rec.record_id,
                 "payload_sha256": rec.payload_sha256, "canonical_url": page.canonical_url,
                 "adapter": page.adapter},
            flags=flags,
        )
        prev = articles.get(aid)
        if prev is None or (prev.fetched_at or "") <= (art.fetched_at or ""):
            articles[aid] = art
    yield from (articles[k] for k in sorted(articles))
    yield from skips


def _field(meta: dict[str, Any], key: str, warn: list[str], where: str) -> str | None:
    v = meta.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str | int | float) or isinstance(v, bool):
        warn.append(f"{where}: {key} is not a string ({type(v).__name__}); left out")
        return None
    s = str(v)
    if len(s) > MAX_FIELD_CHARS:
        warn.append(f"{where}: {key} is {len(s)} characters, more than {MAX_FIELD_CHARS}; left out")
        return None
    return s


def _article(
    aid: str,
    text: str,
    meta: dict[str, Any],
    raw: dict[str, Any],
    warn: list[str],
    where: str,
    flags: tuple[str, ...] = (),
    lim: InputLimits | None = None,
) -> Article | Skip:
    lim = lim or InputLimits()
    title = _field(meta, "title", warn, where)
    text = normalise_text(text, title)
    if "\x00" in text:
        warn.append(f"{where}: {text.count(chr(0))} NUL character(s) removed from the text")
        text = text.replace("\x00", "")
    if not text.strip():
        return Skip(where, "no body text", aid)
    if len(text) > lim.max_text_chars:
        return Skip(where, f"text is {len(text)} characters, more than the limit of {lim.max_text_chars} "
                    "(max_text_chars); split the article or raise the limit", aid)
    published = precision = None
    raw_pub = meta.get("published")
    if raw_pub is not None and raw_pub != "":
        got = parse_published(raw_pub)
        if got.iso is None:
            warn.append(f"{where}: publication date {str(raw_pub)[:80]!r} {got.problem}; stored as null, so "
                        "relative dates stay unresolved")
        elif got.iso == str(raw_pub):
            published, precision = got.iso, meta.get("published_precision")
        else:  # a written-out date ("March 3rd 2020") normalised to ISO
            published, precision = got.iso, got.precision
    else:
        warn.append(f"{where}: no publication date; relative dates stay unresolved")
    authors = meta.get("authors") or ()
    if isinstance(authors, str):
        authors = (authors,)
    if not isinstance(authors, list | tuple):
        authors = ()
    return Article(
        id=aid,
        text=text,
        url=_field(meta, "url", warn, where),
        title=title,
        published=published,
        published_precision=precision if published else None,
        source=_field(meta, "source", warn, where),
        authors=tuple(str(a)[:MAX_FIELD_CHARS] for a in authors[:100]),
        language=_field(meta, "language", warn, where),
        path=raw.get("raw_path"),
        raw=raw,
        flags=flags,
    )


def normalise_text(text: str, title: str | None) -> str:
    """Unify line endings, strip a BOM, and drop a first line that repeats the title (body text only)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if title:
        first, sep, rest = text.partition("\n")
        if sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
            text = rest
    return text.strip("\n")
