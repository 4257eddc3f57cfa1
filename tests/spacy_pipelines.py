"""Process-wide spaCy pipelines for tests: the model loads once however many test modules ask for it."""

from functools import cache

import spacy
from spacy.language import Language

from pipeline.extract import choose_model
from pipeline.settings import Settings


@cache
def pipeline(kind: str) -> Language:
    """``model``: the pipeline the settings choose (``spacy_model``, "auto" by default); ``blank`` (or no model
    installed): spacy.blank("en") with a sentencizer."""
    name = choose_model(Settings.load().spacy_model) if kind == "model" else None
    if name is not None:
        return spacy.load(name)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
