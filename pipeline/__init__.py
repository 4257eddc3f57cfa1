"""newsclaims: economy news in, attributed claims with provenance out."""

__version__ = "0.1.0"
