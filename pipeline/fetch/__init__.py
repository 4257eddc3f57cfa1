"""The fetch stage, the only package that talks to the network: the polite fetcher
(:mod:`pipeline.fetch.fetcher`), the WARC archive every exchange is written to and read back from
(:mod:`pipeline.fetch.archive`), and the sources file (:mod:`pipeline.fetch.sources`). Importing the package
loads none of them (reading an archive needs no HTTP client).
"""
