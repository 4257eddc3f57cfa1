"""``newsclaims extract --engine dask``: extraction on a Dask cluster (the ``scale`` extra), shards out.

The driver (this process) reads the inputs (:func:`pipeline.read.read_inputs`), cuts them into stable batches
(:func:`pipeline.engines.shards.plan_batches`), names each batch's shard by the hash of its contents and of the
extraction configuration, and submits the batches whose shard is not there yet -- a few more than there are
workers at a time, so the driver's memory stays flat whatever the corpus. Each worker loads the spaCy pipeline
once (:class:`PipelinePlugin`, registered with ``Client.register_plugin``), runs
:func:`pipeline.extract.extract_records` over a batch and writes its shard atomically. A worker that dies
takes its batch with it; the scheduler gives the batch to another worker (or to the restarted one). Loading
the shards (``--db``, or ``newsclaims load``) is :func:`pipeline.run.run_load`'s.

Bags and futures only, never ``dask.dataframe``: it would make pandas importable, and sqlite-utils then imports
pandas at start-up (+0.2 s, +95 MB a command).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from pipeline import faults
from pipeline.engines.shards import (
    article_records,
    batch_key,
    plan_batches,
    records_key,
    shard_path,
    write_shard,
)
from pipeline.inputs import InputLimits
from pipeline.models import Article, Skip, article_from_record, skip_to_record
from pipeline.read import read_inputs
from pipeline.settings import Settings

WORKER_CONFIG = Path(__file__).resolve().with_name("dask-worker.yaml")
PLUGIN_NAME = "newsclaims-pipeline"
MALLOC_VAR = "MALLOC_TRIM_THRESHOLD_"


def worker_config() -> dict[str, Any]:
    """The Dask configuration newsclaims workers need (``dask-worker.yaml``), as a flat ``dask.config.set``
    mapping."""
    data = yaml.safe_load(WORKER_CONFIG.read_text(encoding="utf-8"))

    def flat(d: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
        for k, v in d.items():
            if isinstance(v, dict):
                yield from flat(v, f"{prefix}{k}.")
            else:
                yield f"{prefix}{k}", v

    return dict(flat(data))


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline once per worker process (and again in a restarted one)."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp: Any = None
        self.info: Any = None
        self.lock = threading.Lock()  # one batch at a time, whatever --nthreads the worker was started with

    def __getstate__(self) -> dict[str, Any]:  # only the settings travel; the pipeline is built on the worker
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])  # type: ignore[misc]  # rebuild the worker-side state

    def setup(self, worker: Any) -> None:
        from pipeline.extract import build_nlp

        self.nlp, self.info = build_nlp(self.settings)


def _plugin() -> PipelinePlugin:
    plugin = get_worker().plugins[PLUGIN_NAME]
    assert isinstance(plugin, PipelinePlugin)
    return plugin


def worker_facts(dask_worker: Any) -> dict[str, Any]:
    """Run on every worker (``Client.run``): its pipeline, configuration hash, threads and the malloc-trim
    setting it runs with."""
    p = dask_worker.plugins[PLUGIN_NAME]
    w = dask_worker
    return {"pipeline": asdict(p.info), "nthreads": w.state.nthreads, "pid": os.getpid(),
            "malloc_trim_threshold": os.environ.get(MALLOC_VAR)}


def extract_shard(articles: list[dict[str, Any]], path: str, config_hash: str) -> dict[str, Any]:
    """Run on a worker: extract one batch (article records) and write its shard atomically."""
    from pipeline.extract import extract_records

    p = _plugin()
    if p.info.config_hash != config_hash:
        raise RuntimeError(f"worker {os.getpid()} has extraction configuration {p.info.config_hash}, the run "
                           f"{config_hash}: install the same newsclaims, model and rules on every worker")
    with p.lock:
        s = p.settings
        records = list(extract_records([article_from_record(a) for a in articles], p.nlp, config_hash=config_hash,
                                       batch_size=s.batch_size, chunk_chars=s.chunk_chars))
    faults.point("shard.extracted")
    write_shard(Path(path), records)
    faults.point("shard.written")
    return {"path": path, "articles": len(articles), "extracted": sum(r["kind"] == "extraction" for r in records),
            "skipped": sum(r["kind"] == "skip" for r in records)}


@dataclass
class DaskReport:
    shards: list[Path] = field(default_factory=list)  # this run's shards, in input order (the skips' last)
    made: int = 0  # shards written by this run
    done_before: int = 0  # shards found already written (their batches skipped)
    articles: int = 0
    read_skips: int = 0
    workers: int = 0
    config_hash: str = ""
    pipeline: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # batches that failed (after Dask's own retries)
    start_seconds: float = 0.0  # cluster start-up, plugin (pipeline) loaded on the workers
    seconds: float = 0.0  # the whole run


def start_cluster(stack: ExitStack, *, scheduler: str | None, workers: int,
                  worker_env: dict[str, str] | None = None) -> Client:
    """A client on ``scheduler``, or on a local cluster of ``workers`` single-threaded worker processes (no
    dashboard), with the worker configuration applied."""
    import dask

    if scheduler:
        return stack.enter_context(Client(scheduler))
    stack.enter_context(dask.config.set(worker_config()))
    cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None, env=dict(worker_env or {})))
    return stack.enter_context(Client(cluster))


def run_dask(
    paths: list[Path],
    settings: Settings,
    shards_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    batch_articles: int = 16,
    worker_env: dict[str, str] | None = None,
    on_shard: Callable[[dict[str, Any]], None] | None = None,
    on_skip: Callable[[Skip], None] | None = None,
) -> DaskReport:
    """Extract ``paths`` on Dask into shards under ``shards_dir`` (see the module docstring)."""
    t0 = time.perf_counter()
    report = DaskReport()
    shards_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        client = start_cluster(stack, scheduler=scheduler, workers=workers, worker_env=worker_env)
        client.register_plugin(PipelinePlugin(settings), name=PLUGIN_NAME)
        if scheduler:
            client.wait_for_workers(1)
        facts = list(client.run(worker_facts).values())
        report.workers = len(facts)
        report.pipeline = facts[0]["pipeline"]
        report.config_hash = str(report.pipeline["config_hash"])
        hashes = {f["pipeline"]["config_hash"] for f in facts}
        if len(hashes) > 1:
            raise RuntimeError(f"the workers run different extraction configurations ({', '.join(sorted(hashes))})"
                               ": install the same newsclaims, model and rules on every worker")
        if any(f["malloc_trim_threshold"] for f in facts):
            report.warnings.append(
                f"workers run with {MALLOC_VAR}={facts[0]['malloc_trim_threshold']}, which slows spaCy by about "
                f"18 %: start them with DASK_CONFIG={WORKER_CONFIG} (README \"On a cluster\")")
        if any(f["nthreads"] > 1 for f in facts):
            report.warnings.append("workers have more than one thread each; a worker extracts one batch at a time, "
                                   "so start `dask worker` with --nthreads 1 and --nworkers N instead")
        if report.pipeline.get("warning"):
            report.warnings.append(str(report.pipeline["warning"]))
        report.start_seconds = time.perf_counter() - t0

        read_skips: list[Skip] = []

        def articles() -> Iterator[Article]:
            for item in read_inputs(paths, InputLimits.from_settings(settings), warnings=report.warnings):
                if isinstance(item, Skip):
                    read_skips.append(item)
                    if on_skip:
                        on_skip(item)
                else:
                    yield item

        max_inflight = 2 * max(1, report.workers) + 2
        pending = as_completed()
        inflight = 0

        def collect(fut: Any) -> None:
            try:
                got = fut.result()
            except Exception as e:  # noqa: BLE001 - a failed batch is reported by its shard, the others go on
                report.errors.append(f"{fut.key}: {type(e).__name__}: {e}")
                return
            report.made += 1
            if on_shard:
                on_shard(got)

        for batch in plan_batches(articles(), batch_articles):
            recs = article_records(batch)
            path = shard_path(shards_dir, batch_key(recs, report.config_hash))
            report.articles += len(batch)
            report.shards.append(path)
            if path.exists():
                report.done_before += 1
                if on_shard:
                    on_shard({"path": str(path), "articles": len(batch), "done_before": True})
                continue
            pending.add(client.submit(extract_shard, recs, str(path), report.config_hash, pure=False,
                                      key=f"newsclaims-{path.name}"))
            inflight += 1
            while inflight >= max_inflight:
                collect(next(pending))
                inflight -= 1
        for fut in pending:
            collect(fut)
        report.read_skips = len(read_skips)
        if read_skips:
            recs = [skip_to_record(s) for s in read_skips]
            path = shard_path(shards_dir, records_key(recs))
            if not path.exists():
                write_shard(path, recs)
            report.shards.append(path)
    report.seconds = time.perf_counter() - t0
    return report
