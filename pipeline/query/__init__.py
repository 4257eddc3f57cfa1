"""The query stage, read-only over the store: claims matching the fact-checkers' filters
(:mod:`pipeline.query.claims`), spec-shaped records and CSV rows (:mod:`pipeline.query.export`), ClaimReview
skeletons (:mod:`pipeline.query.claimreview`) and the Datasette site (:mod:`pipeline.query.serve`). Their SQL
is the store's (:mod:`pipeline.store.query`).
"""
