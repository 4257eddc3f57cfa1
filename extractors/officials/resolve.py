"""Roles resolved to people across the article: a later "the official" or "the deputy head" to the person
it names, and pronouns to the last person."""

from __future__ import annotations

import re

from extractors.officials.acronyms import is_org_acronym
from extractors.officials.data import GENERIC_ROLES, LOWER_STOP, lexicon, regexes, word_set
from extractors.officials.model import Person, Role
from extractors.officials.orgs import org_left
from extractors.officials.roles import role_at
from extractors.officials.text import sent_index, word_tokens
from extractors.officials.words import is_title_word

_RANK = word_set("official.words.rank")


def _title_set(title: str | None) -> set[str]:
    return {w for w in re.split(r"[^a-z\-]+", (title or "").lower()) if w}


def _compatible(role: Role, p: Person) -> bool:
    rw, pw = _title_set(role.title), _title_set(p.title)
    if not p.title:
        return False
    lex = lexicon()
    if (rw & lex.heads) and (rw & lex.heads) <= GENERIC_ROLES and not (rw & _RANK):
        # "an official with the Energy Ministry" fits any titled person of that organisation
        if role.org and p.org:
            ro = {w.lower() for w in re.findall(r"\w+", role.org)}
            po = {w.lower() for w in re.findall(r"\w+", p.org)}
            return bool(ro & po)
        return True
    if rw - {"deputy", "vice"} and not (rw - {"the"}) <= pw:
        return False
    if (rw & _RANK) and not (pw & _RANK):
        return False
    if (pw & _RANK) and not (rw & _RANK):
        return False
    if role.org and p.org:
        ro = {w.lower() for w in re.findall(r"\w+", role.org)}
        po = {w.lower() for w in re.findall(r"\w+", p.org)}
        if not ro & po:
            return False
    return True


def resolve_roles(
    text: str, sents: list[tuple[int, int]], persons: dict[str, Person], used: list[tuple[int, int]]
) -> None:
    lex = lexicon()
    head_rx = regexes()["role_head"]
    name_spans = [m for p in persons.values() for m in p.mentions]
    taken = list(used) + name_spans
    roles: list[Role] = []
    for m in head_rx.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        si = sent_index(sents, m.start())
        ss, se = sents[si]
        # the role phrase starts at the determiner/org before the title words
        words = word_tokens(text, ss, m.start())
        k = len(words)
        while k > 0 and is_title_word(words[k - 1][0]) and not is_org_acronym(words[k - 1][0]):
            k -= 1
        if m.group().lower() in GENERIC_ROLES:
            c = k
            while c > 0 and k - c < 3 and re.fullmatch(r"[a-z][a-z\-]+", words[c - 1][0]) and (
                words[c - 1][0] not in LOWER_STOP | {"a", "an"}
            ):
                c -= 1
            if c < k and c > 0 and words[c - 1][0].lower() in ("a", "an", "the"):
                k = c
        start = words[k][1] if k < len(words) else m.start()
        if k > 0 and (
            words[k - 1][0] in ("'s", "\u2019s", ")")
            or is_org_acronym(words[k - 1][0])
            or (words[k - 1][0][:1].isupper() and words[k - 1][0] not in lex.nonname)
        ):
            first = org_left(words, k - 1)
            if first < k:
                start = words[first][1]
        elif k > 0 and words[k - 1][0].lower() in ("the", "a", "an"):
            start = words[k - 1][1]
        role = role_at(text, start, se)
        if role is None or role.end <= m.start():
            continue
        if text[start : start + 1].isupper() and not role.org and not role.definite and start == m.start():
            # a sentence-initial bare "Head said" is still a role; a capitalised title before a name is not
            pass
        if any(s <= role.start < e for s, e in taken):
            continue
        # a role phrase that runs over a person's name ("Minister in Mines and Mining Industries Jafar Sarghini")
        # is that person's title_before, not an unnamed role
        if any(role.start < s < role.end <= e for s, e in name_spans):
            continue
        taken.append((role.start, role.end))
        roles.append(role)

    order = sorted(persons.values(), key=lambda p: min(s for s, _ in p.mentions))
    resolved: dict[str, Person] = {}
    unresolved: list[Role] = []
    for role in roles:
        heads = _title_set(role.title) & lex.heads
        generic = bool(heads) and heads <= GENERIC_ROLES | {"deputy"} and not role.org
        # back: the most recent compatible person mentioned before the role
        prev = [
            (max(s for s, _ in p.mentions if s < role.start), p)
            for p in persons.values()
            if any(s < role.start for s, _ in p.mentions)
        ]
        prev.sort(key=lambda x: x[0], reverse=True)
        target = None
        if generic and not role.definite:
            # "a capital market expert said ... . ... Bahador Shams told IRNA": an unnamed speaker named in
            # the next sentence by a person with no title of their own
            target = None
            if regexes()["speech_after"].match(text[role.end : role.end + 60]):
                ri = sent_index(sents, role.start)
                nxt = next((p for p in order if min(s for s, _ in p.mentions) >= role.end), None)
                if (
                    nxt is not None
                    and nxt.title is None
                    and sent_index(sents, min(s for s, _ in nxt.mentions)) - ri <= 1
                ):
                    nxt.title, nxt.title_rule = role.title, "official.role_forward"
                    target = nxt
        elif role.definite and not role.specific or generic:
            target = next((p for _, p in prev if generic or _compatible(role, p)), None)
            if target is None and prev and generic:
                target = prev[0][1]
        elif role.specific:
            target = next((p for _, p in prev if _compatible(role, p)), None)
            if target is None:
                ri = sent_index(sents, role.start)
                # the person named next: first named there, or named before without a title and named again in
                # full ("... as head of prison agency testified. As ..., Hawk Sawyer testified")
                upcoming = [
                    (min(later), p)
                    for p in order
                    if (
                        later := [
                            s
                            for s, e in p.mentions
                            if s >= role.end
                            and (
                                min(x for x, _ in p.mentions) >= role.end
                                or (p.title is None and _full_mention(text[s:e]))
                            )
                        ]
                    )
                ]
                if upcoming:
                    first, p = min(upcoming, key=lambda x: x[0])
                    if sent_index(sents, first) - ri <= 2:
                        if p.title is None:
                            p.title, p.org, p.title_rule = role.title, role.org, "official.role_forward"
                            target = p
                        elif _compatible(role, p):
                            target = p
                            if p.org is None and role.org is not None and role.org not in (p.title or ""):
                                p.org = role.org
        elif role.definite:
            target = next((p for _, p in prev if _compatible(role, p)), None)
        if target is not None:
            target.mentions.add((role.start, role.end))
            resolved[_role_key(role)] = target
        else:
            unresolved.append(role)
    # a role repeated word for word (a restated lead) is the same person as its resolved twin
    for role in unresolved:
        twin = resolved.get(_role_key(role))
        if twin is not None and role.specific:
            twin.mentions.add((role.start, role.end))


def _full_mention(mention: str) -> bool:
    """A mention of two or more name words ('Hawk Sawyer'), not a lone surname, pronoun or role."""
    words = mention.split()
    return len(words) >= 2 and all(re.fullmatch(r"[A-Z][\w'\u2019\-.]*", w) for w in words)


def _role_key(role: Role) -> str:
    return " ".join(f"{role.title or ''} {role.org or ''}".lower().split())


def resolve_pronouns(text: str, persons: dict[str, Person]) -> None:
    if not persons:
        return
    for m in regexes()["pronoun"].finditer(text):
        prev = [
            (max(s for s, _ in p.mentions if s < m.start()), p)
            for p in persons.values()
            if any(s < m.start() for s, _ in p.mentions)
        ]
        if prev:
            max(prev, key=lambda x: x[0])[1].mentions.add((m.start(), m.end()))
