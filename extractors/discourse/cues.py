"""The cue lexicons of the discourse layer, read once from JSONL under ``extractors/patterns/``.

Every row has a stable dotted ``id`` (stored on the claims it decides), a ``kind`` and a ``regex``;
``ignore_case`` makes the regex case-insensitive. Files:

- ``discourse_cues.jsonl``: report segmentation shared by speaker, time and modality (clause and statement
  boundaries, reporting verbs, pointers back at a report, background, figure back-references, market cues);
- ``time_cues.jsonl``: what dates a figure (period back-references, present states, comparison bases);
- ``attribution_cues.jsonl``: cited sources ("according to", "data released by") and report resets;
- ``speech_verbs.jsonl``: verbs of saying (shared with the officials layer);
- ``modality_cues.jsonl``: plan, forecast, capacity and realis cues, left or right of a figure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

PATTERNS = Path(__file__).resolve().parent.parent / "patterns"
FILES = ("discourse_cues.jsonl", "time_cues.jsonl", "attribution_cues.jsonl", "modality_cues.jsonl")


@dataclass(frozen=True)
class Cue:
    id: str
    kind: str
    rx: re.Pattern[str]
    row: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.row.get(key, default)


def read_jsonl(name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (PATTERNS / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def _compile(row: dict[str, Any]) -> re.Pattern[str]:
    return re.compile(row["regex"], re.IGNORECASE if row.get("ignore_case") else 0)


_WORDS = re.compile(r"[a-z0-9&'\u2019-]+|[\u201c\u201d\"]")


def words_of(text: str) -> frozenset[str]:
    """The lower-case words (and quote marks) of ``text``: what the cues' ``triggers`` are tested against."""
    return frozenset(_WORDS.findall(text.lower()))


class CueTable:
    """All cues by kind, in file order (order is priority where a rule says so)."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[Cue]] = {}
        self.by_id: dict[str, Cue] = {}
        for name in FILES:
            for row in read_jsonl(name):
                kind = row.get("kind") or ("modality_" + row["side"] if "side" in row else "misc")
                cue = Cue(row["id"], kind, _compile(row), row)
                self.by_kind.setdefault(kind, []).append(cue)
                self.by_id[cue.id] = cue
        # verbs of saying: the shared list, and the ones only the discourse layer reads
        self.speech: list[Cue] = [
            Cue(r["id"], "speech", re.compile(rf"\b(?:{r['regex']})\b"), r)
            for r in [*read_jsonl("speech_verbs.jsonl"), *(c.row for c in self.kind("speech_extra"))]
        ]

    def kind(self, name: str) -> list[Cue]:
        return self.by_kind.get(name, [])

    def may(self, cue_id: str, words: frozenset[str]) -> bool:
        """False when the cue cannot match text with these words (its ``triggers`` row lists every word one of
        its alternatives needs); True when it may, or when it lists none."""
        trig = self.by_id[cue_id].row.get("triggers")
        return trig is None or not words.isdisjoint(trig)

    @cached_property
    def backref_triggers(self) -> frozenset[str]:
        return frozenset(w for c in [*self.kind("period_backref"), *self.kind("event_backref")]
                         for w in c.row.get("triggers", ()))

    def one(self, cue_id: str) -> re.Pattern[str]:
        return self.by_id[cue_id].rx

    def any_of(self, name: str, flags: int = 0) -> re.Pattern[str]:
        """One alternation of every regex of a kind (for a yes/no test)."""
        return _alternation(tuple(c.row["regex"] for c in self.kind(name)), flags)

    @cached_property
    def reporting(self) -> re.Pattern[str]:
        """Verbs whose date says when something was said or decided: the frame verbs and the verbs of saying."""
        alts = [c.row["regex"] for c in self.kind("reporting_verb")] + [c.row["regex"] for c in self.speech]
        return re.compile(rf"\b(?:{'|'.join(alts)})\b", re.IGNORECASE)

    @cached_property
    def reporting_before(self) -> re.Pattern[str]:
        """A reporting verb (maybe with its addressee) right before a date: "IRNA reported on Monday"."""
        alts = "|".join(c.row["regex"] for c in self.kind("reporting_verb"))
        return re.compile(rf"\b(?:{alts})\b(?:\s+(?:to|with|by))?(?:\s+[A-Z][\w.-]*){{0,4}}"
                          rf"(?:\s+(?:in|on|at|during)(?:\s+(?:early|mid|late)-?)?)?\s*$", re.IGNORECASE)

    @cached_property
    def speech_any(self) -> re.Pattern[str]:
        """Any verb of saying or of outlook (a quick test before the per-cue work on a sentence)."""
        return re.compile("|".join([*(c.rx.pattern for c in self.speech), self.outlook.pattern]))

    @cached_property
    def speech_table(self) -> list[Cue]:
        """The verbs of saying, then the verbs of outlook, in priority order."""
        return [*self.speech, Cue("discourse.outlook.verb", "outlook", self.outlook)]

    @cached_property
    def speech_after_gap(self) -> re.Pattern[str]:
        """A verb of saying or of outlook right after a name: "Home Depot (ticker: HD) reported"."""
        gap = self.one("discourse.speaker.gap").pattern.removesuffix("$")
        return re.compile(gap + "(?:" + self.speech_any.pattern + ")")

    @cached_property
    def source_any(self) -> re.Pattern[str]:
        """Any cited-source cue ("according to", "data released by", ...), as free-standing patterns."""
        parts = [c.rx.pattern.removesuffix("$") for c in [*self.kind("before"), *self.kind("data_by")]
                 if not c.get("known_only")]
        return re.compile("|".join(f"(?:{p})" for p in parts))

    @cached_property
    def source_before(self) -> re.Pattern[str]:
        """Every cited-source cue anchored at a mention, one named group each (one search per mention)."""
        parts = [f"(?P<c{k}>{c.rx.pattern})" for k, c in enumerate([*self.kind("before"), *self.kind("data_by")])]
        return re.compile("|".join(parts))

    @cached_property
    def market_noun(self) -> re.Pattern[str]:
        """The nouns of market data alone (a quick test before the full market-move pattern)."""
        return re.compile(r"\b(?:shares?|stocks?|ind(?:ex|ices|exes)|S&P|Dow|Nasdaq|Composite|Nikkei|Kospi|Seng|"
                          r"Topix|ASX|Sensex|STOXX|FTSE|DAX|CAC|TEDPIX|bourse|yields?|crude|Brent|WTI|gold|futures|"
                          r"bonds?|notes|Treasur|dollar|euro|yen|yuan|sterling|greenback|bitcoin|prices?)", re.I)

    @cached_property
    def rare_sentence_cues(self) -> re.Pattern[str]:
        """Report resets, background, report and company anaphors, current states: a quick test per sentence."""
        rows = [*self.kind("reset"), *self.kind("background"), *self.kind("report_anaphor"),
                *self.kind("company_anaphor"), *self.kind("current_state")]
        return re.compile("|".join(f"(?:{c.rx.pattern})" for c in rows), re.IGNORECASE | re.MULTILINE)

    @cached_property
    def backref_any(self) -> re.Pattern[str]:
        """Any back-reference to a period or an event (a quick test before the per-cue work)."""
        parts = [re.sub(r"\(\?P<\w+>", "(?:", c.row["regex"])
                 for c in [*self.kind("period_backref"), *self.kind("event_backref")]]
        return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)

    @cached_property
    def reporting_last(self) -> re.Pattern[str]:
        """A reporting verb right before a weekday: "the company said Tuesday"."""
        return re.compile(rf"(?:{self.reporting.pattern})\s*$", re.IGNORECASE)

    @cached_property
    def clause_split(self) -> re.Pattern[str]:
        """Clause boundaries for time: a period in another clause does not date a figure first."""
        return _alternation(tuple(c.row["regex"] for c in self.kind("clause_split")
                                  if c.get("scope") in ("time", "both")), re.IGNORECASE)

    @cached_property
    def modality_clause_split(self) -> re.Pattern[str]:
        """Clause boundaries for modality: a cue in another clause does not decide a figure (narrower than
        time's: "... will be expanded to 30 units and the consumed feedstock increases to 8 million tons" is
        one plan)."""
        return _alternation(tuple(c.row["regex"] for c in self.kind("clause_split")
                                  if c.get("scope") in ("modality", "both")), re.IGNORECASE)

    @cached_property
    def statement_split(self) -> re.Pattern[str]:
        return _alternation(tuple(c.row["regex"] for c in self.kind("clause_split") if c.get("statement")),
                            re.IGNORECASE)

    @cached_property
    def outlook(self) -> re.Pattern[str]:
        return re.compile(rf"\b(?:{'|'.join(c.row['regex'] for c in self.kind('outlook_verb'))})\b")


@lru_cache(maxsize=64)
def _alternation(parts: tuple[str, ...], flags: int) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts) if parts else r"(?!x)x", flags)


@lru_cache(maxsize=1)
def cues() -> CueTable:
    return CueTable()
