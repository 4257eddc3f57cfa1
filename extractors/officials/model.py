"""What the officials layer returns (:class:`FoundOfficial`, :class:`FoundOrg`) and the working records of
a role (title and organisation) and a person on the way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FoundOfficial:
    name: str
    title: str | None
    org: str | None
    start: int  # the fullest (first full) mention of the name, end exclusive
    end: int
    mentions: tuple[tuple[int, int], ...]
    rule_id: str
    title_rule_id: str | None = None


@dataclass(frozen=True)
class FoundOrg:
    name: str  # long form as written ("Iran Small Industries and Industrial Parks Organization")
    acronym: str | None  # "ISIPO", or None
    start: int  # offsets of the long form's first mention
    end: int
    mentions: tuple[tuple[int, int], ...]  # every mention: long form, acronym, bare name
    kind: str  # "org" | "agency"
    rule_id: str


@dataclass
class Role:
    title: str | None
    org: str | None
    start: int  # the whole role phrase, org included
    end: int
    definite: bool
    specific: bool  # has an org or a domain word: can introduce a person
    rule_id: str


@dataclass
class Person:
    key: str
    name: str
    start: int
    end: int
    full: bool
    rule_id: str
    title: str | None = None
    org: str | None = None
    title_rule: str | None = None
    mentions: set[tuple[int, int]] = field(default_factory=set)
