"""What a site adapter returns, and small helpers shared by the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.parse.fields import clean_space


@dataclass(frozen=True)
class SiteFields:
    """Fields a site adapter found with its own selectors; None where it found nothing."""

    title: str | None = None
    published: tuple[str, str] | None = None  # (ISO 8601, "day" | "datetime")
    authors: tuple[str, ...] = ()
    text: str | None = None
    language: str | None = None


class SiteAdapter(Protocol):
    @property
    def name(self) -> str: ...  # versioned: "tehrantimes.v1"

    @property
    def domains(self) -> tuple[str, ...]: ...

    def extract(self, root: Any, url: str | None) -> SiteFields: ...


def xpath_class(tag: str, cls: str) -> str:
    """XPath for ``tag.cls`` (class token match, like the CSS selector)."""
    return f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"


def text_of(el: Any) -> str:
    return clean_space("".join(el.itertext()))


def paragraphs(el: Any) -> str:
    """Body text of a container: its paragraphs (or lines), one per line, scripts and styles left out."""
    out: list[str] = []
    blocks = el.xpath(".//p | .//h2 | .//h3 | .//li | .//blockquote")
    if blocks:
        for b in blocks:
            if b.xpath("ancestor::script | ancestor::style | ancestor::figcaption"):
                continue
            t = text_of(b)
            if t and (not out or out[-1] != t):
                out.append(t)
    else:
        raw = "".join(
            t for t in el.itertext() if t.getparent() is None or t.getparent().tag not in ("script", "style")
        )
        out = [clean_space(line) for line in raw.splitlines() if clean_space(line)]
    return "\n".join(out)
