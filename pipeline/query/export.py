"""Records in the shape of the claims spec (one per article), and flat claim rows for CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pipeline.store import Store
from pipeline.store import query as db

CSV_COLUMNS = (
    "claim_id", "article_id", "published", "url", "type", "text", "value", "value_max", "approx", "unit",
    "direction", "modality", "subject", "speaker", "time_start", "time_end", "sentence", "start", "end",
    "sentence_start", "sentence_end", "extractor", "rule_id", "equivalent_of", "run_id",
    "speaker_canonical", "subject_canonical",
)


def json_number(dec: str | None) -> int | float | None:
    """Exact Decimal text -> a JSON number (int when integral)."""
    if dec is None:
        return None
    d = Decimal(dec)
    return int(d) if d == d.to_integral_value() else float(d)


def agreement_record(r: dict[str, Any] | None) -> dict[str, Any] | None:
    """A claim's place across articles (``claim_agreements`` row): its cluster's status, revision and
    restatements, the cluster's origins, and the claim's own outlet and origin. None when it is in no cluster."""
    if r is None:
        return None
    indep = json.loads(r["independence"] or "{}")
    return {
        "cluster_id": r["cluster_id"], "status": r["status"], "restatements": r["restatements"] or 0,
        "appearances": r["n_appearances"], "origins": indep.get("origins", []),
        "revision": json.loads(r["revision"]) if r["revision"] else None,
        "outlet": r["outlet"],
        "origin": {"id": r["origin"], "name": r["origin_name"], "rule": r["origin_rule"], "channel": r["channel"]},
    }


def canonical_record(r: dict[str, Any] | None) -> dict[str, Any]:
    """The canonical speaker and subject of a claim, beside the names as written (null when none is known: a
    subject that is a figure, a pronoun or a generic noun)."""
    r = r or {}
    return {"speaker_entity": {"id": r["speaker_entity"], "name": r["speaker_canonical"]}
            if r.get("speaker_entity") else None,
            "subject_entity": {"id": r["subject_entity"], "name": r["subject_canonical"]}
            if r.get("subject_entity") else None}


def iter_records(store: Store, article_ids: list[str] | None = None, agreement: bool = False
                 ) -> Iterator[dict[str, Any]]:
    """One spec-shaped record per article. With ``agreement``, each claim also carries ``agreement``
    (:func:`agreement_record`) and its canonical ``speaker_entity`` and ``subject_entity``
    (:func:`canonical_record`): cross-article data, left out of the per-article golden files."""
    agreements = db.claim_agreements(store) if agreement else {}
    canonical = db.claim_canonical_names(store) if agreement else {}
    people = db.rows_by_article(store, "people")
    claims = db.rows_by_article(store, "claims")
    dates = db.rows_by_article(store, "dates")
    for a in db.articles(store):
        if article_ids is not None and a["id"] not in article_ids:
            continue
        aid = a["id"]
        yield {
            "article": {
                "id": aid, "path": a["raw_path"], "url": a["url"], "published": a["published"],
                "published_precision": a["published_precision"], "title": a["title"], "source": a["source"],
                "authors": json.loads(a["authors"] or "[]"), "text_sha256": a["text_sha256"],
                "warc_record_id": a["warc_record_id"], "run_id": a["run_id"],
            },
            "officials": [
                {"name": p["name"], "title": p["title"], "org": p["org"], "id": p["id"],
                 "start": p["start"], "end": p["end"], "rule_id": p["rule_id"]}
                for p in people.get(aid, [])
            ],
            "claims": [dict(claim_record(c), agreement=agreement_record(agreements.get(c["id"])),
                            **canonical_record(canonical.get(c["id"]))) if agreement
                       else claim_record(c) for c in claims.get(aid, [])],
            "dates": [
                {"text": d["text"], "start": d["start_date"], "end": d["end_date"], "calendar": d["calendar"],
                 "role": d["role"], "char_start": d["start"], "char_end": d["end"], "rule_id": d["rule_id"]}
                for d in dates.get(aid, [])
            ],
        }


def claim_record(c: dict[str, Any]) -> dict[str, Any]:
    time = None
    if c["time_start"] or c["time_end"]:
        time = {"start": c["time_start"], "end": c["time_end"]}
    return {
        "type": c["type"], "text": c["text"], "value": json_number(c["value_decimal"]),
        "value_max": json_number(c["value_max_decimal"]), "approx": c["approx"], "unit": c["unit"],
        "direction": c["direction"], "modality": c["modality"], "subject": c["subject"],
        "speaker": c["speaker"], "time": time,
        "id": c["id"], "sentence": c["sentence"], "char_start": c["start"], "char_end": c["end"],
        "sentence_start": c["sentence_start"], "sentence_end": c["sentence_end"],
        "extractor": c["extractor"], "rule_id": c["rule_id"], "equivalent_of": c["equivalent_of"],
        "flags": json.loads(c["flags"] or "[]"), "evidence": json.loads(c["evidence"] or "{}"),
    }


def iter_claim_rows(store: Store) -> Iterator[dict[str, Any]]:
    for c in db.claims_with_articles(store):
        row = {k: c.get(k) for k in CSV_COLUMNS}
        row["claim_id"] = c["id"]
        row["value"] = c["value_decimal"]
        row["value_max"] = c["value_max_decimal"]
        yield row
