"""The role after a name: "Mohsen Salehinia, the head of ISIPO", "an official with the ministry"."""

from __future__ import annotations

import re

from extractors.officials.acronyms import is_org_acronym
from extractors.officials.data import GENERIC_ROLES, LOWER_STOP, NOT_ORG, lexicon, lexicon_speech_word, word_set
from extractors.officials.lower_orgs import lower_org, lower_org_right, org_before_head
from extractors.officials.model import Role
from extractors.officials.orgs import clean_org, for_phrase, org_right, split_possessive
from extractors.officials.people import person_follows
from extractors.officials.text import word_tokens
from extractors.officials.words import (
    domain_only,
    is_lower_org_head,
    is_org_head,
    is_title_object,
    is_title_word,
    looks_like_org,
    lower_modifiers,
    place_only,
    title_words_right,
)

_DIPLOMATIC = word_set("official.words.diplomatic")
_OF = re.compile(r"^[ \t]+(?:of|at|in|with|from|to)[ \t]+(?:(?:the|an|a)[ \t]+)?")


def _unit_then_org(
    text: str, rest: list[tuple[str, int, int]], limit: int
) -> tuple[int, str, int] | None:
    """'strategic council of the Department of Environment', 'innovation department of science and technology
    vice presidency': a lower-case unit (up to four words ending in an organisation word) and the organisation
    it belongs to. Returns (end of the unit, organisation, end of the organisation), or None."""
    u = 0
    while u < len(rest) and u < 4 and re.fullmatch(r"[a-z][a-z\-]+", rest[u][0]) and rest[u][0] not in LOWER_STOP:
        u += 1
        if is_lower_org_head(rest[u - 1][0]):
            break
    if u == 0 or not is_lower_org_head(rest[u - 1][0]):
        return None
    unit_end = rest[u - 1][2]
    m = _OF.match(text[unit_end:limit])
    if not m or m.group().split()[0] not in ("of", "at", "in"):
        return None
    rest2 = word_tokens(text, unit_end + m.end(), limit)
    last = org_right(text, rest2, 0) or lower_org(rest2, 0)
    if last == 0:
        return None
    cleaned = clean_org(text, rest2[0][1], rest2[last - 1][2])
    if cleaned is None or is_title_object(cleaned[0]):
        return None
    return unit_end, cleaned[0], cleaned[2]


def _generic_compound(words: list[tuple[str, int, int]], k: int) -> int:
    """Number of lower-case noun modifiers at words[k:] that lead up to a generic role ('capital market'
    in 'a capital market expert', 'energy' in 'an energy analyst'), or 0."""
    lex = lexicon()
    n = 0
    while k + n < len(words) and n <= 3:
        w = words[k + n][0]
        if w.lower() in GENERIC_ROLES:
            return n
        if (
            not re.fullmatch(r"[a-z][a-z\-]+", w)
            or w in LOWER_STOP
            or w in lex.heads
            or w in lex.modifiers
            or lexicon_speech_word(w)
        ):
            return 0
        n += 1
    return 0


def role_at(text: str, start: int, limit: int) -> Role | None:
    """Parse '[the|a] [ORG] TITLE [for ... affairs] [of ORG]' starting at ``start``."""
    words = word_tokens(text, start, limit)
    if not words:
        return None
    lex = lexicon()
    k = 0
    definite = False
    # "Ban Ki-moon, then UN secretary general": a time adverb before the role
    if words[0][0] in ("then", "now", "currently") and len(words) > 1:
        k = 1
    if words[k][0].lower() in ("the", "a", "an"):
        definite = words[k][0].lower() == "the"
        k += 1
    # "the country's deputy industry minister": a common noun's possessive is a determiner
    if (
        k + 2 < len(words)
        and re.fullmatch(r"[a-z]+", words[k][0])
        and words[k][0] in lex.rules["official.possessive_determiner"]["words"]
        and words[k + 1][0] in ("'s", "\u2019s")
    ):
        k += 2
    org: str | None = None
    if (e_org := lower_org_right(words, k)) > k:
        # "Ali Rezaei, the energy ministry spokesman": a lower-case organisation before the title
        org = text[words[k][1] : words[e_org][2]]
        k = e_org + 1
    pre = _generic_compound(words, k) or lower_modifiers(words, k)
    if pre == 0 and k + 1 < len(words) and words[k][0] == "then" and is_title_word(words[k + 1][0]):
        pre = 1  # "the then deputy managing director of NPC"
    # ORG before the title: an acronym, or a capitalised phrase ending in an org word, then maybe 's
    if pre == 0 and k < len(words) and (not is_title_word(words[k][0]) or org_before_head(words, k)):
        m = k
        while (
            m < len(words)
            and (words[m][0][:1].isupper() or words[m][0] in ("(", ")", "of", "and"))
            and not (words[m][0].lower() in lex.heads and not is_org_acronym(words[m][0]))
        ):
            m += 1
        # "the Iranian National Tax Administration Deputy Head": the title starts at the title words before the
        # first head that are not part of the organisation's name
        if m < len(words) and words[m][0].lower() in lex.heads:
            while (
                m > k
                and is_title_word(words[m - 1][0])
                and not is_org_acronym(words[m - 1][0])
                and not is_org_head(words[m - 1][0])
            ):
                m -= 1
        if m > k and m < len(words) and words[m][0] in ("'s", "\u2019s"):
            cleaned = clean_org(text, words[k][1], words[m - 1][2])
            m += 1
        elif m > k:
            cleaned = clean_org(text, words[k][1], words[m - 1][2])
        else:
            cleaned = None
        if cleaned is not None:
            org = cleaned[0]
        elif m > k and place_only(text[words[k][1] : words[m - 1][2]]):
            pass  # "Iran's commercial attaché in Yerevan": a country is no organisation, the title goes on
        else:
            return None
        k = m
        pre = lower_modifiers(words, k)  # "the NPC's control manager"
    t0 = k
    k += pre  # "a capital market expert": lower-case nouns before a generic role belong to the title
    k = title_words_right(words, k, t0)
    heads = [w for w, _, _ in words[t0:k] if w.lower() in lex.heads]
    if not heads:
        return None
    # the title ends on its last head word ("deputy head", "industry minister")
    while k > t0 and words[k - 1][0].lower() not in lex.heads:
        k -= 1
    title_end = words[k - 1][2]
    # "director general": a head may be followed by 'general'
    if k < len(words) and words[k][0].lower() == "general" and words[k][1] == title_end + 1:
        title_end = words[k][2]
    remit_end = for_phrase(text, title_end, limit)
    has_remit = remit_end > title_end
    title_end = remit_end
    title = text[words[t0][1] : title_end]
    end = title_end
    has_domain = any(w.lower() in lex.domains for w, _, _ in words[t0:k])
    if org is None:
        m_of = _OF.match(text[title_end:limit])
        if m_of:
            rest = word_tokens(text, title_end + m_of.end(), limit)
            last = org_right(text, rest, 0)
            prep = m_of.group().split()[0]
            obj = text[rest[0][1] : rest[last - 1][2]] if last > 0 else ""
            diplomatic = bool({w.lower() for w in heads} & _DIPLOMATIC)
            if obj and (
                (prep == "to" and place_only(obj))
                or (prep == "of" and domain_only(obj))
                or (prep in ("to", "in") and diplomatic and not looks_like_org(obj))
            ):
                # "Ambassador to Iran", "Secretary of Commerce": the object belongs to the title
                title_end = end = rest[last - 1][2]
                title = text[words[t0][1] : title_end]
                has_domain = True
                last = 0
            elif last == 0 and prep == "of" and (unit := _unit_then_org(text, rest, limit)) is not None:
                # "the secretary of the strategic council of the Department of Environment": a lower-case unit
                # belongs to the title, the organisation after it is the org
                unit_end, org, end = unit
                title_end = unit_end
                title = text[words[t0][1] : title_end]
                has_domain = True
            elif last == 0 and prep == "of":
                # "minister of industry and information technology": a lower-case remit belongs to the title
                d = 0
                while d < len(rest) and (
                    rest[d][0] in lex.domains or (rest[d][0] in ("and", ",") and d > 0)
                ):
                    d += 1
                while d > 0 and rest[d - 1][0] in ("and", ","):
                    d -= 1
                if d > 0:
                    title_end = end = rest[d - 1][2]
                    title = text[words[t0][1] : title_end]
                    has_domain = True
                else:
                    # "the managing director of an Iranian company", "head of ... vice presidency"
                    last = lower_org(rest, 0)
            elif last == 0 and prep in ("with", "from", "at"):
                last = lower_org(rest, 0)
            if (
                0 < last < len(rest)
                and rest[0][0].islower()
                and rest[last][0][:1].isupper()
                and not person_follows(text, rest[last - 1][2])
            ):
                # "a market analyst with the research firm Oanda": the name after the descriptor is the org
                named = org_right(text, rest, last)
                if named > last and rest[last][0] not in NOT_ORG:
                    rest, last = rest[last:], named - last
            if last > 0:
                cleaned = clean_org(text, rest[0][1], rest[last - 1][2])
                if cleaned and (is_title_object(cleaned[0]) or (has_remit and not looks_like_org(cleaned[0]))):
                    # "Leader of the Islamic Revolution": the object is no organisation, it belongs to the title;
                    # so does the object of a remit ("for Refining and Distribution of Oil Products")
                    title_end = end = cleaned[2]
                    title = text[words[t0][1] : title_end]
                    has_remit = True
                elif cleaned:
                    org = cleaned[0]
                    end = cleaned[2]
                    title, org = split_possessive(title, org)
                    # "director general of X Office at TPO": the unit is part of the title, TPO the org
                    m_at = _OF.match(text[end:limit])
                    if m_at and title == text[words[t0][1] : title_end]:
                        rest2 = word_tokens(text, end + m_at.end(), limit)
                        last2 = org_right(text, rest2, 0)
                        if last2 > 0:
                            c2 = clean_org(text, rest2[0][1], rest2[last2 - 1][2])
                            if c2 and looks_like_org(c2[0]):
                                title = text[words[t0][1] : cleaned[2]]
                                org, end = c2[0], c2[2]
            if org is not None and not has_remit:
                # "the deputy director of Arvand Free Zone Organization for investment affairs": the remit after
                # a capitalised organisation belongs to the title; after a lower-case one it is part of its name
                # ("an official with the vice presidency for science and technology")
                r_end = for_phrase(text, end, limit)
                if r_end > end and org.split()[-1][:1].islower():
                    org = org + text[end:r_end]
                    end = r_end
                elif r_end > end:
                    title = title + text[end:r_end]
                    end = r_end
                    has_remit = True
    elif not has_remit and (m_rem := re.match(r"[ \t]+of[ \t]+", text[title_end:limit])):
        # "NIOC's director of international affairs": with the organisation named before the title, a lower-case
        # remit after 'of' belongs to the title
        rest = word_tokens(text, title_end + m_rem.end(), limit)
        d = 0
        while d < len(rest) and (rest[d][0] in lex.domains or (rest[d][0] in ("and", ",") and d > 0)):
            d += 1
        while d > 0 and rest[d - 1][0] in ("and", ","):
            d -= 1
        if d > 0:
            title_end = end = rest[d - 1][2]
            title = text[words[t0][1] : title_end]
    specific = org is not None or has_domain or has_remit
    return Role(title, org, words[0][1], end, definite, specific, "official.title_after")
