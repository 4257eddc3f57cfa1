"""The parse stage: HTML bytes -> :class:`pipeline.parse.page.ParsedPage` (:func:`pipeline.parse.page.parse_html`),
with the field helpers both it and the site adapters use (:mod:`pipeline.parse.fields`), one small versioned
adapter per site (:mod:`pipeline.parse.sites`) and the strict reader of given publication dates
(:mod:`pipeline.parse.published`). Importing the package loads none of them (the parser's libraries load only
when a page is parsed).
"""
