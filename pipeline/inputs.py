"""Local inputs -> raw items: folders of .html/.txt files (with optional sidecar .json), single files,
.jsonl manifests, and WARC archive folders written by `newsclaims fetch`. Nothing is parsed here: each input
comes out as read (a :class:`RawInput`: its text or its page's bytes, with the metadata given beside it; or a
:class:`RawArchive`: an archive folder's pages), and the reader (:mod:`pipeline.read`) turns them into
Articles. Every input that cannot be read becomes a Skip with its reason; nothing is dropped, and nothing one
input does stops the others.

Inputs are bounded (README "Limits"; the numbers are :class:`pipeline.settings.Settings` fields):

- only regular files are read -- a FIFO, a device (``/dev/zero``) or a socket is refused before it is opened
  for reading, so nothing hangs or reads forever;
- a file is read only up to ``max_input_bytes``, a gzipped one decompressed only up to
  ``max_decompressed_bytes``, and a body text longer than ``max_text_chars`` is refused;
- manifest paths and symlinks must stay inside the paths named on the command line (a folder, a manifest's
  folder, a named file) unless ``allow_outside`` (``--allow-outside``) is set, so a manifest line cannot make
  ``/etc/passwd`` an article.

Files under a folder that are not inputs (``.pdf``, ``.docx``, ...) are listed (``unsupported``) and warned
about; a folder or manifest with no input at all is a Skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.models import Skip

if TYPE_CHECKING:  # warcio loads only when an archive folder is read
    from pipeline.fetch.archive import ArchivedRecord

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
SIDECAR_FIELDS = ("url", "title", "published", "source")
GZIP_SUFFIX = ".gz"
# Decompressed size cap for gzipped inputs (a guard against decompression bombs); Settings.max_decompressed_bytes.
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_SIDECAR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RawInput:
    """One local input as read, before parsing: its text, or its page's bytes, with the metadata given beside
    it (sidecar or manifest: url, title, published, published_precision, source, authors)."""

    id: str
    kind: str  # "text" (body is the text) or "html" (body is the page's bytes)
    body: str | bytes
    meta: dict[str, Any]
    raw: dict[str, Any]  # where it came from: raw_path and raw_sha256, or the manifest and its line
    where: str  # what a warning about it names
    source: str  # what a skip of it names
    manifest_text: bool = False  # the text of a manifest line, not a file


@dataclass(frozen=True)
class RawArchive:
    """A folder of WARC files: the newest HTML ``200`` response of each URL, before parsing."""

    path: Path
    pages: tuple[ArchivedRecord, ...] = field(repr=False)
    max_bytes: int  # a payload is decompressed to at most this


@dataclass(frozen=True)
class InputLimits:
    """The input bounds (see the module docstring); ``None`` means the module default."""

    max_input_bytes: int = 20 * 1024 * 1024
    max_decompressed_bytes: int | None = None
    max_text_chars: int = 2_000_000
    allow_outside: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> InputLimits:
        return cls(settings.max_input_bytes, settings.max_decompressed_bytes, settings.max_text_chars,
                   settings.allow_outside)

    @property
    def decompressed(self) -> int:
        return MAX_DECOMPRESSED_BYTES if self.max_decompressed_bytes is None else self.max_decompressed_bytes


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
        raise ValueError(f"decompresses to more than {limit} bytes (max_decompressed_bytes)")
    if not d.eof:
        raise ValueError("not valid gzip (truncated stream)")
    return out


class InputError(Exception):
    """An input that cannot be turned into an article; the message names the file and what to do."""


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Raises InputError for anything else: a FIFO or
    device is refused without blocking (opened non-blocking, checked with fstat before any read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror}); check that it exists and is readable") from e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{_not_regular(st.st_mode)}, not a regular file; only regular files are read")
        if st.st_size > limit:
            raise InputError(f"file is {st.st_size} bytes, more than the limit of {limit} (max_input_bytes)")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(f"file grew past the limit of {limit} bytes (max_input_bytes) while read")
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror})") from e
    finally:
        os.close(fd)


class _Roots:
    """The places the user named; manifest paths and symlinks must resolve inside one of them."""

    def __init__(self, paths: list[Path], allow_outside: bool) -> None:
        self.allow_outside = allow_outside
        self.dirs: list[Path] = []
        self.files: set[Path] = set()
        for p in paths:
            try:
                real = p.resolve()
            except (OSError, RuntimeError):
                continue
            if real.is_dir():
                self.dirs.append(real)
            elif p.suffix.lower() == ".jsonl":
                self.dirs.append(real.parent)
                self.files.add(real)
            else:
                self.files.add(real)

    def check(self, path: Path) -> str | None:
        """None if ``path`` may be read, else the reason it may not."""
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError:
            return None  # reading it reports "does not exist"
        except (OSError, RuntimeError) as e:
            return f"cannot resolve the path ({e})"
        if self.allow_outside or real in self.files or any(real.is_relative_to(d) for d in self.dirs):
            return None
        return (f"leads outside the paths named on the command line (to {real}); name that place too, or pass "
                "--allow-outside")


def iter_inputs(
    paths: list[Path],
    warnings: list[str] | None = None,
    *,
    limits: InputLimits | None = None,
    unsupported: list[str] | None = None,
) -> Iterator[RawInput | RawArchive | Skip]:
    """Yield a raw item or a Skip for every input found under ``paths``, in a stable order. Files under a
    folder that are not inputs are appended to ``unsupported`` (and warned about)."""
    warn = warnings if warnings is not None else []
    lim = limits or InputLimits()
    odd = unsupported if unsupported is not None else []
    roots = _Roots(paths, lim.allow_outside)
    for path in paths:
        found = 0
        for item in _iter_path(path, warn, lim, roots, odd):
            found += 1
            yield item
        if found == 0 and path.exists():
            what = "no .txt or .html files (maybe .gz), manifests or WARC archives"
            yield Skip(str(path), f"no input found: {what} here" if path.is_dir() else "no articles in it")


def _iter_path(path: Path, warn: list[str], lim: InputLimits, roots: _Roots, odd: list[str]
               ) -> Iterator[RawInput | RawArchive | Skip]:
    if not path.exists() and not path.is_symlink():
        yield Skip(str(path), "path does not exist; check the spelling or run from the repository root")
    elif not path.exists():
        yield Skip(str(path), "broken symlink: it points at nothing")
    elif path.is_dir() and any(path.glob("*.warc*")):
        from pipeline.web_inputs import latest_pages

        pages = latest_pages(path, max_bytes=lim.decompressed)
        if pages:
            yield RawArchive(path, tuple(pages), lim.decompressed)
    elif path.is_dir():
        yield from _iter_folder(path, warn, lim, roots, odd)
    elif path.suffix.lower() == ".jsonl":
        yield from _iter_manifest(path, warn, lim, roots)
    elif input_kind(path) is not None:
        yield _from_file(path, stem_of(path), {}, warn, lim)
    else:
        yield Skip(
            str(path), f"unsupported input type {path.suffix!r}; give a folder, .txt, .html (maybe .gz) or .jsonl"
        )


def _walk(root: Path, roots: _Roots, skips: list[Skip]) -> list[Path]:
    """Every non-directory entry under ``root`` (symlinks followed when they stay inside the roots), sorted."""
    out: list[Path] = []
    seen: set[Path] = set()
    todo = [root]
    while todo:
        d = todo.pop()
        try:
            real = d.resolve()
        except (OSError, RuntimeError) as e:
            skips.append(Skip(str(d), f"cannot resolve folder ({e})"))
            continue
        if real in seen:
            continue  # a symlink loop, or a folder reached twice
        seen.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            skips.append(Skip(str(d), f"cannot list folder ({e.strerror})"))
            continue
        for entry in entries:
            p = Path(entry.path)
            if entry.is_symlink():
                reason = roots.check(p)
                if reason is not None:
                    skips.append(Skip(str(p), f"symlink {reason}"))
                    continue
                if not p.exists():
                    skips.append(Skip(str(p), "broken symlink: it points at nothing"))
                    continue
            if p.is_dir():
                todo.append(p)
            else:
                out.append(p)
    return sorted(out)


def _iter_folder(path: Path, warn: list[str], lim: InputLimits, roots: _Roots, odd: list[str]
                 ) -> Iterator[RawInput | Skip]:
    skips: list[Skip] = []
    files = _walk(path, roots, skips)
    inputs = [f for f in files if input_kind(f) is not None]
    stems = {(f.parent, stem_of(f)) for f in inputs}
    for f in files:
        if input_kind(f) is not None or f.name.startswith("."):
            continue
        if f.suffix.lower() == ".json" and (f.parent, f.stem) in stems:
            continue  # a sidecar
        odd.append(str(f))
        warn.append(f"{f}: not an input (newsclaims reads .txt and .html, maybe .gz, with sidecar .json); "
                    "left out")
    yield from skips
    for f in inputs:
        aid = (f.parent / stem_of(f)).relative_to(path).as_posix()
        yield _from_file(f, aid, {}, warn, lim)


def _manifest_lines(manifest: Path, limit: int) -> Iterator[tuple[int, str | Skip]]:
    """(line number, line) of a manifest, read as a stream; a line over ``limit`` bytes is a Skip."""
    st = os.stat(manifest)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{_not_regular(st.st_mode)}, not a regular file; only regular files are read")
    with open(manifest, "rb") as fh:
        n = 0
        while True:
            raw = fh.readline(limit + 1)
            if not raw:
                return
            n += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a bounded piece at a time
                    raw = fh.readline(limit + 1)
                yield n, Skip(f"{manifest}:{n}", f"manifest line longer than {limit} bytes (max_input_bytes)")
                continue
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, Skip(f"{manifest}:{n}", f"manifest line is not UTF-8 (byte {e.start})")


def _iter_manifest(manifest: Path, warn: list[str], lim: InputLimits, roots: _Roots) -> Iterator[RawInput | Skip]:
    try:
        lines = _manifest_lines(manifest, lim.max_input_bytes)
        for n, line in lines:
            try:
                item = _manifest_entry(manifest, n, line, warn, lim, roots)
            except Exception as e:  # noqa: BLE001 - one bad line is a recorded skip, never the end of the run
                item = Skip(f"{manifest}:{n}", f"cannot read manifest line ({type(e).__name__}: {e})")
            if item is not None:
                yield item
    except (OSError, InputError) as e:
        yield Skip(str(manifest), f"cannot read manifest: {e}")


def _manifest_entry(manifest: Path, n: int, line: str | Skip, warn: list[str], lim: InputLimits, roots: _Roots
                    ) -> RawInput | Skip | None:
    where = f"{manifest}:{n}"
    if isinstance(line, Skip):
        return line
    if not line.strip():
        return None
    try:
        entry = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        return Skip(where, f"manifest line is not JSON ({msg}); fix or remove the line")
    if not isinstance(entry, dict) or not (entry.get("path") or entry.get("text")):
        return Skip(where, "manifest line has neither 'path' nor 'text'; give one of them")
    meta = {k: entry.get(k) for k in (*SIDECAR_FIELDS, "published_precision") if entry.get(k) is not None}
    if entry.get("path"):
        if not isinstance(entry["path"], str):
            return Skip(where, "manifest 'path' must be a string", article_id=_str_id(entry.get("id")))
        p = Path(entry["path"])
        if not p.is_absolute():
            p = manifest.parent / p
        aid = str(entry.get("id") or stem_of(p))
        reason = roots.check(p)
        if reason is not None:
            return Skip(where, f"manifest path {entry['path']!r} {reason}", aid)
        return _from_file(p, aid, meta, warn, lim, where=where)
    text = entry["text"]
    if not isinstance(text, str) or not text.strip():
        return Skip(where, "manifest 'text' is empty", article_id=_str_id(entry.get("id")))
    aid = str(entry.get("id") or f"{manifest.stem}-{n}")
    return RawInput(aid, "text", text, meta, raw={"manifest": str(manifest), "line": n}, where=where, source=where,
                    manifest_text=True)


def _str_id(v: Any) -> str | None:
    return None if v is None else str(v)


def _read_sidecar(f: Path, warn: list[str]) -> dict[str, Any] | Skip:
    side = f.parent / (stem_of(f) + ".json")
    if not side.exists():
        return {}
    try:
        data = json.loads(read_regular(side, MAX_SIDECAR_BYTES).decode("utf-8"))
    except InputError as e:
        return Skip(str(side), f"sidecar: {e}")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        return Skip(str(side), f"sidecar is not valid JSON ({e}); fix it or delete it")
    if not isinstance(data, dict):
        return Skip(str(side), "sidecar must be a JSON object {url, title, published, source}")
    missing = [k for k in SIDECAR_FIELDS if not data.get(k)]
    if missing:
        warn.append(f"{side}: sidecar lacks {', '.join(missing)}")
    return {k: data[k] for k in (*SIDECAR_FIELDS, "published_precision", "authors") if data.get(k)}


def _from_file(
    f: Path, aid: str, meta: dict[str, Any], warn: list[str], lim: InputLimits | None = None,
    where: str | None = None,
) -> RawInput | Skip:
    """One file -> a RawInput, or a Skip with the reason: never raises, whatever the file holds."""
    lim = lim or InputLimits()
    try:
        return _read_file(f, aid, meta, warn, lim, where or str(f))
    except Exception as e:  # noqa: BLE001 - one unreadable input is a recorded skip, never the end of the run
        return Skip(str(f), f"cannot read ({type(e).__name__}: {e})", aid)


def _read_file(f: Path, aid: str, meta: dict[str, Any], warn: list[str], lim: InputLimits, where: str
               ) -> RawInput | Skip:
    try:
        data = read_regular(f, lim.max_input_bytes)
    except InputError as e:
        return Skip(str(f), str(e), aid)
    raw = {"raw_path": str(f), "raw_sha256": hashlib.sha256(data).hexdigest()}
    if f.name.lower().endswith(GZIP_SUFFIX):
        try:
            data = gunzip_capped(data, lim.decompressed)
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
        return RawInput(aid, "html", data, merged, raw, where=where, source=str(f))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return Skip(str(f), f"not UTF-8 (byte {e.start}); convert it with iconv -t UTF-8", aid)
    return RawInput(aid, "text", text, merged, raw, where=where, source=str(f))
