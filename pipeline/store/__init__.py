"""The only package that talks to SQLite: every table's schema (sqlite-utils migrations, one set per area),
reads and writes, and all the SQL the other stages and the site run.

- :mod:`pipeline.store.core`: the connection, transactions and migrations; runs, articles and their
  extractions (people, organisations, claims, dates), skips, pending derived rows, health checks;
- :mod:`pipeline.store.crossref`: entities, stories, claim keys and clusters, consistency flags;
- :mod:`pipeline.store.query`: the full-text indexes and the ``claims_in_context`` view, the claim filter's
  SQL, the export's reads and the Datasette site's SQL.

Importing the package registers the three migration sets in that order.
"""

from pipeline.store import crossref, query  # noqa: F401 - each registers its migration set, after the core one
from pipeline.store.core import MIGRATION_SETS, Store, article_row, text_sha256

__all__ = ["MIGRATION_SETS", "Store", "article_row", "text_sha256"]
