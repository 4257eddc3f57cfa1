"""Claim clusters: same canonical subject, measure, period and modality. Pure functions.

Tolerance: two values agree when they differ by at most 0.5 % of the larger for exact figures ("="), and
by at most 5 % when either is approximate ("~"); a bound (">", ">=", "<", "<=") agrees with any value on
its side of the bound. A cluster is ``corroborated`` when all values agree and they come from two or more
independent stories (republications of one story count once), ``conflicting`` when some values do not
agree and come from two or more stories, else ``single-source``. A conflicting target or forecast whose
distinct values first appear at different dates is marked as a revision (earlier value -> later value).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

EXACT_TOL = Decimal("0.005")
APPROX_TOL = Decimal("0.05")


def agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    va, vb = Decimal(a["value"]), Decimal(b["value"])
    for x, vx, vy in ((a, va, vb), (b, vb, va)):
        ap = x.get("approx") or "="
        if ap in (">", ">="):
            return vy >= vx * (1 - EXACT_TOL)
        if ap in ("<", "<="):
            return vy <= vx * (1 + EXACT_TOL)
    tol = APPROX_TOL if "~" in {a.get("approx"), b.get("approx")} else EXACT_TOL
    big = max(abs(va), abs(vb))
    return abs(va - vb) <= tol * big


def value_groups(members: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Members grouped by agreeing value (greedy over values in ascending order; deterministic)."""
    groups: list[list[dict[str, Any]]] = []
    for m in sorted(members, key=lambda m: (Decimal(m["value"]), m["claim_id"])):
        for g in groups:
            if all(agree(m, x) for x in g):
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


def cluster_status(members: list[dict[str, Any]], modality: str, undated: bool = False
                   ) -> tuple[str, dict[str, Any] | None, list[Any]]:
    """(status, revision or None, values summary).

    A conflicting cluster says what the later value looks like when the values follow one another in time
    (every appearance of the earlier value is published before the first of the later one):
    - ``revision``: a target or forecast restated with a new value;
    - ``update``: an undated figure ("currently ...") given again later with a new value, i.e. as of a later day.
    """
    groups = value_groups(members)
    stories = {m["story_id"] for m in members}
    summary = []
    for g in groups:
        first = min(g, key=lambda m: (m["published"] or "9999", m["claim_id"]))
        summary.append({
            "value": first["value"], "first_published": first["published"],
            "last_published": max((m["published"] or "") for m in g) or None,
            "stories": len({m["story_id"] for m in g}), "appearances": len(g),
            "claims": sorted(m["claim_id"] for m in g),
        })
    summary.sort(key=lambda s: (s["first_published"] or "9999", Decimal(s["value"])))
    if len(groups) > 1 and len(stories) >= 2:  # one story's own figures do not make a cross-source conflict
        revision = None
        a, b = summary[0], summary[-1]
        later = bool(a["first_published"] and b["first_published"] and a["first_published"] < b["first_published"])
        if modality in ("target", "forecast") and later:
            revision = {"kind": "revision", "from": a["value"], "to": b["value"],
                        "from_first_published": a["first_published"], "to_first_published": b["first_published"],
                        "reason": f"{modality} restated with a new value: {a['value']} "
                                  f"(first {a['first_published']}) -> {b['value']} (first {b['first_published']})"}
        elif undated and later and (a["last_published"] or "") < (b["first_published"] or ""):
            revision = {"kind": "update", "from": a["value"], "to": b["value"],
                        "from_first_published": a["first_published"], "to_first_published": b["first_published"],
                        "reason": f"undated figure given again with a new value: {a['value']} (as of "
                                  f"{a['last_published']}) -> {b['value']} (as of {b['first_published']})"}
        return "conflicting", revision, summary
    if len(stories) >= 2:
        return "corroborated", None, summary
    return "single-source", None, summary
