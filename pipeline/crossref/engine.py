"""Incremental maintenance of the crossref tables. SQLite only through pipeline.store."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.crossref import checks, clusters, entities, stories
from pipeline.crossref.measures import measure_of
from pipeline.crossref.names import compound_given_name_variant, org_key
from pipeline.crossref.periods import period_key
from pipeline.store import Store, xref_clear, xref_delete, xref_insert, xref_transaction

DATA = Path(__file__).resolve().parent / "data"
SHARE_CUE = ("of which", "of whom", "including", "among them", "among which")


def _h(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def _in(col: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    vals = list(values)
    if not vals:
        return "0", []
    return f"{col} in ({','.join('?' * len(vals))})", vals


def _rows(store: Store, sql: str, col: str, values: Iterable[Any], extra: list[Any] | None = None
          ) -> list[dict[str, Any]]:
    vals = sorted(set(values))
    out: list[dict[str, Any]] = []
    for i in range(0, max(len(vals), 1), 500):
        cond, params = _in(col, vals[i : i + 500])
        if not params:
            break
        out.extend(store.rows(sql.replace("{in}", cond), (extra or []) + params))
    return out


# --- stories ----------------------------------------------------------------------------------------------
def _story_neighbours(store: Store, aid: str, sig: list[int], chash: str) -> set[str]:
    out = {r["article_id"] for r in store.rows(
        "select article_id from stories where content_hash = ? and article_id != ?", [chash, aid])}
    cands: set[str] = set()
    for band, bucket in stories.buckets(sig):
        cands |= {r["article_id"] for r in store.rows(
            "select article_id from story_lsh where band = ? and bucket = ? and article_id != ?", [band, bucket, aid])}
    for c in sorted(cands - out):
        row = next(store.rows("select minhash from stories where article_id = ?", [c]), None)
        if row and stories.jaccard(sig, json.loads(row["minhash"])) >= stories.NEAR_COPY_JACCARD:
            out.add(c)
    return out


def _update_stories(store: Store, article_ids: list[str]) -> set[str]:
    """Returns the articles whose story_id may have changed."""
    old = _rows(store, "select article_id, story_id from stories where {in}", "article_id", article_ids)
    old_story_ids = {r["story_id"] for r in old}
    seeds = set(article_ids) | {r["article_id"] for r in _rows(
        store, "select article_id from stories where {in}", "story_id", old_story_ids)}
    xref_delete(store, "story_lsh", "article_id", article_ids)
    xref_delete(store, "stories", "article_id", article_ids)
    arts = _rows(store, "select id, text from articles where {in}", "id", article_ids)
    for a in arts:
        sig = stories.signature(a["text"] or "")
        xref_insert(store, "stories", [{"article_id": a["id"], "story_id": a["id"], "content_hash":
                                        stories.content_hash(a["text"] or ""), "minhash": json.dumps(sig),
                                        "rule": "story.self", "evidence": "{}"}])
        xref_insert(store, "story_lsh", [{"id": _h(a["id"], b), "article_id": a["id"], "band": b, "bucket": k}
                                         for b, k in stories.buckets(sig)])
    # connected components from the seeds
    sigs: dict[str, tuple[list[int], str]] = {}

    def info(aid: str) -> tuple[list[int], str] | None:
        if aid not in sigs:
            row = next(store.rows("select minhash, content_hash from stories where article_id = ?", [aid]), None)
            if row is None:
                return None
            sigs[aid] = (json.loads(row["minhash"]), row["content_hash"])
        return sigs[aid]

    done: set[str] = set()
    touched: set[str] = set(seeds)
    for s in sorted(seeds):
        if s in done or info(s) is None:
            continue
        comp, frontier, links = {s}, [s], {}
        while frontier:
            x = frontier.pop()
            inf = info(x)
            if inf is None:
                continue
            for n in _story_neighbours(store, x, inf[0], inf[1]):
                if n not in comp:
                    comp.add(n)
                    frontier.append(n)
                    links[n] = x
        done |= comp
        touched |= comp
        pubs = {r["id"]: r["published"] or "9999" for r in _rows(
            store, "select id, published from articles where {in}", "id", comp)}
        head = min(comp, key=lambda x: (pubs.get(x, "9999"), x))
        for member in sorted(comp):
            inf = info(member)
            assert inf is not None
            rule = "story.self"
            ev: dict[str, Any] = {}
            if len(comp) > 1:
                same = [b for b in comp if b != member and info(b) and info(b)[1] == inf[1]]  # type: ignore[index]
                rule = "story.exact_copy" if same else "story.near_copy"
                best = max((b for b in comp if b != member),
                           key=lambda b: (stories.jaccard(inf[0], info(b)[0]), b))  # type: ignore[index]
                ev = {"closest": best, "jaccard": round(stories.jaccard(inf[0], info(best)[0]), 3),  # type: ignore[index]
                      "members": sorted(comp)}
            store.db.execute("update stories set story_id = ?, rule = ?, evidence = ? where article_id = ?",
                             [f"story:{head}", rule, json.dumps(ev, sort_keys=True), member])
    return touched


# --- entities ---------------------------------------------------------------------------------------------
def _article_inputs(store: Store, aid: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]],
                                                     list[dict[str, Any]]]:
    art = next(store.rows("select id, text, published from articles where id = ?", [aid]))
    people = list(store.rows("select * from people where article_id = ? order by start", [aid]))
    orgs = list(store.rows("select * from organisations where article_id = ? order by start", [aid]))
    cl = list(store.rows("select * from claims where article_id = ? order by ordinal", [aid]))
    return art, people, orgs, cl


def _update_entities(store: Store, article_ids: list[str]) -> tuple[set[str], set[str]]:
    """Returns (affected keys, entity ids that existed before for them)."""
    old_keys = {r["key"] for r in _rows(store, "select key from entity_mentions where {in}", "article_id", article_ids)}
    for r in _rows(store, "select key_a, key_b from entity_edges where {in}", "article_id", article_ids):
        old_keys |= {r["key_a"], r["key_b"]}
    xref_delete(store, "entity_mentions", "article_id", article_ids)
    xref_delete(store, "entity_edges", "article_id", article_ids)
    new_keys: set[str] = set()
    existing = {r["id"] for r in _rows(store, "select id from articles where {in}", "id", article_ids)}
    for aid in sorted(existing):
        art, people, orgs, cl = _article_inputs(store, aid)
        ms, es = entities.article_mentions(art, people, orgs, cl)
        xref_insert(store, "entity_mentions", ms)
        xref_insert(store, "entity_edges", es)
        new_keys |= {m["key"] for m in ms} | {e["key_a"] for e in es} | {e["key_b"] for e in es}
    seeds = old_keys | new_keys
    old_eids = {r["entity_id"] for r in _rows(store, "select entity_id from entity_keys where {in}", "key", seeds)}
    seeds |= {r["key"] for r in _rows(store, "select key from entity_keys where {in}", "entity_id", old_eids)}
    # closure over stored and curated edges
    curated = entities.override_edges()
    closure, frontier = set(seeds), list(seeds)
    edges: dict[str, dict[str, Any]] = {}
    while frontier:
        batch, frontier = frontier, []
        found = _rows(store, "select * from entity_edges where {in}", "key_a", batch) + \
            _rows(store, "select * from entity_edges where {in}", "key_b", batch)
        bset = set(batch)
        found += _compound_name_edges(store, bset)
        found += [dict(e, id=_h("override", e["key_a"], e["key_b"]), article_id=None) for e in curated
                  if e["key_a"] in bset or e["key_b"] in bset]
        for e in found:
            edges[e["id"]] = e
            for k in (e["key_a"], e["key_b"]):
                if k not in closure:
                    closure.add(k)
                    frontier.append(k)
    mentioned = {r["key"] for r in _rows(store, "select distinct key from entity_mentions where {in}", "key", closure)}
    roots, used = entities.components(mentioned, list(edges.values()), entities.cannot_link())
    xref_delete(store, "entity_keys", "key", closure)
    xref_delete(store, "entities", "id", old_eids)
    xref_delete(store, "entity_merges", "entity_id", old_eids)
    by_root: dict[str, list[str]] = defaultdict(list)
    for k, root_key in roots.items():
        by_root[root_key].append(k)
    ment = _rows(store, "select key, surface, article_id, kind, published from entity_mentions where {in}",
                 "key", mentioned)
    used_by_root: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in used:
        used_by_root[roots[e["key_a"]]].append(e)
    for root, keys in by_root.items():
        kind = entities.entity_kind(keys)
        eid = entities.entity_id(kind, keys)
        ks = set(keys)
        mine = [m for m in ment if m["key"] in ks]
        surfaces = Counter(m["surface"] for m in mine)
        name = entities.entity_name(kind, surfaces)
        arts = sorted({m["article_id"] for m in mine})
        xref_delete(store, "entities", "id", [eid])
        xref_delete(store, "entity_merges", "entity_id", [eid])
        xref_insert(store, "entities", [{"id": eid, "kind": kind, "name": name,
                                         "variants": json.dumps(sorted(surfaces)), "keys": json.dumps(sorted(keys)),
                                         "articles": json.dumps(arts)}])
        xref_insert(store, "entity_keys", [{"key": k, "entity_id": eid} for k in keys])
        merges = []
        for k in sorted(keys):
            vs = sorted({m["surface"] for m in mine if m["key"] == k})
            if len(vs) > 1 or len(keys) > 1:
                rule = "person.name_folded" if k.startswith("p:") else "org.name_normalised"
                merges.append({"id": _h(eid, k, "same-key"), "entity_id": eid, "key_a": k, "key_b": k, "rule": rule,
                               "evidence": json.dumps({"variants": vs, "key": k})})
        for e in used_by_root[root]:
            merges.append({"id": _h(eid, e["key_a"], e["key_b"], e["rule"]), "entity_id": eid, "key_a": e["key_a"],
                           "key_b": e["key_b"], "rule": e["rule"], "evidence": e["evidence"]})
        xref_insert(store, "entity_merges", merges)
    return closure, old_eids


def _compound_name_edges(store: Store, keys: set[str]) -> list[dict[str, Any]]:
    """Edges between person keys of one surname whose given names differ by a dropped compound element."""
    out = []
    for k in sorted(keys):
        if not k.startswith("p:") or " " not in k:
            continue
        surname = k.rsplit(" ", 1)[1]
        for r in store.rows("select distinct key from entity_mentions where key like ?", [f"p:% {surname}"]):
            if compound_given_name_variant(k, r["key"]):
                a, b = sorted((k, r["key"]))
                out.append({"id": _h("compound", a, b), "article_id": None, "key_a": a, "key_b": b,
                            "rule": "person.compound_given_name",
                            "evidence": json.dumps({"keys": [a, b], "surname": surname})})
    return out


def _entity_of(store: Store, key: str | None) -> str | None:
    if not key:
        return None
    row = next(store.rows("select entity_id from entity_keys where key = ?", [key]), None)
    return row["entity_id"] if row else None


@lru_cache(maxsize=1)
def remits() -> tuple[dict[str, Any], ...]:
    with open(DATA / "org_remits.jsonl", encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


# --- claim keys and clusters -----------------------------------------------------------------------------
def _claim_key(store: Store, c: dict[str, Any], resolver: entities.ArticleResolver, published: str | None
               ) -> dict[str, Any]:
    ev: dict[str, Any] = {}
    row = {"claim_id": c["id"], "article_id": c["article_id"], "subject_key": None, "subject_entity": None,
           "measure": None, "period_start": None, "period_end": None, "modality": c.get("modality"),
           "cluster_id": None}
    if not c.get("subject"):
        row["evidence"] = json.dumps({"unclustered": "no subject"})
        return row
    skey, _kind, srule = resolver.subject(c["subject"])
    measure, mev = measure_of(c)
    ev.update(mev)
    ev["subject_rule"] = srule
    row["subject_key"] = skey
    if not skey or not measure:
        row["evidence"] = json.dumps({"unclustered": "no subject key or measure", **ev}, sort_keys=True)
        return row
    subj = _entity_of(store, skey) or skey
    sentence = c.get("sentence") or ""
    rel = (c.get("start") or 0) - (c.get("sentence_start") or 0)
    is_share = ev.get("head_rule") == "measure.sentence_says_are" or any(
        cue in sentence[max(0, rel - 40) : rel].lower() for cue in SHARE_CUE)
    for r in remits():
        parent = _entity_of(store, org_key(r["parent"])) or org_key(r["parent"])
        if subj == parent and measure in r["measures"] and is_share:
            child_key = org_key(r["org"])
            subj = _entity_of(store, child_key) or child_key or subj
            ev["subject_rule"] = "subject.remit_share"
            ev["remit"] = r["id"]
    ps, pe = period_key(c.get("time_start"), c.get("time_end"))
    if c.get("modality") == "actual" and ps and not pe and published:
        pe = published[:10]
        ev["period_rule"] = "period.open_actual_as_of_published"
    row.update({"subject_entity": subj, "measure": measure, "period_start": ps, "period_end": pe})
    row["cluster_id"] = "cluster:" + _h(subj, measure, ps, pe, c.get("modality"))
    row["evidence"] = json.dumps(ev, sort_keys=True)
    return row


def _rekey_claims(store: Store, claim_rows: list[dict[str, Any]]) -> set[str]:
    """Recompute claim_keys for these claims; returns the cluster ids touched (old and new)."""
    touched = {r["cluster_id"] for r in _rows(store, "select cluster_id from claim_keys where {in}", "claim_id",
                                              [c["id"] for c in claim_rows]) if r["cluster_id"]}
    xref_delete(store, "claim_keys", "claim_id", [c["id"] for c in claim_rows])
    by_art: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claim_rows:
        by_art[c["article_id"]].append(c)
    out = []
    for aid, cs in sorted(by_art.items()):
        people = list(store.rows("select name from people where article_id = ?", [aid]))
        pub = next(store.rows("select published from articles where id = ?", [aid]), {"published": None})["published"]
        res = entities.ArticleResolver(people)
        for c in cs:
            k = _claim_key(store, c, res, pub)
            out.append(k)
            if k["cluster_id"]:
                touched.add(k["cluster_id"])
    xref_insert(store, "claim_keys", out)
    return touched


def _recompute_clusters(store: Store, cluster_ids: set[str]) -> None:
    xref_delete(store, "claim_clusters", "id", cluster_ids)
    xref_delete(store, "cluster_members", "cluster_id", cluster_ids)
    rows = _rows(store, """select k.*, c.value_decimal as value, c.approx, c.text, c.speaker, a.published,
                                  coalesce(s.story_id, 'story:' || a.id) as story_id, c.subject as subject_surface
                           from claim_keys k join claims c on c.id = k.claim_id join articles a on a.id = k.article_id
                           left join stories s on s.article_id = k.article_id where {in}""",
                 "k.cluster_id", cluster_ids)
    by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_cluster[r["cluster_id"]].append(dict(r))
    for cid, ms in by_cluster.items():
        for m in ms:
            m["value"] = str(Decimal(m["value"]))
        status, revision, summary = clusters.cluster_status(ms, ms[0]["modality"])
        ent = next(store.rows("select name from entities where id = ?", [ms[0]["subject_entity"]]), None)
        subject = ent["name"] if ent else Counter(m["subject_surface"] for m in ms).most_common(1)[0][0]
        xref_insert(store, "claim_clusters", [{
            "id": cid, "subject_entity": ms[0]["subject_entity"], "subject": subject, "measure": ms[0]["measure"],
            "period_start": ms[0]["period_start"], "period_end": ms[0]["period_end"], "modality": ms[0]["modality"],
            "status": status, "revision": json.dumps(revision) if revision else None,
            "cluster_values": json.dumps(summary), "n_stories": len({m["story_id"] for m in ms}),
            "n_appearances": len(ms), "first_published": min((m["published"] or "9999") for m in ms),
            "evidence": json.dumps({"tolerance": {"exact": str(clusters.EXACT_TOL),
                                                  "approx": str(clusters.APPROX_TOL)}}),
        }])
        xref_insert(store, "cluster_members", [{
            "id": _h(cid, m["claim_id"]), "cluster_id": cid, "claim_id": m["claim_id"], "article_id": m["article_id"],
            "story_id": m["story_id"], "published": m["published"], "value": m["value"]} for m in ms])


# --- flags ------------------------------------------------------------------------------------------------
def _update_flags(store: Store, article_ids: list[str]) -> None:
    xref_delete(store, "flags", "article_id", article_ids)
    for aid in sorted(article_ids):
        art = next(store.rows("select id, text, published from articles where id = ?", [aid]), None)
        if art is None:
            continue
        cl = list(store.rows("select * from claims where article_id = ? order by ordinal", [aid]))
        rows = []
        for f in checks.check_article(art["text"] or "", art["published"], cl):
            rows.append({"id": _h(aid, f["rule"], f["claim_id"], f["reason"]), "article_id": aid,
                         "claim_id": f["claim_id"], "kind": f["kind"], "rule": f["rule"], "reason": f["reason"],
                         "evidence": json.dumps(f["evidence"], sort_keys=True)})
        xref_insert(store, "flags", rows)


# --- public -----------------------------------------------------------------------------------------------
def update_crossref(store: Store, article_ids: Iterable[str]) -> dict[str, int]:
    """Bring entities, stories, claim clusters and flags up to date after these articles were (re)saved."""
    ids = sorted(set(article_ids))
    if not ids:
        return {"articles": 0}
    with xref_transaction(store):
        story_touched = _update_stories(store, ids)
        keys, old_eids = _update_entities(store, ids)
        _update_flags(store, ids)
        old_claims = _rows(store, "select claim_id from claim_keys where {in}", "article_id", ids)
        touched = {r["cluster_id"] for r in _rows(store, "select cluster_id from claim_keys where {in}",
                                                  "article_id", ids) if r["cluster_id"]}
        xref_delete(store, "claim_keys", "claim_id", [r["claim_id"] for r in old_claims])
        claim_ids = {r["id"] for r in _rows(store, "select id from claims where {in}", "article_id", ids)}
        claim_ids |= {r["claim_id"] for r in _rows(store, "select claim_id from claim_keys where {in}",
                                                   "subject_key", keys)}
        claim_ids |= {r["claim_id"] for r in _rows(store, "select claim_id from claim_keys where {in}",
                                                   "subject_entity", old_eids | keys)}
        claim_rows = _rows(store, "select * from claims where {in}", "id", claim_ids)
        touched |= _rekey_claims(store, claim_rows)
        touched |= {r["cluster_id"] for r in _rows(store, "select cluster_id from claim_keys where {in}", "article_id",
                                                   story_touched) if r["cluster_id"]}
        _recompute_clusters(store, touched)
    return {"articles": len(ids), "clusters_touched": len(touched), "claims_rekeyed": len(claim_rows)}


def rebuild_crossref(store: Store) -> dict[str, int]:
    """Drop every crossref row and add all articles again (in one update)."""
    with xref_transaction(store):
        xref_clear(store)
    ids = [r["id"] for r in store.rows("select id from articles order by id")]
    return update_crossref(store, ids)
