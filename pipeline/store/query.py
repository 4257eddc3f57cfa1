"""The query layer's SQL (``newsclaims query``, ``export``, ClaimReview, the Datasette site): the full-text
indexes and the ``claims_in_context`` view (the ``newsclaims-query`` migration set), the claim filter's SQL,
the export's reads, and the SQL the site runs (canned queries, the claim page). Every user value is a bound
parameter, never part of the SQL text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from pipeline.store.core import FTS_TABLES, MIGRATION_SETS, Store

query_migrations = Migrations("newsclaims-query")

CLAIMS_IN_CONTEXT_SQL = """
select
  c.id as claim_id, c.text as figure, c.sentence, c.speaker,
  (select p.title from people p where p.article_id = c.article_id and p.norm_name = c.norm_speaker
     and p.title is not null limit 1) as speaker_title,
  (select p.org from people p where p.article_id = c.article_id and p.norm_name = c.norm_speaker
     and p.org is not null limit 1) as speaker_org,
  a.published, substr(a.published, 1, 4) as year, a.source, c.type, c.value_decimal as value_exact,
  c.value_max_decimal as value_max, c.approx, c.unit, c.direction, c.modality, c.subject, c.time_start,
  c.time_end, a.title as article_title, a.url, c.article_id, c.equivalent_of, c.rule_id, c.norm_speaker,
  c.value, c.start - c.sentence_start as figure_start, c."end" - c.sentence_start as figure_end,
  c.rowid as claim_rowid
from claims c join articles a on a.id = c.article_id
"""
# The same, with each speaker and subject resolved to its canonical entity (the crossref layer), the names as
# written kept beside: speaker_canonical is the speaker's entity's name (the speaker as written when it has
# none, e.g. a news agency); subject_canonical is the subject's entity's name, null when the subject is no name
# (a figure, a pronoun, a generic noun: "number", "1,200 units", "targeted figure").
CLAIMS_IN_CONTEXT_V3_SQL = """
select
  c.id as claim_id, c.text as figure, c.sentence, c.speaker,
  coalesce(se.name, c.speaker) as speaker_canonical, se.id as speaker_entity,
  (select p.title from people p where p.article_id = c.article_id and p.norm_name = c.norm_speaker
     and p.title is not null limit 1) as speaker_title,
  (select p.org from people p where p.article_id = c.article_id and p.norm_name = c.norm_speaker
     and p.org is not null limit 1) as speaker_org,
  a.published, substr(a.published, 1, 4) as year, a.source, c.type, c.value_decimal as value_exact,
  c.value_max_decimal as value_max, c.approx, c.unit, c.direction, c.modality, c.subject,
  sub.name as subject_canonical, sub.id as subject_entity, c.time_start,
  c.time_end, a.title as article_title, a.url, c.article_id, c.equivalent_of, c.rule_id, c.norm_speaker,
  c.value, c.start - c.sentence_start as figure_start, c."end" - c.sentence_start as figure_end,
  c.rowid as claim_rowid, se.norm_names as speaker_norm_names
from claims c join articles a on a.id = c.article_id
left join claim_keys k on k.claim_id = c.id
left join entity_keys sek on sek.key = k.origin_key and k.origin_rule = 'origin.attributed'
left join entities se on se.id = sek.entity_id
left join entities sub on sub.id = k.subject_entity
"""


@query_migrations(name="0001_fts_and_context")
def _q0001_fts_and_context(db: sqlite_utils.Database) -> None:
    db.table("claims").enable_fts(
        ["sentence", "text", "subject", "speaker"], create_triggers=True, tokenize="porter"
    )
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="porter")
    db.create_view("claims_in_context", CLAIMS_IN_CONTEXT_SQL, replace=True)
    db.table("articles").create_index(["published"], if_not_exists=True)


@query_migrations(name="0002_context_columns_in_reading_order")
def _q0002_context_columns(db: sqlite_utils.Database) -> None:
    db.create_view("claims_in_context", CLAIMS_IN_CONTEXT_SQL, replace=True)


@query_migrations(name="0003_canonical_speaker_and_subject")
def _q0003_canonical(db: sqlite_utils.Database) -> None:
    db.create_view("claims_in_context", CLAIMS_IN_CONTEXT_V3_SQL, replace=True)


MIGRATION_SETS.append(query_migrations)
FTS_TABLES.extend(("claims_fts", "articles_fts"))


# --- claims matching a query (newsclaims query, export filters, ClaimReview) -------------------------------
# Columns of the ``claims_in_context`` view that a query returns.
RESULT_COLUMNS = (
    "claim_id", "published", "source", "type", "figure", "value_exact", "value_max", "approx", "unit",
    "modality", "subject", "subject_canonical", "speaker", "speaker_canonical", "speaker_title", "speaker_org",
    "time_start", "time_end", "sentence",
    "figure_start", "figure_end", "article_title", "url", "article_id",
)


@dataclass(frozen=True)
class ClaimFilter:
    """Filter values ready to bind, None meaning 'any' (checked and folded by :mod:`pipeline.query.claims`)."""

    official: str | None = None  # the speaker's folded name, spaces removed
    official_org: str | None = None  # matched against the speaker's organisation
    type: str | None = None
    modality: str | None = None
    subject: str | None = None
    unit: str | None = None
    since: str | None = None
    min_value: float | None = None
    topic: str | None = None  # an FTS5 phrase (every word quoted)
    claim_ids: tuple[str, ...] = ()
    limit: int | None = None


def claims_sql(f: ClaimFilter) -> tuple[str, dict[str, Any]]:
    """The SQL and its bound parameters. Only fixed SQL fragments are concatenated; values are parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if f.official is not None:
        # A person (name variants folded) or an organisation the speaker belongs to (e.g. ISIPO).
        where.append("(instr(replace(coalesce(norm_speaker, ''), ' ', ''), :official) > 0"
                     " or instr(coalesce(speaker_norm_names, ''), :official) > 0"
                     " or instr(lower(coalesce(speaker_org, '')), lower(:official_org)) > 0)")
        params["official"] = f.official
        params["official_org"] = f.official_org
    if f.type:
        where.append("type = :type")
        params["type"] = f.type
    if f.modality:
        where.append("modality = :modality")
        params["modality"] = f.modality
    if f.subject:
        where.append("(instr(lower(coalesce(subject, '')), lower(:subject)) > 0"
                     " or instr(lower(coalesce(subject_canonical, '')), lower(:subject)) > 0)")
        params["subject"] = f.subject
    if f.unit:
        where.append("lower(unit) = lower(:unit)")
        params["unit"] = f.unit
    if f.since:
        where.append("published >= :since")
        params["since"] = f.since
    if f.min_value is not None:
        where.append("value >= :min_value")
        params["min_value"] = f.min_value
    if f.topic:
        where.append("claim_rowid in (select rowid from claims_fts where claims_fts match :topic)")
        params["topic"] = f.topic
    if f.claim_ids:
        names = []
        for i, cid in enumerate(f.claim_ids):
            params[f"id{i}"] = cid
            names.append(f":id{i}")
        where.append(f"claim_id in ({', '.join(names)})")
    sql = f"select {', '.join(RESULT_COLUMNS)} from claims_in_context"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by published, article_id, claim_rowid"
    if f.limit:
        sql += " limit :limit"
        params["limit"] = f.limit
    return sql, params


def claim_rows(store: Store, f: ClaimFilter) -> Iterator[dict[str, Any]]:
    """``claims_in_context`` rows matching ``f``, oldest article first."""
    sql, params = claims_sql(f)
    return store.rows(sql, params)


def distinct_values(store: Store, column: str) -> list[str]:
    """Values present in the database for a hint when a filter finds nothing (type, unit, modality)."""
    if column not in ("type", "unit", "modality"):
        raise ValueError(column)
    return [r["v"] for r in store.rows(f"select distinct {column} as v from claims where {column} is not null "
                                       f"order by v")]


def has_query_schema(store: Store) -> bool:
    """True when the database has the claims view and full-text index the query layer needs."""
    names = {r["name"] for r in store.rows("select name from sqlite_master where type in ('table', 'view')")}
    return {"claims", "claims_in_context", "claims_fts"} <= names


def claim_ids_with_prefix(store: Store, prefix: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` claim ids starting with ``prefix`` (the prefix is a bound parameter), in id order."""
    return [r["id"] for r in store.rows("select id from claims where substr(id, 1, :n) = :p order by id limit :lim",
                                        {"n": len(prefix), "p": prefix, "lim": limit})]


# --- export -----------------------------------------------------------------------------------------------
_BY_ARTICLE = {
    "people": "select * from people order by article_id, start",
    "claims": "select * from claims order by article_id, ordinal",
    "dates": "select * from dates order by article_id, ordinal",
}


def rows_by_article(store: Store, table: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``table`` (people, claims or dates), grouped by article, in article order."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.rows(_BY_ARTICLE[table]):
        out[row["article_id"]].append(row)
    return out


def articles(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows("select * from articles order by id")


def claims_with_articles(store: Store) -> Iterator[dict[str, Any]]:
    """Every claim with its article's published date and URL, in article and claim order."""
    return store.rows("""select c.*, a.published, a.url, cic.speaker_canonical, cic.subject_canonical
                         from claims c join articles a on a.id = c.article_id
                         join claims_in_context cic on cic.claim_id = c.id
                         order by c.article_id, c.ordinal""")


def claim_agreements(store: Store) -> dict[str, dict[str, Any]]:
    """Per claim id: its cluster, the cluster's status, revision, restatements and independence, and the
    claim's own outlet and origin (the crossref tables; empty before they are built)."""
    return {r["claim_id"]: r for r in store.rows(
        """select m.claim_id, m.cluster_id, cc.status, cc.revision, cc.restatements, cc.n_origins,
                  cc.n_appearances, cc.independence, m.outlet, m.origin, m.origin_name, m.origin_rule, m.channel
           from cluster_members m join claim_clusters cc on cc.id = m.cluster_id""")}


def claim_canonical_names(store: Store) -> dict[str, dict[str, Any]]:
    """Per claim id: its speaker's and subject's canonical entity (id and name), from ``claims_in_context``."""
    return {r["claim_id"]: r for r in store.rows(
        """select claim_id, speaker_canonical, speaker_entity, subject_canonical, subject_entity
           from claims_in_context""")}


def other_appearances(store: Store, claim_id: str) -> list[dict[str, Any]]:
    """The other members of a claim's cluster with their articles (url, title, date, source), oldest first."""
    return list(store.rows(
        """select m2.claim_id, m2.published, a.url, a.title, a.source, m2.outlet, m2.origin_name, m2.origin_rule
           from cluster_members m1 join cluster_members m2 on m2.cluster_id = m1.cluster_id
           join articles a on a.id = m2.article_id
           where m1.claim_id = :claim_id and m2.claim_id != :claim_id
           order by m2.published, m2.article_id, m2.claim_id""", {"claim_id": claim_id}))


# --- ClaimReview ------------------------------------------------------------------------------------------
def officials_for_authors(store: Store) -> Iterator[dict[str, Any]]:
    """article_id, name, norm_name, title and org of every official, last mention first."""
    return store.rows("select article_id, name, norm_name, title, org from people order by start desc")


def organisation_names(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows("select article_id, name, acronym from organisations")


# --- the Datasette site -------------------------------------------------------------------------------------
# Canned queries (pipeline/query/serve/metadata.yaml gives their titles, descriptions and parameters). The
# newsclaims_* functions are the site plugin's (pipeline/query/serve/plugins/newsclaims_serve.py).
CANNED_QUERIES: dict[str, str] = {
    "claims_by_official": """\
select claim_id, published, speaker_canonical, speaker, speaker_title, speaker_org, type, figure, value_exact,
       unit, modality, subject_canonical, subject, sentence, figure_start, figure_end, article_title, url
from claims_in_context
where speaker is not null
  and (instr(replace(coalesce(norm_speaker, ''), ' ', ''), newsclaims_norm(:official)) > 0
       or instr(coalesce(speaker_norm_names, ''), newsclaims_norm(:official)) > 0)
order by published, claim_rowid
limit 1000""",
    "subject_over_time": """\
select coalesce(time_start, published) as period, time_start, time_end, published, subject_canonical, subject,
       type, figure, value_exact, unit, modality, speaker_canonical, speaker, claim_id, sentence, figure_start,
       figure_end, url
from claims_in_context
where (instr(lower(coalesce(subject, '')), lower(:subject)) > 0
       or instr(lower(coalesce(subject_canonical, '')), lower(:subject)) > 0)
  and (:unit = '' or lower(unit) = lower(:unit))
order by period, claim_rowid
limit 1000""",
    "money_over": """\
select claim_id, published, figure, value_exact, unit, approx, modality, subject, speaker,
       speaker_org, sentence, figure_start, figure_end, article_title, url
from claims_in_context
where type = 'money'
  and (:currency = '' or lower(unit) = lower(:currency))
  and (:min_amount = '' or value >= newsclaims_amount(:min_amount))
  and (:since = '' or published >= newsclaims_date(:since))
  and instr(lower(coalesce(subject, '')), lower(:subject)) > 0
order by value desc, published
limit 1000""",
    "said_about": """\
select claim_id, published, speaker_canonical, speaker, speaker_org, figure, value_exact, unit, modality,
       subject_canonical, subject, sentence, figure_start, figure_end, article_title, url
from claims_in_context
where (:who = ''
       or (speaker is not null
           and (instr(replace(coalesce(norm_speaker, ''), ' ', ''), newsclaims_norm(:who)) > 0
                or instr(coalesce(speaker_norm_names, ''), newsclaims_norm(:who)) > 0))
       or instr(lower(coalesce(subject_canonical, '')), lower(:who)) > 0
       or instr(lower(coalesce(speaker_org, '')), lower(:who)) > 0
       or instr(lower(coalesce(subject, '')), lower(:who)) > 0)
  and (newsclaims_fts(:topic) is null
       or claim_rowid in (select rowid from claims_fts where claims_fts match newsclaims_fts(:topic)))
order by published, claim_rowid
limit 1000""",
    "claims_since": """\
select claim_id, published, source, type, figure, value_exact, unit, modality, subject, speaker,
       sentence, figure_start, figure_end, article_title, url
from claims_in_context
where (:since = '' or published >= newsclaims_date(:since))
  and (:type = '' or type = lower(:type))
order by published, claim_rowid
limit 1000""",
    "claim": """\
select cic.claim_id, cic.figure, cic.value_exact, cic.unit, cic.type, cic.modality, cic.subject,
       cic.speaker, cic.speaker_title, cic.speaker_org, cic.time_start, cic.time_end, cic.sentence,
       cic.figure_start, cic.figure_end, cic.article_title, cic.published, cic.source, cic.url,
       a.warc_file, a.warc_offset, a.warc_record_id, a.payload_sha256, a.raw_path, a.raw_sha256,
       a.text_sha256, c.rule_id, c.extractor, c.run_id
from claims_in_context cic
join articles a on a.id = cic.article_id
join claims c on c.id = cic.claim_id
where cic.claim_id = :claim_id""",
}

# The claim page (/claim/<id>): one claim in context with its provenance.
SITE_CLAIM_SQL = """
select cic.*, a.warc_file, a.warc_offset, a.warc_record_id, a.payload_sha256, a.raw_path, a.raw_sha256,
       a.text_sha256, a.fetched_at, c.extractor, c.run_id, c.evidence, c.flags,
       e.text as equivalent_figure, e.unit as equivalent_unit
from claims_in_context cic
join articles a on a.id = cic.article_id
join claims c on c.id = cic.claim_id
left join claims e on e.id = cic.equivalent_of
where cic.claim_id = :claim_id
"""
# A claim id prefix on the claim page (/claim/<prefix>): the ids it starts (two are enough to see it is ambiguous).
SITE_CLAIM_PREFIX_SQL = "select id from claims where substr(id, 1, length(:prefix)) = :prefix order by id limit 2"
# The claim page's currency conversions of that claim.
SITE_CONVERSIONS_SQL = "select id, text, unit from claims where equivalent_of = :claim_id order by ordinal"
# Whether a database has claims yet (the empty-database notice).
SITE_CLAIM_COUNT_SQL = "select count(*) from claims"

# --- the fact-checker's pages (agreement panel, conflicts, entity, series chart) ---------------------------
# The claim page's cluster: its status, revision, values and independence, with its subject and measure.
SITE_CLAIM_CLUSTER_SQL = """
select cc.id, cc.status, cc.revision, cc.cluster_values, cc.subject, cc.subject_entity, cc.measure,
       cc.period_start, cc.period_end, cc.modality, cc.n_stories, cc.n_appearances, cc.n_origins,
       cc.restatements, cc.independence
from claim_keys k join claim_clusters cc on cc.id = k.cluster_id
where k.claim_id = :claim_id
"""
# Every appearance of a cluster: date, outlet, speaker, origin, value, with its claim id.
SITE_CLUSTER_APPEARANCES_SQL = """
select m.claim_id, m.article_id, m.published, m.value, m.outlet, m.origin, m.origin_name, m.origin_rule,
       m.channel, c.text as figure, c.speaker, a.title as article_title
from cluster_members m
join claims c on c.id = m.claim_id
join articles a on a.id = m.article_id
where m.cluster_id = :cluster_id
order by m.published, m.article_id, c.ordinal
"""
# The consistency flags on a claim, with their reasons.
SITE_CLAIM_FLAGS_SQL = "select kind, rule, reason from flags where claim_id = :claim_id order by rule, id"
# Every conflicting cluster, oldest first.
SITE_CONFLICTS_SQL = """
select id, status, revision, cluster_values, subject, subject_entity, measure, period_start, period_end, modality,
       n_stories, n_appearances, n_origins, first_published
from claim_clusters where status = 'conflicting'
order by first_published, subject, measure, id
limit 1000
"""
# One entity: its canonical name and the names as written.
SITE_ENTITY_SQL = "select id, kind, name, variants, articles from entities where id = :entity_id"
# The entity's roles over time (title and organisation as written in each article).
SITE_ENTITY_ROLES_SQL = """
select distinct m.published, m.article_id, m.surface, m.title, m.org
from entity_mentions m join entity_keys k on k.key = m.key
where k.entity_id = :entity_id and m.role = 'official'
order by m.published, m.article_id, m.title
"""
# The entity's claims: said by it (the claim's origin resolves to it) or about it (its subject does).
SITE_ENTITY_CLAIMS_SQL = """
select c.id as claim_id, a.published, c.text as figure, c.speaker, c.subject, sub.name as subject_canonical,
       c.modality, k.measure, k.cluster_id, cc.status,
       case when ek.entity_id = :entity_id then 'said' else 'about' end as relation
from claim_keys k
join claims c on c.id = k.claim_id
join articles a on a.id = k.article_id
left join entity_keys ek on ek.key = k.origin_key
left join entities sub on sub.id = k.subject_entity
left join claim_clusters cc on cc.id = k.cluster_id
where ek.entity_id = :entity_id or k.subject_entity = :entity_id
order by a.published, c.article_id, c.ordinal
limit 1000
"""
# The series chart: one subject's figures for one measure, by period.
SITE_SERIES_SQL = """
select k.claim_id, k.period_start, k.period_end, k.modality, k.measure, k.cluster_id, c.value_decimal, c.text,
       a.published, cc.status, cc.subject
from claim_keys k join claims c on c.id = k.claim_id join articles a on a.id = k.article_id
left join claim_clusters cc on cc.id = k.cluster_id
where k.subject_entity = :subject and k.measure = :measure
order by coalesce(k.period_end, k.period_start, a.published), a.published, c.ordinal
limit 1000
"""
# The subject/measure pairs with at least two figures, for the series index.
SITE_SERIES_INDEX_SQL = """
select k.subject_entity, coalesce(e.name, k.subject_entity) as subject, k.measure, count(*) as n
from claim_keys k left join entities e on e.id = k.subject_entity
where k.subject_entity is not null and k.measure is not null
group by k.subject_entity, k.measure having count(*) >= 2
order by n desc, subject, k.measure
limit 200
"""
# Whether the crossref tables exist (a database from before them shows no panel).
SITE_HAS_CROSSREF_SQL = "select count(*) from sqlite_master where name in ('claim_clusters', 'cluster_members')"
