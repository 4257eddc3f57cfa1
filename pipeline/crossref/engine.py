"""Incremental maintenance of the crossref tables: what the rows say is decided here; how they are read and
written is :mod:`pipeline.store.crossref`'s."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.jsonl import read_jsonl
from pipeline import faults
from pipeline.crossref import checks, clusters, entities, frames, names, origins, stories
from pipeline.crossref.measures import measure_of
from pipeline.crossref.names import compound_given_name_variant, org_key
from pipeline.crossref.periods import iso_day, period_key, whole_year_of_deadline
from pipeline.store import Store
from pipeline.store import crossref as db
from pipeline.store.crossref import xref_clear, xref_delete, xref_insert, xref_transaction

DATA = Path(__file__).resolve().parent / "data"
SHARE_CUE = ("of which", "of whom", "including", "among them", "among which")


def _h(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


# --- stories ----------------------------------------------------------------------------------------------
def _story_neighbours(store: Store, aid: str, sig: list[int], chash: str) -> set[str]:
    out = db.articles_with_content_hash(store, chash, aid)
    cands: set[str] = set()
    for band, bucket in stories.buckets(sig):
        cands |= db.articles_in_lsh_bucket(store, band, bucket, aid)
    for c in sorted(cands - out):
        minhash = db.story_minhash(store, c)
        if minhash and stories.jaccard(sig, json.loads(minhash)) >= stories.NEAR_COPY_JACCARD:
            out.add(c)
    return out


def _update_stories(store: Store, article_ids: list[str]) -> set[str]:
    """Returns the articles whose story_id may have changed."""
    old = db.stories_of_articles(store, article_ids)
    old_story_ids = {r["story_id"] for r in old}
    seeds = set(article_ids) | db.articles_of_stories(store, old_story_ids)
    xref_delete(store, "story_lsh", "article_id", article_ids)
    xref_delete(store, "stories", "article_id", article_ids)
    arts = db.article_texts(store, article_ids)
    story_rows: list[dict[str, Any]] = []
    lsh_rows: list[dict[str, Any]] = []
    for a in arts:
        sig = stories.signature(a["text"] or "")
        story_rows.append({"article_id": a["id"], "story_id": a["id"], "content_hash":
                           stories.content_hash(a["text"] or ""), "minhash": json.dumps(sig),
                           "rule": "story.self", "evidence": "{}"})
        lsh_rows.extend({"id": _h(a["id"], b), "article_id": a["id"], "band": b, "bucket": k}
                        for b, k in stories.buckets(sig))
    xref_insert(store, "stories", story_rows)  # all at once: insert_all per row costs more than the rows
    xref_insert(store, "story_lsh", lsh_rows)
    # connected components from the seeds
    sigs: dict[str, tuple[list[int], str]] = {}

    def info(aid: str) -> tuple[list[int], str] | None:
        if aid not in sigs:
            row = db.story_signature(store, aid)
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
        pubs = {r["id"]: r["published"] or "9999" for r in db.articles_published(store, comp)}
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
            db.set_story(store, member, f"story:{head}", rule, json.dumps(ev, sort_keys=True))
    return touched


# --- entities ---------------------------------------------------------------------------------------------
def _article_inputs(store: Store, aid: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]],
                                                     list[dict[str, Any]]]:
    art = db.article_text(store, aid)
    if art is None:
        raise LookupError(f"no article {aid}")
    return art, db.people_of(store, aid), db.organisations_of(store, aid), db.claims_of(store, aid)


def _update_entities(store: Store, article_ids: list[str], story_touched: Iterable[str] = ()
                     ) -> tuple[set[str], set[str]]:
    """Returns (affected keys, entity ids that existed before for them). The person keys of articles whose
    story changed are re-resolved too (a surname's neighbourhood includes its story)."""
    old_keys = db.mention_keys_of_articles(store, article_ids) | db.edge_keys_of_articles(store, article_ids)
    xref_delete(store, "entity_mentions", "article_id", article_ids)
    xref_delete(store, "entity_edges", "article_id", article_ids)
    new_keys: set[str] = set()
    existing = db.existing_articles(store, article_ids)
    for aid in sorted(existing):
        art, people, orgs, cl = _article_inputs(store, aid)
        ms, es = entities.article_mentions(art, people, orgs, cl)
        xref_insert(store, "entity_mentions", ms)
        xref_insert(store, "entity_edges", es)
        new_keys |= {m["key"] for m in ms} | {e["key_a"] for e in es} | {e["key_b"] for e in es}
    seeds = old_keys | new_keys
    seeds |= db.person_keys_of_articles(store, set(story_touched))
    old_eids = db.entities_of_keys(store, seeds)
    seeds |= db.keys_of_entities(store, old_eids)
    # closure over stored and curated edges
    curated = entities.override_edges()
    closure, frontier = set(seeds), list(seeds)
    edges: dict[str, dict[str, Any]] = {}
    while frontier:
        batch, frontier = frontier, []
        found = db.edges_touching(store, batch)
        bset = set(batch)
        found += _compound_name_edges(store, bset)
        found += _surname_edges(store, bset)
        found += _spelling_variant_edges(store, bset)
        found += [dict(e, id=_h("override", e["key_a"], e["key_b"]), article_id=None) for e in curated
                  if e["key_a"] in bset or e["key_b"] in bset]
        for e in found:
            edges[e["id"]] = e
            for k in (e["key_a"], e["key_b"]):
                if k not in closure:
                    closure.add(k)
                    frontier.append(k)
        if not frontier:  # the other keys of every entity reached must be re-resolved with it
            eids = db.entities_of_keys(store, closure)
            more = db.keys_of_entities(store, eids)
            frontier = sorted(more - closure)
            closure |= more
    mentioned = db.mentioned_keys(store, closure)
    roots, used = entities.components(mentioned, list(edges.values()), entities.cannot_link())
    # keys reached only through the closure had entities of their own too: they are replaced as well
    old_eids |= db.entities_of_keys(store, closure)
    xref_delete(store, "entity_keys", "key", closure)
    xref_delete(store, "entities", "id", old_eids)
    xref_delete(store, "entity_merges", "entity_id", old_eids)
    by_root: dict[str, list[str]] = defaultdict(list)
    for k, root_key in roots.items():
        by_root[root_key].append(k)
    ment = db.mentions_of_keys(store, mentioned)
    ment_by_root: dict[str, list[dict[str, Any]]] = defaultdict(list)  # each root's mentions, in ``ment``'s order
    for m in ment:
        if m["key"] in roots:
            ment_by_root[roots[m["key"]]].append(m)
    used_by_root: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in used:
        used_by_root[roots[e["key_a"]]].append(e)
    # every entity's rows written in one go (one statement per table, not five per entity). Two components can
    # get the same entity id; as when each was written in turn (its id's rows deleted, then its own inserted),
    # the later one's entity and merge rows replace the earlier one's, and both keep their entity_keys rows.
    entity_rows: dict[str, dict[str, Any]] = {}
    key_rows: list[dict[str, Any]] = []
    merges_of: dict[str, list[dict[str, Any]]] = {}
    for root, keys in by_root.items():
        kind = entities.entity_kind(keys)
        eid = entities.entity_id(kind, keys)
        mine = ment_by_root[root]
        surfaces = Counter(m["surface"] for m in mine)
        name = entities.entity_name(kind, surfaces)
        arts = sorted({m["article_id"] for m in mine})
        entity_rows.pop(eid, None)
        entity_rows[eid] = {"id": eid, "kind": kind, "name": name, "variants": json.dumps(sorted(surfaces)),
                            "keys": json.dumps(sorted(keys)), "articles": json.dumps(arts),
                            "norm_names": entities.norm_names([name, *surfaces])}
        key_rows.extend({"key": k, "entity_id": eid} for k in keys)
        merges_of.pop(eid, None)
        merges = merges_of[eid] = []
        for k in sorted(keys):
            vs = sorted({m["surface"] for m in mine if m["key"] == k})
            if len(vs) > 1 or len(keys) > 1:
                rule = "person.name_folded" if k.startswith("p:") else "org.name_normalised"
                merges.append({"id": _h(eid, k, "same-key"), "entity_id": eid, "key_a": k, "key_b": k, "rule": rule,
                               "evidence": json.dumps({"variants": vs, "key": k})})
        for e in used_by_root[root]:
            merges.append({"id": _h(eid, e["key_a"], e["key_b"], e["rule"]), "entity_id": eid, "key_a": e["key_a"],
                           "key_b": e["key_b"], "rule": e["rule"], "evidence": e["evidence"]})
    xref_delete(store, "entities", "id", entity_rows)
    xref_delete(store, "entity_merges", "entity_id", entity_rows)
    xref_insert(store, "entities", list(entity_rows.values()))
    xref_insert(store, "entity_keys", key_rows)
    xref_insert(store, "entity_merges", [m for ms in merges_of.values() for m in ms])
    return closure, old_eids


def _compound_name_edges(store: Store, keys: set[str]) -> list[dict[str, Any]]:
    """Edges between person keys of one surname whose given names differ by a dropped compound element."""
    out = []
    for k in sorted(keys):
        if not k.startswith("p:") or " " not in k:
            continue
        surname = k.rsplit(" ", 1)[1]
        for other in db.person_keys_with_surname(store, surname):
            if compound_given_name_variant(k, other):
                a, b = sorted((k, other))
                out.append({"id": _h("compound", a, b), "article_id": None, "key_a": a, "key_b": b,
                            "rule": "person.compound_given_name",
                            "evidence": json.dumps({"keys": [a, b], "surname": surname})})
    return out


def _given_compatible(a: str, b: str) -> bool:
    return a == b or compound_given_name_variant(f"p:{a} x", f"p:{b} x")


def _spelling_variant_edges(store: Store, keys: set[str]) -> list[dict[str, Any]]:
    """Edges (rule person.surname_spelling_variant) between full-name person keys with the same given name (or
    one without a compound's first element) whose surnames are one name spelt two ways
    (:func:`names.surname_spelling_variant`), and only with evidence: an official mention of each with the same
    role title and the same organisation."""
    out: dict[str, dict[str, Any]] = {}
    for k in sorted(keys):
        if not k.startswith("p:") or " " not in k or entities.is_local_key(k):
            continue
        given, surname = k[2:].rsplit(" ", 1)
        mine = db.official_mentions_of_key(store, k)
        if not mine:
            continue
        variants = {given} | {given[len(f):] for f in names.COMPOUND_FIRST
                              if given.startswith(f) and len(given) > len(f)}
        cands: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for v in sorted(variants):
            for r in db.official_mentions_with_given_name(store, v):
                cands[r["key"]].append(r)
        for other, theirs in sorted(cands.items()):
            if other == k or entities.is_local_key(other):
                continue
            og, osur = other[2:].rsplit(" ", 1)
            spelling = names.surname_spelling_variant(surname, osur)
            if not spelling or not _given_compatible(given, og):
                continue
            match = next(((a, b) for a in mine for b in theirs
                          if (t := names.role_title(a["title"])) and t == names.role_title(b["title"])
                          and names.same_org(a["org"], b["org"])), None)
            if match is None:
                continue  # a surname a short distance away is not evidence on its own
            a, b = sorted((k, other))
            ma, mb = match if k == a else (match[1], match[0])
            out[_h("spelling", a, b)] = {
                "id": _h("spelling", a, b), "article_id": None, "key_a": a, "key_b": b,
                "rule": "person.surname_spelling_variant",
                "evidence": json.dumps(dict(spelling, keys=[a, b], title=names.role_title(ma["title"]),
                                            titles=[ma["title"], mb["title"]], orgs=[ma["org"], mb["org"]],
                                            articles=[ma["article_id"], mb["article_id"]],
                                            rule="surname within edit distance 2 with the same consonants, "
                                                 "same given name, same role title and same organisation"),
                                       sort_keys=True)}
    return list(out.values())


NEARBY_DAYS = 31  # "close in time": articles of one source published within this many days of each other


def _neighbour_articles(store: Store, aid: str) -> set[str]:
    """Articles of the same story, and articles of the same source published within NEARBY_DAYS."""
    out = db.same_story_articles(store, aid)
    art = db.article_source_published(store, aid)
    day = iso_day(art["published"]) if art else None
    if art and art["source"] and day is not None:
        lo = (day - dt.timedelta(days=NEARBY_DAYS)).isoformat()
        hi = (day + dt.timedelta(days=NEARBY_DAYS)).isoformat() + "~"
        out |= db.articles_of_source_between(store, art["source"], lo, hi)
    out.discard(aid)
    return out


def _surname_edges(store: Store, keys: set[str]) -> list[dict[str, Any]]:
    """Candidate edges (rule person.surname_nearby) between an article-local surname key and the full names
    with that surname in neighbouring articles; components() keeps one only if exactly one person fits."""
    out: dict[str, dict[str, Any]] = {}

    def add(local: str, full: str, article: str, where: list[str]) -> None:
        a, b = sorted((local, full))
        surname = local[2:].split("@", 1)[0]
        out[_h("nearby", a, b)] = {
            "id": _h("nearby", a, b), "article_id": None, "key_a": a, "key_b": b, "rule": entities.SURNAME_NEARBY,
            "evidence": json.dumps({"surname": surname, "article_id": article, "full_name_key": full,
                                    "full_name_articles": sorted(where), "window_days": NEARBY_DAYS,
                                    "rule": "exactly one known person with this surname in the same story or "
                                            "in articles of the same source within the window"},
                                   sort_keys=True)}

    for k in sorted(keys):
        if not k.startswith("p:"):
            continue
        if entities.is_local_key(k):
            surname, aid = k[2:].split("@", 1)
            near = _neighbour_articles(store, aid)
            found: dict[str, list[str]] = defaultdict(list)
            for r in db.surname_mentions_in_articles(store, surname, near):
                found[r["key"]].append(r["article_id"])
            for full, where in found.items():
                add(k, full, aid, sorted(set(where)))
        elif " " in k:
            surname = k.rsplit(" ", 1)[1]
            mine = db.articles_mentioning(store, k)
            for r in db.local_surname_mentions(store, surname):
                both = mine & _neighbour_articles(store, r["article_id"])
                if both:
                    add(r["key"], k, r["article_id"], sorted(both))
    return list(out.values())


def _entity_of(store: Store, key: str | None) -> str | None:
    if not key:
        return None
    return db.entity_of_key(store, key)


@lru_cache(maxsize=1)
def remits() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl(DATA / "org_remits.jsonl"))


# --- claim keys and clusters -----------------------------------------------------------------------------
UNDATED_GAP_DAYS = 92  # undated figures with one frame cluster only while each follows the last within this


def _origin_key(c: dict[str, Any], resolver: entities.ArticleResolver, text: str, outlet: str) -> dict[str, Any]:
    """The outlet and origin columns of one claim key (the origin key is resolved to its entity when clustering)."""
    o = origins.appearance_origin(c.get("speaker"), c.get("sentence"), text, outlet)
    key = o["surface"]
    if o["kind"] == "speaker":
        pk = names.person_key(o["surface"])
        if pk and pk in resolver.people_keys:  # an official of the article ("Said Tavakoli" is a name here)
            key = resolver.person(o["surface"])[0]
        else:
            surface, _ = names.clean_subject(o["surface"], c.get("sentence"), text)
            key = resolver.subject(surface, "speaker")[0] if surface else None
        agency = origins.agency_of(c.get("speaker"))
        if not key and agency:  # the agency quotes someone it does not name ("the deputy minister")
            o = {"channel": None, "rule": "origin.agency"}
            key = agency["id"]
        elif not key:  # a speaker that is no name ("the official" alone): the outlet's report of it
            o = {"channel": None, "rule": "origin.outlet_own"}
            key = origins.OUTLET_PREFIX + outlet
    return {"outlet": outlet, "origin_key": key, "origin_rule": o["rule"], "channel": o["channel"]}


def _prelim_key(store: Store, c: dict[str, Any], resolver: entities.ArticleResolver, published: str | None,
                text: str, outlet: str = "unknown") -> dict[str, Any]:
    """Subject, measure, period and modality of one claim, before the article-level decisions on its mode."""
    ev: dict[str, Any] = {}
    row: dict[str, Any] = {"claim_id": c["id"], "article_id": c["article_id"], "subject_key": None,
                           "subject_entity": None, "measure": None, "period_start": None, "period_end": None,
                           "modality": c.get("modality"), "cluster_id": None, "base_key": None, "key_mode": None}
    row.update(_origin_key(c, resolver, text, outlet))
    subject, srule = names.clean_subject(c.get("subject"), c.get("sentence"), text)
    ev["subject_rule"] = srule
    subj: str | None = None
    if subject:  # resolved even for a claim that cannot cluster: the query layer shows its canonical subject
        skey, _kind, krule = resolver.subject(subject)
        ev["subject_key_rule"] = krule
        row["subject_key"] = skey
        subj = (_entity_of(store, skey) or skey) if skey else None
    measure, mev = measure_of(c)
    ev.update(mev)
    if not measure:
        ev["unclustered"] = "no valid measure"
        row["subject_entity"] = subj
        row["_ev"] = ev
        return row
    sentence = c.get("sentence") or ""
    rel = (c.get("start") or 0) - (c.get("sentence_start") or 0)
    is_share = ev.get("head_rule") == "measure.sentence_says_are" or any(
        cue in sentence[max(0, rel - 40) : rel].lower() for cue in SHARE_CUE)
    for r in remits():
        parent = _entity_of(store, org_key(r["parent"])) or org_key(r["parent"])
        if subj and subj == parent and measure in r["measures"] and is_share:
            child_key = org_key(r["org"])
            subj = _entity_of(store, child_key) or child_key or subj
            ev["subject_rule"] = "subject.remit_share"
            ev["remit"] = r["id"]
    ps, pe = period_key(c.get("time_start"), c.get("time_end"))
    if c.get("modality") in ("target", "forecast") and pe and not ps:
        year_start = whole_year_of_deadline(pe)
        if year_start:  # "by the end of the year (March 19, 2021)" is a target for that whole year
            ps = year_start
            ev["period_rule"] = "period.year_end_deadline_is_the_year"
    if c.get("modality") == "actual" and published:
        pub = published[:10]
        if ps and not pe:
            pe = pub
            ev["period_rule"] = "period.open_actual_as_of_published"
        elif pe and pe > pub and (not ps or ps <= pub):
            pe = pub  # "this year ... has come true by 36 percent" is the year so far, not the whole year
            ev["period_rule"] = "period.actual_to_date_as_of_published"
    row.update({"subject_entity": subj, "measure": measure, "period_start": ps, "period_end": pe})
    row["_ev"] = ev
    return row


def _article_keys(store: Store, aid: str, text: str, published: str | None, cl: list[dict[str, Any]],
                  res: entities.ArticleResolver, outlet: str = "unknown") -> list[dict[str, Any]]:
    """Claim keys of one article. A claim is keyed by (subject, measure, period, modality) -- mode "figure" --
    only when that is enough to say what it counts: a count of a named thing, with a period, that is neither a
    part of a figure of the same measure nor one of several values the same sentence gives for the same key
    (a list, "respectively"). Every other claim is keyed by its sentence frame too (mode "frame"), so it
    clusters only with the same statement elsewhere."""
    rows = [_prelim_key(store, c, res, published, text, outlet) for c in cl]
    by_id = {c["id"]: c for c in cl}
    reasons: dict[str, str] = {}
    parts = checks.part_of_pairs(text, cl)
    row_of = {r["claim_id"]: r for r in rows}
    for total, part, rel in parts:
        if row_of[part["id"]]["measure"] and row_of[part["id"]]["measure"] == row_of[total["id"]]["measure"]:
            reasons[part["id"]] = f"frame.part_of_same_measure ({rel})"
    strong: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        c = by_id[r["claim_id"]]
        if not r["measure"]:
            continue
        if c.get("type") != "count":
            reasons.setdefault(r["claim_id"], "frame.weak_measure")
        elif not r["subject_entity"]:
            reasons.setdefault(r["claim_id"], "frame.no_named_subject")
        elif not (r["period_start"] or r["period_end"]):
            reasons.setdefault(r["claim_id"], "frame.undated")
        strong[(c.get("sentence_start"), r["subject_entity"], r["measure"], r["period_start"], r["period_end"],
                r["modality"])].append(r)
    for group in strong.values():
        vals = {Decimal(by_id[r["claim_id"]]["value_decimal"]) for r in group}
        if len(vals) > 1:
            for r in group:
                reasons.setdefault(r["claim_id"], "frame.same_sentence_values")
    for r in rows:
        ev = r.pop("_ev")
        c = by_id[r["claim_id"]]
        if not r["measure"]:
            r["evidence"] = json.dumps(ev, sort_keys=True)
            continue
        base: tuple[Any, ...] = (r["subject_entity"] or "-", r["measure"], r["period_start"], r["period_end"],
                                 r["modality"])
        if r["claim_id"] in reasons:
            fh, fev = frames.frame_of(c)
            ev.update(fev)
            ev["key_rule"] = reasons[r["claim_id"]]
            r["key_mode"] = "frame"
            base = base + (fh,)
        else:
            ev["key_rule"] = "figure.subject_measure_period_modality"
            r["key_mode"] = "figure"
        r["base_key"] = "base:" + _h(r["key_mode"], *base)
        r["evidence"] = json.dumps(ev, sort_keys=True)
    return rows


def _rekey_claims(store: Store, article_ids: set[str]) -> set[str]:
    """Recompute the claim keys of these articles' claims; returns the base keys touched (old and new)."""
    touched = db.base_keys_of_articles(store, article_ids)
    xref_delete(store, "claim_keys", "article_id", article_ids)
    out = []
    for aid in sorted(article_ids):
        art = db.article_text(store, aid)
        if art is None:
            continue
        people = db.people_names(store, aid)
        cl = db.claims_of(store, aid)
        res = entities.ArticleResolver(people, aid)
        src = db.article_outlet(store, aid) or {}
        outlet = origins.outlet_of(src.get("source"), src.get("url"))
        out.extend(_article_keys(store, aid, art["text"] or "", art["published"], cl, res, outlet))
    xref_insert(store, "claim_keys", out)
    return touched | {r["base_key"] for r in out if r["base_key"]}


def _chains(ms: list[dict[str, Any]], undated: bool) -> list[list[dict[str, Any]]]:
    """Members of one base key split into clusters: dated ones are one cluster; undated ones are chained by
    publication date, a new chain starting after a gap of more than UNDATED_GAP_DAYS."""
    ms = sorted(ms, key=lambda m: (m["published"] or "9999", m["claim_id"]))
    if not undated:
        return [ms]
    out: list[list[dict[str, Any]]] = []
    last: dt.date | None = None
    for m in ms:
        d = iso_day(m["published"])
        if not out or d is None or last is None or (d - last).days > UNDATED_GAP_DAYS:
            out.append([])
        out[-1].append(m)
        last = d
    return out


def _recompute_clusters(store: Store, base_keys: set[str]) -> None:
    old = db.clusters_of_base_keys(store, base_keys)
    xref_delete(store, "cluster_members", "cluster_id", old)
    xref_delete(store, "claim_clusters", "id", old)
    rows = db.cluster_candidates(store, base_keys)
    by_base: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_base[r["base_key"]].append(dict(r, value=str(Decimal(r["value"])),
                                           origin_name=origins.origin_name(r["origin"], r["origin_name"])))
    cluster_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for base, members in sorted(by_base.items()):
        undated = not (members[0]["period_start"] or members[0]["period_end"])
        for ms in _chains(members, undated):
            cid = "cluster:" + _h(base, ms[0]["published"] if undated else "")
            db.set_cluster(store, cid, [m["claim_id"] for m in ms])
            for m in ms:
                m["cluster_id"] = cid
            cluster, cluster_members = _cluster_rows(store, cid, base, ms, undated)
            cluster_rows.append(cluster)
            member_rows.extend(cluster_members)
    xref_insert(store, "claim_clusters", cluster_rows)  # in one go, in the same order as row by row
    xref_insert(store, "cluster_members", member_rows)


def _cluster_rows(store: Store, cid: str, base: str, ms: list[dict[str, Any]], undated: bool
                  ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The claim_clusters row and the cluster_members rows of one cluster."""
    status, revision, summary, indep = clusters.cluster_status(ms, ms[0]["modality"], undated)
    ent = db.entity_row(store, ms[0]["subject_entity"])
    subject = ent["name"] if ent else (ms[0]["subject_entity"] or "(no named subject)")
    ev0 = json.loads(ms[0]["evidence"] or "{}")
    return {
        "id": cid, "base_key": base, "subject_entity": ms[0]["subject_entity"], "subject": subject,
        "measure": ms[0]["measure"], "period_start": ms[0]["period_start"], "period_end": ms[0]["period_end"],
        "modality": ms[0]["modality"], "status": status, "revision": json.dumps(revision) if revision else None,
        "cluster_values": json.dumps(summary), "n_stories": len({m["story_id"] for m in ms}),
        "n_appearances": len(ms), "first_published": min((m["published"] or "9999") for m in ms),
        "n_origins": len(indep["origins"]), "restatements": indep["restatements"],
        "independence": json.dumps(indep, sort_keys=True),
        "evidence": json.dumps({"tolerance": {"exact": str(clusters.EXACT_TOL), "approx": str(clusters.APPROX_TOL)},
                                "key_mode": ms[0]["key_mode"], "key_rule": ev0.get("key_rule"),
                                "frame": ev0.get("frame"),
                                "chain_gap_days": UNDATED_GAP_DAYS if undated else None}, sort_keys=True),
    }, [{
        "id": _h(cid, m["claim_id"]), "cluster_id": cid, "claim_id": m["claim_id"], "article_id": m["article_id"],
        "story_id": m["story_id"], "published": m["published"], "value": m["value"], "outlet": m["outlet"],
        "origin": m["origin"], "origin_name": m["origin_name"], "origin_rule": m["origin_rule"],
        "channel": m["channel"]} for m in ms]


# --- flags ------------------------------------------------------------------------------------------------
def _update_flags(store: Store, article_ids: list[str]) -> None:
    xref_delete(store, "flags", "article_id", article_ids)
    rows: list[dict[str, Any]] = []
    for aid in sorted(article_ids):
        art = db.article_text(store, aid)
        if art is None:
            continue
        cl = db.claims_of(store, aid)
        for f in checks.check_article(art["text"] or "", art["published"], cl, db.glossed_dates_of(store, aid)):
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
        faults.point("derived.stories")
        keys, old_eids = _update_entities(store, ids, story_touched)
        faults.point("derived.entities")
        _update_flags(store, ids)
        arts = set(ids)
        arts |= db.articles_keyed_by_subject_key(store, keys)
        arts |= db.articles_keyed_by_subject_entity(store, old_eids | keys)
        arts |= db.articles_keyed_by_origin_key(store, keys)
        touched = _rekey_claims(store, arts)
        touched |= db.base_keys_of_articles(store, story_touched)
        _recompute_clusters(store, touched)
    return {"articles": len(ids), "base_keys_touched": len(touched), "articles_rekeyed": len(arts)}


def build_pending(store: Store, on_failure: Callable[[str, str], None] | None = None,
                  kill_point: str = "derived.built") -> dict[str, Any]:
    """Build the derived rows of every article marked pending and clear the marks, in one write transaction
    (a kill leaves the marks, and the next call builds them again).

    If that fails, each pending article is built alone; one that still fails stays pending with its error
    recorded (``on_failure(article_id, reason)`` is told), and the others are built. Returns counts:
    ``built``, ``failed`` and the update's own figures.
    """
    out: dict[str, Any] = {"built": 0, "failed": 0}
    try:
        with xref_transaction(store):
            store.drop_pending_without_article()
            ids = store.pending_ids()
            if not ids:
                return out
            out.update(update_crossref(store, ids))
            faults.point(kill_point)
            store.clear_pending(ids)
        out["built"] = len(ids)
        return out
    except Exception as batch_error:  # noqa: BLE001 - isolate the article(s) that break the update
        first = f"{type(batch_error).__name__}: {batch_error}"
    for aid in store.pending_ids():
        try:
            with xref_transaction(store):
                update_crossref(store, [aid])
                store.clear_pending([aid])
            out["built"] += 1
        except Exception as e:  # noqa: BLE001 - recorded on the pending mark and reported as a skip
            reason = f"derived rows not built ({type(e).__name__}: {e}); the article stays pending"
            store.pending_failed(aid, reason)
            out["failed"] += 1
            if on_failure:
                on_failure(aid, reason)
    out["batch_error"] = first
    return out


def rebuild_crossref(store: Store) -> dict[str, int]:
    """Drop every crossref row and add all articles again, in one transaction that also clears every pending
    mark (a kill leaves the old rows and marks as they were)."""
    with xref_transaction(store):
        xref_clear(store)
        ids = db.all_article_ids(store)
        out = update_crossref(store, ids)
        store.clear_all_pending()
    return out
