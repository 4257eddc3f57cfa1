"""WARC archive of every HTTP exchange, and the small fetch state kept next to it.

Every response (including robots.txt, redirects, 304s, 429s and 5xx) is written as a WARC ``response``
record, followed by its ``request`` record (``WARC-Concurrent-To`` links them). The payload is stored as it
came off the wire (still gzip-encoded if the server compressed it; chunked transfer coding removed).
Each response returns an :class:`ArchiveRef`; ``read_record(ref.warc_file, ref.warc_offset)`` gives the
record back, and ``sha256(record.payload) == ref.payload_sha256``.

The fetch state (``fetch-state.json`` in the archive directory) remembers, per URL, the validators for a
conditional GET (ETag, Last-Modified) and where the last good copy is. It is plain JSON, rewritten
atomically; it is not a database.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STATE_FILE = "fetch-state.json"
HOP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


@dataclass(frozen=True)
class ArchiveRef:
    warc_file: str
    warc_offset: int
    warc_record_id: str
    payload_sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"warc_file": self.warc_file, "warc_offset": self.warc_offset,
                "warc_record_id": self.warc_record_id, "payload_sha256": self.payload_sha256}


@dataclass(frozen=True)
class ArchivedRecord:
    warc_file: str
    warc_offset: int
    record_type: str
    record_id: str
    target_uri: str
    warc_date: str
    warc_headers: tuple[tuple[str, str], ...]
    status: int | None
    http_headers: tuple[tuple[str, str], ...]
    payload: bytes  # as stored: the bytes that came off the wire (content coding kept)

    @property
    def payload_sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()

    def header(self, name: str) -> str | None:
        for k, v in self.http_headers:
            if k.lower() == name.lower():
                return v
        return None

    def warc_header(self, name: str) -> str | None:
        for k, v in self.warc_headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def content(self) -> bytes:
        """The payload with its content coding (gzip, deflate) undone, at most MAX_CONTENT_BYTES of it."""
        return self.content_capped()[0]

    def content_capped(self, limit: int | None = None) -> tuple[bytes, bool]:
        """(content, cut): the payload with its content coding undone, at most ``limit`` bytes (default
        MAX_CONTENT_BYTES); ``cut`` is True when it was longer or the record is marked ``WARC-Truncated``."""
        limit = MAX_CONTENT_BYTES if limit is None else limit
        body = decode_content(self.payload, self.header("content-encoding"), limit + 1)
        cut = len(body) > limit
        return (body[:limit] if cut else body), cut or bool(self.warc_header("WARC-Truncated"))


# Decompressed-size cap when an archived payload is read back (pipeline.settings.Settings.max_decompressed_bytes).
MAX_CONTENT_BYTES = 50 * 1024 * 1024
MAX_RECORD_BYTES = 64 * 1024 * 1024  # a stored payload read back is cut here (the fetcher stores <= max_bytes)


def decode_content(payload: bytes, encoding: str | None, limit: int | None = None) -> bytes:
    """Undo gzip/deflate content coding, at most ``limit`` bytes out (a guard against decompression bombs;
    None means MAX_CONTENT_BYTES -- never unbounded)."""
    limit = MAX_CONTENT_BYTES if limit is None else limit
    enc = (encoding or "").strip().lower()
    if enc in ("gzip", "x-gzip", "deflate"):
        wbits = 47 if enc != "deflate" else zlib.MAX_WBITS
        try:
            d = zlib.decompressobj(wbits)
            out = d.decompress(payload, limit)
            return out
        except zlib.error:
            if enc == "deflate":
                try:
                    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(payload, limit)
                except zlib.error:
                    return payload[:limit]
            return payload[:limit]
    return payload[:limit]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class WarcArchive:
    """Appends request/response records to one gzipped WARC file per run in ``directory``."""

    def __init__(self, directory: Path | str, prefix: str = "newsclaims", now: Any = _utc_now) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = now().strftime("%Y%m%d%H%M%S%f")
        self.path = self.directory / f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._lock = threading.Lock()

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in close()
            self._writer = WARCWriter(self._fh, gzip=True)
        return self._writer

    def write_exchange(
        self,
        *,
        url: str,
        method: str,
        request_headers: Mapping[str, str],
        status: int,
        reason: str,
        response_headers: Sequence[tuple[str, str]],
        payload: bytes,
        truncated: bool = False,
        ip_address: str | None = None,
    ) -> ArchiveRef:
        """Write one response record and its request record; returns where the response is."""
        headers = [(k, v) for k, v in response_headers if k.lower() not in HOP_HEADERS]
        warc_extra = {}
        if truncated:
            warc_extra["WARC-Truncated"] = "length"
        if ip_address:
            warc_extra["WARC-IP-Address"] = ip_address
        with self._lock:
            writer = self._open()
            resp = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), length=len(payload),
                http_headers=StatusAndHeaders(f"{status} {reason or ''}".strip(), headers,
                                              protocol="HTTP/1.1"),
                warc_headers_dict=warc_extra,
            )
            record_id = resp.rec_headers.get_header("WARC-Record-ID")
            assert self._fh is not None
            self._fh.flush()
            offset = self._fh.tell()
            writer.write_record(resp)
            from urllib.parse import urlsplit

            parts = urlsplit(url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            req = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), length=0,
                http_headers=StatusAndHeaders(f"{method} {path} HTTP/1.1", list(request_headers.items()),
                                              is_http_request=True),
                warc_headers_dict={"WARC-Concurrent-To": record_id},
            )
            writer.write_record(req)
            self._fh.flush()
        return ArchiveRef(str(self.path), offset, record_id, hashlib.sha256(payload).hexdigest())

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
            self._fh = None
            self._writer = None

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _record(rec: Any, warc_file: str, offset: int) -> ArchivedRecord:
    payload = rec.raw_stream.read(MAX_RECORD_BYTES)
    http = rec.http_headers
    status = None
    hh: tuple[tuple[str, str], ...] = ()
    if http is not None:
        hh = tuple((str(k), str(v)) for k, v in http.headers)
        if rec.rec_type == "response":
            try:
                status = int(http.get_statuscode())
            except (TypeError, ValueError):
                status = None
    return ArchivedRecord(
        warc_file=warc_file,
        warc_offset=offset,
        record_type=rec.rec_type,
        record_id=rec.rec_headers.get_header("WARC-Record-ID") or "",
        target_uri=rec.rec_headers.get_header("WARC-Target-URI") or "",
        warc_date=rec.rec_headers.get_header("WARC-Date") or "",
        warc_headers=tuple((str(k), str(v)) for k, v in rec.rec_headers.headers),
        status=status,
        http_headers=hh,
        payload=payload,
    )


def read_record(warc_file: str | Path, offset: int) -> ArchivedRecord:
    """The record at ``offset`` in ``warc_file`` (a WARC written by :class:`WarcArchive`)."""
    with open(warc_file, "rb") as fh:
        fh.seek(offset)
        head = fh.read(5)
        if not (head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b")):
            raise ValueError(f"{warc_file}: offset {offset} is not the start of a WARC record")
        fh.seek(offset)
        try:
            for rec in ArchiveIterator(fh):
                return _record(rec, str(warc_file), offset)
        except Exception as exc:  # warcio raises several types on a damaged file
            raise ValueError(f"{warc_file}: cannot read a WARC record at offset {offset}: {exc}") from exc
    raise ValueError(f"{warc_file}: no WARC record at offset {offset}")


def iter_records(archive_dir: Path | str, record_type: str = "response") -> Iterator[ArchivedRecord]:
    """Every record of ``record_type`` in the archive's ``*.warc.gz`` files, oldest file first."""
    for path in sorted(Path(archive_dir).glob("*.warc.gz")):
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for rec in it:
                if rec.rec_type != record_type:
                    continue
                record = _record(rec, str(path), -1)  # read the payload before asking for the offset:
                offset = it.get_record_offset()  # warcio reads the record to its end to find it
                yield replace(record, warc_offset=offset)


class FetchState:
    """Per-URL memory between runs: validators for conditional GET and the last good copy's record."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.urls: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.urls = dict(data.get("urls", {}))
            except (json.JSONDecodeError, OSError, AttributeError):
                bad = self.path.with_suffix(".corrupt.json")
                self.path.replace(bad)  # kept for inspection; a fresh state only costs full re-fetches

    @classmethod
    def in_archive(cls, archive_dir: Path | str) -> FetchState:
        return cls(Path(archive_dir) / STATE_FILE)

    def get(self, url: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self.urls.get(url)
            return dict(entry) if entry else None

    def update(self, url: str, **fields: Any) -> None:
        with self._lock:
            entry = self.urls.setdefault(url, {})
            entry.update({k: v for k, v in fields.items() if v is not None})

    def __contains__(self, url: object) -> bool:
        return url in self.urls

    def save(self) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": 1, "urls": self.urls}, indent=1, sort_keys=True),
                           encoding="utf-8")
            tmp.replace(self.path)


def gunzip_if_needed(data: bytes, limit: int) -> bytes:
    """Sitemaps may be served as ``.xml.gz`` files without a content coding; at most ``limit`` bytes out."""
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
                return g.read(limit)
        except (OSError, EOFError):
            return data[:limit]
    return data[:limit]
