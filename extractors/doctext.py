"""``doc.text`` once per document: spaCy rebuilds the string from the tokens on every access."""

from __future__ import annotations

from typing import Any

TEXT_KEY = "newsclaims.text"


def doc_text(doc: Any) -> str:
    """The text of ``doc``, built once and kept in ``doc.user_data`` (see ``forget_text``)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return str(text)


def forget_text(doc: Any) -> None:
    """Drop the cached text, so that it is not serialised with the doc between processes."""
    doc.user_data.pop(TEXT_KEY, None)
