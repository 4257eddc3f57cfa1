"""Story identity: exact copies by content hash, near copies by MinHash on word 5-shingles (datasketch).

The LSH banding is stored in SQLite (story_lsh: one bucket per band per article), so adding an article
queries only its own buckets. A candidate pair is a near copy when the MinHash Jaccard estimate is at
least NEAR_COPY_JACCARD. Stories are the connected components; a story's id is its earliest article.
"""

from __future__ import annotations

import hashlib
import re

from datasketch import MinHash
from datasketch.lsh import _optimal_param

SHINGLE = 5
NUM_PERM = 128
NEAR_COPY_JACCARD = 0.8  # series articles that reuse background paragraphs score 0.4-0.7; copies >= 0.8
BANDS, ROWS = _optimal_param(NEAR_COPY_JACCARD, NUM_PERM, 0.5, 0.5)

# Lines that are boilerplate, not story: licence notices and desk initials.
_BOILER = re.compile(r"all content by .*?license\.?|\b[A-Z]{2}/[A-Z]{0,2}\b", re.I)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", _BOILER.sub(" ", text).lower())


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def signature(text: str) -> list[int]:
    w = words(text)
    m = MinHash(num_perm=NUM_PERM, seed=1)
    shingles = {" ".join(w[i : i + SHINGLE]) for i in range(max(1, len(w) - SHINGLE + 1))}
    m.update_batch([s.encode("utf-8") for s in shingles])  # the same hash values as update() one by one, 4x faster
    return [int(x) for x in m.hashvalues]


def buckets(sig: list[int]) -> list[tuple[int, str]]:
    out = []
    for b in range(BANDS):
        chunk = ",".join(str(x) for x in sig[b * ROWS : (b + 1) * ROWS])
        out.append((b, hashlib.sha1(chunk.encode()).hexdigest()[:20]))
    return out


def jaccard(a: list[int], b: list[int]) -> float:
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
