"""The discourse layer: one model of an article as a sequence of reports, read by speaker, time and modality.

- :mod:`.cues` reads the cue files (JSONL under ``extractors/patterns/``, stable rule ids);
- :mod:`.article` indexes the article once (sentences, mentions, quotes, dates, entities; bisection);
- :mod:`.sources` finds who is cited where (speaker cues, quotes);
- :mod:`.periods` classifies dates (frames, comparison bases, back-references, what a sentence states);
- :mod:`.reports` segments the article into reports (source, period, opening rule);
- :mod:`.modality` and :mod:`.subject` decide those attributes around a figure;
- :mod:`.model` attributes each figure from all of it, with its evidence.
"""

from extractors.discourse.model import ClaimAttribution, Discourse, TimeResult

__all__ = ["ClaimAttribution", "Discourse", "TimeResult"]
