"""Extractors: spaCy components registered under versioned names, their rules kept as data."""
