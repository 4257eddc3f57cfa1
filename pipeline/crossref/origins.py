"""Where each appearance of a figure comes from, and which appearances are independent of each other. Pure.

An appearance has an **outlet** (the site that published the article) and an **origin** (the primary source the
figure is attributed to), decided by these rules (the id is stored on every cluster member):

- ``origin.attributed``: the claim has a speaker that is not a news agency: that person or organisation
  (resolved to its canonical entity by the engine);
- ``origin.relayed_by_agency``: the speaker is a news agency that quotes someone ("IRNA reported, quoting the
  minister"): the one quoted is the origin, the agency is the *channel*;
- ``origin.agency``: the speaker is a news agency and nobody else is named: the agency;
- ``origin.agency_story``: no speaker, and the article's first sentence says an agency reported it (a
  republished agency story): the agency, which the republication keeps;
- ``origin.outlet_own``: no speaker: unattributed background is the outlet's own.

Independence (:func:`independent_groups`): two agreeing appearances are one *group* -- they do not confirm each
other -- when they have the same origin, belong to one story (republications), have near-copy sentences, or one
is an outlet's own unattributed background and the other is attributed in the same outlet (the outlet restating
its own reporting). A cluster is ``corroborated`` when its agreeing appearances form two or more groups, and
``restated`` when they all form one (see :mod:`pipeline.crossref.clusters`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractors.jsonl import read_jsonl

DATA = Path(__file__).resolve().parent / "data"
NEAR_COPY_PAIRS = 0.6  # share of the shorter sentence's adjacent content-word pairs found in the other
NEAR_COPY_WORDS = 0.8  # share of the shorter sentence's content words found in the other
OUTLET_PREFIX = "outlet:"


@lru_cache(maxsize=1)
def agencies() -> dict[str, dict[str, Any]]:
    """Lower-cased agency name -> its row of ``data/news_agencies.jsonl``."""
    out: dict[str, dict[str, Any]] = {}
    for row in read_jsonl(DATA / "news_agencies.jsonl"):
        for n in row["names"]:
            out[n.lower()] = row
    return out


def agency_of(surface: str | None) -> dict[str, Any] | None:
    """The news agency a speaker names ("IRNA", "Mehr News Agency", "the IRNA"), or None."""
    if not surface:
        return None
    s = re.sub(r"^(?:the)\s+", "", " ".join(surface.split()), flags=re.I).strip(" ,.")
    s = re.sub(r"\s+(?:news\s+)?(?:agency|website)$", "", s, flags=re.I) if s.lower() not in agencies() else s
    return agencies().get(s.lower())


def origin_name(origin: str | None, name: str | None) -> str | None:
    """A readable name for an origin: an agency's name for ``agency.irna``, the outlet for ``outlet:x``."""
    if origin and origin.startswith("agency."):
        for row in agencies().values():
            if row["id"] == origin:
                return str(row["name"])
    if origin and origin.startswith(OUTLET_PREFIX):
        return origin[len(OUTLET_PREFIX):]
    return name


def outlet_of(source: str | None, url: str | None) -> str:
    """The publishing outlet: the article's source, else its URL's host (without ``www.``), else "unknown"."""
    if source:
        return source.lower()
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.") or "unknown"


def _agency_alt() -> str:
    names = sorted(agencies(), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


@lru_cache(maxsize=1)
def _lede_re() -> re.Pattern[str]:
    alt = _agency_alt()
    return re.compile(rf"(?:,\s*|\b(?:told|according to)\s+(?:the\s+)?)(?P<a>{alt})(?:\s+news(?:\s+agency)?)?"
                      rf"(?:\s+(?:reported|said|quoted|wrote))?", re.I)


def agency_story(text: str | None) -> dict[str, Any] | None:
    """The agency an article's first sentence credits ("..., IRIB reported."), or None."""
    if not text:
        return None
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text.strip(), maxsplit=1)[0]
    for m in _lede_re().finditer(first):
        tail = first[m.end():].strip()
        if m.group(0).rstrip().lower().endswith(("reported", "said", "quoted", "wrote")) or tail in ("", "."):
            return agencies().get(m.group("a").lower())
    return None


_QUOTING = re.compile(r"\b(?:quoting|quoted|citing|cited)\s+(?:the\s+)?(?P<who>(?:[A-Z][\w’'-]*\s*){1,5}|"
                      r"(?:[a-z]+\s+){0,3}(?:minister|head|official|spokesman|spokesperson|director|deputy))")


def quoted_source(sentence: str | None) -> str | None:
    """Who an agency quotes in ``sentence`` ("IRNA reported, quoting Ali Karimi" -> "Ali Karimi"), or None."""
    m = _QUOTING.search(sentence or "")
    if not m:
        return None
    who = m.group("who").strip(" ,.")
    return who or None


def appearance_origin(speaker: str | None, sentence: str | None, article_text: str | None, outlet: str
                      ) -> dict[str, Any]:
    """The origin of one appearance, before entity resolution: ``{"surface", "kind", "channel", "rule"}``.

    ``kind`` is "speaker" (``surface`` is a name to resolve through the entity layer), "agency" (``surface`` is
    the agency's id) or "outlet" (``surface`` is the outlet)."""
    ag = agency_of(speaker)
    if speaker and not ag:
        return {"surface": speaker, "kind": "speaker", "channel": None, "rule": "origin.attributed"}
    if ag:
        who = quoted_source(sentence)
        if who and not agency_of(who):
            return {"surface": who, "kind": "speaker", "channel": ag["name"], "rule": "origin.relayed_by_agency"}
        return {"surface": ag["id"], "kind": "agency", "channel": None, "rule": "origin.agency"}
    story = agency_story(article_text)
    if story:
        return {"surface": story["id"], "kind": "agency", "channel": None, "rule": "origin.agency_story"}
    return {"surface": OUTLET_PREFIX + outlet, "kind": "outlet", "channel": None, "rule": "origin.outlet_own"}


# --- independence ---------------------------------------------------------------------------------------------
# Words left out before comparing sentences: attribution and function words, which differ between two reports
# of one statement ("According to the official, ..." / "Mosaheb said ...").
_SKIP = frozenset("a an the of to and in on for according said says told added noted stated announced reported "
                  "he she it they official officials that".split())


def _words(sentence: str | None) -> list[str]:
    s = (sentence or "").lower().replace("%", " percent")
    return [w for w in re.findall(r"[a-z0-9]+", s) if w not in _SKIP]


def _containment(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def near_copy(a: str | None, b: str | None) -> bool:
    """Two sentences are near copies (one statement reworded, not two sources) when at least NEAR_COPY_PAIRS of
    the shorter's pairs of adjacent content words, or NEAR_COPY_WORDS of its content words, are in the longer
    (attribution and function words left out; "%" read as "percent")."""
    wa, wb = _words(a), _words(b)
    pairs = _containment(set(zip(wa, wa[1:], strict=False)), set(zip(wb, wb[1:], strict=False)))
    return pairs >= NEAR_COPY_PAIRS or _containment(set(wa), set(wb)) >= NEAR_COPY_WORDS


def independent_groups(members: Iterable[dict[str, Any]]) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Members (each with ``claim_id``, ``origin``, ``outlet``, ``origin_rule``, ``story_id``, ``sentence``)
    joined into groups that do not confirm each other. Returns (groups, the links that joined them, each
    ``{"a", "b", "rule"}``), both in a fixed order."""
    ms = sorted(members, key=lambda m: (m.get("published") or "9999", m["claim_id"]))
    parent = list(range(len(ms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links: list[dict[str, Any]] = []

    def link(i: int, j: int, rule: str) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        parent[max(ri, rj)] = min(ri, rj)
        links.append({"a": ms[i]["claim_id"], "b": ms[j]["claim_id"], "rule": rule})

    for i, a in enumerate(ms):
        for j in range(i + 1, len(ms)):
            b = ms[j]
            if a["origin"] == b["origin"]:
                link(i, j, "independence.same_origin")
            elif a["story_id"] == b["story_id"]:
                link(i, j, "independence.same_story")
            elif near_copy(a.get("sentence"), b.get("sentence")):
                link(i, j, "independence.near_copy_sentence")
            elif a["outlet"] == b["outlet"] and "origin.outlet_own" in (a["origin_rule"], b["origin_rule"]):
                link(i, j, "independence.outlet_restates_own_reporting")
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, m in enumerate(ms):
        groups.setdefault(find(i), []).append(m)
    return [groups[k] for k in sorted(groups)], links
