"""Officials (name, title, organisation) and organisations with their acronyms.

Works on any English pipeline: the rules are character-level regexes plus a small title grammar fed by the
gazetteers in ``extractors/patterns/`` (``official_titles.jsonl``, ``org_words.jsonl``), so a
``spacy.blank("en")`` + sentencizer pipeline gets the title shapes ("ISIPO Deputy Head Ali Asqar Mosaheb",
"Mohsen Salehinia, the head of ISIPO") and speech-verb shapes ("Zarandi said").  When the pipeline has an
``ner`` component its PERSON entities add names that have neither a title nor a speech verb next to them.

Public API: :func:`find_officials`, :func:`find_organisations`, :class:`FoundOfficial`, :class:`FoundOrg`,
and the lexicon the discourse layer shares (:func:`lexicon`, :func:`looks_like_org`, :func:`place_only`).

One job per module: ``data.py`` (the gazetteers and rules, read once; closed word sets), ``model.py`` (what
is returned, and the working records), ``text.py`` (sentences, words), ``acronyms.py``, ``words.py`` (word
classes of the title and organisation grammar), ``orgs.py`` and ``lower_orgs.py`` (organisation phrases),
``people.py`` (names), ``roles.py`` (the role after a name), ``titles.py`` (the role before a name),
``resolve.py`` (later mentions and pronouns to people), ``find.py`` (:func:`find_officials`) and
``organisations.py`` (:func:`find_organisations`).
"""

from __future__ import annotations

from extractors.officials.data import PATTERNS, Lexicon, lexicon, lexicon_speech_word
from extractors.officials.find import find_officials
from extractors.officials.model import FoundOfficial, FoundOrg
from extractors.officials.organisations import find_organisations
from extractors.officials.people import person_key
from extractors.officials.words import looks_like_org, place_only

__all__ = [
    "PATTERNS", "FoundOfficial", "FoundOrg", "Lexicon", "find_officials", "find_organisations", "lexicon",
    "lexicon_speech_word", "looks_like_org", "person_key", "place_only",
]
