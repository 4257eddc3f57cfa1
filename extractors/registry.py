"""Versioned extractor names. A name never changes meaning: a new behaviour gets a new version.

Each registered function returns an ExtractorSpec saying which spaCy component serves it and with what
configuration. Settings list the enabled names; pipeline/extract.py builds the spaCy pipeline from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import catalogue

extractors = catalogue.create("newsclaims", "extractors", entry_points=False)


@dataclass(frozen=True)
class ExtractorSpec:
    name: str  # the versioned name, e.g. "money.v1"; stored on every claim it produces
    factory: str  # the spaCy factory serving it (factory names cannot contain '.')
    kinds: tuple[str, ...] = field(default=())  # for figure extractors: the quantity kinds it keeps


@extractors.register("officials.v1")
def officials_v1() -> ExtractorSpec:
    return ExtractorSpec("officials.v1", "newsclaims_officials")


@extractors.register("dates.v1")
def dates_v1() -> ExtractorSpec:
    return ExtractorSpec("dates.v1", "newsclaims_dates")


@extractors.register("counts.v1")
def counts_v1() -> ExtractorSpec:
    return ExtractorSpec("counts.v1", "newsclaims_figures", ("count",))


@extractors.register("money.v1")
def money_v1() -> ExtractorSpec:
    return ExtractorSpec("money.v1", "newsclaims_figures", ("money",))


@extractors.register("percent.v1")
def percent_v1() -> ExtractorSpec:
    return ExtractorSpec("percent.v1", "newsclaims_figures", ("percent",))


@extractors.register("quantities.v1")
def quantities_v1() -> ExtractorSpec:
    return ExtractorSpec("quantities.v1", "newsclaims_figures", ("quantity",))


# Claim attribution (speaker, modality, subject, time) runs on every claim; its version is stored on each one.
# attribution.v1: per-sentence speaker carrying and per-figure time (extractors/attribution.py and
# time_attribution.py before issue 9). attribution.v2: the discourse layer (extractors/discourse/): the
# article as a sequence of reports whose source and period carry across sentences.
ATTRIBUTION_NAME = "attribution.v2"


@extractors.register("attribution.v2")
def attribution_v2() -> ExtractorSpec:
    return ExtractorSpec("attribution.v2", "newsclaims_attribution")


def resolve(names: tuple[str, ...] | list[str]) -> list[ExtractorSpec]:
    """The specs for the enabled names, in order. Unknown names raise with the list of known ones."""
    known = sorted(extractors.get_all())
    out = []
    for n in names:
        if n not in known:
            raise ValueError(f"unknown extractor {n!r}; registered: {', '.join(known)}")
        out.append(extractors.get(n)())
    return out
