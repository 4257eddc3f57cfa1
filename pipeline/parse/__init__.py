"""The parse stage: HTML bytes -> :class:`ParsedPage` (:mod:`pipeline.parse.page`), with the field helpers
both it and the site adapters use (:mod:`pipeline.parse.fields`), one small versioned adapter per site
(:mod:`pipeline.parse.sites`) and the strict reader of given publication dates (:mod:`pipeline.parse.published`).
"""

from pipeline.parse.page import ParsedPage, ParseError, parse_html

__all__ = ["ParseError", "ParsedPage", "parse_html"]
