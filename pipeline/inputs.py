"""Local inputs -> Articles: folders of .html/.txt files (with optional sidecar .json), single files,
.jsonl manifests, and WARC archive folders written by `newsclaims fetch`. Every input that cannot be read
becomes a Skip with its reason; nothing is dropped.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.models import Article, Skip

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
SIDECAR_FIELDS = ("url", "title", "published", "source")
GZIP_SUFFIX = ".gz"
# Decompressed size cap for gzipped inputs (a guard against decompression bombs).
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024


def input_kind(f: Path) -> str | None:
    """'text', 'html' or None from the file name; ``page.html.gz`` is a gzipped HTML page."""
    suffixes = [x.lower() for x in f.suffixes[-2:]]
    if suffixes and suffixes[-1] == GZIP_SUFFIX:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in TEXT_SUFFIXES:
        return "text"
    if last in HTML_SUFFIXES:
        return "html"
    return None


def stem_of(f: Path) -> str:
    """The file name without its input suffixes (``a.html.gz`` -> ``a``)."""
    name = f.name
    if name.lower().endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return Path(name).stem


def gunzip_capped(data: bytes, limit: int | None = None) -> bytes:
    """Decompress gzip ``data``; raises ValueError past ``limit`` bytes out (default
    MAX_DECOMPRESSED_BYTES) or on corrupt or truncated input."""
    limit = MAX_DECOMPRESSED_BYTES if limit is None else limit
    d = zlib.decompressobj(47)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as e:
        raise ValueError(f"not valid gzip ({e})") from e
    if len(out) > limit:
        raise ValueError(f"decompresses to more than {limit} bytes")
    if not d.eof:
        raise ValueError("not valid gzip (truncated stream)")
    return out


class InputError(Exception):
    """An input that cannot be turned into an article; the message names the file and what to do."""


def iter_inputs(paths: list[Path], warnings: list[str] | None = None) -> Iterator[Article | Skip]:
    """Yield an Article or a Skip for every input found under ``paths``, in a stable order."""
    warn = warnings if warnings is not None else []
    for path in paths:
        if not path.exists():
            yield Skip(str(path), "path does not exist; check the spelling or run from the repository root")
        elif path.is_dir() and any(path.glob("*.warc*")):
            from pipeline.web_inputs import iter_archive_articles

            yield from iter_archive_articles(path)
        elif path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if input_kind(f) is not None:
                    aid = (f.parent / stem_of(f)).relative_to(path).as_posix()
                    yield _from_file(f, aid, {}, warn)
        elif path.suffix.lower() == ".jsonl":
            yield from _iter_manifest(path, warn)
        elif input_kind(path) is not None:
            yield _from_file(path, stem_of(path), {}, warn)
        else:
            yield Skip(
                str(path), f"unsupported input type {path.suffix!r}; give a folder, .txt, .html (maybe .gz) or .jsonl"
            )


def _iter_manifest(manifest: Path, warn: list[str]) -> Iterator[Article | Skip]:
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        yield Skip(str(manifest), f"cannot read manifest: {e}")
        return
    for n, line in enumerate(lines, 1):
        where = f"{manifest}:{n}"
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skip(where, f"manifest line is not JSON ({e.msg}); fix or remove the line")
            continue
        if not isinstance(entry, dict) or not (entry.get("path") or entry.get("text")):
            yield Skip(where, "manifest line has neither 'path' nor 'text'; give one of them")
            continue
        meta = {k: entry.get(k) for k in (*SIDECAR_FIELDS, "published_precision") if entry.get(k) is not None}
        if entry.get("path"):
            p = Path(entry["path"])
            if not p.is_absolute():
                p = manifest.parent / p
            aid = str(entry.get("id") or stem_of(p))
            yield _from_file(p, aid, meta, warn, where=where)
        else:
            text = entry["text"]
            if not isinstance(text, str) or not text.strip():
                yield Skip(where, "manifest 'text' is empty", article_id=entry.get("id"))
                continue
            aid = str(entry.get("id") or f"{manifest.stem}-{n}")
            yield _article(aid, text, meta, raw={"manifest": str(manifest), "line": n}, warn=warn, where=where)


def _read_sidecar(f: Path, warn: list[str]) -> dict[str, Any] | Skip:
    side = f.parent / (stem_of(f) + ".json")
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return Skip(str(side), f"sidecar is not valid JSON ({e}); fix it or delete it")
    if not isinstance(data, dict):
        return Skip(str(side), "sidecar must be a JSON object {url, title, published, source}")
    missing = [k for k in SIDECAR_FIELDS if not data.get(k)]
    if missing:
        warn.append(f"{side}: sidecar lacks {', '.join(missing)}")
    return {k: data[k] for k in (*SIDECAR_FIELDS, "published_precision", "authors") if data.get(k)}


def _from_file(
    f: Path, aid: str, meta: dict[str, Any], warn: list[str], where: str | None = None
) -> Article | Skip:
    where = where or str(f)
    try:
        data = f.read_bytes()
    except OSError as e:
        return Skip(str(f), f"cannot read file ({e.strerror}); check that it exists and is readable", aid)
    raw = {"raw_path": str(f), "raw_sha256": hashlib.sha256(data).hexdigest()}
    if f.name.lower().endswith(GZIP_SUFFIX):
        try:
            data = gunzip_capped(data)
        except ValueError as e:
            return Skip(str(f), f"cannot decompress: {e}", aid)
    if not data.strip():
        return Skip(str(f), "file is empty", aid)
    if b"\x00" in data[:4096]:
        return Skip(str(f), "file is binary, not text or HTML", aid)
    side = _read_sidecar(f, warn)
    if isinstance(side, Skip):
        return Skip(side.source, side.reason, aid)
    merged = {**side, **meta}
    if input_kind(f) == "html":
        from pipeline.parse import ParseError, parse_html

        try:
            page = parse_html(data, url=merged.get("url"))
        except ParseError as e:
            return Skip(str(f), f"cannot parse HTML: {e}", aid)
        if page.skip_reason:
            return Skip(str(f), page.skip_reason, aid)
        parsed = {
            "url": page.canonical_url or page.url,
            "title": page.title,
            "published": page.published,
            "source": page.source,
            "authors": list(page.authors),
            "language": page.language,
        }
        merged = {**{k: v for k, v in parsed.items() if v}, **merged}
        return _article(aid, page.text, merged, raw=raw, warn=warn, where=where, flags=tuple(page.flags))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return Skip(str(f), f"not UTF-8 (byte {e.start}); convert it with iconv -t UTF-8", aid)
    return _article(aid, text, merged, raw=raw, warn=warn, where=where)


def _article(
    aid: str,
    text: str,
    meta: dict[str, Any],
    raw: dict[str, Any],
    warn: list[str],
    where: str,
    flags: tuple[str, ...] = (),
) -> Article | Skip:
    text = normalise_text(text, meta.get("title"))
    if not text.strip():
        return Skip(where, "no body text", aid)
    if not meta.get("published"):
        warn.append(f"{where}: no publication date; relative dates stay unresolved")
    return Article(
        id=aid,
        text=text,
        url=meta.get("url"),
        title=meta.get("title"),
        published=str(meta["published"]) if meta.get("published") else None,
        published_precision=meta.get("published_precision"),
        source=meta.get("source"),
        authors=tuple(meta.get("authors") or ()),
        language=meta.get("language"),
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
