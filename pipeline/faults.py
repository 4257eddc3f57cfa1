"""Numbered kill points for the fault suite (tests/test_faults.py). Off unless a test sets the environment.

``NEWSCLAIMS_KILL_AT=article.saved:3`` makes the process SIGKILL itself the third time it reaches the kill
point ``article.saved``. Nothing is cleaned up, flushed or rolled back: it is the same as the machine losing
power at that instant, as far as the database file is concerned. Every point is listed in KILL_POINTS with
where it sits, so that a seed can choose among them.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "NEWSCLAIMS_KILL_AT"
# A file name: only the process that creates it is killed, so a cluster's restarted workers (and the other
# workers, whose environment is the same) run on (tests/test_engines.py).
ONCE_ENV = "NEWSCLAIMS_KILL_ONCE"

KILL_POINTS: dict[str, str] = {
    "run.started": "the run's row is written, nothing else",
    "derived.leftover": "inside the transaction that builds what earlier runs left pending",
    "article.extracted": "an article is extracted, before its transaction",
    "article.saved": "an article and its pending mark are committed",
    "derived.stories": "inside the derived transaction: stories rebuilt, entities not yet",
    "derived.entities": "inside the derived transaction: entities rebuilt, claim clusters not yet",
    "derived.built": "inside the derived transaction: everything built, pending marks not yet cleared",
    "derived.committed": "the derived transaction is committed, the run not yet finished",
}

# Kill points on a Dask worker (pipeline/engines/dask_engine.py); the serial fault suite never reaches them.
WORKER_KILL_POINTS: dict[str, str] = {
    "shard.extracted": "a worker has extracted a batch, its shard not yet written",
    "shard.written": "a worker has written a shard, the driver not yet told",
}

_seen: Counter[str] = Counter()


def point(name: str) -> None:
    """Kill this process here if the environment names this point and its count is reached."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, _, nth = spec.partition(":")
    if target != name:
        return
    _seen[name] += 1
    if _seen[name] >= int(nth or 1):
        once = os.environ.get(ONCE_ENV)
        if once:
            try:
                os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
        os.kill(os.getpid(), signal.SIGKILL)
