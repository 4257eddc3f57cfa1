"""The one JSONL reader for rule, cue and data files: one JSON object a line, blank lines skipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_jsonl(path: Path | str) -> list[dict[str, Any]]:
    """Every object in a JSONL file, in file order (blank lines skipped)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
