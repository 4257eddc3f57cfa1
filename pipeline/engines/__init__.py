"""Engines: the serial run and the distributed (Dask) runner over one library API.

The API, in the order a run uses it (each step takes the previous one's values):

- :func:`pipeline.read.read_inputs` ``(paths, limits)`` -> Articles, with a Skip for every input that cannot be
  one (per-row errors included);
- :func:`pipeline.extract.extract_records` ``(articles, nlp)`` -> plain, versioned records (JSON-safe, Decimals
  as strings, ``schema_version``; :mod:`pipeline.models` converts Extraction <-> record);
- :func:`pipeline.engines.load.load_records` ``(store, records)`` -> the idempotent, batched single-writer load
  (one transaction per batch of whole articles, each article marked pending for its derived rows in that same
  transaction), then the derived (crossref) rows, built incrementally.

``newsclaims extract`` (:func:`pipeline.run.run_extract`) chains the three in one process;
``newsclaims extract --engine dask`` (:mod:`pipeline.engines.dask_engine`) runs the middle step on Dask workers,
which write shards (:mod:`pipeline.engines.shards`), and ``newsclaims load`` loads shards made anywhere.
"""
