"""Claim clusters: same canonical subject, measure, period and modality. Pure functions.

Tolerance: two values agree when they differ by at most 0.5 % of the larger for exact figures ("="), and
by at most 5 % when either is approximate ("~"); a bound (">", ">=", "<", "<=") agrees with any value on
its side of the bound.

Status (the words the ``check`` report and the site use):

- ``corroborated``: all values agree, and the appearances form two or more independent groups: different
  primary sources, or different outlets' own reporting, in different stories, with sentences that are not near
  copies (:func:`pipeline.crossref.origins.independent_groups`);
- ``restated``: all values agree and appear in two or more stories, but they all come from one origin (one
  outlet re-running its background paragraph, one official quoted again); ``restatements`` counts the stories
  after the first;
- ``conflicting``: some values do not agree, and they come from two or more stories, or from two different
  origins in one article (a ``disagreement``);
- ``single-source``: everything else (one story).

A conflicting cluster says what the difference looks like (``revision`` field, with a ``kind``):
``disagreement`` when two different origins give different values in one article; else ``revision`` when a
target or forecast is restated later with a new value; else ``update`` when an undated figure is given again
later with a new value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipeline.crossref.origins import independent_groups

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


def _disagreement(members: list[dict[str, Any]], groups: list[list[dict[str, Any]]]) -> dict[str, Any] | None:
    """Two different origins giving values that do not agree in one article, or None."""
    gi = {m["claim_id"]: i for i, g in enumerate(groups) for m in g}
    by_article: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        by_article.setdefault(m["article_id"], []).append(m)
    for aid in sorted(by_article):
        ms = sorted(by_article[aid], key=lambda m: m["claim_id"])
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if gi[a["claim_id"]] != gi[b["claim_id"]] and a.get("origin") and b.get("origin") \
                        and a["origin"] != b["origin"]:
                    x, y = sorted((a, b), key=lambda m: (Decimal(m["value"]), m["claim_id"]))
                    who = [m.get("origin_name") or m["origin"] for m in (x, y)]
                    return {"kind": "disagreement", "article_id": aid, "values": [x["value"], y["value"]],
                            "origins": [x["origin"], y["origin"]], "claims": [x["claim_id"], y["claim_id"]],
                            "reason": f"two sources disagree in one article ({aid}): {who[0]} gives {x['value']}, "
                                      f"{who[1]} gives {y['value']}"}
    return None


def cluster_status(members: list[dict[str, Any]], modality: str, undated: bool = False
                   ) -> tuple[str, dict[str, Any] | None, list[Any], dict[str, Any]]:
    """(status, revision or None, values summary, independence).

    ``independence`` is ``{"groups", "origins", "restatements", "links"}``: the number of independent groups of
    appearances, the distinct origins, how many stories restate the figure after its first, and the links (rule
    and claims) that joined appearances into one group. Members without an ``origin`` count as their story's.
    """
    ms = [dict(m, origin=m.get("origin") or m["story_id"], outlet=m.get("outlet") or "",
               origin_rule=m.get("origin_rule") or "", article_id=m.get("article_id") or m["story_id"])
          for m in members]
    groups = value_groups(ms)
    stories = {m["story_id"] for m in ms}
    summary = []
    for g in groups:
        first = min(g, key=lambda m: (m["published"] or "9999", m["claim_id"]))
        summary.append({
            "value": first["value"], "first_published": first["published"],
            "last_published": max((m["published"] or "") for m in g) or None,
            "stories": len({m["story_id"] for m in g}), "appearances": len(g),
            "origins": sorted({m["origin"] for m in g}),
            "claims": sorted(m["claim_id"] for m in g),
        })
    summary.sort(key=lambda s: (s["first_published"] or "9999", Decimal(s["value"])))
    indep_groups, links = independent_groups(ms)
    indep = {"groups": len(indep_groups), "origins": sorted({m["origin"] for m in ms}),
             "restatements": 0, "links": links}
    disagreement = _disagreement(ms, groups) if len(groups) > 1 else None
    if len(groups) > 1 and (len(stories) >= 2 or disagreement):
        # one story's own figures from one origin do not make a conflict (parts, a list, a loose key)
        revision = disagreement
        a, b = summary[0], summary[-1]
        later = bool(a["first_published"] and b["first_published"] and a["first_published"] < b["first_published"])
        if revision:
            pass
        elif modality in ("target", "forecast") and later:
            revision = {"kind": "revision", "from": a["value"], "to": b["value"],
                        "from_first_published": a["first_published"], "to_first_published": b["first_published"],
                        "reason": f"{modality} restated with a new value: {a['value']} "
                                  f"(first {a['first_published']}) -> {b['value']} (first {b['first_published']})"}
        elif undated and later and (a["last_published"] or "") < (b["first_published"] or ""):
            revision = {"kind": "update", "from": a["value"], "to": b["value"],
                        "from_first_published": a["first_published"], "to_first_published": b["first_published"],
                        "reason": f"undated figure given again with a new value: {a['value']} (as of "
                                  f"{a['last_published']}) -> {b['value']} (as of {b['first_published']})"}
        return "conflicting", revision, summary, indep
    if len(stories) >= 2:
        if len(indep_groups) >= 2:
            return "corroborated", None, summary, indep
        indep["restatements"] = len(stories) - 1
        return "restated", None, summary, indep
    return "single-source", None, summary, indep
