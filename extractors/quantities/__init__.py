"""The quantity layer: every number in a sentence, classified and normalised.

``find_quantities(text)`` returns one :class:`Quantity` per numeric expression: money, percentages,
physical quantities and counts (the claim kinds), and also the numbers that are *not* claims, each with
its own kind (year, date_part, duration, age, ordinal, identifier, other), so that callers can see why a
number was not taken. Pure Python: regular expressions and lexicons kept as JSONL data under
``extractors/patterns/``; every output carries the ``rule_id`` that produced it.

One job per module, in the order :func:`find_quantities` (``find.py``) runs them:

- ``lexicons.py``: the JSONL data, compiled once (``quantities.jsonl`` regex rules, ``quantities_rules.jsonl``
  cue regexes and the declared ids of rules decided in Python, ``lexicon.jsonl`` word lists, units,
  currencies ...); ``model.py``: :class:`Quantity` and the working candidate; ``text.py``: words around;
- ``rules.py``: the regex rules (dates, identifiers, fractions, vague amounts); ``numerals.py``: numbers and
  scales; ``units.py``: sign, scale, percent, units and rates attached to a number; ``money.py``: currencies
  and prices; ``changes.py``: direction and signed changes; ``classify.py``: plain numbers (counts, years,
  ordinals); ``nouns.py``: counted nouns;
- ``tables.py``: quote tables; ``ranges.py``: ranges and shared units; ``links.py``: equivalents, rates in
  brackets, day lists; ``context.py``: nouns from the sentence; ``doc.py``: trimming with a tagged Doc;
- ``tool.py``: the ``newsclaims quantities`` tool format.
"""

from __future__ import annotations

from extractors.quantities.find import find_quantities
from extractors.quantities.lexicons import PATTERNS
from extractors.quantities.model import CLAIM_KINDS, Quantity
from extractors.quantities.tool import quantities_json

__all__ = ["CLAIM_KINDS", "PATTERNS", "Quantity", "find_quantities", "quantities_json"]
