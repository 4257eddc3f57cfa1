"""Evaluation and benchmarks: run from the repository root by the Makefile (``make eval``, ``make eval-web``,
``make bench``), never installed. Each takes the shared data's location from its arguments (the Makefile
passes ``$(SHARED)``, default ``../shared``).
"""
