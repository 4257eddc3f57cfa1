"""The crossref tables (entities, stories, claim clusters, consistency flags; ``pipeline/crossref``): their
schema (the ``newsclaims-crossref`` migration set), and every read and write the crossref layer makes.

The crossref layer decides what the rows say; this module is the only place that says how they are stored.
Reads over a set of values are chunked (500 values a statement) and return rows in the order SQLite gives
them for each chunk, the chunks taken in sorted order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from pipeline.store.core import MIGRATION_SETS, ORPHAN_CHECKS, OrphanCheck, Store, _now

crossref_migrations = Migrations("newsclaims-crossref")


@crossref_migrations(name="0001_crossref")
def _x0001_crossref(db: sqlite_utils.Database) -> None:
    db.table("entity_mentions").create(
        {"id": str, "article_id": str, "kind": str, "surface": str, "key": str, "role": str, "title": str,
         "org": str, "org_key": str, "published": str, "rule": str, "evidence": str},
        pk="id",
    )
    db.table("entity_edges").create(
        {"id": str, "article_id": str, "key_a": str, "key_b": str, "rule": str, "evidence": str}, pk="id"
    )
    db.table("entities").create(
        {"id": str, "kind": str, "name": str, "variants": str, "keys": str, "articles": str}, pk="id"
    )
    db.table("entity_keys").create({"key": str, "entity_id": str}, pk="key")
    db.table("entity_merges").create(
        {"id": str, "entity_id": str, "key_a": str, "key_b": str, "rule": str, "evidence": str}, pk="id"
    )
    db.table("stories").create(
        {"article_id": str, "story_id": str, "content_hash": str, "minhash": str, "rule": str, "evidence": str},
        pk="article_id",
    )
    db.table("story_lsh").create({"id": str, "article_id": str, "band": int, "bucket": str}, pk="id")
    db.table("claim_keys").create(
        {"claim_id": str, "article_id": str, "subject_key": str, "subject_entity": str, "measure": str,
         "period_start": str, "period_end": str, "modality": str, "cluster_id": str, "evidence": str},
        pk="claim_id",
    )
    db.table("claim_clusters").create(
        {"id": str, "subject_entity": str, "subject": str, "measure": str, "period_start": str,
         "period_end": str, "modality": str, "status": str, "revision": str, "cluster_values": str,
         "n_stories": int, "n_appearances": int, "first_published": str, "evidence": str},
        pk="id",
    )
    db.table("cluster_members").create(
        {"id": str, "cluster_id": str, "claim_id": str, "article_id": str, "story_id": str, "published": str,
         "value": str},
        pk="id",
    )
    db.table("flags").create(
        {"id": str, "article_id": str, "claim_id": str, "kind": str, "rule": str, "reason": str,
         "evidence": str},
        pk="id",
    )
    for t, cols in (("entity_mentions", ["article_id"]), ("entity_mentions", ["key"]),
                    ("entity_edges", ["article_id"]), ("entity_edges", ["key_a"]), ("entity_edges", ["key_b"]),
                    ("entity_keys", ["entity_id"]), ("entity_merges", ["entity_id"]),
                    ("story_lsh", ["band", "bucket"]), ("story_lsh", ["article_id"]), ("stories", ["story_id"]),
                    ("claim_keys", ["article_id"]), ("claim_keys", ["cluster_id"]),
                    ("claim_keys", ["subject_key"]), ("cluster_members", ["cluster_id"]),
                    ("cluster_members", ["article_id"]), ("flags", ["article_id"]), ("flags", ["claim_id"])):
        db.table(t).create_index(cols)


@crossref_migrations(name="0002_cluster_base_keys")
def _x0002_cluster_base_keys(db: sqlite_utils.Database) -> None:
    """Claims sharing a base key are candidates for one cluster; undated ones are chained by publication date."""
    db.table("claim_keys").add_column("base_key", str)
    db.table("claim_keys").add_column("key_mode", str)
    db.table("claim_clusters").add_column("base_key", str)
    db.table("claim_keys").create_index(["base_key"])
    db.table("claim_clusters").create_index(["base_key"])


@crossref_migrations(name="0003_pending_backfill")
def _x0003_pending_backfill(db: sqlite_utils.Database) -> None:
    """Articles stored before pending marks existed whose derived rows were never built (a crossref step that
    was killed or crashed) are marked pending, so the next extract or `newsclaims crossref` builds them."""
    db.execute(
        "insert or ignore into derived_pending (article_id, run_id, queued_at, attempts, error) "
        "select id, null, ?, 0, null from articles where id not in (select article_id from stories)", [_now()])


@crossref_migrations(name="0004_origins")
def _x0004_origins(db: sqlite_utils.Database) -> None:
    """Independence: each claim key carries its appearance's outlet and origin (before entity resolution), each
    cluster member its resolved origin, and each cluster how many independent groups and restatements it has."""
    for col in ("outlet", "origin_key", "origin_rule", "channel"):
        db.table("claim_keys").add_column(col, str)
    for col in ("outlet", "origin", "origin_name", "origin_rule", "channel"):
        db.table("cluster_members").add_column(col, str)
    db.table("claim_clusters").add_column("n_origins", int)
    db.table("claim_clusters").add_column("restatements", int)
    db.table("claim_clusters").add_column("independence", str)
    db.table("claim_keys").create_index(["origin_key"])
    # rows built before this migration lack the new columns: rebuild them on the next extract or crossref
    db.execute(
        "insert or ignore into derived_pending (article_id, run_id, queued_at, attempts, error) "
        "select id, null, ?, 0, null from articles", [_now()])


@crossref_migrations(name="0005_entity_norm_names")
def _x0005_entity_norm_names(db: sqlite_utils.Database) -> None:
    """The query layer matches a name against an entity's canonical name and every variant as written, folded
    (``norm_names``: "|"-joined, spaces removed); rebuilt on the next extract or crossref."""
    db.table("entities").add_column("norm_names", str)
    db.execute(
        "insert or ignore into derived_pending (article_id, run_id, queued_at, attempts, error) "
        "select id, null, ?, 0, null from articles", [_now()])


MIGRATION_SETS.append(crossref_migrations)

# --- writes -----------------------------------------------------------------------------------------------
ORPHAN_CHECKS.extend((
    OrphanCheck("entity mentions without article", "entity_mentions", "article_id not in (select id from articles)"),
    OrphanCheck("entity edges without article", "entity_edges",
                "article_id is not null and article_id not in (select id from articles)"),
    OrphanCheck("stories without article", "stories", "article_id not in (select id from articles)"),
    OrphanCheck("story LSH rows without article", "story_lsh", "article_id not in (select id from articles)"),
    OrphanCheck("claim keys without claim", "claim_keys", "claim_id not in (select id from claims)", repend=True),
    OrphanCheck("cluster members without claim or cluster", "cluster_members",
                "claim_id not in (select id from claims) or cluster_id not in (select id from claim_clusters)",
                repend=True),
    OrphanCheck("clusters without members", "claim_clusters", "id not in (select cluster_id from cluster_members)"),
    OrphanCheck("flags without claim", "flags", "claim_id is not null and claim_id not in (select id from claims)",
                repend=True),
    OrphanCheck("entity keys without entity", "entity_keys", "entity_id not in (select id from entities)"),
    OrphanCheck("entity merges without entity", "entity_merges", "entity_id not in (select id from entities)"),
))

CROSSREF_TABLES = ("entity_mentions", "entity_edges", "entities", "entity_keys", "entity_merges", "stories",
                   "story_lsh", "claim_keys", "claim_clusters", "cluster_members", "flags")


def xref_delete(store: Store, table: str, column: str, values: Iterable[Any]) -> None:
    """Delete the crossref rows of ``table`` whose ``column`` is in ``values``."""
    if table not in CROSSREF_TABLES:
        raise ValueError(f"not a crossref table: {table}")
    vals = sorted(set(values), key=str)
    for i in range(0, len(vals), 500):
        chunk = vals[i : i + 500]
        store.db.execute(f"delete from [{table}] where [{column}] in ({','.join('?' * len(chunk))})", chunk)


def xref_insert(store: Store, table: str, rows: list[dict[str, Any]]) -> None:
    if table not in CROSSREF_TABLES:
        raise ValueError(f"not a crossref table: {table}")
    if rows:
        store._bulk_write(table, rows, convert=True)  # insert_all(rows, replace=True), by executemany


def xref_clear(store: Store) -> None:
    for t in CROSSREF_TABLES:
        store.db.execute(f"delete from [{t}]")


def xref_transaction(store: Store) -> Any:
    """A context manager: one write transaction (BEGIN IMMEDIATE) for a crossref update; a savepoint when
    already inside one."""
    return store.transaction()


# --- chunked reads --------------------------------------------------------------------------------------
def _in(col: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    vals = list(values)
    if not vals:
        return "0", []
    return f"{col} in ({','.join('?' * len(vals))})", vals


def _rows_in(store: Store, sql: str, col: str, values: Iterable[Any], extra: list[Any] | None = None
             ) -> list[dict[str, Any]]:
    """``sql`` with ``{in}`` replaced by ``col in (...)``, run once per chunk of the sorted distinct values."""
    vals = sorted(set(values))
    out: list[dict[str, Any]] = []
    for i in range(0, max(len(vals), 1), 500):
        cond, params = _in(col, vals[i : i + 500])
        if not params:
            break
        out.extend(store.rows(sql.replace("{in}", cond), (extra or []) + params))
    return out


def _one(store: Store, sql: str, params: list[Any]) -> dict[str, Any] | None:
    return next(store.rows(sql, params), None)


# --- articles and their extractions, as the crossref layer reads them ---------------------------------------
def article_text(store: Store, article_id: str) -> dict[str, Any] | None:
    """id, text and published of one article, or None."""
    return _one(store, "select id, text, published from articles where id = ?", [article_id])


def article_texts(store: Store, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """id and text of these articles."""
    return _rows_in(store, "select id, text from articles where {in}", "id", article_ids)


def articles_published(store: Store, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """id and published of these articles."""
    return _rows_in(store, "select id, published from articles where {in}", "id", article_ids)


def existing_articles(store: Store, article_ids: Iterable[str]) -> set[str]:
    """Those of these ids that name a stored article."""
    return {r["id"] for r in _rows_in(store, "select id from articles where {in}", "id", article_ids)}


def all_article_ids(store: Store) -> list[str]:
    return [r["id"] for r in store.rows("select id from articles order by id")]


def article_outlet(store: Store, article_id: str) -> dict[str, Any] | None:
    """The source and URL of an article (its outlet)."""
    return _one(store, "select source, url from articles where id = ?", [article_id])


def article_source_published(store: Store, article_id: str) -> dict[str, Any] | None:
    return _one(store, "select source, published from articles where id = ?", [article_id])


def articles_of_source_between(store: Store, source: str, lo: str, hi: str) -> set[str]:
    """Articles of ``source`` published from ``lo`` to ``hi`` (ISO text, inclusive)."""
    return {r["id"] for r in store.rows(
        "select id from articles where source = ? and published >= ? and published <= ?", [source, lo, hi])}


def people_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    return list(store.rows("select * from people where article_id = ? order by start", [article_id]))


def people_names(store: Store, article_id: str) -> list[dict[str, Any]]:
    return list(store.rows("select name from people where article_id = ?", [article_id]))


def organisations_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    return list(store.rows("select * from organisations where article_id = ? order by start", [article_id]))


def claims_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    return list(store.rows("select * from claims where article_id = ? order by ordinal", [article_id]))


def glossed_dates_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    """The date mentions of an article that carry a gloss, in text order."""
    return list(store.rows("select * from dates where article_id = ? and gloss_text is not null order by ordinal",
                           [article_id]))


# --- stories ----------------------------------------------------------------------------------------------
def articles_with_content_hash(store: Store, content_hash: str, other_than: str) -> set[str]:
    return {r["article_id"] for r in store.rows(
        "select article_id from stories where content_hash = ? and article_id != ?", [content_hash, other_than])}


def articles_in_lsh_bucket(store: Store, band: int, bucket: str, other_than: str) -> set[str]:
    return {r["article_id"] for r in store.rows(
        "select article_id from story_lsh where band = ? and bucket = ? and article_id != ?",
        [band, bucket, other_than])}


def story_minhash(store: Store, article_id: str) -> str | None:
    row = _one(store, "select minhash from stories where article_id = ?", [article_id])
    return row["minhash"] if row else None


def story_signature(store: Store, article_id: str) -> dict[str, Any] | None:
    """minhash and content_hash of an article's story row, or None."""
    return _one(store, "select minhash, content_hash from stories where article_id = ?", [article_id])


def stories_of_articles(store: Store, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    return _rows_in(store, "select article_id, story_id from stories where {in}", "article_id", article_ids)


def articles_of_stories(store: Store, story_ids: Iterable[str]) -> set[str]:
    return {r["article_id"] for r in _rows_in(store, "select article_id from stories where {in}", "story_id",
                                             story_ids)}


def same_story_articles(store: Store, article_id: str) -> set[str]:
    """The articles of this article's story (itself included)."""
    return {r["article_id"] for r in store.rows(
        "select s2.article_id from stories s1 join stories s2 on s2.story_id = s1.story_id where s1.article_id = ?",
        [article_id])}


def set_story(store: Store, article_id: str, story_id: str, rule: str, evidence: str) -> None:
    store.db.execute("update stories set story_id = ?, rule = ?, evidence = ? where article_id = ?",
                     [story_id, rule, evidence, article_id])


# --- entities ---------------------------------------------------------------------------------------------
def mention_keys_of_articles(store: Store, article_ids: Iterable[str]) -> set[str]:
    return {r["key"] for r in _rows_in(store, "select key from entity_mentions where {in}", "article_id",
                                       article_ids)}


def person_keys_of_articles(store: Store, article_ids: Iterable[str]) -> set[str]:
    return {r["key"] for r in _rows_in(store, "select key from entity_mentions where kind = 'person' and {in}",
                                       "article_id", article_ids)}


def edge_keys_of_articles(store: Store, article_ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for r in _rows_in(store, "select key_a, key_b from entity_edges where {in}", "article_id", article_ids):
        out |= {r["key_a"], r["key_b"]}
    return out


def edges_touching(store: Store, keys: Iterable[str]) -> list[dict[str, Any]]:
    """Stored edges with one of ``keys`` on either side: those by key_a first, then those by key_b."""
    ks = list(keys)
    return (_rows_in(store, "select * from entity_edges where {in}", "key_a", ks)
            + _rows_in(store, "select * from entity_edges where {in}", "key_b", ks))


def entities_of_keys(store: Store, keys: Iterable[str]) -> set[str]:
    return {r["entity_id"] for r in _rows_in(store, "select entity_id from entity_keys where {in}", "key", keys)}


def keys_of_entities(store: Store, entity_ids: Iterable[str]) -> set[str]:
    return {r["key"] for r in _rows_in(store, "select key from entity_keys where {in}", "entity_id", entity_ids)}


def entity_of_key(store: Store, key: str) -> str | None:
    row = _one(store, "select entity_id from entity_keys where key = ?", [key])
    return row["entity_id"] if row else None


def entity_row(store: Store, entity_id: str | None) -> dict[str, Any] | None:
    """The name of an entity (a row with ``name``), or None when there is no such entity."""
    return _one(store, "select name from entities where id = ?", [entity_id])


def mentioned_keys(store: Store, keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` that some entity mention has."""
    return {r["key"] for r in _rows_in(store, "select distinct key from entity_mentions where {in}", "key", keys)}


def mentions_of_keys(store: Store, keys: Iterable[str]) -> list[dict[str, Any]]:
    return _rows_in(store, "select key, surface, article_id, kind, published from entity_mentions where {in}",
                    "key", keys)


def person_keys_with_surname(store: Store, surname: str) -> list[str]:
    """Full-name person keys (``p:<given> <surname>``) mentioned anywhere."""
    return [r["key"] for r in store.rows("select distinct key from entity_mentions where key like ?",
                                         [f"p:% {surname}"])]


def surname_mentions_in_articles(store: Store, surname: str, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """key and article_id of full-name mentions with this surname in these articles."""
    return _rows_in(store, "select key, article_id from entity_mentions where key like ? and {in}", "article_id",
                    article_ids, [f"p:% {surname}"])


def official_mentions_with_given_name(store: Store, given: str) -> list[dict[str, Any]]:
    """Official mentions of full-name person keys whose given names end with ``given`` (key, title, org,
    article), in key and article order."""
    return list(store.rows("""select distinct key, title, org, article_id from entity_mentions
                              where role = 'official' and key like ? order by key, article_id, title, org""",
                           [f"p:%{given} %"]))


def official_mentions_of_key(store: Store, key: str) -> list[dict[str, Any]]:
    return list(store.rows("""select distinct key, title, org, article_id from entity_mentions
                              where role = 'official' and key = ? order by article_id, title, org""", [key]))


def articles_mentioning(store: Store, key: str) -> set[str]:
    return {r["article_id"] for r in store.rows("select article_id from entity_mentions where key = ?", [key])}


def local_surname_mentions(store: Store, surname: str) -> list[dict[str, Any]]:
    """key and article_id of article-local surname keys (``p:<surname>@<article>``)."""
    return list(store.rows("select distinct key, article_id from entity_mentions where key like ?",
                           [f"p:{surname}@%"]))


# --- claim keys and clusters ------------------------------------------------------------------------------
def base_keys_of_articles(store: Store, article_ids: Iterable[str]) -> set[str]:
    return {r["base_key"] for r in _rows_in(store, "select base_key from claim_keys where {in}", "article_id",
                                            article_ids) if r["base_key"]}


def articles_keyed_by_subject_key(store: Store, keys: Iterable[str]) -> set[str]:
    return {r["article_id"] for r in _rows_in(store, "select article_id from claim_keys where {in}",
                                              "subject_key", keys)}


def articles_keyed_by_origin_key(store: Store, keys: Iterable[str]) -> set[str]:
    return {r["article_id"] for r in _rows_in(store, "select article_id from claim_keys where {in}",
                                              "origin_key", keys)}


def articles_keyed_by_subject_entity(store: Store, subjects: Iterable[str]) -> set[str]:
    return {r["article_id"] for r in _rows_in(store, "select article_id from claim_keys where {in}",
                                              "subject_entity", subjects)}


def clusters_of_base_keys(store: Store, base_keys: Iterable[str]) -> list[str]:
    return [r["id"] for r in _rows_in(store, "select id from claim_clusters where {in}", "base_key", base_keys)]


def cluster_candidates(store: Store, base_keys: Iterable[str]) -> list[dict[str, Any]]:
    """The claim keys of these base keys, each with its claim's value, text and speaker, its article's date
    and its story."""
    return _rows_in(store, """select k.*, c.value_decimal as value, c.approx, c.text, c.speaker, a.published,
                                     coalesce(s.story_id, 'story:' || a.id) as story_id,
                                     c.subject as subject_surface, c.sentence,
                                     coalesce(ek.entity_id, k.origin_key) as origin,
                                     coalesce(e.name, k.origin_key) as origin_name
                              from claim_keys k join claims c on c.id = k.claim_id
                              join articles a on a.id = k.article_id
                              left join stories s on s.article_id = k.article_id
                              left join entity_keys ek on ek.key = k.origin_key
                              left join entities e on e.id = ek.entity_id where {in}""",
                    "k.base_key", base_keys)


def set_cluster(store: Store, cluster_id: str, claim_ids: Iterable[str]) -> None:
    store.db.conn.executemany("update claim_keys set cluster_id = ? where claim_id = ?",
                              [(cluster_id, c) for c in claim_ids])


# --- reports (newsclaims entities, clusters, check, series) -------------------------------------------------
def official_roles(store: Store) -> Iterator[dict[str, Any]]:
    """Every official mention with its entity, oldest article first."""
    return store.rows("""select k.entity_id, m.article_id, m.published, m.title, m.org from entity_mentions m
                         join entity_keys k on k.key = m.key where m.role = 'official'
                         order by m.published, m.article_id""")


def entity_merges(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows("select * from entity_merges order by entity_id, rule, key_a, key_b")


def entities(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows("select * from entities order by kind, id")


def entity_names(store: Store) -> Iterator[dict[str, Any]]:
    """id, name and variants (JSON text) of every entity."""
    return store.rows("select id, name, variants from entities")


def claim_clusters(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows("select * from claim_clusters order by subject, measure, period_end, period_start, id")


def cluster_appearances(store: Store, cluster_id: str) -> Iterator[dict[str, Any]]:
    """The members of one cluster with their claims' text, value, speaker and sentence, oldest first."""
    return store.rows("""select m.article_id, m.published, m.claim_id, m.story_id, c.text, c.value_decimal,
                                c.speaker, c.sentence, m.outlet, m.origin, m.origin_name, m.origin_rule, m.channel
                         from cluster_members m join claims c on c.id = m.claim_id
                         where m.cluster_id = ? order by m.published, m.article_id, c.ordinal""", [cluster_id])


def cluster_status_counts(store: Store) -> dict[str, int]:
    return {r["status"]: r["n"] for r in store.rows("select status, count(*) as n from claim_clusters group by 1")}


def flags_in_context(store: Store) -> list[dict[str, Any]]:
    """Every flag with its article (date, title, text), story, claim text and sentence."""
    return [dict(f) for f in store.rows(
        """select f.*, a.published, a.title, a.text as article_text, coalesce(s.story_id, 'story:' || a.id) as story_id,
                  c.text as claim_text, c.sentence
           from flags f join articles a on a.id = f.article_id left join stories s on s.article_id = f.article_id
           left join claims c on c.id = f.claim_id
           order by s.story_id, a.published, f.article_id, f.kind, f.reason""")]


def article_count(store: Store) -> int:
    return int(next(store.rows("select count(*) as n from articles"))["n"])


def story_count(store: Store) -> int:
    return int(next(store.rows("select count(distinct story_id) as n from stories"))["n"])


def series_rows(store: Store, entity_ids: list[str], measures: list[str]) -> Iterator[dict[str, Any]]:
    """The keyed claims of these subjects with one of these measures, by period, with their cluster's status."""
    q = ",".join("?" * len(entity_ids))
    return store.rows(
        f"""select k.claim_id, k.period_start, k.period_end, k.modality, k.measure, k.cluster_id, c.value_decimal,
                   c.text, a.published, a.id as article_id, cc.status, cc.subject
            from claim_keys k join claims c on c.id = k.claim_id join articles a on a.id = k.article_id
            left join claim_clusters cc on cc.id = k.cluster_id
            where k.subject_entity in ({q}) and (k.measure = ? or k.measure = ?)
            order by coalesce(k.period_end, k.period_start, a.published), a.published, c.ordinal""",
        entity_ids + measures,
    )
