"""Shards: the records of one batch of articles, as gzipped JSON lines (``shard-<key>.jsonl.gz``).

- **Stable batches.** :func:`plan_batches` cuts the article stream (in its stable input order) after every
  article whose id hashes to 0 modulo the target size (content-defined, as rsync cuts files), with an upper
  bound: adding, removing or changing one article changes one batch, never the batches after it.
- **Named by content.** A shard's key is the hash of its articles' contents (text and metadata, as records)
  and of the extraction configuration (:func:`batch_key`), so a re-run finds the batches already done and
  skips exactly those.
- **Never half-written.** A shard is written to a temporary name in the same folder, flushed, then renamed
  (:func:`write_shard`); the loader reads only finished names, and gzip's checksum catches a damaged file.
- **JSONL.gz, not Parquet.** The records are nested (claims with spans, evidence, flags) and are written and
  read whole, one shard per transaction; gzip and json are in the standard library, so a worker needs no
  extra package. Parquet would need pyarrow (about 40 MB) for columnar reads nobody makes here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.models import Article, article_to_record

SHARD_PREFIX = "shard-"
SHARD_SUFFIX = ".jsonl.gz"
TARGET_BATCH = 16  # articles a batch holds on average
MAX_BATCH_FACTOR = 4  # ... and at most this many times that


def _id_hash(article_id: str) -> int:
    return int.from_bytes(hashlib.sha256(article_id.encode("utf-8")).digest()[:8], "big")


def plan_batches(articles: Iterable[Article], target: int = TARGET_BATCH) -> Iterator[list[Article]]:
    """Batches of consecutive articles (see the module docstring); streaming, so memory stays flat."""
    target = max(1, target)
    batch: list[Article] = []
    for a in articles:
        batch.append(a)
        if _id_hash(a.id) % target == 0 or len(batch) >= target * MAX_BATCH_FACTOR:
            yield batch
            batch = []
    if batch:
        yield batch


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def batch_key(article_records: list[dict[str, Any]], config_hash: str) -> str:
    """The hash of the batch's articles (their records: text and metadata) and of the configuration."""
    h = hashlib.sha256(f"newsclaims-shard\0{config_hash}\0".encode())
    for r in article_records:
        h.update(canonical_json(r).encode("utf-8") + b"\n")
    return h.hexdigest()[:24]


def records_key(records: list[dict[str, Any]]) -> str:
    """The hash of some records (a shard of skips, named by what it holds)."""
    h = hashlib.sha256(b"newsclaims-records\0")
    for r in records:
        h.update(canonical_json(r).encode("utf-8") + b"\n")
    return h.hexdigest()[:24]


def shard_path(folder: Path, key: str) -> Path:
    return folder / f"{SHARD_PREFIX}{key}{SHARD_SUFFIX}"


def article_records(batch: list[Article]) -> list[dict[str, Any]]:
    return [article_to_record(a) for a in batch]


def write_shard(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` to ``path`` atomically (temporary name, flush, fsync, rename); returns how many. The
    gzip header carries no time, so the same records make the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    n = 0
    try:
        with open(tmp, "wb") as raw_fh:
            with gzip.GzipFile(fileobj=raw_fh, mode="wb", compresslevel=6, mtime=0, filename="") as gz:
                for r in records:
                    gz.write(canonical_json(r).encode("utf-8") + b"\n")
                    n += 1
            raw_fh.flush()
            os.fsync(raw_fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def read_shard(path: Path) -> list[dict[str, Any]]:
    """Every record of a shard; raises OSError (BadGzipFile), EOFError (cut short) or ValueError
    (JSONDecodeError) when the file is damaged."""
    out = []
    with gzip.open(path, "rb") as fh:
        for raw in fh:
            if raw.strip():
                out.append(json.loads(raw))
    return out


def list_shards(folder: Path) -> list[Path]:
    """The finished shards in ``folder`` (temporary files left by a killed writer are not), by name."""
    return sorted(p for p in folder.glob(f"{SHARD_PREFIX}*{SHARD_SUFFIX}") if p.is_file())
