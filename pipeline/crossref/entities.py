"""Entity mentions of one article (pure), and how a set of keys becomes canonical entities (pure).

Mentions come from the article's officials, organisations, claim subjects and speakers, and acronym
definitions in its text. Keys that are equal by rule are one entity; edges (acronym definitions, curated
merges) join different keys; curated splits forbid joins. Resolution is a deterministic function of the
mentions and edges, so any order of additions gives the same entities.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractors.jsonl import read_jsonl
from extractors.names import ACRONYM_IN_PARENS, is_acronym, norm_name, person_tokens
from pipeline.crossref.names import (
    ORG_HEADS,
    acronym_definitions,
    clean_subject,
    key_kind,
    looks_like_place,
    org_key,
    person_key,
    surname_key,
)

DATA = Path(__file__).resolve().parent / "data"
SURNAME_NEARBY = "person.surname_nearby"
RULE_ORDER = ("override.merge", "org.acronym_defined", "org.acronym_in_name", "org.acronym_extracted",
              "person.compound_given_name", "person.surname_spelling_variant")


def _h(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def overrides() -> tuple[dict[str, Any], ...]:
    path = DATA / "entity_overrides.jsonl"
    if not path.exists():
        return ()
    return tuple(read_jsonl(path))


def any_key(surface: str, kind: str) -> str | None:
    return person_key(surface) if kind == "person" else org_key(surface)


def override_edges() -> list[dict[str, Any]]:
    out = []
    for o in overrides():
        if o.get("action") != "merge":
            continue
        keys = [k for k in (any_key(n, o.get("kind", "org")) for n in o["names"]) if k]
        for k in keys[1:]:
            out.append({"key_a": keys[0], "key_b": k, "rule": "override.merge",
                        "evidence": json.dumps({"override": o["id"], "reason": o.get("reason")})})
    return out


def cannot_link() -> set[frozenset[str]]:
    out: set[frozenset[str]] = set()
    for o in overrides():
        if o.get("action") != "split":
            continue
        keys = [k for k in (any_key(n, o.get("kind", "person")) for n in o["names"]) if k]
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                out.add(frozenset((a, b)))
    return out


def _looks_like_person(s: str) -> bool:
    toks = s.split()
    if not 2 <= len(toks) <= 5 or is_acronym(s):
        return False
    if any(t.lower().strip(",.") in ORG_HEADS or t.lower() in {"iran", "iranian", "agency", "news"} for t in toks):
        return False
    if looks_like_place(s):
        return False
    return all(t[0].isupper() for t in toks)


_NAME_WITH_ACRONYM = re.compile(rf"^(.*?)\s*{ACRONYM_IN_PARENS}\s*$")


def _split_acronym(surface: str) -> tuple[str, str | None]:
    m = _NAME_WITH_ACRONYM.match(surface)
    if m and is_acronym(m.group(2)):
        return m.group(1).strip(), m.group(2)
    return surface, None


def local_surname_key(surname_only_key: str, article_id: str | None) -> str:
    """A surname said alone is only known within its article: ``p:karimi@fx-5``. Across articles it joins a
    full name only by rule ``person.surname_nearby`` (see the engine)."""
    return f"{surname_only_key}@{article_id}" if article_id else surname_only_key


def is_local_key(key: str) -> bool:
    return key.startswith("p:") and "@" in key


class ArticleResolver:
    """Resolves names within one article: a surname-only mention goes to the article's one full name with that
    surname (rule ``person.surname_in_article``); with none, or several, it stays an article-local key."""

    def __init__(self, people: list[dict[str, Any]], article_id: str | None = None) -> None:
        self.article_id = article_id
        fulls: dict[str, set[str]] = {}
        for p in people:
            k = person_key(p["name"])
            if k and " " in k:
                fulls.setdefault(surname_key(p["name"]) or "", set()).add(k)
        self.full = {sk: next(iter(ks)) for sk, ks in fulls.items() if len(ks) == 1}
        self.people_keys = {person_key(p["name"]) for p in people}

    def _surname(self, k: str, name: str) -> tuple[str, str]:
        sk = surname_key(name) or ""
        if sk in self.full:
            return self.full[sk], "person.surname_in_article"
        return local_surname_key(k, self.article_id), "person.surname_only"

    def person(self, name: str) -> tuple[str | None, str]:
        k = person_key(name)
        if k and " " not in k:
            return self._surname(k, name)
        return k, "person.name_folded"

    def subject(self, surface: str, role: str = "subject") -> tuple[str | None, str, str]:
        """(key, kind, rule) for a claim's subject or speaker."""
        s, _ = _split_acronym(surface.strip())
        pk = person_key(s)
        one_word = len(s.split()) == 1 and not is_acronym(s)
        if pk and one_word and (pk in self.people_keys or (surname_key(s) or "") in self.full or (
                role == "speaker" and s[:1].isupper() and s.lower() not in ORG_HEADS)):
            key, rule = self._surname(pk, s)
            return key, "person", rule
        if pk in self.people_keys or _looks_like_person(s):
            return pk, "person", "person.name_folded"
        k = org_key(s)
        return k, (key_kind(k) if k else "other"), "org.name_normalised"


def article_mentions(
    article: dict[str, Any], people: list[dict[str, Any]], orgs: list[dict[str, Any]], claims: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mention rows and edge rows for one article (rows for the entity_mentions / entity_edges tables)."""
    aid = article["id"]
    pub = article.get("published")
    res = ArticleResolver(people, aid)
    text = article.get("text") or ""
    mentions: dict[tuple[str, str, str], dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(kind: str, surface: str, key: str | None, role: str, rule: str, title: str | None = None,
            org: str | None = None, evidence: dict[str, Any] | None = None) -> None:
        if not key or not surface:
            return
        okey = None
        if org:
            o, _ = _split_acronym(org)
            okey = org_key(o)
        mk = (key, surface, role)
        if mk in mentions and not title:
            return
        mentions[mk] = {
            "id": _h(aid, key, surface, role), "article_id": aid, "kind": kind, "surface": surface, "key": key,
            "role": role, "title": title, "org": org, "org_key": okey, "published": pub, "rule": rule,
            "evidence": json.dumps(evidence or {}, sort_keys=True),
        }

    def edge(a: str | None, b: str | None, rule: str, evidence: dict[str, Any]) -> None:
        if not a or not b or a == b:
            return
        a, b = sorted((a, b))
        edges[(a, b, rule)] = {"id": _h(aid, a, b, rule), "article_id": aid, "key_a": a, "key_b": b,
                               "rule": rule, "evidence": json.dumps(evidence, sort_keys=True)}

    def add_org(surface: str, role: str, rule: str, context: str | None = None) -> None:
        cleaned, _crule = clean_subject(surface, context, text)
        if not cleaned:
            return  # not a name: a figure, a back-reference, a common noun or extraction junk
        full, acr = _split_acronym(cleaned)
        fk = org_key(full)
        if fk and fk.startswith("o:") and len(fk.split()) == 1 and fk[2:] in ORG_HEADS:
            return  # "the organization": a back-reference, not a name
        add(key_kind(fk) if fk else "org", full, fk, role, rule)
        if acr:
            ak = org_key(acr)
            add("org", acr, ak, role, "org.acronym_in_name")
            edge(fk, ak, "org.acronym_in_name", {"article_id": aid, "text": surface})

    for p in people:
        k, rule = res.person(p["name"])
        add("person", p["name"], k, "official", rule, p.get("title"), clean_subject(p.get("org"))[0],
            {"norm": k, "article_id": aid})
        if p.get("org"):
            add_org(p["org"], "org_of_official", "org.name_normalised")
    for o in orgs:
        st, en = o.get("start"), o.get("end")
        ctx = text[max(0, st - 80) : en + 80] if isinstance(st, int) and isinstance(en, int) else None
        add_org(o["name"], "organisation", "org.name_normalised", ctx)
        if o.get("acronym"):
            ak = org_key(o["acronym"])
            add("org", o["acronym"], ak, "organisation", "org.acronym_extracted")
            edge(org_key(o["name"]), ak, "org.acronym_extracted", {"article_id": aid, "name": o["name"],
                                                                   "acronym": o["acronym"]})
    for full, acr, s, e in acronym_definitions(article.get("text") or ""):
        fk, ak = org_key(full), org_key(acr)
        add(key_kind(fk) if fk else "org", full, fk, "text", "org.acronym_defined")
        add("org", acr, ak, "text", "org.acronym_defined")
        edge(fk, ak, "org.acronym_defined", {"article_id": aid, "text": (article.get("text") or "")[s:e],
                                             "start": s, "end": e})
    for c in claims:
        for role in ("subject", "speaker"):
            surface, _crule = clean_subject(c.get(role), c.get("sentence"), article.get("text"))
            if not surface:
                continue
            k, kind, rule = res.subject(surface, role)
            if kind == "person":
                add("person", surface, k, role, rule)
            else:
                add_org(surface, role, rule)
    return list(mentions.values()), list(edges.values())


# --- resolution -------------------------------------------------------------------------------------------
def components(keys: Iterable[str], edges: list[dict[str, Any]], forbid: set[frozenset[str]]
               ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Union-find over ``keys`` with ``edges`` taken in a fixed order; an edge that would put a forbidden
    pair in one entity is skipped. Returns (key -> root key, the edges used)."""
    parent = {k: k for k in keys}
    members: dict[str, set[str]] = {k: {k} for k in parent}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    used = []
    order = {r: i for i, r in enumerate(RULE_ORDER)}

    def union(e: dict[str, Any]) -> None:
        a, b = e["key_a"], e["key_b"]
        ra, rb = find(a), find(b)
        if ra == rb or any(frozenset((x, y)) in forbid for x in members[ra] for y in members[rb]):
            return
        lo, hi = sorted((ra, rb))
        parent[hi] = lo
        members[lo] |= members.pop(hi)
        used.append(e)

    nearby = [e for e in edges if e["rule"] == SURNAME_NEARBY and e["key_a"] in parent and e["key_b"] in parent]
    for e in sorted((e for e in edges if e["rule"] != SURNAME_NEARBY),
                    key=lambda e: (order.get(e["rule"], 99), e["key_a"], e["key_b"], e.get("article_id") or "")):
        if e["key_a"] in parent and e["key_b"] in parent:
            union(e)
    # A surname said alone joins a full name only when exactly one person (after the merges above) fits.
    by_local: dict[str, list[dict[str, Any]]] = {}
    for e in nearby:
        local = e["key_a"] if is_local_key(e["key_a"]) else e["key_b"]
        by_local.setdefault(local, []).append(e)
    decided = []
    for local, es in sorted(by_local.items()):
        others = {e["key_b"] if e["key_a"] == local else e["key_a"] for e in es}
        roots = {find(k) for k in others}
        if len(roots) == 1:
            decided.append(min(es, key=lambda e: (e["key_a"], e["key_b"])))
    for e in decided:
        union(e)
    return {k: find(k) for k in parent}, used


def entity_kind(keys: Iterable[str]) -> str:
    kinds = {key_kind(k) for k in keys}
    if "person" in kinds:
        return "person"
    return "org" if "org" in kinds else "other"


def entity_id(kind: str, keys: Iterable[str]) -> str:
    """A stable id from the entity's lowest key, distinct for every key prefix so that two entities never share
    one (an id shared by two components made the surviving row depend on set order): ``p:ali karimi`` ->
    ``person:ali-karimi``, ``o:kish free zone`` -> ``other:kish-free-zone``, ``a:isipo`` -> ``org:ISIPO``,
    ``m:industry`` -> ``org:industry-ministry``."""
    ks = list(keys)
    root = min((k for k in ks if not is_local_key(k)), default=min(ks))
    slug = root[2:].replace(" ", "-")
    if root.startswith("a:"):
        slug = slug.upper()
    elif root.startswith("m:"):
        slug += "-ministry"
    return f"{kind}:{slug}"


def norm_names(names: Iterable[str]) -> str:
    """"|aliasqarmusaheb|asqarmasaheb|": every name folded (:func:`extractors.names.norm_name`, spaces removed),
    sorted, between bars, so that a folded query name can be looked up with instr()."""
    folded = sorted({(norm_name(n) or n.lower()).replace(" ", "") for n in names if n})
    return "|" + "|".join(folded) + "|"


def entity_name(kind: str, surfaces: Counter[str]) -> str:
    """People: the fullest form (most name tokens, a hyphen separating two), then the most frequent.
    Organisations: the most frequent full (non-acronym) name, then the longest; an acronym only when nothing else
    is known."""
    def score(s: str) -> tuple[Any, ...]:
        if kind == "person":  # "Ali-Reza Farahmand" is as full as "Ali Reza Farahmand"
            return (len(person_tokens(s)), surfaces[s], s)
        return (not is_acronym(s), s[:1].isupper(), surfaces[s], len(s), s)
    return max(surfaces, key=score)
