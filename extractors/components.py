"""spaCy components. Each wraps pure rule code and leaves plain, serialisable results in
``doc._.newsclaims`` (a dict), so that docs survive ``nlp.pipe(n_process=2)``.

Factory names cannot contain '.', so each factory carries its extractor's versioned name in its config.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractors.doctext import doc_text, forget_text
from extractors.registry import ATTRIBUTION_NAME

if not Doc.has_extension("newsclaims"):
    Doc.set_extension("newsclaims", default=None)



def state(doc: Doc) -> dict[str, Any]:
    data = doc._.newsclaims
    if data is None:
        data = {}
        doc._.newsclaims = data
    return data


def published_of(doc: Doc) -> dt.date | None:
    p = state(doc).get("published")
    if not p:
        return None
    try:
        return dt.date.fromisoformat(str(p)[:10])
    except ValueError:
        return None


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass's field names (dataclasses.fields() is slow)


def plain(obj: Any) -> Any:
    """Dataclasses, Decimals and dates to msgpack-friendly values."""
    if obj is None or type(obj) in (str, int, float, bool):  # most leaves: nothing to convert
        return obj
    names = _FIELD_NAMES.get(type(obj))
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELD_NAMES.setdefault(type(obj), tuple(f.name for f in dataclasses.fields(obj)))
    if names is not None:
        return {n: plain(getattr(obj, n)) for n in names}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    return obj


def guarded(call: Callable[[Any, Doc], Doc]) -> Callable[[Any, Doc], Doc]:
    """A failing rule component records its error on the doc instead of killing the whole batch; the run
    then skips that article with the error as its reason (nothing is dropped silently)."""

    @functools.wraps(call)
    def wrapper(self: Any, doc: Doc) -> Doc:
        try:
            return call(self, doc)
        except Exception as e:  # noqa: BLE001 - any rule bug must become a recorded skip, not a crash
            name = type(self).__name__
            state(doc).setdefault("errors", []).append(f"{name}: {type(e).__name__}: {e}")
            return doc

    return wrapper


@Language.component("newsclaims_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: paragraphs and headlines never run into the next line."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@Language.factory("newsclaims_officials", default_config={"version": "officials.v1"})
def make_officials(nlp: Language, name: str, version: str) -> OfficialsComponent:
    return OfficialsComponent(version)


class OfficialsComponent:
    def __init__(self, version: str) -> None:
        self.version = version

    @guarded
    def __call__(self, doc: Doc) -> Doc:
        from extractors.officials import find_officials, find_organisations

        st = state(doc)
        st["officials"] = [{**plain(o), "extractor": self.version} for o in find_officials(doc)]
        st["orgs"] = [{**plain(o), "extractor": self.version} for o in find_organisations(doc)]
        return doc


@Language.factory("newsclaims_dates", default_config={"version": "dates.v1"})
def make_dates(nlp: Language, name: str, version: str) -> DatesComponent:
    return DatesComponent(version)


class DatesComponent:
    def __init__(self, version: str) -> None:
        self.version = version

    @guarded
    def __call__(self, doc: Doc) -> Doc:
        from extractors.dates import find_dates

        st = state(doc)
        st["dates"] = [
            {**plain(d), "extractor": self.version} for d in find_dates(doc_text(doc), published_of(doc))
        ]
        return doc


@Language.factory(
    "newsclaims_figures",
    default_config={"extractors": {"count": "counts.v1", "money": "money.v1", "percent": "percent.v1",
                                   "quantity": "quantities.v1"}},
)
def make_figures(nlp: Language, name: str, extractors: dict[str, str]) -> FiguresComponent:
    return FiguresComponent(extractors)


class FiguresComponent:
    """Runs the quantity layer once and keeps the kinds whose extractor is enabled."""

    def __init__(self, extractors: dict[str, str]) -> None:
        self.extractors = dict(extractors)

    @guarded
    def __call__(self, doc: Doc) -> Doc:
        from extractors.quantities import find_quantities

        found = find_quantities(doc_text(doc), doc)
        figures = []
        for i, q in enumerate(found):
            d = plain(q)
            d["index"] = i
            d["extractor"] = self.extractors.get(q.kind)
            figures.append(d)
        state(doc)["figures"] = figures
        return doc


@Language.factory("newsclaims_attribution", default_config={"version": ATTRIBUTION_NAME})
def make_attribution(nlp: Language, name: str, version: str) -> AttributionComponent:
    return AttributionComponent(version)


class AttributionComponent:
    """Turns kept figures into claims: modality, speaker, subject and time for each, from the article's
    discourse model (extractors/discourse/)."""

    def __init__(self, version: str) -> None:
        self.version = version

    def __call__(self, doc: Doc) -> Doc:
        try:
            return self._claims(doc)
        finally:
            # the last newsclaims component: keep what crosses between processes (n_process > 1) small
            forget_text(doc)
            state(doc).pop("figures", None)  # claims are built from them; nothing reads them afterwards

    @guarded
    def _claims(self, doc: Doc) -> Doc:
        from extractors.claims import build_claims

        st = state(doc)
        st["claims"] = build_claims(doc, st, published_of(doc), self.version)
        return doc
