"""Read-side views over the crossref tables: entity and cluster records, the check report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pipeline.export import json_number
from pipeline.store import Store


def iter_entities(store: Store, kind: str | None = None) -> Iterator[dict[str, Any]]:
    roles: dict[str, list[dict[str, Any]]] = {}
    for r in store.rows("""select k.entity_id, m.article_id, m.published, m.title, m.org from entity_mentions m
                           join entity_keys k on k.key = m.key where m.role = 'official'
                           order by m.published, m.article_id"""):
        roles.setdefault(r["entity_id"], []).append(
            {"date": r["published"], "title": r["title"], "org": r["org"], "article_id": r["article_id"]})
    merges: dict[str, list[dict[str, Any]]] = {}
    for r in store.rows("select * from entity_merges order by entity_id, rule, key_a, key_b"):
        merges.setdefault(r["entity_id"], []).append(
            {"rule": r["rule"], "keys": [r["key_a"], r["key_b"]], "evidence": json.loads(r["evidence"] or "{}")})
    for e in store.rows("select * from entities order by kind, id"):
        if kind and e["kind"] != kind:
            continue
        yield {"id": e["id"], "kind": e["kind"], "name": e["name"], "variants": json.loads(e["variants"]),
               "articles": json.loads(e["articles"]), "roles": roles.get(e["id"], []),
               "merges": merges.get(e["id"], [])}


def iter_clusters(store: Store, status: str | None = None, min_appearances: int = 1) -> Iterator[dict[str, Any]]:
    for c in store.rows("select * from claim_clusters order by subject, measure, period_end, period_start, id"):
        if status and c["status"] != status or c["n_appearances"] < min_appearances:
            continue
        apps = [
            {"article_id": r["article_id"], "published": r["published"], "text": r["text"],
             "value": json_number(r["value_decimal"]), "speaker": r["speaker"], "claim_id": r["claim_id"],
             "story_id": r["story_id"], "sentence": r["sentence"]}
            for r in store.rows("""select m.article_id, m.published, m.claim_id, m.story_id, c.text, c.value_decimal,
                                          c.speaker, c.sentence
                                   from cluster_members m join claims c on c.id = m.claim_id
                                   where m.cluster_id = ? order by m.published, m.article_id, c.ordinal""", [c["id"]])
        ]
        values = [dict(v, value=json_number(v["value"])) for v in json.loads(c["cluster_values"])]
        yield {"id": c["id"], "subject": c["subject"], "subject_entity": c["subject_entity"], "measure": c["measure"],
               "period": {"start": c["period_start"], "end": c["period_end"]}, "modality": c["modality"],
               "status": c["status"], "revision": json.loads(c["revision"]) if c["revision"] else None,
               "values": values, "stories": c["n_stories"], "appearances": apps}


def check_report(store: Store) -> str:
    lines = []
    conflicts = list(iter_clusters(store, status="conflicting"))
    lines.append(f"== Conflicting figures ({len(conflicts)} clusters)")
    for c in conflicts:
        per = f"{c['period']['start'] or '…'}..{c['period']['end'] or '…'}"
        lines.append(f"- {c['subject']} · {c['measure']} · {c['modality']} · {per}  [{c['id']}]")
        if c["revision"]:
            lines.append(f"  REVISION: {c['revision']['reason']}")
        for v in c["values"]:
            lines.append(f"  value {v['value']}: first {v['first_published']}, {v['stories']} stories, "
                         f"{v['appearances']} appearances")
        for a in c["appearances"]:
            lines.append(f"    {a['published']} {a['article_id']}: \"{a['text']}\" = {a['value']}"
                         f" (speaker: {a['speaker'] or '-'}; claim {a['claim_id']})")
    corr = list(iter_clusters(store, status="corroborated"))
    lines.append("")
    lines.append(f"== Corroborated figures ({len(corr)} clusters)")
    for c in corr:
        per = f"{c['period']['start'] or '…'}..{c['period']['end'] or '…'}"
        arts = ", ".join(sorted({a['article_id'] for a in c['appearances']}))
        lines.append(f"- {c['subject']} · {c['measure']} · {c['modality']} · {per}: {c['values'][0]['value']} "
                     f"({c['stories']} stories, {len(c['appearances'])} appearances: {arts})")
    flags = list(store.rows("""select f.*, a.published, c.text as claim_text from flags f
                               join articles a on a.id = f.article_id left join claims c on c.id = f.claim_id
                               order by f.kind, a.published, f.article_id, f.reason"""))
    lines.append("")
    lines.append(f"== Consistency flags ({len(flags)})")
    for f in flags:
        on = f" on \"{f['claim_text']}\" [{f['claim_id']}]" if f["claim_id"] else ""
        lines.append(f"- [{f['rule']}] {f['article_id']} ({f['published']}){on}: {f['reason']}")
    return "\n".join(lines) + "\n"
