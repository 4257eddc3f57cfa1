"""schema.org ClaimReview JSON-LD skeletons for claims: what was claimed, by whom, where and when. The review
itself (rating, verdict, reviewer) stays empty for the fact-checker to fill in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractors.names import norm_name
from pipeline.query.claims import ClaimQuery, find_claims
from pipeline.store import Store
from pipeline.store import query as db


def _author(row: dict[str, Any], people: dict[tuple[str, str], dict[str, Any]],
            orgs: dict[tuple[str, str], str]) -> dict[str, Any] | None:
    speaker = row.get("speaker")
    if not speaker:
        return None
    person = people.get((row["article_id"], norm_name(speaker) or ""))
    if person is not None:
        out: dict[str, Any] = {"@type": "Person", "name": person["name"]}
        if person.get("title"):
            out["jobTitle"] = person["title"]
        if person.get("org"):
            out["affiliation"] = {"@type": "Organization", "name": person["org"]}
        return out
    org = orgs.get((row["article_id"], speaker.lower()))
    if org is not None:
        return {"@type": "Organization", "name": org}
    # Not a known official of that article: a person if it looks like a full name, else an organisation.
    kind = "Person" if len(speaker.split()) >= 2 and not speaker.isupper() else "Organization"
    return {"@type": kind, "name": speaker}


def _work(url: str | None, title: str | None, published: str | None, source: str | None,
          claim_id: str | None = None) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if title:
        work["headline"] = title
    if published:
        work["datePublished"] = published
    if source:
        work["publisher"] = {"@type": "Organization", "name": source}
    if claim_id:
        work["identifier"] = claim_id
    return work


def claimreview(row: dict[str, Any], author: dict[str, Any] | None,
                others: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One ClaimReview for a ``claims_in_context`` row. reviewRating and the review's author are left empty.
    ``appearance`` lists the claim's own article first, then every other appearance of the same figure (its
    claim cluster's other members, each with its claim id); ``firstAppearance`` is the earliest of them."""
    sentence = (row.get("sentence") or "").strip()
    own = _work(row.get("url"), row.get("article_title"), row.get("published"), row.get("source"))
    appearance = [own] + [_work(o["url"], o["title"], o["published"], o["source"], o["claim_id"])
                          for o in others or []]
    first = min(appearance, key=lambda w: w.get("datePublished") or "9999")
    item: dict[str, Any] = {
        "@type": "Claim",
        "identifier": row["claim_id"],
        "name": row.get("figure") if not row.get("subject") else f"{row.get('figure')} ({row['subject']})",
        "text": sentence,
        "author": author,
        "datePublished": row.get("published"),
        "appearance": appearance,
        "firstAppearance": first,
    }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": sentence,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": None, "bestRating": None, "worstRating": None,
                         "alternateName": None},
        "author": None,
        "datePublished": None,
        "url": None,
    }


def iter_claimreviews(store: Store, query: ClaimQuery | None = None) -> Iterator[dict[str, Any]]:
    """ClaimReview skeletons for the claims ``query`` selects (every claim when None), oldest first."""
    people = {
        (p["article_id"], p["norm_name"] or ""): p
        for p in db.officials_for_authors(store)
    }
    orgs: dict[tuple[str, str], str] = {}
    for o in db.organisation_names(store):
        for key in (o["name"], o["acronym"]):
            if key:
                orgs[(o["article_id"], key.lower())] = o["name"]
    for row in find_claims(store, query or ClaimQuery()):
        yield claimreview(row, _author(row, people, orgs), db.other_appearances(store, row["claim_id"]))


def missing_claim_ids(store: Store, claim_ids: tuple[str, ...]) -> list[str]:
    """The ids among ``claim_ids`` that name no claim."""
    found = {r["claim_id"] for r in find_claims(store, ClaimQuery(claim_ids=claim_ids))}
    return [c for c in claim_ids if c not in found]
