"""How a figure is meant: ``actual``, ``target``, ``forecast`` or ``potential``, from the cues left and
right of it in its clause (``modality_cues.jsonl``), or inherited from the figure it restates or shares a
clause with. Every decision names its rule id."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.discourse.article import ArticleIndex
from extractors.discourse.cues import Cue, cues

FIRM_ACTUAL = {
    "modality.actual.rate", "modality.actual.currently", "modality.actual.managed", "modality.actual.estimated_past",
    "modality.inherit.conversion", "modality.inherit.back_reference", "modality.actual.could_past",
    "modality.actual.baseline_from", "modality.actual.estimated_state",
}
_DIGITS = re.compile(r"\d[\d,.]*")
_PUNCT = re.compile(r"[,.]")
_COULD = re.compile(r"\bcould\s+(?:\w+\s+){0,2}$")
_DIGIT = re.compile(r"\d")


def digits(s: str) -> str:
    m = _DIGITS.search(s)
    return _PUNCT.sub("", m.group()) if m else ""


@dataclass(frozen=True)
class Prior:
    """A figure already attributed, as modality and time need to see it."""

    start: int
    end: int
    key: str  # its digits
    sentence: int
    modality: str
    modality_rule: str


class ModalityRules:
    def __init__(self, idx: ArticleIndex, published: dt.date | None = None) -> None:
        self.idx = idx
        self.published = published.isoformat() if published is not None else None
        c = cues()
        self.left: list[Cue] = c.kind("modality_left")
        self.right: list[Cue] = c.kind("modality_right")
        self.ctx = {cu.id.removeprefix("modality.context."): cu.rx for cu in c.kind("modality_context")}
        self.clause_split = c.modality_clause_split
        self.conversion = c.one("discourse.figure.conversion")
        self.equivalent = c.one("discourse.figure.equivalent")
        self.of_which = c.one("discourse.figure.of_which")
        self.backref = c.one("discourse.figure_backref.mentioned")

    # ------------------------------------------------------------------ helpers
    def clause_start(self, left: str) -> int:
        last = 0
        for m in self.clause_split.finditer(left):
            last = m.end()
        return last

    def best_left(self, left: str) -> tuple[str, str, bool] | None:
        """(modality, rule id, weak) of the cue ending last in ``left`` (earlier rows win ties)."""
        best: tuple[int, int, Cue] | None = None
        weak: tuple[int, int, Cue] | None = None
        for prio, cu in enumerate(self.left):
            for m in cu.rx.finditer(left):
                key = (m.end(), -prio)
                if cu.get("weak"):
                    if weak is None or key > (weak[0], -weak[1]):
                        weak = (m.end(), prio, cu)
                elif best is None or key > (best[0], -best[1]):
                    best = (m.end(), prio, cu)
        pick = best or weak
        if pick is None:
            return None
        cu = pick[2]
        if cu.id == "modality.potential.capacity":
            # "plans to raise the capacity of 4,200 units": the plan governs the capacity
            plan = self.best_left_of(left, "target")
            if plan is not None:
                return plan[0], plan[1], False
        return cu.get("modality"), cu.id, bool(cu.get("weak"))

    def best_left_of(self, left: str, modality: str) -> tuple[str, str] | None:
        best: tuple[int, str] | None = None
        for cu in self.left:
            if cu.get("modality") != modality:
                continue
            for m in cu.rx.finditer(left):
                if best is None or m.end() > best[0]:
                    best = (m.end(), cu.id)
        return (modality, best[1]) if best is not None else None

    def own_clause(self, start: int, i: int, prev: Prior | None) -> str:
        """The text from the last clause break or earlier figure in the sentence up to the figure."""
        ss, _ = self.idx.sents[i]
        lo = ss
        if prev is not None and ss <= prev.end <= start:
            lo = prev.end
        left = self.idx.text[lo:start]
        return left[self.clause_start(left):]

    # ------------------------------------------------------------------ the decision
    def decide(self, start: int, end: int, i: int, history: Sequence[Prior],
               restated: Prior | None) -> tuple[str, str]:
        mod, rid = self._cue(start, end, i, history, restated)
        text = self.idx.text
        ss, se = self.idx.sents[i]
        prev = history[-1] if history else None
        left_all = text[ss:start]
        ctx = self.ctx
        if rid == "modality.forecast.modal" and _COULD.search(left_all):
            if ctx["past_period"].search(text[ss:se]):
                return "actual", "modality.actual.could_past"  # "Iran could export $11b in the past year"
        if mod == "forecast" and rid in ("modality.forecast.modal", "modality.forecast.expected"):
            clause = left_all[self.clause_start(left_all):]
            if (ctx["planned_object"].search(left_all) and ctx["modal_change"].search(left_all)
                    and not ctx["need"].search(clause)):
                return "target", "modality.target.planned_object"  # "investment is going to rise by 75%"
        if rid == "modality.forecast.expected" and ctx["estimated_state"].search(text[max(ss, start - 60):start]) \
                and not ctx["plan_or_future"].search(text, ss, se):
            return "actual", "modality.actual.estimated_state"  # "its deposit is estimated to be 67 billion barrels"
        if mod == "target" and ctx["need"].search(self.own_clause(start, i, prev)):
            return "forecast", "modality.forecast.requirement"  # "the feedstock consumed rises to 62m tons"
        if rid == "modality.target.budget" and (
            ctx["realis_right"].match(text[end:se]) or ctx["realis_left"].search(self.own_clause(start, i, prev))
        ):
            return "actual", "modality.actual.allocated"  # "a budget of 70b rials has been earmarked"
        if mod == "actual" and rid not in FIRM_ACTUAL and ctx["proposal"].search(left_all):
            return "target", "modality.target.proposal"  # "the budget bill has allocated 450 trillion rials"
        if mod == "actual" and rid in ("modality.default.actual", "modality.inherit.clause") \
                and self._future_deadline(start, end, i):
            return "target", "modality.target.deadline"  # "a reduction in costs ... to $0.10 by 2030"
        return mod, rid

    def _future_deadline(self, start: int, end: int, i: int) -> bool:
        """A deadline after publication in the figure's clause, right after it ("to $0.10 by 2030")."""
        if self.published is None:
            return False
        ss, se = self.idx.sents[i]
        text = self.idx.text
        m = self.clause_split.search(text, end, se)
        hi = m.start() if m else se
        for d in self.idx.dates_starting(end, min(hi, end + 60)):
            if d.role in ("by", "until") and d.date_end and d.date_end > self.published:
                return not _DIGIT.search(text, end, d.start)  # no other figure in between
        return False

    def _cue(self, start: int, end: int, i: int, history: Sequence[Prior],
             restated: Prior | None) -> tuple[str, str]:
        text = self.idx.text
        ss, se = self.idx.sents[i]
        prev = history[-1] if history else None
        ctx = self.ctx
        if prev is not None and prev.end <= start and self.conversion.match(text[prev.end:start]):
            return prev.modality, "modality.inherit.conversion"
        if prev is not None and ss <= prev.end <= start and self.equivalent.match(text[prev.end:start]):
            return prev.modality, "modality.inherit.equivalent"
        lo = ss
        if prev is not None and ss <= prev.end <= start:
            lo = prev.end
        left = text[lo:start]
        if prev is not None and ss <= prev.end <= start and self.of_which.search(left):
            return prev.modality, "modality.inherit.of_which"
        if restated is not None:
            return restated.modality, "modality.inherit.back_reference"
        right = text[end:se]
        if ctx["from_to_baseline"].search(text[max(ss, start - 20):start]) and ctx["from_to_right"].match(right):
            return "actual", "modality.actual.baseline_from"  # "from around 20% now to 24% by 2030"
        if (prev is not None and prev.modality_rule == "modality.actual.baseline_from" and ss <= prev.end <= start
                and ctx["to_after_from"].match(left)):
            # the "to" figure of a "from X to Y" pair: what the clause before "from" says of it
            before = text[ss:prev.start]
            found = self.best_left(before[self.clause_start(before):])
            if found is not None and found[0] != "actual":
                return found[0], found[1]
        cs = self.clause_start(left)
        if cs and not left[cs:].strip():
            # the figure opens a new clause ("..., and nine more are scheduled to"): its own verb follows
            for cu in self.right:
                if cu.rx.match(right):
                    return cu.get("modality"), cu.id
        found = self.best_left(left[cs:]) if cs else self.best_left(left)
        if found is not None and not found[2]:
            return found[0], found[1]
        for cu in self.right:
            if cu.get("over_weak") and not (found is not None and found[2]):
                continue  # "3.7 GW of cell capacity" after "had": only where the clause's verb is a bare "has/had"
            if cu.rx.match(right) and (found is None or cu.get("over_weak") or cu.get("beats_weak")):
                return cu.get("modality"), cu.id
        if found is not None:
            return found[0], found[1]
        # no cue of its own: a figure in the same clause as an earlier one shares its modality
        # ("forecasts 1.5m barrels a day at the price of $54"); parenthetical figures are skipped
        if lo != ss and not cs and not ctx["own_predicate"].match(right):
            for p in reversed(history):
                if not ss <= p.start < start:
                    break
                between = text[p.end:start]
                if between.count(")") > between.count("(") or self.clause_split.search(between):
                    continue
                if ctx["baseline"].search(between):
                    break  # "expected to reach 60,000 MW, up from the record of 58,250 MW": a baseline is a fact
                if text[ss:p.start].count("(") > text[ss:p.start].count(")"):
                    continue
                return p.modality, "modality.inherit.clause"
        return "actual", "modality.default.actual"
