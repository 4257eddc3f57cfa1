"""Read-side views over the crossref tables: entity and cluster records, the check report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pipeline.query.export import json_number
from pipeline.store import Store
from pipeline.store import crossref as db


def iter_entities(store: Store, kind: str | None = None) -> Iterator[dict[str, Any]]:
    roles: dict[str, list[dict[str, Any]]] = {}
    for r in db.official_roles(store):
        roles.setdefault(r["entity_id"], []).append(
            {"date": r["published"], "title": r["title"], "org": r["org"], "article_id": r["article_id"]})
    merges: dict[str, list[dict[str, Any]]] = {}
    for r in db.entity_merges(store):
        merges.setdefault(r["entity_id"], []).append(
            {"rule": r["rule"], "keys": [r["key_a"], r["key_b"]], "evidence": json.loads(r["evidence"] or "{}")})
    for e in db.entities(store):
        if kind and e["kind"] != kind:
            continue
        yield {"id": e["id"], "kind": e["kind"], "name": e["name"], "variants": json.loads(e["variants"]),
               "articles": json.loads(e["articles"]), "roles": roles.get(e["id"], []),
               "merges": merges.get(e["id"], [])}


def iter_clusters(store: Store, status: str | None = None, min_appearances: int = 1) -> Iterator[dict[str, Any]]:
    for c in db.claim_clusters(store):
        if status and c["status"] != status or c["n_appearances"] < min_appearances:
            continue
        apps = [
            {"article_id": r["article_id"], "published": r["published"], "text": r["text"],
             "value": json_number(r["value_decimal"]), "speaker": r["speaker"], "claim_id": r["claim_id"],
             "story_id": r["story_id"], "sentence": r["sentence"], "outlet": r["outlet"],
             "origin": {"id": r["origin"], "name": r["origin_name"], "rule": r["origin_rule"],
                        "channel": r["channel"]}}
            for r in db.cluster_appearances(store, c["id"])
        ]
        indep = json.loads(c["independence"] or "{}")
        values = [dict(v, value=json_number(v["value"])) for v in json.loads(c["cluster_values"])]
        ev = json.loads(c["evidence"] or "{}")
        yield {"id": c["id"], "subject": c["subject"], "subject_entity": c["subject_entity"], "measure": c["measure"],
               "period": {"start": c["period_start"], "end": c["period_end"]}, "modality": c["modality"],
               "status": c["status"], "revision": json.loads(c["revision"]) if c["revision"] else None,
               "values": values, "stories": c["n_stories"], "restatements": c["restatements"] or 0,
               "origins": indep.get("origins", []), "independent_groups": indep.get("groups"),
               "independence_links": indep.get("links", []), "appearances": apps,
               "key": {"mode": ev.get("key_mode"), "rule": ev.get("key_rule"), "frame": ev.get("frame")}}


def _period(c: dict[str, Any]) -> str:
    s, e = c["period"]["start"], c["period"]["end"]
    if not s and not e:
        return "undated (as of publication)"
    return f"{s or '…'} to {e or '…'}"


def _clip(text: str | None, n: int = 240) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _around(text: str, start: int, end: int) -> str:
    """The sentence-ish stretch of ``text`` around [start, end)."""
    a = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    cands = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(cands) + 1 if cands else len(text)
    return text[a:b].strip()


def check_report(store: Store) -> str:
    """A report for fact-checkers: a summary, then conflicting figures with every appearance (article, date,
    speaker, value, sentence), then the consistency flags grouped by story and article (each with its sentence
    and reason), then the corroborated figures, then the restated ones.

    The status words are :mod:`pipeline.crossref.clusters`': corroborated (independent origins agree), restated
    (one origin repeated), conflicting, single-source."""
    counts = db.cluster_status_counts(store)
    conflicts = list(iter_clusters(store, status="conflicting"))
    corr = list(iter_clusters(store, status="corroborated"))
    restated = list(iter_clusters(store, status="restated"))
    flags = db.flags_in_context(store)
    n_art = db.article_count(store)
    n_story = db.story_count(store)
    kinds: dict[str, int] = {}
    for f in flags:
        k = "conversion not checked" if f["rule"] == "check.conversion_not_checked" else f["kind"]
        kinds[k] = kinds.get(k, 0) + 1
    revs = sum(1 for c in conflicts if c["revision"] and c["revision"].get("kind", "revision") == "revision")
    ups = sum(1 for c in conflicts if c["revision"] and c["revision"].get("kind") == "update")
    dis = sum(1 for c in conflicts if c["revision"] and c["revision"].get("kind") == "disagreement")
    n_restatements = sum(c["restatements"] for c in restated)
    lines = [
        "newsclaims check",
        f"Summary: {n_art} articles in {n_story} stories.",
        f"  Figures across articles: {counts.get('conflicting', 0)} conflicting ({revs} look like revised targets, "
        f"{ups} like updated undated figures, {dis} disagreements between sources in one article), "
        f"{counts.get('corroborated', 0)} corroborated by independent sources, "
        f"{counts.get('restated', 0)} restated by one source ({n_restatements} restatements), "
        f"{counts.get('single-source', 0)} single-source.",
        f"  Consistency flags: {len(flags)}" + (" (" + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + ")"
                                                 if kinds else "") + ".",
        "",
        f"== Conflicting figures ({len(conflicts)})",
    ]
    if not conflicts:
        lines.append("  none")
    for i, c in enumerate(conflicts, 1):
        lines.append(f"[{i}] {c['subject']} · {c['measure']} · {c['modality']} · {_period(c)}  ({c['id']})")
        rev = c["revision"]
        if rev:
            label = {"revision": "LOOKS LIKE A REVISION", "update": "LOOKS LIKE AN UPDATE",
                     "disagreement": "SOURCES DISAGREE"}[rev.get("kind", "revision")]
            lines.append(f"    {label}: {rev['reason']}")
        else:
            lines.append("    values disagree beyond tolerance (0.5 % exact, 5 % approximate)")
        vals = "; ".join(f"{v['value']:,} in {v['stories']} stories from {v['first_published']}" for v in c["values"])
        lines.append(f"    values: {vals}")
        for a in c["appearances"]:
            lines.append(f"    - {a['published']}  {a['article_id']}  speaker: {a['speaker'] or 'unattributed'}  "
                         f"origin: {_origin(a)}  value: {a['value']:,}  (\"{a['text']}\", claim {a['claim_id']})")
            lines.append(f"        \"{_clip(a['sentence'])}\"")
        lines.append("")
    lines.append(f"== Consistency flags by story and article ({len(flags)})")
    if not flags:
        lines.append("  none")
    story = art = None
    merged: list[dict[str, Any]] = []  # one line per (article, rule, reason, sentence): claims listed together
    for f in flags:
        prev = merged[-1] if merged else None
        if prev and (prev["article_id"], prev["rule"], prev["reason"], prev["sentence"]) == (
                f["article_id"], f["rule"], f["reason"], f["sentence"]):
            if f["claim_text"]:
                prev["claims"].append(f["claim_text"])
            continue
        merged.append(dict(f, claims=[f["claim_text"]] if f["claim_text"] else []))
    for f in merged:
        if f["story_id"] != story:
            story = f["story_id"]
            lines.append(f"# {story}")
        if f["article_id"] != art:
            art = f["article_id"]
            title = _clip(f["title"], 90) if f["title"] else ""
            lines.append(f"  {f['article_id']} ({f['published']}) {title}".rstrip())
        on = (" on " + ", ".join(f"\"{t}\"" for t in f["claims"])) if f["claims"] else ""
        lines.append(f"    - {f['kind']}{on}: {f['reason']}  [{f['rule']}]")
        sent = f["sentence"]
        if not sent:
            ev = json.loads(f["evidence"] or "{}")
            if "gloss_start" in ev:
                sent = _around(f["article_text"] or "", ev["gloss_start"], ev["gloss_end"])
        if sent:
            lines.append(f"        \"{_clip(sent)}\"")
    lines.append("")
    lines.append(f"== Corroborated figures ({len(corr)})")
    for c in corr:
        arts = ", ".join(sorted({a["article_id"] for a in c["appearances"]}))
        lines.append(f"- {c['subject']} · {c['measure']} · {c['modality']} · {_period(c)}: {c['values'][0]['value']:,} "
                     f"({c['stories']} stories, {len(c['appearances'])} appearances: {arts})")
        origins = "; ".join(sorted({_origin(a) for a in c["appearances"]}))
        lines.append(f"    independent origins: {origins}")
        if c["key"]["mode"] == "frame":
            lines.append(f"    same statement: \"{_clip(c['appearances'][0]['sentence'], 160)}\"")
    lines.append("")
    lines.append(f"== Restated figures: one origin repeated ({len(restated)})")
    for c in restated:
        lines.append(f"- {c['subject']} · {c['measure']} · {c['modality']} · {_period(c)}: {c['values'][0]['value']:,} "
                     f"restated {c['restatements']} time(s) in {c['stories']} stories, all from "
                     f"{_origin(c['appearances'][0])}")
    return "\n".join(lines) + "\n"


def _origin(a: dict[str, Any]) -> str:
    """"Ali Asqar Mosaheb in tehrantimes.com (via IRNA)" for one appearance."""
    o = a["origin"]
    name = o["name"] or o["id"] or "?"
    if (o["rule"] or "") == "origin.outlet_own":
        return f"{a['outlet']} (own reporting)"
    via = f" via {o['channel']}" if o.get("channel") else ""
    return f"{name} in {a['outlet']}{via}"
