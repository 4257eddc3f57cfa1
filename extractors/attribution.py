"""Claim attribution: who says a figure (speaker), how it is meant (modality) and what it is about (subject).

Usage, once per article, claims in text order::

    officials = find_officials(doc)
    orgs = find_organisations(doc)
    state = AttributionState(doc, officials, orgs)
    for start, end in claim_spans:
        a = attribute(doc, start, end, officials, orgs, state)

``state`` holds what the article has established so far: the speaker of every sentence (explicit, or
carried on from the report the sentence continues), the quotes and who said them, and the claims already
attributed (so that a currency conversion in parentheses or "the mentioned 2000 units" inherits from the
figure it restates). Passing ``state=None`` builds a fresh one (no memory of earlier claims).

Cue lexicons are JSONL data in ``extractors/patterns/`` (``modality_cues.jsonl``, ``attribution_cues.jsonl``,
``speech_verbs.jsonl``); every decision names the rule ids that made it in ``Attribution.evidence``.
When the doc has a dependency parse, the subject is read from the governing verb's nominal subject;
otherwise a window heuristic picks the nearest organisation or place to the left.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from extractors.doctext import doc_text
from extractors.officials import FoundOfficial, FoundOrg, lexicon, looks_like_org, place_only

PATTERNS = Path(__file__).parent / "patterns"


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    modality: str  # actual | target | forecast | potential
    subject: str | None
    evidence: tuple[tuple[str, str], ...] = ()  # (field, rule id)

    def rule(self, name: str) -> str | None:
        return next((r for f, r in self.evidence if f == name), None)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    kind: str  # person | org | agency
    name: str  # what the speaker/subject is reported as


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    speaker: _Mention
    rule_id: str


def _read(name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (PATTERNS / name).read_text(encoding="utf-8").splitlines() if x.strip()]


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    modality = [
        (r["id"], r["side"], r["modality"], re.compile(r["regex"])) for r in _read("modality_cues.jsonl")
    ]
    attr = _read("attribution_cues.jsonl")
    speech = [(r["id"], r["regex"]) for r in _read("speech_verbs.jsonl")]
    return {
        "modality_left": [m for m in modality if m[1] == "left"],
        "modality_right": [m for m in modality if m[1] == "right"],
        "attr": {
            k: [(r["id"], re.compile(r["regex"])) for r in attr if r["kind"] == k]
            for k in {r["kind"] for r in attr}
        },
        "speech": [(i, re.compile(rf"\b(?:{rx})\b")) for i, rx in speech],
    }


_GAP_BEFORE_VERB = re.compile(
    r"^[\s,)]*(?:(?:also|further|has|had|have|then|later|once|previously|recently|earlier|"
    r"on [A-Z][a-z]+day|in a statement|in an interview)[\s,]+){0,3}$"
)
_APPOSITION = re.compile(
    r"^\s*,\s*(?:who|which|the|a|an|also|himself|herself)\b[^,;.\u201c\u201d\"]*(?:\([^)]*\)[^,;.]*)?,"
    r"\s*(?:(?:also|further|has|had|have|then|later|once|previously|recently|earlier)\s+){0,3}$"
)
_FIGURE = re.compile(
    r"(?<![\w.])(?!(?:19|20|13|14)\d\d\b)\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen)\b|\bpercent\b",
    re.IGNORECASE,
)
_LINK = re.compile(
    r"\b(?:he|she|his|her|they|their|it|its|the official|the minister|the ministry|the report|the data|"
    r"the statistics|the figures|the company|the organization|the center|the bank|the agency|the same|"
    r"this|these|also|further|moreover|furthermore|in addition|additionally|as reported|mentioned|"
    r"aforementioned|said period|said time|same period|the period)\b|[\u201c\u201d\"]",
    re.IGNORECASE,
)
_BACK_LINK = re.compile(
    r"\b(?:mentioned|aforementioned|above-mentioned|said\s+(?:period|time|months?|year)|same\s+period|"
    r"this\s+period|these\s+figures|the\s+figure)\b",
    re.IGNORECASE,
)
_SENTENCE_SOURCE = re.compile(r"^\W*(?:As|According\s+to|Quoting|Citing)\s+(?:the\s+)?$")
_PLUPERFECT = re.compile(r"^(?:The\s+)?[A-Z][^;:.]{0,80}?\s+had\s+(?:been\s+)?[a-z]+(?:ed|en|wn|ld|lt|id|ght)\b")
_INVERTED = {"speech.said", "speech.added", "speech.noted", "speech.stated", "speech.explained"}
_ORG_COREF = re.compile(
    r"\b[Tt]he\s+(ministry|organization|organisation|company|bank|council|corporation|"
    r"department|agency|administration|chamber|association|fund|office)\b"
)
_QUOTE = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"")
_CONVERSION_GAP = re.compile(
    r"^\s*\(\s*(?:about|around|nearly|almost|over|some|roughly|approximately|more than|less than|"
    r"close to|equal to|or|worth|about\s+the\s+same\s+as)?\s*$"
)
_BACKREF = re.compile(r"\b(?:mentioned|said|aforementioned|above-mentioned|these|those)\s+$", re.IGNORECASE)
_OF_WHICH = re.compile(r"\b(?:of\s+which|of\s+them|including)\s+(?:some\s+|about\s+|nearly\s+|over\s+)?$")
_DIGITS = re.compile(r"\d[\d,.]*")
_ORG_HEADS_RX = "|".join(sorted((re.escape(h) for h in lexicon().org_heads if h.isalpha()), key=len, reverse=True))
_SOURCE = re.compile(
    # an acronym ("PAVEN") or a capitalised name, maybe possessive and followed by lower-case words that end
    # in an organisation word ("China's customs administration", "the Statistical Center of Iran")
    rf"(?:[A-Z][A-Z0-9&]{{1,7}}s?\b(?![\u2019']s)|(?:[A-Z][\w.\-]*(?:\s+(?:of|and|for|&)\s+|\s+)?)+"
    rf"(?:[\u2019']s\s+(?:[a-z\-]+\s+){{0,3}}(?:{_ORG_HEADS_RX})s?\b)?)"
)
_NOT_SOURCE = {
    "He", "She", "They", "It", "His", "Her", "Their", "Its", "This", "That", "These", "Those", "The", "A", "An",
}


def _digits(s: str) -> str:
    m = _DIGITS.search(s)
    return re.sub(r"[,.]", "", m.group()) if m else ""


@dataclass
class AttributionState:
    """Per-article running state. Build once per article, then call :func:`attribute` in text order."""

    doc: Doc
    officials: Sequence[FoundOfficial]
    orgs: Sequence[FoundOrg]
    sents: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    cues: list[list[_Cue]] = field(default_factory=list)  # per sentence
    quotes: list[tuple[int, int, _Mention | None]] = field(default_factory=list)
    sentence_speaker: list[tuple[_Mention | None, str]] = field(default_factory=list)
    history: list[tuple[int, int, str, Attribution]] = field(default_factory=list)  # start, end, digits, attr
    last_subject: str | None = None
    text: str = ""  # doc.text, computed once: spaCy rebuilds the string on every access

    def __post_init__(self) -> None:
        doc = self.doc
        text = self.text = doc_text(doc)
        if doc.has_annotation("SENT_START"):
            self.sents = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.sents = [(0, len(text))]
        self._build_mentions()
        self._build_cues()
        self._build_quotes()
        self._build_sentence_speakers()

    # ---------------------------------------------------------------- mentions
    def org_display(self, o: FoundOrg, start: int, end: int) -> str:
        written = self.text[start:end]
        for prefix in ("Iran's ", "Iran\u2019s ", "the ", "The "):
            if written.startswith(prefix) and len(written) > len(prefix) + 3:
                written = written[len(prefix) :]
        return written

    def _build_mentions(self) -> None:
        text = self.text
        ms: list[_Mention] = []
        for p in self.officials:
            for s, e in p.mentions:
                ms.append(_Mention(s, e, "person", p.name))
        for o in self.orgs:
            for s, e in o.mentions:
                kind = "agency" if o.kind == "agency" else "org"
                ms.append(_Mention(s, e, kind, o.acronym or self.org_display(o, s, e)))
        # "the ministry" -> the most recent organisation whose name has that head word
        for m in _ORG_COREF.finditer(text):
            head = m.group(1).lower()
            best = None
            for o in self.orgs:
                if o.kind != "org" or head not in o.name.lower():
                    continue
                before = [s for s, _ in o.mentions if s < m.start()]
                if before and (best is None or max(before) > best[0]):
                    best = (max(before), o)
            if best is not None:
                o = best[1]
                ms.append(
                    _Mention(m.start(), m.end(), "org", o.acronym or self.org_display(o, o.start, o.end))
                )
        # drop mentions nested in longer ones of another kind (an org inside a person's role phrase)
        ms.sort(key=lambda x: (x.start, -(x.end - x.start)))
        self.mentions = ms

    def _mention_ending_before(self, pos: int, lo: int) -> _Mention | None:
        best = None
        for m in self.mentions:
            if lo <= m.start and m.end <= pos and _GAP_BEFORE_VERB.match(self.text[m.end : pos]):
                if best is None or m.end > best.end or (m.end == best.end and m.kind == "person"):
                    best = m
        return best

    def _subject_before_apposition(self, pos: int, lo: int) -> _Mention | None:
        """'Karbasian, who is also the head of IMIDRO, has announced': the subject before a comma-enclosed
        relative clause or apposition says the verb, not the organisation at the clause's end."""
        text = self.text
        best = None
        for m in self.mentions:
            if m.kind != "person" or not (lo <= m.start and m.end < pos):
                continue
            gap = text[m.end : pos]
            if _APPOSITION.match(gap) and (best is None or m.start < best.start):
                best = m
        return best

    def _mention_starting_at(self, pos: int, hi: int) -> _Mention | None:
        text = self.text
        best = None
        for m in self.mentions:
            if pos <= m.start < hi and re.fullmatch(r"\s*(?:the\s+)?", text[pos : m.start]):
                if best is None or (m.kind == "person" and best.kind != "person") or m.end > best.end:
                    best = m
        return best

    # ---------------------------------------------------------------- speech cues
    def _build_cues(self) -> None:
        text = self.text
        c = _cues()
        for ss, se in self.sents:
            found: list[_Cue] = []
            for rid, rx in c["speech"]:
                for m in rx.finditer(text, ss, se):
                    sp = self._subject_before_apposition(m.start(), ss) or self._mention_ending_before(
                        m.start(), ss
                    )
                    if sp is not None:
                        found.append(_Cue(sp.start, m.end(), sp, rid))
                        continue
                    if rid in _INVERTED:
                        sp = self._mention_starting_at(m.end(), se)
                        if sp is not None and sp.kind == "person":
                            found.append(_Cue(m.start(), sp.end, sp, rid + ".inverted"))
            for rid, rx in c["attr"].get("before", []) + c["attr"].get("data_by", []):
                hits = []
                for mm in self.mentions:
                    if not ss <= mm.start < se:
                        continue
                    if rx.search(text[max(ss, mm.start - 60) : mm.start]):
                        hits.append(_Cue(mm.start, mm.end, mm, rid))
                found.extend(hits)
                if not hits:
                    found.extend(self._unknown_sources(rid, rx, ss, se))
            found.sort(key=lambda x: x.start)
            self.cues.append(found)

    def _unknown_sources(self, rid: str, rx: re.Pattern[str], ss: int, se: int) -> list[_Cue]:
        """'according to the data released by China's customs administration', 'According to PAVEN': a
        cited source that is no known organisation is still the source, named as written."""
        text = self.text
        open_rx = re.compile(rx.pattern.removesuffix("$"))
        out = []
        for m in open_rx.finditer(text, ss, se):
            src = _SOURCE.match(text, m.end(), se)
            if src is None:
                continue
            name = src.group().strip()
            if any(mm.start <= m.end() + 2 and mm.end > m.end() for mm in self.mentions):
                continue  # a known mention starts here (the regex already handled it)
            if name.split()[0] in _NOT_SOURCE or place_only(name) or not looks_like_org(name):
                continue  # "according to the Sixth Development Plan": a document, not a source
            sp = _Mention(src.start(), src.start() + len(name), "org", name)
            out.append(_Cue(sp.start, sp.end, sp, rid + ".unknown_source"))
        return out

    def _build_quotes(self) -> None:
        text = self.text
        for m in _QUOTE.finditer(text):
            qs, qe = m.start(), m.end()
            speaker = None
            # before: 'X said: "..."'
            for cues in self.cues:
                for cue in cues:
                    if qs - 8 <= cue.end <= qs and text[cue.end : qs].strip() in (":", ",", ""):
                        speaker = cue.speaker
            # after: '"...," X said' -- not when the quote closes its own sentence ('... production."')
            closes = text[qe - 2 : qe - 1] in (".", "!", "?")
            if speaker is None and not closes:
                for cues in self.cues:
                    for cue in cues:
                        gap = text[qe : cue.start]
                        if (
                            qe <= cue.start <= qe + 80
                            and cue.speaker.kind == "person"
                            and "\u201c" not in gap
                            and "\n" not in gap
                            and not re.search(r"[.!?]\s", gap)
                        ):
                            speaker = cue.speaker
                            break
                    if speaker is not None:
                        break
            self.quotes.append((qs, qe, speaker))

    def sentence_index(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.sents):
            if s <= pos < e:
                return i
        return len(self.sents) - 1

    def _build_sentence_speakers(self) -> None:
        text = self.text
        c = _cues()
        carried: tuple[_Mention | None, str] = (None, "speaker.none")
        n = len(self.sents)
        explicit: list[tuple[_Mention | None, str] | None] = []
        for i in range(n):
            explicit.append(self._explicit(i))
        self._lede_restated(explicit)
        data_source: _Mention | None = None
        for i, (ss, se) in enumerate(self.sents):
            sent = text[ss:se].lstrip()
            ex = explicit[i]
            if ex is None and data_source is not None:
                if any(rx.search(text[ss:se]) for _, rx in c["attr"].get("data_back", [])):
                    # "Based on the mentioned data, ...": the source of the data, not the outlet that relayed it
                    ex = (data_source, "speaker.carry.data_back_reference")
            for cu in self.cues[i]:
                if cu.rule_id.startswith("speaker.data_released_by"):
                    data_source = cu.speaker
            if ex is not None and ex[0] is not None and ex[0].kind == "agency":
                cue0 = next((cu for cu in self.cues[i] if cu.speaker is ex[0]), None)
                at_start = cue0 is not None and bool(_SENTENCE_SOURCE.match(text[ss : cue0.start]))
                if at_start:
                    pass  # "As IRIB reported, ...": the agency is this sentence's source
                elif carried[0] is not None and carried[0].kind != "agency" and (
                    carried[0].kind == "person" or _BACK_LINK.search(text[ss:se])
                ):
                    # "..., in the mentioned period, IRNA reported": the agency relays the earlier source
                    ex = (carried[0], "speaker.carry.over_agency")
                else:
                    nxt = explicit[i + 1] if i + 1 < n else None
                    if nxt is not None and nxt[0] is not None and nxt[0].kind == "person":
                        ex = (nxt[0], "speaker.agency.lookahead_person")
            if ex is None:
                if any(rx.search(text[ss:se]) for _, rx in c["attr"].get("carry", [])):
                    ex = (carried[0], "speaker.carry.according_to_data")
                elif any(rx.match(sent) for _, rx in c["attr"].get("reset", [])):
                    rid = next(r for r, rx in c["attr"]["reset"] if rx.match(sent))
                    ex = (None, rid)
                elif carried[0] is not None and carried[1] == "speaker.according_to.final" and not _LINK.search(
                    text[ss:se]
                ):
                    # "..., according to Reuters." covers its own sentence; the next one needs a pointer back
                    ex = (None, "speaker.none.after_final_source")
                elif carried[0] is not None and _PLUPERFECT.match(sent) and not _LINK.search(text[ss:se]):
                    # "The ministry had approved 75 cases in the first seven months": earlier background
                    ex = (None, "speaker.none.pluperfect_background")
                else:
                    ex = (carried[0], "speaker.carry" if carried[0] is not None else "speaker.none")
            self.sentence_speaker.append(ex)
            carried = ex
            if ex[0] is not None and ex[0].kind != "person" and ex[1] == "speaker.according_to":
                cue = next((cu for cu in self.cues[i] if cu.speaker is ex[0]), None)
                if cue is not None and re.fullmatch(r"[\s.\u201d\"]*", text[cue.end : se]):
                    carried = (ex[0], "speaker.according_to.final")
            if explicit[i] is None and carried[0] is not None and self._breaks_report(ss, se):
                # background in the article's own voice ends the report carried so far
                carried = (None, "speaker.break.background")

    def _lede_restated(self, explicit: list[tuple[_Mention | None, str] | None]) -> None:
        """A lede with figures and no source, restated by the next sentence with a source and a pointer back
        ('According to the latest data released by the ministry, in the mentioned period, ...'), takes that
        source."""
        text = self.text
        first = next((i for i, (ss, se) in enumerate(self.sents) if _FIGURE.search(text[ss:se])), None)
        if first is None or first > 1 or explicit[first] is not None or first + 1 >= len(self.sents):
            return
        nxt = explicit[first + 1]
        ns, ne = self.sents[first + 1]
        if nxt is not None and nxt[0] is not None and nxt[0].kind != "agency" and _BACK_LINK.search(text[ns:ne]):
            explicit[first] = (nxt[0], "speaker.lede.restated")

    def _breaks_report(self, ss: int, se: int) -> bool:
        """A sentence with no figure, no source and nothing pointing back at the report (a pronoun,
        'the official', 'also', a quote) is background: the next sentences are no longer the report."""
        body = self.text[ss:se]
        if not body.strip() or _FIGURE.search(body) or _LINK.search(body):
            return False
        if any(rx.search(body) for _, rx in _cues()["speech"]):
            return False  # "..., sources said": still reported speech
        return not any(ss <= m.start < se for m in self.mentions if m.kind == "person")

    def _explicit(self, i: int) -> tuple[_Mention | None, str] | None:
        cues = self.cues[i]
        if not cues:
            ss, se = self.sents[i]
            # a sentence wholly inside a quote takes the quote's speaker
            for qs, qe, sp in self.quotes:
                if qs <= ss + 2 and se - 2 <= qe and sp is not None:
                    return sp, "speaker.quote"
            return None
        persons = [cu for cu in cues if cu.speaker.kind == "person"]
        orgs = [cu for cu in cues if cu.speaker.kind == "org"]
        pick = persons or orgs or cues
        return pick[0].speaker, pick[0].rule_id


def _speaker_for(state: AttributionState, start: int, end: int) -> tuple[str | None, str]:
    for qs, qe, sp in state.quotes:
        if qs <= start and end <= qe and sp is not None:
            return sp.name, "speaker.quote"
    i = state.sentence_index(start)
    cues = state.cues[i]
    persons = [cu for cu in cues if cu.speaker.kind == "person"]
    if len(persons) > 1:
        # several speakers in one sentence: the cue nearest before the claim, else the first after it
        before = [cu for cu in persons if cu.end <= start]
        cu = before[-1] if before else persons[0]
        return cu.speaker.name, cu.rule_id
    sp, rid = state.sentence_speaker[i]
    return (sp.name if sp is not None else None), rid


def _modality_for(state: AttributionState, start: int, end: int) -> tuple[str, str]:
    mod, rid = _modality_cue(state, start, end)
    text = state.text
    ss, se = state.sents[state.sentence_index(start)]
    left_all = text[ss:start]
    if rid == "modality.forecast.modal" and re.search(r"\bcould\s+(?:\w+\s+){0,2}$", left_all):
        if _PAST_PERIOD.search(text[ss:se]):
            return "actual", "modality.actual.could_past"  # "Iran could export $11b in the past year"
    if mod == "forecast" and rid in ("modality.forecast.modal", "modality.forecast.expected"):
        clause = left_all[_clause_start(left_all) :]
        if _PLANNED_OBJECT.search(left_all) and not _NEED.search(clause):
            return "target", "modality.target.planned_object"  # "investment is going to rise by 75%"
    if mod == "target" and _NEED.search(_own_clause(state, start)):
        return "forecast", "modality.forecast.requirement"  # "the feedstock consumed rises to 62m tons"
    if rid == "modality.target.budget" and (
        _REALIS_RIGHT.match(text[end:se]) or _REALIS_LEFT.search(_own_clause(state, start))
    ):
        return "actual", "modality.actual.allocated"  # "a budget of 70b rials has been earmarked"
    if mod == "actual" and rid not in _FIRM_ACTUAL and _PROPOSAL.search(left_all):
        return "target", "modality.target.proposal"  # "the budget bill has allocated 450 trillion rials"
    return mod, rid


_PAST_PERIOD = re.compile(
    r"\b(?:during|in|over)\s+the\s+(?:first|past|last|previous)\b|\blast\s+(?:year|month|week)\b|\bago\b",
    re.IGNORECASE,
)
_PLANNED_OBJECT = re.compile(
    r"\b(?:invest\w*|complexes|projects|plants|facilities|number\s+of\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}(?:complexes|projects|plants|units|facilities))\b",
    re.IGNORECASE,
)
_NEED = re.compile(
    r"\b(?:require[sd]?|requiring|requirements?|needs?|needed)\b(?!\s+(?:the\s+)?[a-z]+\s+to\b)"
    r"|\b(?:feedstock|demand|consum\w*)\b"
)
_REALIS_RIGHT = re.compile(
    r"^(?:[^.;]|\.(?=\d)){0,60}?\b(?:has|have|had|was|were)\s+(?:already\s+)?been\s+(?:earmarked|allocated|"
    r"approved|paid|spent|disbursed|set\s+aside|injected)\b"
)
_REALIS_LEFT = re.compile(
    r"\b(?:has|have|had|was|were)\s+(?:already\s+)?been\s+(?:earmarked|allocated|budgeted)\s+(?:to|for)\b"
)
_PROPOSAL = re.compile(
    r"\b(?:budget\s+bill|(?:proposed|draft|planned)\s+budget|budget\s+(?:proposal|draft)|(?:the|this|its)\s+bill)\b",
    re.IGNORECASE,
)
_FIRM_ACTUAL = {
    "modality.actual.rate", "modality.actual.currently", "modality.actual.managed", "modality.actual.estimated_past",
    "modality.inherit.conversion", "modality.inherit.back_reference", "modality.actual.could_past",
}
_CLAUSE_BREAK = re.compile(r"(?:;|\u2022|,\s+(?:and|but|while|whereas)\s+|\s+(?:while|whereas)\s+)")
_EQUIVALENT_GAP = re.compile(
    r"^\s*(?:of\s+[a-z][a-z\s\-]{0,30}?)?,?\s*(?:(?:that|which)\s+is\s+|or\s+)?(?:equivalent|equal)\s+to\s+(?:about\s+|nearly\s+|some\s+|around\s+)?$"
)


def _own_clause(state: AttributionState, start: int) -> str:
    """The text from the last clause break or earlier figure in the sentence up to the figure."""
    text = state.text
    ss, _ = state.sents[state.sentence_index(start)]
    lo = ss
    prev = state.history[-1] if state.history else None
    if prev is not None and ss <= prev[1] <= start:
        lo = prev[1]
    left = text[lo:start]
    return left[_clause_start(left) :]


_BASELINE = re.compile(
    r"\b(?:compared\s+(?:with|to)|from|than|versus|vs\.?|against|exceeding|surpassing|over)\b", re.IGNORECASE
)
_OWN_PREDICATE = re.compile(r"^\s*(?:[a-z\-]+\s+){0,3}(?:is|are|was|were|has|have|had)\b")


def _clause_start(left: str) -> int:
    last = 0
    for m in _CLAUSE_BREAK.finditer(left):
        last = m.end()
    return last


def _best_left(left: str) -> tuple[str, str] | None:
    best: tuple[int, int, str, str] | None = None  # end, priority, modality, id
    weak: tuple[int, int, str, str] | None = None
    for prio, (rid, _, mod, rx) in enumerate(_cues()["modality_left"]):
        for m in rx.finditer(left):
            key = (m.end(), -prio)
            if rid in _WEAK:
                if weak is None or key > (weak[0], -weak[1]):
                    weak = (m.end(), prio, mod, rid)
            elif best is None or key > (best[0], -best[1]):
                best = (m.end(), prio, mod, rid)
    pick = best or weak
    if pick is not None and pick[3] == "modality.potential.capacity":
        # "plans to raise the capacity of 4,200 units": the plan governs the capacity
        plan = _best_left_of(left, "target")
        if plan is not None:
            return plan
    return (pick[2], pick[3]) if pick is not None else None


_WEAK = {"modality.actual.aux"}


def _best_left_of(left: str, modality: str) -> tuple[str, str] | None:
    best: tuple[int, str] | None = None
    for rid, _, mod, rx in _cues()["modality_left"]:
        if mod != modality:
            continue
        for m in rx.finditer(left):
            if best is None or m.end() > best[0]:
                best = (m.end(), rid)
    return (modality, best[1]) if best is not None else None


def _modality_cue(state: AttributionState, start: int, end: int) -> tuple[str, str]:
    text = state.text
    i = state.sentence_index(start)
    ss, se = state.sents[i]
    prev = state.history[-1] if state.history else None
    if prev is not None and prev[1] <= start and _CONVERSION_GAP.match(text[prev[1] : start]):
        return prev[3].modality, "modality.inherit.conversion"
    if prev is not None and ss <= prev[1] <= start and _EQUIVALENT_GAP.match(text[prev[1] : start]):
        return prev[3].modality, "modality.inherit.equivalent"
    lo = ss
    if prev is not None and ss <= prev[1] <= start:
        lo = prev[1]
    left = text[lo:start]
    if prev is not None and ss <= prev[1] <= start and _OF_WHICH.search(left):
        return prev[3].modality, "modality.inherit.of_which"
    if _BACKREF.search(text[max(ss, start - 30) : start]):
        d = _digits(text[start:end])
        for _, _, dd, a in reversed(state.history):
            if dd == d:
                return a.modality, "modality.inherit.back_reference"
    right = text[end:se]
    cs = _clause_start(left)
    if cs and not left[cs:].strip():
        # the figure opens a new clause ("..., and nine more are scheduled to"): its own verb follows
        for rid, _, mod, rx in _cues()["modality_right"]:
            if rx.match(right):
                return mod, rid
    found = _best_left(left[cs:]) if cs else _best_left(left)
    if found is not None:
        return found
    for rid, _, mod, rx in _cues()["modality_right"]:
        if rx.match(right):
            return mod, rid
    # no cue of its own: a figure in the same clause as an earlier one shares its modality
    # ("forecasts 1.5m barrels a day at the price of $54"); parenthetical figures are skipped
    if lo != ss and not cs and not _OWN_PREDICATE.match(right):
        for ps, pe, _, a in reversed(state.history):
            if not ss <= ps < start:
                break
            between = text[pe:start]
            if between.count(")") > between.count("(") or _CLAUSE_BREAK.search(between):
                continue
            if _BASELINE.search(between):
                break  # "expected to reach 60,000 MW, up from the record of 58,250 MW": a baseline is a fact
            if text[ss:ps].count("(") > text[ss:ps].count(")"):
                continue
            return a.modality, "modality.inherit.clause"
    return "actual", "modality.default.actual"


def _subject_for(
    state: AttributionState, start: int, end: int, speaker: str | None
) -> tuple[str | None, str]:
    text = state.text
    i = state.sentence_index(start)
    ss, _ = state.sents[i]
    doc = state.doc
    lex = lexicon()
    if doc.has_annotation("DEP"):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tok = span.root
            verb = tok
            hops = 0
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and hops < 6:
                verb = verb.head
                hops += 1
            subj = None
            v = verb
            for _ in range(4):
                subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None or v.dep_ not in ("xcomp", "conj", "ccomp", "advcl") or v.head is v:
                    break
                v = v.head
            if subj is not None and not (subj.i >= span.start and subj.i < span.end):
                sub = doc[subj.left_edge.i : subj.right_edge.i + 1]
                for m in state.mentions:
                    if sub.start_char <= m.start and m.end <= sub.end_char and m.kind == "org":
                        return m.name, "subject.nsubj.org"
                for ent in sub.ents:
                    if ent.label_ in ("GPE", "ORG", "LOC"):
                        return ent.text.removeprefix("the ").removeprefix("The "), "subject.nsubj.entity"
                if subj.pos_ == "PRON" or subj.lower_ in {"official", "minister", "he", "she", "it"}:
                    pass
                elif subj.pos_ in ("NOUN", "PROPN"):
                    words = [
                        t for t in doc[subj.left_edge.i : subj.i + 1] if t.dep_ not in ("det", "poss", "case")
                    ]
                    if subj.lemma_ in {"share", "number", "volume", "amount", "value", "total"}:
                        pobj = [
                            g
                            for c in subj.children
                            if c.dep_ == "prep"
                            for g in c.children
                            if g.dep_ == "pobj"
                        ]
                        if pobj:
                            words = [t for t in doc[pobj[0].left_edge.i : pobj[0].i + 1] if t.dep_ != "det"]
                    if words:
                        return doc[words[0].i : words[-1].i + 1].text, "subject.nsubj.noun"
    # window: the nearest organisation or place to the left in the sentence, not the speaker
    best = None
    for m in state.mentions:
        if ss <= m.start and m.end <= start and m.kind == "org" and m.name != speaker:
            gap = text[m.end : m.end + 25]
            if re.match(r"^\s*(?:said|told|announced|reported)", gap):
                continue
            if best is None or m.end > best.end:
                best = m
    places = [p for p in lex.places if len(p) > 3]
    place_rx = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in places) + r")\b(?:\s+Province)?")
    for pm in place_rx.finditer(text, ss, start):
        if best is None or pm.end() > best.end:
            best = _Mention(pm.start(), pm.end(), "place", pm.group())
    if best is not None:
        return best.name, "subject.window.nearest_org"
    if state.last_subject is not None:
        return state.last_subject, "subject.carry"
    return None, "subject.none"


def attribute(
    doc: Doc,
    claim_start: int,
    claim_end: int,
    officials: Sequence[FoundOfficial],
    orgs: Sequence[FoundOrg],
    state: AttributionState | None = None,
) -> Attribution:
    """Speaker, modality and subject of the claim at ``doc.text[claim_start:claim_end]``."""
    if state is None:
        state = AttributionState(doc, officials, orgs)
    text = state.text
    prev = state.history[-1] if state.history else None
    if prev is not None and prev[1] <= claim_start and _CONVERSION_GAP.match(text[prev[1] : claim_start]):
        a = prev[3]
        out = Attribution(
            a.speaker,
            a.modality,
            a.subject,
            (
                ("speaker", "speaker.inherit.conversion"),
                ("modality", "modality.inherit.conversion"),
                ("subject", "subject.inherit.conversion"),
            ),
        )
    else:
        speaker, s_rule = _speaker_for(state, claim_start, claim_end)
        modality, m_rule = _modality_for(state, claim_start, claim_end)
        subject, sub_rule = _subject_for(state, claim_start, claim_end, speaker)
        out = Attribution(
            speaker, modality, subject, (("speaker", s_rule), ("modality", m_rule), ("subject", sub_rule))
        )
    state.history.append((claim_start, claim_end, _digits(text[claim_start:claim_end]), out))
    if out.subject is not None:
        state.last_subject = out.subject
    return out
